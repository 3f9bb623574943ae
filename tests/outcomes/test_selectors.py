"""Outcomes selectors: Dashboard wording, the 5×5 grid, goal progress and who reads which rows.

`build_outcomes(personas)` makes a small set of rows for three years (school A and B, the district, the
state and the network) that the page and API tests share.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from equitable.outcomes import selectors
from equitable.outcomes.dashboard import Indicator, grid_color, grid_for
from equitable.outcomes.models import Goal, OutcomeValue

pytestmark = pytest.mark.django_db

DISTRICT = "19647330000000"
STATE = "00000000000000"
YEARS = (2023, 2024, 2025)
SCHOOL_B_MARK = Decimal("77.70")  # a value only school B has: its appearance anywhere is a leak


@dataclass
class Outcomes:
    a_ela: OutcomeValue
    a_el_small: OutcomeValue
    b_ela: OutcomeValue
    state_ela: OutcomeValue
    network_ela: OutcomeValue
    goal_network: Goal
    goal_chronic: Goal
    goal_b: Goal


def _row(**kw) -> OutcomeValue:
    kw.setdefault("source", "demo")
    kw.setdefault("student_group", "ALL")
    row = OutcomeValue(**kw)
    row.full_clean()
    row.save()
    return row


def build_outcomes(personas) -> Outcomes:
    a, b = personas.school_a, personas.school_b
    ela = {  # year → (school A, district, state, network)
        2023: ("-60.0", "-30.0", "-13.2", "-55.0"),
        2024: ("-50.0", "-25.0", "-13.2", "-48.0"),
        2025: ("-40.0", "-20.0", "-8.1", "-41.0"),
    }
    rows = {}
    for year, (school, district, state, network) in ela.items():
        rows[("a", year)] = _row(indicator="ELA", year=year, entity_type="school", cds=a.cds_code, school=a,
                                 entity_name=a.name, value=Decimal(school), denominator=300)
        _row(indicator="ELA", year=year, entity_type="district", cds=DISTRICT, entity_name="Los Angeles Unified",
             value=Decimal(district), denominator=200000)
        rows[("state", year)] = _row(indicator="ELA", year=year, entity_type="state", cds=STATE,
                                     entity_name="California", value=Decimal(state), denominator=3000000)
        rows[("network", year)] = _row(indicator="ELA", year=year, entity_type="network", cds="",
                                       entity_name="Test Network", value=Decimal(network), denominator=5000,
                                       source="computed")
    # 2025 school A, ELA: status −40 → Low (2), change +10 → Increased (4): academic grid yellow, box 190.
    a_ela = rows[("a", 2025)]
    a_ela.prior_value, a_ela.change, a_ela.status_level, a_ela.change_level, a_ela.color, a_ela.box = (
        Decimal("-50.0"), Decimal("10.0"), 2, 4, 3, 190)
    a_ela.save()
    _row(indicator="ELA", year=2025, entity_type="school", cds=a.cds_code, school=a, student_group="HI",
         value=Decimal("-45.5"), denominator=250, change=Decimal("4.0"), status_level=2, change_level=4, color=3)
    a_el_small = _row(indicator="ELA", year=2025, entity_type="school", cds=a.cds_code, school=a,
                      student_group="EL", value=Decimal("-99.9"), denominator=8, change=Decimal("1.0"),
                      status_level=1, change_level=3, color=0)
    # Chronic absenteeism (lower is better): 25.0% → Very High (1); change −3.5 → Declined Significantly (5).
    _row(indicator="CHRO", year=2024, entity_type="school", cds=a.cds_code, school=a, value=Decimal("28.5"),
         denominator=400)
    _row(indicator="CHRO", year=2025, entity_type="school", cds=a.cds_code, school=a, value=Decimal("25.0"),
         denominator=400, prior_value=Decimal("28.5"), change=Decimal("-3.5"), status_level=1, change_level=5,
         color=3, flags={"smalldenom": "N"})
    for year, value in ((2023, "30.0"), (2024, "24.0"), (2025, "18.0")):
        _row(indicator="CHRO", year=year, entity_type="network", cds="", value=Decimal(value), denominator=6000,
             source="computed")
    b_ela = _row(indicator="ELA", year=2025, entity_type="school", cds=b.cds_code, school=b, entity_name=b.name,
                 value=SCHOOL_B_MARK, denominator=500, status_level=5, change_level=3, color=5)
    # Network groups, 2025: HI and AA with the state's HI for comparison; SWD too small to show.
    _row(indicator="ELA", year=2025, entity_type="network", cds="", student_group="HI", value=Decimal("-44.0"),
         denominator=4000, source="computed")
    _row(indicator="ELA", year=2025, entity_type="network", cds="", student_group="AA", value=Decimal("-60.0"),
         denominator=700, source="computed")
    _row(indicator="ELA", year=2025, entity_type="network", cds="", student_group="SWD", value=Decimal("-120.0"),
         denominator=5, source="computed")
    _row(indicator="ELA", year=2025, entity_type="state", cds=STATE, student_group="HI", value=Decimal("-35.0"),
         denominator=1500000)
    goal_network = Goal.objects.create(name="ELA North Star", indicator="ELA", baseline_year=2023,
                                       baseline_value=Decimal("-60"), target_year=2027, target_value=Decimal("-20"))
    goal_chronic = Goal.objects.create(name="Fewer absences", indicator="CHRO", baseline_year=2023,
                                       baseline_value=Decimal("30"), target_year=2027, target_value=Decimal("10"))
    goal_b = Goal.objects.create(name="Bravo reading", indicator="ELA", school=b, baseline_year=2024,
                                 baseline_value=Decimal("60"), target_year=2028, target_value=Decimal("90"))
    return Outcomes(a_ela, a_el_small, b_ela, rows[("state", 2025)], rows[("network", 2025)], goal_network,
                    goal_chronic, goal_b)


@pytest.fixture
def outcomes(personas):
    return build_outcomes(personas)


# --- Dashboard wording ---------------------------------------------------------------------------------------


def test_level_names_follow_the_dashboard_wording():
    assert selectors.status_name("ELA", 1) == "Very Low"
    assert selectors.status_name("ELA", 5) == "Very High"
    assert selectors.change_name("MATH", 1) == "Declined Significantly"
    assert selectors.change_name("MATH", 3) == "Maintained"
    assert selectors.change_name("MATH", 5) == "Increased Significantly"
    # lower is better: the best level is the lowest rate and the biggest decline
    assert selectors.status_name("CHRO", 5) == "Very Low"
    assert selectors.status_name("SUSP", 1) == "Very High"
    assert selectors.change_name("CHRO", 5) == "Declined Significantly"
    assert selectors.change_name("SUSP", 1) == "Increased Significantly"
    assert selectors.status_name("ELA", 0) == selectors.change_name("ELA", 0) == ""
    assert selectors.color_name(3) == "Yellow"


# --- The 5×5 grid --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("indicator", "status", "change", "color"), [
    ("ELA", 2, 4, 3),    # academic grid: Low, Increased → Yellow
    ("ELA", 5, 1, 4),
    ("CHRO", 1, 5, 3),   # standard grid: Very High rate, Declined Significantly → Yellow
    ("SUSP", 5, 1, 3),
    ("GRAD", 1, 5, 1),
])
def test_grid_highlights_the_one_cell_and_colors_every_cell_from_the_engine(indicator, status, change, color):
    grid = selectors.dashboard_grid(indicator, status, change)
    selected = [(row.status_level, cell.change_level) for row in grid.rows for cell in row.cells if cell.selected]
    assert selected == [(status, change)]
    assert grid.selected.color == color
    assert [row.status_level for row in grid.rows] == [5, 4, 3, 2, 1]
    engine_grid = grid_for(Indicator(indicator))
    for row in grid.rows:
        assert [cell.change_level for cell in row.cells] == [1, 2, 3, 4, 5]
        for cell in row.cells:
            assert cell.color == grid_color(engine_grid, row.status_level, cell.change_level)


def test_graduation_small_denominator_grid_and_wording_of_columns():
    small = selectors.dashboard_grid("GRAD", 4, 1, small_denominator=True)
    assert small.selected.color == 3  # 2 in the large grid
    assert selectors.dashboard_grid("GRAD", 4, 1).selected.color == 2
    assert selectors.dashboard_grid("GRAD", 5, 1).selected.color == 0  # the impossible cell has no color
    assert selectors.dashboard_grid("CHRO", 3, 3).change_names[0] == "Increased Significantly"
    assert selectors.dashboard_grid("CHRO", 3, 3).rows[0].status_name == "Very Low"


# --- Goal progress -------------------------------------------------------------------------------------------


def _progress(indicator, baseline, target, actual_year, actual):
    return selectors.goal_progress(indicator=indicator, baseline_year=2023, baseline_value=Decimal(baseline),
                                   target_year=2027, target_value=Decimal(target), actual_year=actual_year,
                                   actual_value=None if actual is None else Decimal(actual))


def test_goal_progress_higher_is_better():
    behind = _progress("ELA", "-60", "-20", 2025, "-41")
    assert behind.expected == Decimal("-40.00")
    assert behind.percent == Decimal("47.5")
    assert behind.on_track is False
    exactly = _progress("ELA", "-60", "-20", 2025, "-40")
    assert exactly.on_track is True and exactly.percent == Decimal("50.0")
    beyond = _progress("GRAD", "80", "90", 2026, "95")
    assert beyond.on_track is True and beyond.percent == Decimal("150.0")
    assert beyond.lower_is_better is False


def test_goal_progress_lower_is_better():
    ahead = _progress("CHRO", "30", "10", 2025, "18")
    assert ahead.lower_is_better is True
    assert ahead.expected == Decimal("20.00")
    assert ahead.percent == Decimal("60.0")
    assert ahead.on_track is True
    behind = _progress("SUSP", "30", "10", 2025, "21")
    assert behind.on_track is False and behind.percent == Decimal("45.0")
    worse = _progress("CHRO", "30", "10", 2024, "33")
    assert worse.on_track is False and worse.percent == Decimal("-15.0")


def test_goal_progress_without_data_and_after_the_target_year():
    none = _progress("ELA", "-60", "-20", None, None)
    assert none.percent is None and none.on_track is None and none.expected is None
    late = _progress("ELA", "-60", "-20", 2030, "-25")
    assert late.expected == Decimal("-20.00")  # the line stops at the target
    assert late.on_track is False


# --- Scoped reads --------------------------------------------------------------------------------------------


def test_school_outcomes_of_the_principals_own_school(personas, outcomes):
    result = selectors.school_outcomes(personas.principal_a, personas.school_a.cds_code, charts=False)
    assert result.latest_year == 2025
    ela, chronic = result.indicators
    assert (ela.indicator, ela.value, ela.status_name, ela.change_name, ela.color_name) == (
        "ELA", Decimal("-40.00"), "Low", "Increased", "Yellow")
    assert ela.grid.selected.change_level == 4
    assert (chronic.status_name, chronic.change_name, chronic.color) == ("Very High", "Declined Significantly", 3)
    groups = {g.student_group: g for g in result.groups}
    assert groups["EL"].suppressed and groups["EL"].value_display == "*" and groups["EL"].color_name == "*"
    assert groups["HI"].value_display == "-45.5" and not groups["HI"].suppressed
    assert selectors.school_outcomes(personas.principal_a, personas.school_b.cds_code) is None
    assert selectors.school_outcomes(personas.board, personas.school_a.cds_code) is None
    assert selectors.school_outcomes(personas.partner, personas.school_a.cds_code) is None


def test_school_outcomes_group_table_by_indicator(personas, outcomes):
    result = selectors.school_outcomes(personas.admin, personas.school_a.cds_code, group_indicator="CHRO",
                                       charts=False)
    assert {g.indicator for g in result.groups} == {"CHRO"}
    unknown = selectors.school_outcomes(personas.admin, personas.school_a.cds_code, group_indicator="NOPE",
                                        charts=False)
    assert {g.indicator for g in unknown.groups} == {"ELA", "CHRO"}


def test_network_dashboard_trend_growth_and_gaps(personas, outcomes):
    dash = selectors.network_dashboard(personas.staff_ops, charts=False)
    assert dash.district_cds == "19647330000000"
    ela = next(t for t in dash.indicators if t.indicator == "ELA")
    assert [(y.year, y.network, y.district, y.state) for y in ela.years][-1] == (
        2025, Decimal("-41.00"), Decimal("-20.00"), Decimal("-8.10"))
    assert ela.growth == {"network": "+14.0", "district": "+10.0", "state": "+5.1"}
    gaps = {g.student_group: g for g in ela.gaps}
    assert gaps["HI"].gap_vs_all == Decimal("-3.00") and gaps["HI"].gap_vs_state == Decimal("-9.00")
    assert gaps["AA"].kind == "race" and gaps["SWD"].kind == "program"
    assert gaps["SWD"].value_display == "*" and gaps["SWD"].gap_vs_all_display == "*"
    chronic = next(t for t in dash.indicators if t.indicator == "CHRO")
    assert chronic.lower_is_better and chronic.growth["network"] == "-12.0"
    assert [row.school for row in dash.schools] == [personas.school_a, personas.school_b]


def test_network_dashboard_board_gets_aggregates_only(personas, outcomes):
    dash = selectors.network_dashboard(personas.board, charts=False)
    assert dash.has_network_rows and not dash.shows_schools and dash.schools == []
    principal = selectors.network_dashboard(personas.principal_a, charts=False)
    assert [row.school for row in principal.schools] == [personas.school_a]


def test_goal_list_annotates_the_latest_actual(personas, outcomes):
    goals = {g.name: g for g in selectors.goal_list(personas.admin)}
    assert (goals["ELA North Star"].actual_year, goals["ELA North Star"].actual_value) == (2025, Decimal("-41.00"))
    assert selectors.progress_of(goals["ELA North Star"]).on_track is False
    assert selectors.progress_of(goals["Fewer absences"]).on_track is True
    assert (goals["Bravo reading"].actual_year, goals["Bravo reading"].actual_value) == (2025, SCHOOL_B_MARK)
    assert set(g.name for g in selectors.goal_list(personas.board)) == {"ELA North Star", "Fewer absences"}
    assert set(g.name for g in selectors.goal_list(personas.principal_a)) == {"ELA North Star", "Fewer absences"}
    assert not selectors.goal_list(personas.partner).exists()
