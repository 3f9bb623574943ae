"""Reads for agreements and the year-round relationship: scoped lists, one agreement's timeline (the
chain of agreements between its school and partner, decisions, convenings attended, measures by year,
survey responses), the relationships of schools and partners (first year, years lasted, year-round,
status) and the network summary of them.

Everything a user sees goes through `restrict(user, "view")`; the network summary is an aggregate (no
school or partner named) and is computed over every agreement so board viewers and principals can read it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.network.models import SchoolYear
from equitable.partners.models import (
    Agreement,
    AgreementStatus,
    Convening,
    ConveningAttendance,
    Measure,
    PartnerSurvey,
)
from equitable.partners.scoping import partner_ids_for

APPROVED = (AgreementStatus.ACTIVE, AgreementStatus.ENDED)
MIN_OVERLAP_DAYS = 30  # an agreement counts for a school year when it runs at least a month of it


# --- Lists ----------------------------------------------------------------------------------------------


def agreement_list(user):
    return (Agreement.objects.restrict(user, "view")
            .select_related("partner", "school", "school__community", "renews", "decided_by"))


def visible_agreement(user, pk, action: str = "view") -> Agreement | None:
    return agreement_list(user).filter(pk=pk).first() if action == "view" else (
        Agreement.objects.restrict(user, action).filter(pk=pk).first())


def convening_list(user):
    return (Convening.objects.restrict(user, "view")
            .select_related("school", "community", "school_year"))


def visible_convening(user, pk) -> Convening | None:
    return convening_list(user).filter(pk=pk).first()


def measure_list(user):
    return (Measure.objects.restrict(user, "view")
            .select_related("agreement__partner", "agreement__school", "school_year"))


def survey_list(user):
    return PartnerSurvey.objects.restrict(user, "view").select_related("partner", "school_year")


def current_year() -> SchoolYear | None:
    return SchoolYear.objects.filter(is_current=True).first() or SchoolYear.objects.order_by("-start_date").first()


SURVEY_RATINGS = ("overall", "communication", "school_fit", "clearance_support", "principal_relationship")


def survey_averages(surveys: Iterable[PartnerSurvey]) -> dict[str, float | None]:
    """The average of each rating over the responses that gave it (None when none did)."""
    sums: dict[str, list[int]] = {name: [] for name in SURVEY_RATINGS}
    for survey in surveys:
        for name in SURVEY_RATINGS:
            value = getattr(survey, name)
            if value is not None:
                sums[name].append(value)
    return {name: (round(sum(v) / len(v), 2) if v else None) for name, v in sums.items()}


# --- Years (pure helpers) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearSpan:
    name: str
    start: date
    end: date


def fallback_year(day: date) -> str:
    """The school year (July–June) a day falls in, e.g. 2025-09-01 → "2025-26"."""
    first = day.year if day.month >= 7 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def years_covered(spans: Iterable[tuple[date, date]], years: Sequence[YearSpan]) -> list[str]:
    """The school years the spans cover (each by at least MIN_OVERLAP_DAYS, or the span entirely), sorted.
    Without a known school year a span counts for the July–June years of its start and end."""
    found: set[str] = set()
    for start, end in spans:
        matched = False
        for year in years:
            lo, hi = max(start, year.start), min(end, year.end)
            if lo > hi:
                continue
            overlap = (hi - lo).days + 1
            if overlap >= MIN_OVERLAP_DAYS or overlap >= (end - start).days + 1:
                found.add(year.name)
                matched = True
        if not matched:
            found.add(fallback_year(start))
            if (end - start).days >= MIN_OVERLAP_DAYS:
                found.add(fallback_year(end))
    return sorted(found)


def _year_spans() -> list[YearSpan]:
    return [YearSpan(y.name, y.start_date, y.end_date) for y in SchoolYear.objects.order_by("start_date")]


# --- One agreement's timeline ---------------------------------------------------------------------------


def agreement_chain(agreement: Agreement) -> list[Agreement]:
    """Every agreement in the renewal chain of `agreement`, oldest first."""
    chain = [agreement]
    seen = {agreement.pk}
    back = agreement
    while back.renews_id and back.renews_id not in seen:
        back = Agreement.objects.select_related("decided_by").get(pk=back.renews_id)
        seen.add(back.pk)
        chain.insert(0, back)
    forward = agreement
    while True:
        nxt = Agreement.objects.select_related("decided_by").filter(renews=forward).first()
        if nxt is None or nxt.pk in seen:
            break
        seen.add(nxt.pk)
        chain.append(nxt)
        forward = nxt
    return chain


@dataclass
class TimelineEvent:
    day: date
    kind: str
    text: str
    agreement_id: int | None = None


@dataclass
class Timeline:
    chain: list[Agreement]
    pair_agreements: list[Agreement]
    events: list[TimelineEvent]
    convenings: list[ConveningAttendance]
    measures_by_year: list[tuple[str, list[Measure]]]
    surveys: list[PartnerSurvey]
    years: list[str] = field(default_factory=list)


def agreement_timeline(user, agreement: Agreement) -> Timeline:
    """The relationship of the agreement's school and partner, as far as `user` may see it."""
    pair = list(agreement_list(user).filter(school_id=agreement.school_id, partner_id=agreement.partner_id)
                .order_by("start_date", "pk"))
    chain_ids = {a.pk for a in agreement_chain(agreement)}
    chain = [a for a in pair if a.pk in chain_ids]
    events: list[TimelineEvent] = []
    for a in pair:
        events.append(TimelineEvent(a.start_date, "start", f"{a.title}: starts ({a.get_status_display()})", a.pk))
        if a.decided_at:
            who = (a.decided_by.get_full_name() or a.decided_by.username) if a.decided_by else ""
            verb = "approved" if a.status in APPROVED else "declined"
            events.append(TimelineEvent(a.decided_at.date(), "decision", f"{a.title}: {verb} by {who}"
                                        + (f" — {a.decision_note}" if a.decision_note else ""), a.pk))
        if a.status == AgreementStatus.ENDED:
            events.append(TimelineEvent(a.end_date, "end", f"{a.title}: ended", a.pk))
        if a.renews_id:
            events.append(TimelineEvent(a.start_date, "renewal", f"{a.title}: renews agreement #{a.renews_id}", a.pk))
    attendance = list(
        ConveningAttendance.objects.restrict(user, "view")
        .filter(partner_id=agreement.partner_id)
        .filter(Q(convening__school_id=agreement.school_id) | Q(convening__school__isnull=True))
        .select_related("convening", "convening__school_year").order_by("convening__held_on")
    )
    for row in attendance:
        if row.attended:
            events.append(TimelineEvent(row.convening.held_on, "convening", f"{row.convening.title}: attended "
                                        f"({row.people})"))
    measures = list(measure_list(user).filter(agreement__in=[a.pk for a in pair])
                    .order_by("school_year__start_date", "agreement_id", "kind", "name"))
    by_year: dict[str, list[Measure]] = defaultdict(list)
    for m in measures:
        by_year[m.school_year.name].append(m)
    surveys = list(survey_list(user).filter(partner_id=agreement.partner_id).order_by("school_year__start_date"))
    for s in surveys:
        events.append(TimelineEvent(s.submitted_on, "survey", f"Partner survey {s.school_year.name} answered"))
    events.sort(key=lambda e: (e.day, e.kind))
    spans = [(a.start_date, a.end_date) for a in pair if a.status in APPROVED]
    return Timeline(chain=chain, pair_agreements=pair, events=events, convenings=attendance,
                    measures_by_year=sorted(by_year.items(), key=lambda kv: kv[0]), surveys=surveys,
                    years=years_covered(spans, _year_spans()))


# --- Relationships --------------------------------------------------------------------------------------


@dataclass
class Relationship:
    school_id: int
    school: str
    community: str
    partner_id: int
    partner: str
    first_year: str
    years: list[str]
    year_round: bool
    status: str
    status_label: str
    latest_id: int
    agreements: int

    @property
    def years_lasted(self) -> int:
        return len(self.years)


@dataclass
class RelationshipSummary:
    relationships: int
    year_round: int
    distribution: list[tuple[int, int]]  # (years lasted, relationships)
    by_community: list[dict]
    average_years: float | None


STATUS_LABELS = {
    "active": "Active", "pending": "Awaiting approval", "draft": "Draft", "declined": "Declined",
    "ended": "Ended",
}


def _relationships(agreements: Iterable[Agreement], years: Sequence[YearSpan], today: date) -> list[Relationship]:
    groups: dict[tuple[int, int], list[Agreement]] = defaultdict(list)
    for a in agreements:
        groups[(a.school_id, a.partner_id)].append(a)
    rows: list[Relationship] = []
    for (school_id, partner_id), items in groups.items():
        items.sort(key=lambda a: (a.start_date, a.pk))
        approved = [a for a in items if a.status in APPROVED]
        covered = years_covered([(a.start_date, a.end_date) for a in approved], years)
        latest = items[-1]
        basis = approved[-1] if approved else latest
        running = any(a.status == AgreementStatus.ACTIVE and a.end_date >= today for a in items)
        status = "active" if running else latest.status
        first = covered[0] if covered else fallback_year(items[0].start_date)
        rows.append(Relationship(
            school_id=school_id, school=latest.school.name,
            community=latest.school.community.name if latest.school.community_id else "",
            partner_id=partner_id, partner=latest.partner.name, first_year=first, years=covered,
            year_round=basis.year_round, status=status, status_label=STATUS_LABELS.get(status, status),
            latest_id=latest.pk, agreements=len(items)))
    rows.sort(key=lambda r: (r.school, r.partner))
    return rows


def _base(queryset):
    return queryset.select_related(None).select_related("school", "school__community", "partner").only(
        "id", "school_id", "partner_id", "start_date", "end_date", "status", "year_round",
        "school__name", "school__community_id", "school__community__name", "partner__name")


def relationships_for(user, *, today: date | None = None, community: str | None = None) -> list[Relationship]:
    """The relationships the user may see (from the agreements they may see)."""
    from django.utils import timezone

    queryset = _base(agreement_list(user))
    if community:
        queryset = queryset.filter(school__community__slug=community)
    return _relationships(queryset, _year_spans(), today or timezone.localdate())


def relationship_summary(*, today: date | None = None) -> RelationshipSummary:
    """The network picture (no school or partner named): relationships with at least one approved
    agreement, how many are year-round, how many years they lasted, per community."""
    from django.utils import timezone

    rows = [r for r in _relationships(_base(Agreement.objects.all()), _year_spans(), today or timezone.localdate())
            if r.years]
    lasted = Counter(r.years_lasted for r in rows)
    communities: dict[str, list[Relationship]] = defaultdict(list)
    for r in rows:
        communities[r.community or "—"].append(r)
    by_community = [
        {"community": name, "relationships": len(items), "year_round": sum(r.year_round for r in items),
         "average_years": round(sum(r.years_lasted for r in items) / len(items), 1),
         "longest": max(r.years_lasted for r in items)}
        for name, items in sorted(communities.items())
    ]
    return RelationshipSummary(
        relationships=len(rows), year_round=sum(r.year_round for r in rows),
        distribution=sorted(lasted.items()), by_community=by_community,
        average_years=round(sum(r.years_lasted for r in rows) / len(rows), 1) if rows else None)


def sees_relationship_rows(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.STAFF, Role.PRINCIPAL, Role.DIRECTOR)


# --- The partner portal ---------------------------------------------------------------------------------


def portal_partner(user):
    """The partner organization of a partner user (None when the user is not linked to one)."""
    from equitable.partners.models import Partner

    ids = partner_ids_for(user)
    return Partner.objects.restrict(user, "view").filter(pk__in=ids).order_by("name").first() if ids else None
