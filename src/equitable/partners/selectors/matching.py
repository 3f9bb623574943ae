"""Reads for needs-to-partner matching: gather a school's needs and the candidate partners from the database,
hand them to the pure engine (`equitable.partners.matching`), and shape the answers for the pages, the API,
the CSV exports and the CLI (`match_table`).

Facts gathered per school year:
- the school's needs come from its needs assessment for the year (with the families' languages);
- candidates are partners whose status is active or prospective;
- a partner's capacity used = the distinct schools where it has an agreement awaiting approval or approved
  that overlaps the year (for the network assignment, drafts count too: an accepted suggestion holds room);
- clearance status from `selectors.clearance.partner_clearance_summary` as of today;
- past results from the measures (target and actual) of the partner's agreements and its survey answers, up
  to and including the year.

Who sees what: partnerships and other home-office staff and admins see every school; a principal and a
senior director their own schools (another school answers "not found"); partner and board users nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.network.models import School, SchoolYear
from equitable.network.selectors import current_school_year
from equitable.partners import matching as engine
from equitable.partners.models import (
    PRIORITY_WEIGHTS,
    Agreement,
    AgreementStatus,
    Language,
    Measure,
    NeedsAssessment,
    Partner,
    PartnerStatus,
    PartnerSurvey,
    SchoolNeed,
)
from equitable.partners.scoping import partnerships_staff

MATCH_HEADERS = ["rank", "partner", "score", "focus_fit", "community", "language", "capacity_left", "clearance",
                 "past_results", "reasons"]
ASSIGNMENT_HEADERS = ["school", "cds_code", "need", "priority", "partner", "score", "state", "reasons"]

UNKNOWN_SCHOOL = "No school with CDS code {cds!r}."
UNKNOWN_YEAR = "No school year named {year!r} (write it like 2025-26)."
NO_YEAR = "There is no school year yet: add one first."
NO_ASSESSMENT = "{school} has no needs assessment for {year}: record the school's needs first."

CANDIDATE_STATUSES = (PartnerStatus.ACTIVE, PartnerStatus.PROSPECTIVE)
SERVING_STATUSES = (AgreementStatus.PENDING, AgreementStatus.ACTIVE)
HOLDING_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.PENDING, AgreementStatus.ACTIVE)
SCHOOL_READERS = (Role.ADMIN, Role.STAFF, Role.PRINCIPAL, Role.DIRECTOR)
NETWORK_READERS = (Role.ADMIN, Role.STAFF)


class MatchInputError(Exception):
    """Bad input to `match_table` (unknown school or year, no needs assessment): the message says which."""


def reason_templates() -> dict[str, str]:
    """The engine's reasons in the user's language (same keys as `matching.REASONS`)."""
    return {
        "covers": _t("Covers {areas}"),
        "priority": _t("{area} ({priority} priority)"),
        "and": _t("{first} and {last}"),
        "community": _t("Serves {community}"),
        "no_community": _t("Does not serve {community}"),
        "language": _t("Works in {languages}"),
        "no_language": _t("Does not work in {languages}"),
        "room_one": _t("Room for 1 more school"),
        "room": _t("Room for {left} more schools"),
        "full": _t("Full: no room for another school"),
        "room_unknown": _t("Capacity not stated"),
        "clearance": _t("Clearance: {status}"),
        "past_measures": _t("Past results: {percent} % of targets met"),
        "past_survey": _t("Partner survey: {rating} / 5"),
        "past_unknown": _t("Past results: none recorded yet"),
        "already": _t("Already a partner here"),
    }


def language_names() -> dict[str, str]:
    return {code: str(label) for code, label in Language.choices}


# --- years and inputs -----------------------------------------------------------------------------------


def resolve_year(name: str | None) -> SchoolYear:
    if name:
        year = SchoolYear.objects.filter(name=name).first()
        if year is None:
            raise MatchInputError(UNKNOWN_YEAR.format(year=name))
        return year
    year = current_school_year()
    if year is None:
        raise MatchInputError(NO_YEAR)
    return year


def _overlapping(year: SchoolYear) -> Q:
    return Q(start_date__lte=year.end_date, end_date__gte=year.start_date)


def need_input(need: SchoolNeed) -> engine.NeedInput:
    return engine.NeedInput(need_id=need.pk, focus_area_id=need.focus_area_id, focus_area=need.focus_area.name,
                            priority=int(need.priority), weight=PRIORITY_WEIGHTS.get(need.priority, 1.0),
                            students=need.students)


def school_input(assessment: NeedsAssessment) -> engine.SchoolInput:
    school = assessment.school
    community = school.community
    return engine.SchoolInput(
        school_id=school.pk, name=school.name, community_id=school.community_id,
        community=community.name if community else "", languages=tuple(assessment.language_codes),
        needs=tuple(need_input(n) for n in assessment.needs.all()),
    )


def partner_inputs(year: SchoolYear, *, statuses=SERVING_STATUSES, on: date | None = None) -> list[engine.PartnerInput]:
    """Every candidate partner with its capacity used, clearance and past results for `year`."""
    from equitable.partners.selectors.clearance import partner_clearance_summary

    partners = list(Partner.objects.filter(status__in=CANDIDATE_STATUSES)
                    .prefetch_related("focus_areas", "communities").order_by("name", "pk"))
    ids = [p.pk for p in partners]
    serving: dict[int, set[int]] = defaultdict(set)
    for partner_id, school_id in (Agreement.objects.filter(_overlapping(year), partner_id__in=ids,
                                                           status__in=statuses)
                                  .values_list("partner_id", "school_id").distinct()):
        serving[partner_id].add(school_id)
    measures: dict[int, list[engine.MeasureResult]] = defaultdict(list)
    for partner_id, target, actual, higher in (Measure.objects.filter(
            agreement__partner_id__in=ids, school_year__start_date__lte=year.start_date,
            target__isnull=False, actual__isnull=False)
            .values_list("agreement__partner_id", "target", "actual", "higher_is_better")):
        measures[partner_id].append(engine.MeasureResult(float(target), float(actual), higher))
    ratings: dict[int, list[float]] = defaultdict(list)
    for partner_id, overall in (PartnerSurvey.objects.filter(partner_id__in=ids, overall__isnull=False,
                                                             school_year__start_date__lte=year.start_date)
                                .values_list("partner_id", "overall")):
        ratings[partner_id].append(float(overall))
    clearance = partner_clearance_summary(ids, on=on or date.today()) if ids else {}
    result = []
    for p in partners:
        past, targets_met, rating = engine.past_results(measures[p.pk], ratings[p.pk])
        result.append(engine.PartnerInput(
            partner_id=p.pk, name=p.name, focus_area_ids=frozenset(f.pk for f in p.focus_areas.all()),
            community_ids=frozenset(c.pk for c in p.communities.all()), languages=tuple(p.language_codes),
            capacity_schools=p.capacity_schools, schools_served=len(serving[p.pk]),
            serving_school_ids=frozenset(serving[p.pk]), clearance=clearance.get(p.pk, "not cleared"),
            past_results=past, targets_met=targets_met, survey_rating=rating,
        ))
    return result


def _assessment(school: School, year: SchoolYear) -> NeedsAssessment | None:
    return (NeedsAssessment.objects.filter(school=school, school_year=year).select_related("school__community")
            .prefetch_related("needs__focus_area").first())


# --- one school -----------------------------------------------------------------------------------------


@dataclass
class SchoolMatches:
    school: School
    year: SchoolYear
    assessment: NeedsAssessment | None
    suggestions: list[engine.Suggestion] = field(default_factory=list)

    @property
    def needs(self) -> list[SchoolNeed]:
        return list(self.assessment.needs.all()) if self.assessment else []


def school_matches(school: School, year: SchoolYear, *, limit: int | None = None,
                   on: date | None = None) -> SchoolMatches:
    """Ranked suggestions for one school (unscoped: callers check who may see the school)."""
    assessment = _assessment(school, year)
    if assessment is None:
        return SchoolMatches(school, year, None)
    suggestions = engine.suggest(school_input(assessment), partner_inputs(year, on=on), limit=limit,
                                 language_names=language_names(), templates=reason_templates())
    return SchoolMatches(school, year, assessment, suggestions)


def suggestion_row(rank: int, s: engine.Suggestion) -> list:
    return [
        rank, s.partner, round(s.score, 3), round(s.focus_fit, 3), "yes" if s.community else "no",
        ",".join(s.languages_matched), "" if s.capacity_left is None else s.capacity_left, s.clearance,
        "" if s.past_results is None else round(s.past_results, 3), "; ".join(s.reasons),
    ]


def suggestion_rows(matches: SchoolMatches) -> tuple[list[str], list[list]]:
    return list(MATCH_HEADERS), [suggestion_row(i, s) for i, s in enumerate(matches.suggestions, start=1)]


def match_table(cds: str, *, year: str | None = None, limit: int | None = None) -> tuple[list[str], list[list]]:
    """The CLI's table: ranked suggestions for the school with this CDS code (headers `MATCH_HEADERS`)."""
    school = School.objects.filter(cds_code=(cds or "").strip()).first()
    if school is None:
        raise MatchInputError(UNKNOWN_SCHOOL.format(cds=cds))
    school_year = resolve_year(year)
    matches = school_matches(school, school_year, limit=limit)
    if matches.assessment is None:
        raise MatchInputError(NO_ASSESSMENT.format(school=school.name, year=school_year.name))
    return suggestion_rows(matches)


# --- scoped reads for pages and the API -----------------------------------------------------------------


def may_read_school_matches(user) -> bool:
    return role_of(user) in SCHOOL_READERS


def may_read_network(user) -> bool:
    return role_of(user) in NETWORK_READERS


def may_accept(user) -> bool:
    """Partnerships staff (and network admins) accept suggestions as draft agreements."""
    return role_of(user) == Role.ADMIN or partnerships_staff(user, Agreement)


def visible_school(user, key) -> School | None:
    """The school by id or CDS code, if the user may see it."""
    schools = School.objects.restrict(user, "view").select_related("community")
    key = str(key or "").strip()
    if not key:
        return None
    if key.isdigit() and len(key) == 14:
        return schools.filter(cds_code=key).first()
    if key.isdigit():
        return schools.filter(pk=int(key)).first()
    return None


def suggestions_for(user, school_key, *, year: str | None = None, limit: int | None = None) -> SchoolMatches | None:
    """Suggestions for a school the user may see (None when they may not see it). Raises MatchInputError for an
    unknown year."""
    if not may_read_school_matches(user):
        return None
    school = visible_school(user, school_key)
    if school is None:
        return None
    return school_matches(school, resolve_year(year), limit=limit)


# --- the network ----------------------------------------------------------------------------------------


@dataclass
class AssignmentRow:
    school: School
    need: SchoolNeed
    partner: Partner | None
    score: float | None
    reasons: tuple[str, ...]
    state: str  # proposed | accepted | pending | approved
    agreement: Agreement | None = None
    group_need_ids: tuple[int, ...] = ()  # the needs of this school accepted together with the same partner

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS.get(self.state, self.state))


STATE_LABELS = {
    "proposed": _("Proposed"),
    "accepted": _("Accepted (draft agreement)"),
    "pending": _("Awaiting principal approval"),
    "approved": _("Approved agreement"),
}
AGREEMENT_STATES = {AgreementStatus.DRAFT: "accepted", AgreementStatus.PENDING: "pending",
                    AgreementStatus.ACTIVE: "approved"}


@dataclass
class NetworkMatches:
    year: SchoolYear
    rows: list[AssignmentRow]
    objective: float
    status: str
    exclude_not_cleared: bool
    schools: int
    needs: int

    @property
    def proposed(self) -> list[AssignmentRow]:
        return [r for r in self.rows if r.state == "proposed"]

    @property
    def unmatched(self) -> int:
        return self.needs - len(self.rows)


def network_matches(year: SchoolYear, *, exclude_not_cleared: bool = False, on: date | None = None) -> NetworkMatches:
    """The network assignment for `year`: needs already covered by a draft, pending or approved agreement
    (linked to the need, or naming its focus area at the school) are shown as they stand and hold their
    partner's room; the integer program proposes partners for the other needs."""
    assessments = list(NeedsAssessment.objects.filter(school_year=year).select_related("school__community")
                       .prefetch_related("needs__focus_area").order_by("school__name", "pk"))
    agreements = list(Agreement.objects.filter(_overlapping(year), status__in=HOLDING_STATUSES,
                                               school_id__in=[a.school_id for a in assessments])
                      .select_related("partner").prefetch_related("needs", "focus_areas").order_by("pk"))
    rank = {AgreementStatus.ACTIVE: 0, AgreementStatus.PENDING: 1, AgreementStatus.DRAFT: 2}
    holding: dict[int, Agreement] = {}  # need id → the agreement covering it
    for agreement in sorted(agreements, key=lambda a: (rank[a.status], a.pk)):
        linked = {n.pk for n in agreement.needs.all()}
        areas = {f.pk for f in agreement.focus_areas.all()}
        for assessment in assessments:
            if assessment.school_id != agreement.school_id:
                continue
            for need in assessment.needs.all():
                if need.pk in linked or need.focus_area_id in areas:
                    holding.setdefault(need.pk, agreement)
    partners = partner_inputs(year, statuses=HOLDING_STATUSES, on=on)
    inputs = {a.school_id: school_input(a) for a in assessments}
    result = engine.assign(list(inputs.values()), partners, exclude_not_cleared=exclude_not_cleared,
                           covered_need_ids=frozenset(holding))
    partner_objects = Partner.objects.in_bulk({p.partner_id for p in result.pairs})
    by_partner = {p.partner_id: p for p in partners}
    templates, names = reason_templates(), language_names()
    need_by_id = {n.pk: (a, n) for a in assessments for n in a.needs.all()}
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pair in result.pairs:
        groups[(pair.school_id, pair.partner_id)].append(pair.need_id)
    rows: list[AssignmentRow] = []
    for pair in result.pairs:
        assessment, need = need_by_id[pair.need_id]
        s = engine.score(inputs[pair.school_id], by_partner[pair.partner_id], language_names=names,
                         templates=templates)
        rows.append(AssignmentRow(assessment.school, need, partner_objects[pair.partner_id], s.score, s.reasons,
                                  "proposed", None, tuple(groups[(pair.school_id, pair.partner_id)])))
    for need_id, agreement in holding.items():
        assessment, need = need_by_id[need_id]
        partner_input = by_partner.get(agreement.partner_id)
        s = (engine.score(inputs[assessment.school_id], partner_input, language_names=names,
                          templates=templates) if partner_input else None)
        rows.append(AssignmentRow(assessment.school, need, agreement.partner, s.score if s else None,
                                  s.reasons if s else (), AGREEMENT_STATES[agreement.status], agreement))
    rows.sort(key=lambda r: (r.school.name, r.need.priority, r.need.focus_area.name, r.need.pk))
    total_needs = sum(len(a.needs.all()) for a in assessments)
    return NetworkMatches(year, rows, result.objective, result.status, exclude_not_cleared, len(assessments),
                          total_needs)


def network_for(user, *, year: str | None = None, exclude_not_cleared: bool = False) -> NetworkMatches | None:
    if not may_read_network(user):
        return None
    return network_matches(resolve_year(year), exclude_not_cleared=exclude_not_cleared)


def assignment_rows(network: NetworkMatches) -> tuple[list[str], list[list]]:
    rows = []
    for r in network.rows:
        rows.append([r.school.name, r.school.cds_code, r.need.focus_area.name, str(r.need.get_priority_display()),
                     r.partner.name if r.partner else "", "" if r.score is None else round(r.score, 3), r.state,
                     "; ".join(r.reasons)])
    return list(ASSIGNMENT_HEADERS), rows
