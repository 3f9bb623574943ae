"""Invariants of the Dashboard engine, checked with hypothesis."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from equitable.outcomes.dashboard import (
    Color,
    DashboardInput,
    Direction,
    Indicator,
    SuspensionType,
    api_score,
    approximate_dfs,
    change_cut_points,
    evaluate,
    grids,
    round_tenth,
    status_cut_points,
)
from equitable.outcomes.dashboard.dfs import LEVEL3_MINIMUM, GradeMeanScore, Subject
from equitable.outcomes.dashboard.engine import NO_COLOR_GROUPS, color_minimum_n
from equitable.outcomes.dashboard.legacy_api import API_BAND_VALUES, ApiBand, ContentAreaScores

NON_SUSPENSION = [indicator for indicator in Indicator if indicator is not Indicator.SUSPENSION]
STATUS_CONFIGS = (
    [(indicator, False, None) for indicator in NON_SUSPENSION]
    + [(indicator, True, None) for indicator in (Indicator.ELA, Indicator.MATH)]
    + [(Indicator.SUSPENSION, False, kind) for kind in SuspensionType]
)
values = st.decimals(min_value=-300, max_value=300, places=2, allow_nan=False, allow_infinity=False)


@given(st.sampled_from(STATUS_CONFIGS), values, values)
def test_status_level_is_monotone_in_the_value(config, a, b):
    indicator, high_school, kind = config
    cuts = status_cut_points(indicator, high_school=high_school, suspension_type=kind)
    low, high = sorted((a, b))
    if cuts.direction is Direction.HIGHER_IS_BETTER:
        assert cuts.level(low) <= cuts.level(high)
    else:
        assert cuts.level(low) >= cuts.level(high)
    assert 1 <= cuts.level(a) <= 5


@given(st.sampled_from(STATUS_CONFIGS), values, values)
def test_change_level_is_monotone_in_the_change(config, a, b):
    indicator, _, kind = config
    cuts = change_cut_points(indicator, suspension_type=kind)
    low, high = sorted((a, b))
    if cuts.direction is Direction.HIGHER_IS_BETTER:
        assert cuts.level(low) <= cuts.level(high)
    else:
        assert cuts.level(low) >= cuts.level(high)


def test_lower_is_better_exactly_for_chronic_and_suspension():
    for indicator, high_school, kind in STATUS_CONFIGS:
        lower = indicator in (Indicator.CHRONIC, Indicator.SUSPENSION)
        expected = Direction.LOWER_IS_BETTER if lower else Direction.HIGHER_IS_BETTER
        assert (
            status_cut_points(indicator, high_school=high_school, suspension_type=kind).direction is expected
        )
        assert change_cut_points(indicator, suspension_type=kind).direction is expected


@st.composite
def dashboard_inputs(draw):
    indicator, high_school, kind = draw(st.sampled_from(STATUS_CONFIGS))
    denominators = st.one_of(st.none(), st.integers(0, 60), st.integers(0, 400))
    statuses = st.one_of(st.none(), st.decimals(-200, 200, places=3, allow_nan=False, allow_infinity=False))
    small = draw(st.none() | st.booleans()) if indicator.uses_small_denominator else None
    return DashboardInput(
        indicator=indicator,
        curr_denom=draw(denominators),
        curr_status=draw(statuses),
        prior_denom=draw(denominators),
        prior_status=draw(statuses),
        change=draw(st.none() | st.decimals(-40, 40, places=1, allow_nan=False, allow_infinity=False)),
        student_group=draw(
            st.sampled_from(["ALL", "EL", "SWD", "FOS", "HOM", "LTEL", "EO", "ELO", "RFP", "SBA", "CAA"])
        ),
        record_type=draw(st.sampled_from("SDX")),
        small_denominator=small,
        high_school_cut_points=high_school,
        suspension_type=kind,
    )


@given(dashboard_inputs())
def test_colour_is_given_iff_both_levels_and_the_n_size(inp):
    result = evaluate(inp)
    n = color_minimum_n(inp.student_group, inp.record_type)
    n_size_met = all(d is not None and d >= n for d in (inp.curr_denom, inp.prior_denom))
    impossible_cell = (
        inp.indicator is Indicator.GRADUATION
        and not result.small_denominator
        and (result.status_level, result.change_level) == (5, 1)
    )
    expected = (
        result.status_level > 0
        and result.change_level > 0
        and inp.student_group not in NO_COLOR_GROUPS
        and n_size_met
        and not impossible_cell
    )
    assert (result.color != Color.NONE) is expected
    assert (result.no_color_reason is None) is expected


@given(dashboard_inputs())
def test_levels_are_reported_only_for_eleven_or_more_students(inp):
    result = evaluate(inp)
    reported = inp.curr_status is not None and (inp.curr_denom is None or inp.curr_denom >= 11)
    assert (result.status_level > 0) is reported
    assert 0 <= result.status_level <= 5 and 0 <= result.change_level <= 5
    if result.change_level:
        assert result.status_level


@given(dashboard_inputs())
def test_box_is_consistent_with_the_levels(inp):
    result = evaluate(inp)
    assert (result.box == 0) is (result.color == Color.NONE)
    if result.box:
        cell = result.box // 10 - 1
        assert result.box % 10 == 0 and 10 <= result.box <= 250
        assert 5 - cell // 5 == result.status_level
        folded = (
            grids.fold_change_level(result.change_level) if result.small_denominator else result.change_level
        )
        assert cell % 5 + 1 == folded


@given(dashboard_inputs())
def test_small_populations_publish_only_the_inner_change_levels(inp):
    result = evaluate(inp)
    if result.small_denominator and inp.indicator in (Indicator.CHRONIC, Indicator.SUSPENSION, Indicator.CCI):
        assert result.change_level in (0, 2, 3, 4)


@given(
    st.sampled_from(STATUS_CONFIGS), st.decimals(-200, 200, places=1, allow_nan=False, allow_infinity=False)
)
def test_number_types_do_not_change_the_level(config, value):
    indicator, high_school, kind = config
    cuts = status_cut_points(indicator, high_school=high_school, suspension_type=kind)
    assert cuts.level(value) == cuts.level(float(value)) == cuts.level(str(value))


@given(st.decimals(-1000, 1000, places=4, allow_nan=False, allow_infinity=False))
def test_rounding_is_symmetric(value):
    assert round_tenth(-value) == -round_tenth(value)
    assert abs(round_tenth(value) - value) <= Decimal("0.05")


def test_grids_never_get_worse_with_better_levels():
    for grid in (
        grids.ACADEMIC_GRID,
        grids.STANDARD_GRID,
        grids.GRADUATION_GRID,
        grids.GRADUATION_SMALL_GRID,
    ):
        for status in range(1, 6):
            for change in range(1, 6):
                here = grid[status][change - 1]
                if here is None:
                    continue
                if status < 5:
                    assert grid[status + 1][change - 1] is None or grid[status + 1][change - 1] >= here
                if change < 5:
                    assert grid[status][change] >= here


grade_rows = st.lists(
    st.tuples(st.sampled_from([3, 4, 5, 6, 7, 8, 11]), st.integers(1, 500), st.integers(2100, 2900)),
    min_size=1,
    max_size=7,
    unique_by=lambda row: row[0],
)


@given(st.sampled_from(list(Subject)), grade_rows)
def test_dfs_lies_between_the_grade_distances(subject, rows):
    result = approximate_dfs(subject, [GradeMeanScore(g, n, Decimal(m)) for g, n, m in rows])
    distances = [m - LEVEL3_MINIMUM[subject][g] for g, _, m in rows]
    assert min(distances) <= result.unrounded <= max(distances)
    assert result.students == sum(n for _, n, _ in rows)


@given(
    st.dictionaries(st.sampled_from(list(ApiBand)[:5]), st.integers(0, 300), min_size=1).filter(
        lambda d: sum(d.values())
    )
)
def test_api_lies_on_its_scale(counts):
    result = api_score([ContentAreaScores("ELA", Decimal("0.48"), counts)])
    assert 200 <= result.api <= 1000
    if len([n for n in counts.values() if n]) == 1:
        band = next(b for b, n in counts.items() if n)
        assert result.api == API_BAND_VALUES[band]
