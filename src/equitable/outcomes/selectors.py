"""Reads of outcomes: a school's Dashboard page, the network dashboard and goals with their progress.

Every read goes through `OutcomeValue.objects.restrict(user, "view")` / `Goal.objects.restrict(...)`, so the
pages, their exports and the API agree on who sees what. Groups with fewer than 11 students are suppressed
(value, change and color hidden, shown as *) everywhere outcomes are shown.

The level names follow the Dashboard's wording: status runs Very Low → Very High and change runs Declined
Significantly → Increased Significantly; for lower-is-better indicators (chronic absenteeism, suspension)
level 5 (best) is "Very Low" / "Declined Significantly".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, OuterRef, Q, Subquery, When
from django.utils.translation import gettext_lazy as _

from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.network.models import Network, School
from equitable.outcomes.codes import (
    DASHBOARD_INDICATORS,
    LOWER_IS_BETTER,
    RACE_GROUPS,
    STATE_CDS,
    STUDENT_GROUPS,
    EntityType,
    IndicatorCode,
    school_year_label,
)
from equitable.outcomes.dashboard import Indicator, grid_color, grid_for
from equitable.outcomes.models import Goal, OutcomeValue
from equitable.web.charts import Series, line_chart

SMALL_GROUP = 11
SMALL_DENOMINATOR_BELOW = 150
PROGRAM_GROUPS = ("EL", "LTEL", "RFP", "EO", "SED", "SWD", "FOS", "HOM")
DASHBOARD_READERS = (Role.ADMIN, Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL, Role.BOARD)

STATUS_NAMES = {1: _("Very Low"), 2: _("Low"), 3: _("Medium"), 4: _("High"), 5: _("Very High")}
CHANGE_NAMES = {1: _("Declined Significantly"), 2: _("Declined"), 3: _("Maintained"), 4: _("Increased"),
                5: _("Increased Significantly")}
COLOR_NAMES = {0: _("No color"), 1: _("Red"), 2: _("Orange"), 3: _("Yellow"), 4: _("Green"), 5: _("Blue")}


# ----------------------------------------------------------------------------------------------
# Pure helpers: level names, grid, progress
# ----------------------------------------------------------------------------------------------


def lower_is_better(indicator: str) -> bool:
    return indicator in LOWER_IS_BETTER


def status_name(indicator: str, level: int) -> str:
    """The Dashboard's word for a status level (1 worst … 5 best); '' for 0."""
    if not level:
        return ""
    return str(STATUS_NAMES[6 - level if lower_is_better(indicator) else level])


def change_name(indicator: str, level: int) -> str:
    """The Dashboard's word for a change level (1 worst … 5 best); '' for 0."""
    if not level:
        return ""
    return str(CHANGE_NAMES[6 - level if lower_is_better(indicator) else level])


def color_name(color: int) -> str:
    return str(COLOR_NAMES.get(color or 0, ""))


def indicator_label(code: str) -> str:
    try:
        return str(IndicatorCode(code).label)
    except ValueError:
        return code


def group_label(code: str) -> str:
    return STUDENT_GROUPS.get(code, code)


@dataclass(frozen=True)
class GridCell:
    change_level: int
    color: int
    selected: bool

    @property
    def color_name(self) -> str:
        return color_name(self.color)


@dataclass(frozen=True)
class GridRow:
    status_level: int
    status_name: str
    cells: list[GridCell]


@dataclass(frozen=True)
class Grid:
    """A 5×5 status-by-change grid: rows status 5 (top) → 1, columns change level 1 → 5."""

    change_names: list[str]
    rows: list[GridRow]

    @property
    def selected(self) -> GridCell | None:
        for row in self.rows:
            for cell in row.cells:
                if cell.selected:
                    return cell
        return None


def dashboard_grid(indicator: str, status_level: int, change_level: int, *, small_denominator: bool = False) -> Grid:
    """The indicator's color grid with the (status, change) cell highlighted, colored by the engine."""
    colors = grid_for(Indicator(indicator), small_denominator=small_denominator)
    rows = []
    for status in (5, 4, 3, 2, 1):
        cells = [
            GridCell(change, int(grid_color(colors, status, change)),
                     status == status_level and change == change_level)
            for change in (1, 2, 3, 4, 5)
        ]
        rows.append(GridRow(status, status_name(indicator, status), cells))
    return Grid([change_name(indicator, change) for change in (1, 2, 3, 4, 5)], rows)


@dataclass(frozen=True)
class GoalProgress:
    baseline_year: int
    baseline_value: Decimal
    target_year: int
    target_value: Decimal
    actual_year: int | None
    actual_value: Decimal | None
    lower_is_better: bool
    percent: Decimal | None
    expected: Decimal | None
    on_track: bool | None


def goal_progress(*, indicator: str, baseline_year: int, baseline_value: Decimal, target_year: int,
                  target_value: Decimal, actual_year: int | None, actual_value: Decimal | None) -> GoalProgress:
    """How far a goal has come: percent of the way from baseline to target, and whether the latest actual is
    at or beyond the straight line from baseline to target for its year (lower is better for CHRO/SUSP)."""
    lower = lower_is_better(indicator)
    baseline_value, target_value = Decimal(baseline_value), Decimal(target_value)
    percent = expected = on_track = None
    if actual_value is not None and actual_year is not None:
        actual_value = Decimal(actual_value)
        distance = target_value - baseline_value
        if distance:
            percent = ((actual_value - baseline_value) / distance * 100).quantize(Decimal("0.1"))
        span = target_year - baseline_year
        elapsed = min(max(actual_year - baseline_year, 0), span)
        expected = (baseline_value + distance * Decimal(elapsed) / Decimal(span)).quantize(Decimal("0.01"))
        on_track = actual_value <= expected if lower else actual_value >= expected
    return GoalProgress(baseline_year, baseline_value, target_year, target_value, actual_year, actual_value, lower,
                        percent, expected, on_track)


def is_suppressed(denominator: int | None) -> bool:
    return denominator is not None and denominator < SMALL_GROUP


def _fmt(value, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def _chart_value(value) -> float:
    return float("nan") if value is None else float(value)


# ----------------------------------------------------------------------------------------------
# A school's outcomes page
# ----------------------------------------------------------------------------------------------


@dataclass
class IndicatorStatus:
    indicator: str
    year: int
    value: Decimal | None
    denominator: int | None
    change: Decimal | None
    status_level: int
    change_level: int
    color: int
    grid: Grid | None
    chart: str = ""
    suppressed: bool = False

    @property
    def label(self) -> str:
        return indicator_label(self.indicator)

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)

    @property
    def status_name(self) -> str:
        return status_name(self.indicator, self.status_level)

    @property
    def change_name(self) -> str:
        return change_name(self.indicator, self.change_level)

    @property
    def color_name(self) -> str:
        return color_name(self.color)

    @property
    def value_display(self) -> str:
        return "*" if self.suppressed else _fmt(self.value)

    @property
    def change_display(self) -> str:
        return "*" if self.suppressed else _fmt(self.change, signed=True)


@dataclass(frozen=True)
class GroupRow:
    indicator: str
    student_group: str
    year: int
    value: Decimal | None
    denominator: int | None
    change: Decimal | None
    status_level: int
    change_level: int
    color: int

    @property
    def suppressed(self) -> bool:
        return is_suppressed(self.denominator)

    @property
    def indicator_label(self) -> str:
        return indicator_label(self.indicator)

    @property
    def group_label(self) -> str:
        return group_label(self.student_group)

    @property
    def value_display(self) -> str:
        return "*" if self.suppressed else _fmt(self.value)

    @property
    def denominator_display(self) -> str:
        if self.suppressed:
            return "*"
        return "—" if self.denominator is None else f"{self.denominator:,}"

    @property
    def change_display(self) -> str:
        return "*" if self.suppressed else _fmt(self.change, signed=True)

    @property
    def shown_color(self) -> int:
        return 0 if self.suppressed else self.color

    @property
    def color_name(self) -> str:
        return "*" if self.suppressed else color_name(self.color)

    @property
    def status_name(self) -> str:
        return "*" if self.suppressed else status_name(self.indicator, self.status_level)

    @property
    def change_name(self) -> str:
        return "*" if self.suppressed else change_name(self.indicator, self.change_level)


GROUP_HEADERS = [_("Indicator"), _("School year"), _("Student group"), _("Value"), _("Students counted"),
                 _("Change"), _("Status level"), _("Change level"), _("Color")]


def group_table_rows(rows: list[GroupRow]) -> tuple[list[str], list[list]]:
    """Headers and plain rows of a student-group table for CSV/XLSX export (suppressed cells as *)."""
    out = [[r.indicator_label, school_year_label(r.year), r.group_label, r.value_display, r.denominator_display,
            r.change_display, r.status_name, r.change_name, r.color_name] for r in rows]
    return [str(h) for h in GROUP_HEADERS], out


@dataclass
class SchoolOutcomes:
    school: School
    latest_year: int | None
    indicators: list[IndicatorStatus] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    group_indicator: str = ""

    @property
    def latest_year_label(self) -> str:
        return school_year_label(self.latest_year) if self.latest_year else ""

    @property
    def indicator_choices(self) -> list[tuple[str, str]]:
        return [(i.indicator, i.label) for i in self.indicators]


def visible_school(user, cds_code: str) -> School | None:
    return School.objects.restrict(user, "view").select_related("network").filter(cds_code=cds_code).first()


def district_cds(network: Network | None) -> str | None:
    if network is None or not network.district_code:
        return None
    return f"{network.district_code}0000000"


def _small_denominator(row: OutcomeValue) -> bool:
    """As the engine decides it: the file's `smalldenom` flag, else fewer than 150 students counted."""
    if not Indicator(row.indicator).uses_small_denominator:
        return False
    flag = (row.flags or {}).get("smalldenom")
    if flag not in (None, ""):
        return flag in ("Y", "y", True)
    return row.denominator is not None and row.denominator < SMALL_DENOMINATOR_BELOW


def school_outcomes(user, cds_code: str, *, group_indicator: str = "", charts: bool = True) -> SchoolOutcomes | None:
    """A school's Dashboard: each indicator's latest status, change, levels, color and grid cell; a trend per
    indicator (school vs district vs state); and the student-group table. None when the user may not view it."""
    school = visible_school(user, cds_code)
    if school is None:
        return None
    visible = OutcomeValue.objects.restrict(user, "view")
    school_rows = list(visible.filter(school=school, entity_type=EntityType.SCHOOL,
                                      indicator__in=DASHBOARD_INDICATORS).order_by("indicator", "year"))
    if not school_rows:
        return SchoolOutcomes(school, None)
    network = school.network or Network.objects.restrict(user, "view").first()
    comparison = Q(entity_type=EntityType.STATE, cds=STATE_CDS)
    district = district_cds(network)
    if district:
        comparison |= Q(entity_type=EntityType.DISTRICT, cds=district)
    indicators = sorted({r.indicator for r in school_rows}, key=DASHBOARD_INDICATORS.index)
    comparisons = list(visible.filter(comparison, student_group="ALL", indicator__in=indicators))
    trend: dict[tuple[str, str, int], Decimal | None] = {
        (r.indicator, r.entity_type, r.year): r.value for r in comparisons
    }
    all_rows = [r for r in school_rows if r.student_group == "ALL"]
    latest_year = max(r.year for r in school_rows)
    result = SchoolOutcomes(school, latest_year)
    for code in indicators:
        rows = [r for r in all_rows if r.indicator == code]
        if not rows:
            continue
        latest = rows[-1]
        suppressed = is_suppressed(latest.denominator)
        grid = None
        if latest.status_level and not suppressed:
            grid = dashboard_grid(code, latest.status_level, latest.change_level,
                                  small_denominator=_small_denominator(latest))
        status = IndicatorStatus(
            code, latest.year, latest.value, latest.denominator, latest.change, latest.status_level,
            latest.change_level, 0 if suppressed else latest.color, grid, suppressed=suppressed,
        )
        if charts:
            years = sorted({r.year for r in rows} | {y for (i, _e, y) in trend if i == code})
            by_year = {r.year: (None if is_suppressed(r.denominator) else r.value) for r in rows}
            series = [Series(school.name, [_chart_value(by_year.get(y)) for y in years])]
            if district:
                series.append(Series(str(_("District")),
                                     [_chart_value(trend.get((code, EntityType.DISTRICT, y))) for y in years]))
            series.append(Series(str(_("State")), [_chart_value(trend.get((code, EntityType.STATE, y))) for y in years]))
            status.chart = line_chart([school_year_label(y) for y in years], series, title=status.label)
        result.indicators.append(status)
    result.group_indicator = group_indicator if group_indicator in indicators else ""
    result.groups = [
        GroupRow(r.indicator, r.student_group, r.year, r.value, r.denominator, r.change, r.status_level,
                 r.change_level, r.color)
        for r in school_rows
        if r.year == latest_year and (not result.group_indicator or r.indicator == result.group_indicator)
    ]
    order = list(STUDENT_GROUPS)
    result.groups.sort(key=lambda g: (DASHBOARD_INDICATORS.index(g.indicator),
                                      order.index(g.student_group) if g.student_group in order else len(order)))
    return result


# ----------------------------------------------------------------------------------------------
# The network dashboard
# ----------------------------------------------------------------------------------------------


def may_view_dashboard(user) -> bool:
    """Every persona with an account except partner users reads the network's aggregates."""
    return role_of(user) in DASHBOARD_READERS


@dataclass(frozen=True)
class TrendYear:
    year: int
    network: Decimal | None
    district: Decimal | None
    state: Decimal | None

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)

    @property
    def network_vs_district(self) -> Decimal | None:
        if self.network is None or self.district is None:
            return None
        return self.network - self.district

    @property
    def network_vs_state(self) -> Decimal | None:
        if self.network is None or self.state is None:
            return None
        return self.network - self.state


@dataclass(frozen=True)
class GapRow:
    student_group: str
    kind: str
    value: Decimal | None
    denominator: int | None
    gap_vs_all: Decimal | None
    gap_vs_state: Decimal | None

    @property
    def suppressed(self) -> bool:
        return is_suppressed(self.denominator)

    @property
    def group_label(self) -> str:
        return group_label(self.student_group)

    @property
    def value_display(self) -> str:
        return "*" if self.suppressed else _fmt(self.value)

    @property
    def gap_vs_all_display(self) -> str:
        return "*" if self.suppressed else _fmt(self.gap_vs_all, signed=True)

    @property
    def gap_vs_state_display(self) -> str:
        return "*" if self.suppressed else _fmt(self.gap_vs_state, signed=True)


@dataclass
class IndicatorTrend:
    indicator: str
    years: list[TrendYear]
    gaps: list[GapRow] = field(default_factory=list)
    gap_year: int | None = None
    chart: str = ""

    @property
    def label(self) -> str:
        return indicator_label(self.indicator)

    @property
    def lower_is_better(self) -> bool:
        return lower_is_better(self.indicator)

    def _growth(self, attr: str) -> Decimal | None:
        values = [(y.year, getattr(y, attr)) for y in self.years if getattr(y, attr) is not None]
        if len(values) < 2:
            return None
        return values[-1][1] - values[0][1]

    @property
    def growth(self) -> dict[str, str]:
        return {name: _fmt(self._growth(name), signed=True) for name in ("network", "district", "state")}

    @property
    def growth_span(self) -> str:
        years = [y.year for y in self.years if y.network is not None]
        return f"{school_year_label(years[0])} → {school_year_label(years[-1])}" if len(years) > 1 else ""

    @property
    def gap_year_label(self) -> str:
        return school_year_label(self.gap_year) if self.gap_year else ""

    @property
    def race_gaps(self) -> list[GapRow]:
        return [g for g in self.gaps if g.kind == "race"]

    @property
    def program_gaps(self) -> list[GapRow]:
        return [g for g in self.gaps if g.kind == "program"]


@dataclass(frozen=True)
class SchoolColor:
    indicator: str
    year: int | None
    value: Decimal | None
    color: int
    suppressed: bool = False

    @property
    def value_display(self) -> str:
        if self.year is None:
            return "—"
        return "*" if self.suppressed else _fmt(self.value)

    @property
    def color_name(self) -> str:
        return color_name(self.color)


@dataclass(frozen=True)
class SchoolColorRow:
    school: School
    cells: list[SchoolColor]


@dataclass
class NetworkDashboard:
    network: Network | None
    district_cds: str | None
    indicators: list[IndicatorTrend]
    schools: list[SchoolColorRow]
    school_indicators: list[str]
    shows_schools: bool

    @property
    def has_network_rows(self) -> bool:
        return any(y.network is not None for t in self.indicators for y in t.years)

    @property
    def school_indicator_labels(self) -> list[tuple[str, str]]:
        return [(code, indicator_label(code)) for code in self.school_indicators]


def network_dashboard(user, *, charts: bool = True) -> NetworkDashboard:
    """Network vs district vs state over the years per indicator, growth since the first year, gaps by
    race/ethnicity and by program group, and (for the network's own people) the member schools' latest colors."""
    network = Network.objects.restrict(user, "view").first()
    district = district_cds(network)
    visible = OutcomeValue.objects.restrict(user, "view").filter(indicator__in=DASHBOARD_INDICATORS)
    entities = Q(entity_type=EntityType.NETWORK) | Q(entity_type=EntityType.STATE, cds=STATE_CDS)
    if district:
        entities |= Q(entity_type=EntityType.DISTRICT, cds=district)
    rows = list(visible.filter(entities).only(
        "indicator", "year", "entity_type", "student_group", "value", "denominator"))
    values: dict[tuple[str, str, int, str], OutcomeValue] = {
        (r.indicator, r.entity_type, r.year, r.student_group): r for r in rows
    }
    trends = []
    for code in DASHBOARD_INDICATORS:
        years = sorted({r.year for r in rows if r.indicator == code and r.student_group == "ALL"})
        if not years:
            continue

        def value(entity, year, group="ALL", code=code):
            row = values.get((code, entity, year, group))
            return None if row is None else row.value

        trend = IndicatorTrend(code, [
            TrendYear(y, value(EntityType.NETWORK, y), value(EntityType.DISTRICT, y), value(EntityType.STATE, y))
            for y in years
        ])
        network_years = [y for y in years if (code, EntityType.NETWORK, y, "ALL") in values]
        if network_years:
            latest = network_years[-1]
            trend.gap_year = latest
            everyone = value(EntityType.NETWORK, latest)
            for kind, groups in (("race", RACE_GROUPS), ("program", PROGRAM_GROUPS)):
                for group in groups:
                    row = values.get((code, EntityType.NETWORK, latest, group))
                    if row is None:
                        continue
                    state = value(EntityType.STATE, latest, group)
                    trend.gaps.append(GapRow(
                        group, kind, row.value, row.denominator,
                        None if row.value is None or everyone is None else row.value - everyone,
                        None if row.value is None or state is None else row.value - state,
                    ))
        if charts:
            series = [Series(network.name if network else str(_("Network")),
                             [_chart_value(y.network) for y in trend.years])]
            if district:
                series.append(Series(str(_("District")), [_chart_value(y.district) for y in trend.years]))
            series.append(Series(str(_("State")), [_chart_value(y.state) for y in trend.years]))
            trend.chart = line_chart([y.year_label for y in trend.years], series, title=trend.label)
        trends.append(trend)
    shows_schools = role_of(user) != Role.BOARD
    schools, school_indicators = ([], [])
    if shows_schools:
        schools, school_indicators = _school_colors(user, network)
    return NetworkDashboard(network, district, trends, schools, school_indicators, shows_schools)


def _school_colors(user, network: Network | None) -> tuple[list[SchoolColorRow], list[str]]:
    """The member schools the user may see, with each indicator's latest ALL-students value and color."""
    schools = School.objects.restrict(user, "view").filter(membership="member").order_by("name")
    if network is not None:
        schools = schools.filter(network=network)
    schools = list(schools)
    rows = (OutcomeValue.objects.restrict(user, "view")
            .filter(entity_type=EntityType.SCHOOL, student_group="ALL", indicator__in=DASHBOARD_INDICATORS,
                    school__in=schools)
            .only("school_id", "indicator", "year", "value", "color", "denominator").order_by("year"))
    latest: dict[tuple[int, str], OutcomeValue] = {}
    for row in rows:
        latest[(row.school_id, row.indicator)] = row
    codes = [c for c in DASHBOARD_INDICATORS if any(key[1] == c for key in latest)]
    out = []
    for school in schools:
        cells = []
        for code in codes:
            row = latest.get((school.pk, code))
            if row is None:
                cells.append(SchoolColor(code, None, None, 0))
                continue
            suppressed = is_suppressed(row.denominator)
            cells.append(SchoolColor(code, row.year, row.value, 0 if suppressed else row.color, suppressed))
        out.append(SchoolColorRow(school, cells))
    return out, codes


TREND_HEADERS = [_("Indicator"), _("School year"), _("Network"), _("District"), _("State"),
                 _("Network − district"), _("Network − state")]


def trend_table_rows(dashboard: NetworkDashboard) -> tuple[list[str], list[list]]:
    rows = []
    for trend in dashboard.indicators:
        for y in trend.years:
            rows.append([trend.label, y.year_label, *(_num(v) for v in (
                y.network, y.district, y.state, y.network_vs_district, y.network_vs_state))])
    return [str(h) for h in TREND_HEADERS], rows


GAP_HEADERS = [_("Indicator"), _("School year"), _("Kind"), _("Student group"), _("Network value"),
               _("Gap vs all students"), _("Gap vs state group")]


def gap_table_rows(dashboard: NetworkDashboard) -> tuple[list[str], list[list]]:
    kinds = {"race": str(_("Race/ethnicity")), "program": str(_("Program group"))}
    rows = []
    for trend in dashboard.indicators:
        for g in trend.gaps:
            rows.append([trend.label, trend.gap_year_label, kinds[g.kind], g.group_label, g.value_display,
                         g.gap_vs_all_display, g.gap_vs_state_display])
    return [str(h) for h in GAP_HEADERS], rows


def school_color_table_rows(dashboard: NetworkDashboard) -> tuple[list[str], list[list]]:
    headers = [str(_("School")), str(_("CDS code"))]
    for _code, label in dashboard.school_indicator_labels:
        headers += [label, f"{label}: {_('color')}"]
    rows = []
    for row in dashboard.schools:
        line = [row.school.name, row.school.cds_code]
        for cell in row.cells:
            line += [cell.value_display, cell.color_name if cell.year else ""]
        rows.append(line)
    return headers, rows


def _num(value):
    return "" if value is None else Decimal(value)


# ----------------------------------------------------------------------------------------------
# Goals
# ----------------------------------------------------------------------------------------------


def goal_list(user):
    """Goals the user may see, each annotated with its latest actual (`actual_year`, `actual_value`): the
    network's aggregate row for a network goal, the school's row for a school goal, in years since the
    baseline; read through the user's outcome scope."""
    visible = OutcomeValue.objects.restrict(user, "view").filter(
        indicator=OuterRef("indicator"), student_group=OuterRef("student_group"),
        year__gte=OuterRef("baseline_year"), value__isnull=False,
    ).order_by("-year")
    network_rows = visible.filter(entity_type=EntityType.NETWORK)
    school_rows = visible.filter(entity_type=EntityType.SCHOOL, school=OuterRef("school"))

    def latest(column: str):
        return Case(
            When(school__isnull=True, then=Subquery(network_rows.values(column)[:1])),
            default=Subquery(school_rows.values(column)[:1]),
            output_field=OutcomeValue._meta.get_field(column).clone(),
        )

    return (Goal.objects.restrict(user, "view").select_related("school")
            .annotate(actual_year=latest("year"), actual_value=latest("value")))


def progress_of(goal: Goal) -> GoalProgress:
    return goal_progress(
        indicator=goal.indicator, baseline_year=goal.baseline_year, baseline_value=goal.baseline_value,
        target_year=goal.target_year, target_value=goal.target_value,
        actual_year=getattr(goal, "actual_year", None), actual_value=getattr(goal, "actual_value", None),
    )


def visible_goal(user, pk: int, action: str = "view") -> Goal | None:
    return Goal.objects.restrict(user, action).select_related("school").filter(pk=pk).first()


def may_add_goal(user) -> bool:
    return Goal.objects.all().permits_add(user, Goal())
