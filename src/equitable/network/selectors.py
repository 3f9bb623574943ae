"""Reads of the registry. Every selector takes the user and reads through `restrict`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.utils.translation import gettext_lazy as _

from equitable.core.audit import history_for
from equitable.core.permissions import role_of, staff_may_edit
from equitable.core.roles import Role
from equitable.network.codes import GRADE_CODES, GROUP_CODES, Level, StudentGroup
from equitable.network.models import (
    Caseload,
    Community,
    Enrollment,
    FeederPattern,
    Network,
    Person,
    School,
    SchoolYear,
    StaffAssignment,
)
from equitable.network.scoping import active_q

SMALL_GROUP = 11  # aggregates shown outside a school suppress groups smaller than this


def current_school_year() -> SchoolYear | None:
    return SchoolYear.objects.filter(is_current=True).first() or SchoolYear.objects.order_by("-start_date").first()


def suppress(count: int | None, *, for_user=None) -> int | None:
    """None (shown as *) when a count is below the small-group threshold."""
    if count is None or count < SMALL_GROUP:
        return None
    return count


@dataclass
class GroupFigure:
    code: str
    label: str
    count: int | None
    share: float | None

    @property
    def count_display(self) -> str:
        return "*" if self.count is None else f"{self.count:,}"

    @property
    def share_display(self) -> str:
        return "*" if self.share is None else f"{self.share:.1%}"


def network_enrollment_by_group(year: SchoolYear | None) -> tuple[int, list[GroupFigure]]:
    """Network-wide totals by student group for member schools; small groups suppressed."""
    if year is None:
        return 0, []
    rows = Enrollment.objects.filter(school_year=year, school__membership="member").values_list("total", "by_group")
    total = 0
    sums = dict.fromkeys(GROUP_CODES, 0)
    seen = set()
    for row_total, groups in rows:
        total += row_total
        for code, value in (groups or {}).items():
            if code in sums:
                sums[code] += value
                seen.add(code)
    figures = []
    for code in GROUP_CODES:
        if code not in seen:
            continue
        count = suppress(sums[code])
        figures.append(GroupFigure(code, str(StudentGroup(code).label), count,
                                   (count / total) if (count is not None and total) else None))
    return total, figures


def network_at_a_glance(user) -> dict:
    """Aggregates of the whole network: every persona with an account may see these."""
    from equitable.web.charts import Series, bar_chart

    year = current_school_year()
    network = Network.objects.first()
    members = School.objects.members()
    students, groups = network_enrollment_by_group(year)
    by_community = (
        Community.objects.annotate(
            n_schools=Count("schools", filter=Q(schools__membership="member"), distinct=True),
        )
        .order_by("name")
    )
    enrollment_by_community: dict[int, int] = {}
    if year is not None:
        for community_id, total in Enrollment.objects.filter(school_year=year, school__membership="member").values_list(
            "school__community_id", "total"
        ):
            enrollment_by_community[community_id] = enrollment_by_community.get(community_id, 0) + total
    chart = ""
    if groups:
        chart = bar_chart([g.label for g in groups], [Series("Students", [g.count for g in groups])])
    return {
        "network_name": network.name if network else "",
        "year": year.name if year else "",
        "schools": members.count(),
        "students": students,
        "communities": Community.objects.count(),
        "feeder_patterns": FeederPattern.objects.count(),
        "by_community": [
            {"name": c.name, "schools": c.n_schools, "students": enrollment_by_community.get(c.id, 0)}
            for c in by_community
        ],
        "groups": groups,
        "groups_chart": chart,
        "role": role_of(user),
        "is_board": role_of(user) == Role.BOARD,
    }


# --- Pages of the registry -------------------------------------------------------------------------------
# Every selector below reads through `restrict`; a record the user may not view is returned as None so the
# page answers 404 and never reveals that it exists.

REGISTRY_READERS = (Role.ADMIN, Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL)
COMMUNITY_READERS = (*REGISTRY_READERS, Role.BOARD)


def may_browse_registry(user) -> bool:
    """Schools, feeder patterns and the people directory are browsed by the network's own people.

    Partner users and board viewers hold no school records (board viewers read aggregates only)."""
    return role_of(user) in REGISTRY_READERS


def may_browse_communities(user) -> bool:
    return role_of(user) in COMMUNITY_READERS


def may_manage_directory(user) -> bool:
    """Who adds home-office people (with a department) to the directory: admins and talent staff.

    Principals add their own school's staff through the school page (new person + assignment)."""
    return role_of(user) == Role.ADMIN or staff_may_edit(user, Person.edit_areas)


def school_list(user):
    """Schools the user may view, with what the list shows: community, feeder patterns and the current
    year's enrollment (as `enrollment_current`)."""
    year = current_school_year()
    queryset = School.objects.restrict(user, "view").select_related("community").prefetch_related("feeder_patterns")
    if year is None:
        return queryset.annotate(enrollment_current=Value(None, output_field=IntegerField()))
    totals = Enrollment.objects.filter(school=OuterRef("pk"), school_year=year).values("total")[:1]
    return queryset.annotate(enrollment_current=Subquery(totals, output_field=IntegerField()))


def viewable_school_ids(user) -> set[int]:
    return set(School.objects.restrict(user, "view").values_list("id", flat=True))


def visible_school(user, cds_code: str, action: str = "view") -> School | None:
    return School.objects.restrict(user, action).select_related("community", "network").filter(cds_code=cds_code).first()


@dataclass
class EnrollmentYear:
    year: str
    total: int
    unduplicated: int | None

    @property
    def unduplicated_share(self) -> float | None:
        if self.unduplicated is None or not self.total:
            return None
        return self.unduplicated / self.total


@dataclass
class SchoolProfile:
    school: School
    year: SchoolYear | None
    enrollment: Enrollment | None
    groups: list[GroupFigure]
    grades: list[tuple[str, int]]
    groups_chart: str
    years: list[EnrollmentYear]
    feeder_links: list
    staff: list
    history: list
    enrollment_history: list
    can_change: bool
    can_edit_enrollment: bool
    can_add_staff: bool
    editable_staff: set[int]


def _group_figures(total: int, groups: dict, *, suppressed: bool) -> list[GroupFigure]:
    figures = []
    for code in GROUP_CODES:
        if code not in (groups or {}):
            continue
        count = suppress(groups[code]) if suppressed else groups[code]
        share = (count / total) if (count is not None and total) else None
        figures.append(GroupFigure(code, str(StudentGroup(code).label), count, share))
    return figures


def school_profile(user, cds_code: str) -> SchoolProfile | None:
    """Everything the school page shows, or None when the user may not view this school.

    Inside the school's own circle (who may view its records) counts are shown as recorded; the
    small-group suppression applies to aggregates shown outside a school."""
    from equitable.web.charts import Series, bar_chart

    school = visible_school(user, cds_code)
    if school is None:
        return None
    year = current_school_year()
    enrollments = list(
        Enrollment.objects.restrict(user, "view").filter(school=school).select_related("school_year")
        .order_by("school_year__start_date")
    )
    current = next((e for e in enrollments if year is not None and e.school_year_id == year.id), None)
    groups = _group_figures(current.total, current.by_group, suppressed=False) if current else []
    grades = [(code, current.by_grade[code]) for code in GRADE_CODES if code in (current.by_grade or {})] if current else []
    chart = bar_chart([g.label for g in groups], [Series(str(_("Students")), [g.count for g in groups])]) if groups else ""
    links = list(school.feeder_links.select_related("pattern").order_by("pattern__name"))
    staff = list(
        StaffAssignment.objects.restrict(user, "view").filter(active_q(), school=school)
        .select_related("person").order_by("role", "person__last_name", "person__first_name")
    )
    enrollment_history = [(str(e.school_year), entry) for e in reversed(enrollments) for entry in history_for(e)]
    probe_enrollment = Enrollment(school=school, school_year=year) if year else None
    can_edit_enrollment = False
    if year is not None:
        can_edit_enrollment = (
            Enrollment.objects.restrict(user, "change").filter(pk=current.pk).exists()
            if current else Enrollment.objects.all().permits_add(user, probe_enrollment)
        )
    return SchoolProfile(
        school=school,
        year=year,
        enrollment=current,
        groups=groups,
        grades=grades,
        groups_chart=chart,
        years=[EnrollmentYear(e.school_year.name, e.total, e.unduplicated) for e in enrollments],
        feeder_links=links,
        staff=staff,
        history=history_for(school),
        enrollment_history=enrollment_history,
        can_change=School.objects.restrict(user, "change").filter(pk=school.pk).exists(),
        can_edit_enrollment=can_edit_enrollment,
        can_add_staff=StaffAssignment.objects.all().permits_add(user, StaffAssignment(school=school)),
        editable_staff=set(
            StaffAssignment.objects.restrict(user, "change").filter(school=school).values_list("id", flat=True)
        ),
    )


def enrollment_for(user, school: School, year: SchoolYear) -> Enrollment | None:
    return Enrollment.objects.restrict(user, "view").filter(school=school, school_year=year).first()


def may_edit_enrollment(user, school: School, year: SchoolYear, enrollment: Enrollment | None) -> bool:
    if enrollment is not None:
        return Enrollment.objects.restrict(user, "change").filter(pk=enrollment.pk).exists()
    return Enrollment.objects.all().permits_add(user, Enrollment(school=school, school_year=year))


def school_years(user):
    return SchoolYear.objects.restrict(user, "view").order_by("-start_date")


# --- Communities -------------------------------------------------------------------------------------------

@dataclass
class CommunityRow:
    community: Community
    schools: int
    students: int
    feeder_patterns: int


def _member_totals_by_community(year: SchoolYear | None) -> dict[int, int]:
    totals: dict[int, int] = {}
    if year is None:
        return totals
    rows = Enrollment.objects.filter(school_year=year, school__membership="member").values_list(
        "school__community_id", "total")
    for community_id, total in rows:
        totals[community_id] = totals.get(community_id, 0) + total
    return totals


def community_list(user) -> list[CommunityRow]:
    """Communities with their aggregates (member schools, students this year, feeder patterns)."""
    year = current_school_year()
    communities = Community.objects.restrict(user, "view").annotate(
        n_schools=Count("schools", filter=Q(schools__membership="member"), distinct=True),
        n_patterns=Count("feeder_patterns", distinct=True),
    ).order_by("name")
    totals = _member_totals_by_community(year)
    may_see_patterns = FeederPattern.objects.restrict(user, "view").exists()
    return [
        CommunityRow(c, c.n_schools, totals.get(c.id, 0), c.n_patterns if may_see_patterns else 0)
        for c in communities
    ]


@dataclass
class CommunitySchoolRow:
    school: School
    linked: bool
    enrollment: int | None


@dataclass
class CommunityProfile:
    community: Community
    year: SchoolYear | None
    schools: int
    students: int
    groups: list[GroupFigure]
    groups_chart: str
    rows: list[CommunitySchoolRow] | None  # None: aggregates only (board viewers)
    feeder_patterns: list
    history: list


def community_profile(user, slug: str) -> CommunityProfile | None:
    """A community page: aggregates for everyone who may see the community; school rows for the network's
    own people (names of every school, a link and enrollment only where the user may view the school)."""
    from equitable.web.charts import Series, bar_chart

    community = Community.objects.restrict(user, "view").filter(slug=slug).first()
    if community is None:
        return None
    year = current_school_year()
    member_enrollment = (
        Enrollment.objects.filter(school_year=year, school__community=community, school__membership="member")
        if year is not None else Enrollment.objects.none()
    )
    students = 0
    sums: dict[str, int] = {}
    for total, by_group in member_enrollment.values_list("total", "by_group"):
        students += total
        for code, value in (by_group or {}).items():
            if code in GROUP_CODES:
                sums[code] = sums.get(code, 0) + value
    groups = _group_figures(students, sums, suppressed=True)
    chart = ""
    if groups:
        chart = bar_chart([g.label for g in groups], [Series(str(_("Students")), [g.count for g in groups])])
    rows = None
    if may_browse_registry(user):
        viewable = set(School.objects.restrict(user, "view").filter(community=community).values_list("id", flat=True))
        totals = {}
        if year is not None:
            totals = dict(
                Enrollment.objects.filter(school_year=year, school_id__in=viewable).values_list("school_id", "total")
            )
        rows = [
            CommunitySchoolRow(school, school.id in viewable, totals.get(school.id))
            for school in community.schools.order_by("-membership", "name")
        ]
    return CommunityProfile(
        community=community,
        year=year,
        schools=community.schools.filter(membership="member").count(),
        students=students,
        groups=groups,
        groups_chart=chart,
        rows=rows,
        feeder_patterns=list(FeederPattern.objects.restrict(user, "view").filter(community=community)),
        history=history_for(community),
    )


# --- Feeder patterns ---------------------------------------------------------------------------------------

def feeder_pattern_list(user):
    return (
        FeederPattern.objects.restrict(user, "view").select_related("community")
        .prefetch_related("links__school").annotate(n_schools=Count("links", distinct=True))
    )


@dataclass
class ChainNode:
    school: School
    linked: bool


@dataclass
class ChainStage:
    number: int
    label: str
    nodes: list[ChainNode]


@dataclass
class FeederChain:
    pattern: FeederPattern
    stages: list[ChainStage]
    history: list


def chain_stages(links, viewable: set[int]) -> list[ChainStage]:
    """Group a pattern's links into stages, left to right; a stage is named by its schools' level."""
    by_stage: dict[int, list] = {}
    for link in sorted(links, key=lambda item: (item.stage, item.school.name)):
        by_stage.setdefault(link.stage, []).append(link.school)
    stages = []
    for number, schools in sorted(by_stage.items()):
        levels = {s.level for s in schools}
        label = str(Level(levels.pop()).label) if len(levels) == 1 else str(_("Stage %(n)d") % {"n": number})
        stages.append(ChainStage(number, label, [ChainNode(s, s.id in viewable) for s in schools]))
    return stages


def feeder_chain(user, pk: int) -> FeederChain | None:

    pattern = FeederPattern.objects.restrict(user, "view").select_related("community").filter(pk=pk).first()
    if pattern is None:
        return None
    links = list(pattern.links.select_related("school"))
    viewable = set(
        School.objects.restrict(user, "view").filter(id__in=[link.school_id for link in links]).values_list("id", flat=True)
    )
    return FeederChain(pattern, chain_stages(links, viewable), history_for(pattern))


# --- People ------------------------------------------------------------------------------------------------

def person_list(user):
    """People the user may view, with their current school assignments (only those the user may view)."""

    assignments = (
        StaffAssignment.objects.restrict(user, "view").filter(active_q()).select_related("school")
        .order_by("school__name")
    )
    return (
        Person.objects.restrict(user, "view").select_related("department")
        .prefetch_related(Prefetch("assignments", queryset=assignments, to_attr="visible_assignments"))
    )


@dataclass
class PersonProfile:
    person: object
    assignments: list
    caseload: list
    supported_by: list
    history: list
    can_change: bool


def person_profile(user, pk: int) -> PersonProfile | None:
    person = Person.objects.restrict(user, "view").select_related("department").filter(pk=pk).first()
    if person is None:
        return None
    assignments = list(
        StaffAssignment.objects.restrict(user, "view").filter(person=person).select_related("school")
        .order_by("-start_date", "school__name")
    )
    caseload = list(
        Caseload.objects.restrict(user, "view").filter(director=person).select_related("principal")
        .order_by("principal__last_name")
    )
    # The schools of the principals in a caseload, as far as the user may view them.
    principal_ids = [c.principal_id for c in caseload]
    schools_of: dict[int, list[School]] = {}
    for assignment in StaffAssignment.objects.restrict(user, "view").filter(
        person_id__in=principal_ids, role="principal"
    ).select_related("school"):
        schools_of.setdefault(assignment.person_id, []).append(assignment.school)
    for item in caseload:
        item.schools = schools_of.get(item.principal_id, [])
    supported_by = list(
        Caseload.objects.restrict(user, "view").filter(principal=person).select_related("director")
    )
    return PersonProfile(
        person=person,
        assignments=assignments,
        caseload=caseload,
        supported_by=supported_by,
        history=history_for(person),
        can_change=Person.objects.restrict(user, "change").filter(pk=person.pk).exists(),
    )


def visible_person(user, pk: int, action: str = "view"):
    return Person.objects.restrict(user, action).filter(pk=pk).first()


def visible_assignment(user, pk: int, action: str = "view"):
    return StaffAssignment.objects.restrict(user, action).select_related("person", "school").filter(pk=pk).first()
