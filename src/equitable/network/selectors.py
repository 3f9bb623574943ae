"""Reads of the registry. Every selector takes the user and reads through `restrict`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.network.codes import GROUP_CODES, StudentGroup
from equitable.network.models import Community, Enrollment, FeederPattern, Network, School, SchoolYear

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
