"""Reads of the partner directory, school needs and the needs landscape, always through `restrict`.

The landscape is gathered here as plain records (schools, needs, coverage) and computed by
`compute_landscape`, which touches no database, so its arithmetic is tested on its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.urls import NoReverseMatch, reverse

from equitable.core.audit import history_for
from equitable.core.permissions import can, role_of
from equitable.core.roles import Role
from equitable.network.models import Community, School, SchoolYear
from equitable.network.scoping import school_ids_for
from equitable.network.selectors import current_school_year
from equitable.partners.models import (
    Agreement,
    AgreementStatus,
    FocusArea,
    Language,
    NeedsAssessment,
    Partner,
    PartnerPerson,
    Priority,
    SchoolNeed,
)

DIRECTORY_READERS = (Role.ADMIN, Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL, Role.PARTNER)
NEEDS_READERS = (Role.ADMIN, Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL)
LANDSCAPE_READERS = NEEDS_READERS  # principals are not offered it, but see their own school if they open it


def may_read_directory(user) -> bool:
    return role_of(user) in DIRECTORY_READERS


def may_read_needs(user) -> bool:
    return role_of(user) in NEEDS_READERS


def may_add_partner(user) -> bool:
    return Partner.objects.all().permits_add(user, Partner())


def may_manage_focus_areas(user) -> bool:
    return FocusArea.objects.all().permits_add(user, FocusArea())


def language_labels(codes: list[str]) -> list[str]:
    labels = dict(Language.choices)
    return [str(labels.get(code, code)) for code in codes]


def optional_url(name: str, *args, query: str = "") -> str | None:
    """The URL of a page another part of the app provides, or None while it does not exist yet."""
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


# --- Partners ----------------------------------------------------------------------------------------------

def partner_list(user):
    primary = PartnerPerson.objects.filter(is_primary_contact=True).order_by("last_name")
    return (
        Partner.objects.restrict(user, "view")
        .prefetch_related("focus_areas", "communities", Prefetch("people", queryset=primary, to_attr="primaries"))
        .annotate(people_count=Count("people", distinct=True))
    )


def visible_partner(user, pk: int, action: str = "view") -> Partner | None:
    return Partner.objects.restrict(user, action).filter(pk=pk).first()


def visible_person(user, pk: int, action: str = "view") -> PartnerPerson | None:
    return PartnerPerson.objects.restrict(user, action).select_related("partner", "tier").filter(pk=pk).first()


def may_add_person(user, partner: Partner) -> bool:
    return PartnerPerson.objects.all().permits_add(user, PartnerPerson(partner=partner))


@dataclass
class PartnerProfile:
    partner: Partner
    focus_areas: list
    communities: list
    contacts: list
    people: list
    can_change: bool
    can_change_status: bool
    can_add_person: bool
    clearance_url: str | None
    agreements_url: str | None
    history: list
    languages: list[str] = field(default_factory=list)


def partner_profile(user, pk: int) -> PartnerProfile | None:
    partner = visible_partner(user, pk)
    if partner is None:
        return None
    people = list(PartnerPerson.objects.restrict(user, "view").filter(partner=partner).select_related("tier")
                  .order_by("-is_primary_contact", "last_name", "first_name"))
    may_edit_people = set(PartnerPerson.objects.restrict(user, "change").filter(partner=partner)
                          .values_list("pk", flat=True))
    for person in people:
        person.may_edit = person.pk in may_edit_people
    return PartnerProfile(
        partner=partner,
        focus_areas=list(partner.focus_areas.all()),
        communities=list(partner.communities.all()),
        contacts=[p for p in people if p.contact_role],
        people=people,
        can_change=can(user, "change", partner),
        can_change_status=may_add_partner(user),
        can_add_person=may_add_person(user, partner),
        clearance_url=optional_url("partners:clearance_partner", partner.pk),
        agreements_url=optional_url("partners:agreement_list", query=f"partner={partner.pk}"),
        history=history_for(partner),
        languages=language_labels(partner.language_codes),
    )


def people_list(user):
    return PartnerPerson.objects.restrict(user, "view").select_related("partner", "tier")


def focus_area_list(user):
    return FocusArea.objects.restrict(user, "view").annotate(
        partner_count=Count("partners", distinct=True), need_count=Count("needs", distinct=True))


def visible_focus_area(user, pk: int, action: str = "view") -> FocusArea | None:
    return FocusArea.objects.restrict(user, action).filter(pk=pk).first()


# --- Needs assessments -------------------------------------------------------------------------------------

def assessment_list(user):
    return (NeedsAssessment.objects.restrict(user, "view")
            .select_related("school", "school__community", "school_year")
            .annotate(need_count=Count("needs", distinct=True),
                      high_count=Count("needs", filter=Q(needs__priority=Priority.HIGH), distinct=True)))


def visible_assessment(user, pk: int, action: str = "view") -> NeedsAssessment | None:
    return (NeedsAssessment.objects.restrict(user, action).select_related("school", "school_year")
            .filter(pk=pk).first())


def visible_need(user, pk: int, action: str = "view") -> SchoolNeed | None:
    return (SchoolNeed.objects.restrict(user, action)
            .select_related("assessment", "assessment__school", "assessment__school_year", "focus_area")
            .filter(pk=pk).first())


def may_add_assessment(user) -> bool:
    """Partnerships staff and admins, and principals (for their own school)."""
    if role_of(user) == Role.PRINCIPAL:
        return bool(school_ids_for(user))
    return NeedsAssessment.objects.all().permits_add(user, NeedsAssessment())


def may_add_need(user, assessment: NeedsAssessment) -> bool:
    return SchoolNeed.objects.all().permits_add(user, SchoolNeed(assessment=assessment))


def active_agreements(user, school_ids, year: SchoolYear):
    """Approved agreements at these schools whose dates overlap the school year, as the user may see them."""
    return (Agreement.objects.restrict(user, "view")
            .filter(status=AgreementStatus.ACTIVE, school_id__in=list(school_ids),
                    start_date__lte=year.end_date, end_date__gte=year.start_date)
            .select_related("partner").prefetch_related("focus_areas", "needs"))


def coverage_map(agreements) -> tuple[dict[tuple[int, int], set[str]], dict[int, set[str]]]:
    """(school id, focus area id) → partner names, and need id → partner names, of these agreements."""
    by_area: dict[tuple[int, int], set[str]] = defaultdict(set)
    by_need: dict[int, set[str]] = defaultdict(set)
    for agreement in agreements:
        for area in agreement.focus_areas.all():
            by_area[(agreement.school_id, area.pk)].add(agreement.partner.name)
        for need in agreement.needs.all():
            by_need[need.pk].add(agreement.partner.name)
    return by_area, by_need


@dataclass
class NeedRow:
    need: SchoolNeed
    partners: list[str]

    @property
    def covered(self) -> bool:
        return bool(self.partners)


@dataclass
class AssessmentProfile:
    assessment: NeedsAssessment
    needs: list[NeedRow]
    can_change: bool
    can_add_need: bool
    languages: list[str]
    history: list
    covered: int = 0
    gaps: int = 0


def assessment_profile(user, pk: int) -> AssessmentProfile | None:
    assessment = visible_assessment(user, pk)
    if assessment is None:
        return None
    needs = list(SchoolNeed.objects.restrict(user, "view").filter(assessment=assessment)
                 .select_related("focus_area").order_by("priority", "focus_area__name"))
    editable = set(SchoolNeed.objects.restrict(user, "change").filter(assessment=assessment)
                   .values_list("pk", flat=True))
    by_area, by_need = coverage_map(active_agreements(user, [assessment.school_id], assessment.school_year))
    rows = []
    for need in needs:
        need.may_edit = need.pk in editable
        names = by_area.get((assessment.school_id, need.focus_area_id), set()) | by_need.get(need.pk, set())
        rows.append(NeedRow(need, sorted(names)))
    profile = AssessmentProfile(
        assessment=assessment, needs=rows, can_change=can(user, "change", assessment),
        can_add_need=may_add_need(user, assessment),
        languages=language_labels(assessment.language_codes),
        history=history_for(assessment),
    )
    profile.covered = sum(1 for r in rows if r.covered)
    profile.gaps = len(rows) - profile.covered
    return profile


# --- The needs landscape -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LandscapeSchool:
    id: int
    name: str
    cds_code: str
    community: str  # "" when the school has no community


@dataclass(frozen=True)
class LandscapeArea:
    id: int
    name: str
    slug: str


@dataclass(frozen=True)
class LandscapeNeed:
    school_id: int
    focus_area_id: int
    priority: int
    partners: tuple[str, ...] = ()  # partners with an active agreement covering it


@dataclass(frozen=True)
class LandscapeCell:
    school_id: int
    priority: int | None = None  # None: no need recorded
    partners: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        if self.priority is None:
            return ""
        return "covered" if self.partners else "gap"


@dataclass
class LandscapeRow:
    area: LandscapeArea
    cells: list[LandscapeCell]


@dataclass
class CoverageSummary:
    label: str
    schools: int = 0
    needs: int = 0
    covered: int = 0
    high_gaps: int = 0

    @property
    def gaps(self) -> int:
        return self.needs - self.covered

    @property
    def coverage(self) -> float | None:
        return self.covered / self.needs if self.needs else None


@dataclass
class CommunityGroup:
    name: str
    schools: list[LandscapeSchool]


@dataclass
class Landscape:
    year: str
    groups: list[CommunityGroup]
    rows: list[LandscapeRow]
    communities: list[CoverageSummary]
    network: CoverageSummary
    schools: list[LandscapeSchool] = field(default_factory=list)


def compute_landscape(*, year: str, schools: list[LandscapeSchool], areas: list[LandscapeArea],
                      needs: list[LandscapeNeed], network_label: str = "Network") -> Landscape:
    """Needs × schools: one row per focus area that some school needs, one column per school (grouped by
    community, then by name); each cell holds the need's priority and the partners covering it (a gap when
    none). Summaries count needs, covered needs, gaps and high-priority gaps per community and overall."""
    ordered = sorted(schools, key=lambda s: (s.community == "", s.community.casefold(), s.name.casefold(), s.id))
    known = {s.id for s in ordered}
    by_cell = {(n.school_id, n.focus_area_id): n for n in needs if n.school_id in known}
    needed_areas = {area_id for _school, area_id in by_cell}
    rows = []
    for area in sorted((a for a in areas if a.id in needed_areas), key=lambda a: a.name.casefold()):
        cells = []
        for school in ordered:
            need = by_cell.get((school.id, area.id))
            cells.append(LandscapeCell(school.id) if need is None
                         else LandscapeCell(school.id, need.priority, tuple(sorted(set(need.partners)))))
        rows.append(LandscapeRow(area, cells))
    groups: list[CommunityGroup] = []
    summaries: dict[str, CoverageSummary] = {}
    network = CoverageSummary(network_label, schools=len(ordered))
    for school in ordered:
        if not groups or groups[-1].name != school.community:
            groups.append(CommunityGroup(school.community, []))
            summaries[school.community] = CoverageSummary(school.community)
        groups[-1].schools.append(school)
        summaries[school.community].schools += 1
    for (school_id, _area), need in sorted(by_cell.items()):
        community = next(s.community for s in ordered if s.id == school_id)
        for summary in (summaries[community], network):
            summary.needs += 1
            if need.partners:
                summary.covered += 1
            elif need.priority == Priority.HIGH:
                summary.high_gaps += 1
    return Landscape(year=year, groups=groups, rows=rows, communities=list(summaries.values()), network=network,
                     schools=ordered)


def landscape_years(user):
    return SchoolYear.objects.order_by("-start_date")


def landscape(user, *, year: SchoolYear | None = None, community: Community | None = None,
              network_label: str = "Network") -> Landscape | None:
    """The needs landscape of a school year (the current one by default) over the schools the user may see:
    member schools and any school with a needs assessment that year. None when there is no school year."""
    year = year or current_school_year()
    if year is None:
        return None
    school_qs = School.objects.restrict(user, "view").select_related("community")
    assessed = NeedsAssessment.objects.restrict(user, "view").filter(school_year=year).values_list("school_id",
                                                                                                     flat=True)
    school_qs = school_qs.filter(Q(membership="member") | Q(pk__in=list(assessed)))
    if community is not None:
        school_qs = school_qs.filter(community=community)
    schools = [LandscapeSchool(s.pk, s.name, s.cds_code, s.community.name if s.community else "") for s in school_qs]
    ids = [s.id for s in schools]
    need_rows = list(SchoolNeed.objects.restrict(user, "view")
                     .filter(assessment__school_year=year, assessment__school_id__in=ids)
                     .values_list("pk", "assessment__school_id", "focus_area_id", "priority"))
    by_area, by_need = coverage_map(active_agreements(user, ids, year))
    needs = [
        LandscapeNeed(school_id, area_id, priority,
                      tuple(sorted(by_area.get((school_id, area_id), set()) | by_need.get(pk, set()))))
        for pk, school_id, area_id, priority in need_rows
    ]
    areas = [LandscapeArea(a.pk, a.name, a.slug) for a in FocusArea.objects.restrict(user, "view")]
    return compute_landscape(year=year.name, schools=schools, areas=areas, needs=needs, network_label=network_label)


def priority_label(priority: int | None) -> str:
    return "" if priority is None else str(Priority(priority).label)


def landscape_table(result: Landscape) -> tuple[list[str], list[list]]:
    """The grid as a table for CSV: one row per focus area, one column per school (“community · school”);
    a cell reads “High: covered by A; B”, “Medium: gap” or is empty."""
    headers = ["focus_area", *[f"{s.community} · {s.name}" if s.community else s.name for s in result.schools]]
    rows = []
    for row in result.rows:
        cells = []
        for cell in row.cells:
            if cell.priority is None:
                cells.append("")
            elif cell.partners:
                cells.append(f"{priority_label(cell.priority)}: covered by {'; '.join(cell.partners)}")
            else:
                cells.append(f"{priority_label(cell.priority)}: gap")
        rows.append([row.area.name, *cells])
    return headers, rows
