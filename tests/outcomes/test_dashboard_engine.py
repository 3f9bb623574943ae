"""Table tests of the Dashboard engine against DOMAIN.md 3.3-3.5: cut points at their exact bounds,
every grid cell, the small-denominator grids, box, n-size, and synthetic rows in the layouts of the
indicators that have no real file here (suspension, ELPI, CCI, science)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from equitable.outcomes.dashboard import (
    Color,
    DashboardError,
    DashboardInput,
    Indicator,
    NoColorReason,
    SuspensionType,
    change_level_for,
    color_minimum_n,
    evaluate,
    grids,
    round_tenth,
    status_level_for,
)
from tests.outcomes.dashboard_tables import (
    ACADEMIC_GRID,
    CHANGE_BANDS,
    GRADUATION_GRID,
    GRADUATION_SMALL_GRID,
    STANDARD_GRID,
    STANDARD_SMALL_GRID,
    STATUS_BANDS,
    SUSPENSION_BANDS,
    band_edges,
    parse_bands,
    parse_grid,
    representative,
)

# ---------------------------------------------------------------- cut points at their exact bounds


def test_transcribed_bands_tile_the_line_at_one_decimal():
    texts = [*STATUS_BANDS.values(), *CHANGE_BANDS.values()]
    texts += [text for pair in SUSPENSION_BANDS.values() for text in pair]
    step = Decimal("0.1")
    for text in texts:
        bands = parse_bands(text)
        for (low_a, high_a), (low_b, high_b) in zip(bands, bands[1:], strict=False):
            # higher-is-better bands run downwards, lower-is-better upwards; neighbours touch at ±0.1
            assert (low_a is not None and high_b == low_a - step) or (
                high_a is not None and low_b == high_a + step
            ), text


STATUS_CASES = [
    (indicator, high_school, value, level)
    for (indicator, high_school), text in STATUS_BANDS.items()
    for value, level in band_edges(text)
]


@pytest.mark.parametrize(("indicator", "high_school", "value", "level"), STATUS_CASES)
def test_status_level_at_every_bound(indicator, high_school, value, level):
    assert status_level_for(indicator, value, high_school=high_school) == level


CHANGE_CASES = [
    (indicator, value, level) for indicator, text in CHANGE_BANDS.items() for value, level in band_edges(text)
]


@pytest.mark.parametrize(("indicator", "value", "level"), CHANGE_CASES)
def test_change_level_at_every_bound(indicator, value, level):
    assert change_level_for(indicator, value) == level


SUSPENSION_CASES = [
    (kind, which, value, level)
    for kind, (status, change) in SUSPENSION_BANDS.items()
    for which, text in (("status", status), ("change", change))
    for value, level in band_edges(text)
]


@pytest.mark.parametrize(("kind", "which", "value", "level"), SUSPENSION_CASES)
def test_suspension_tables_by_type(kind, which, value, level):
    function = status_level_for if which == "status" else change_level_for
    assert function(Indicator.SUSPENSION, value, suspension_type=kind) == level


@pytest.mark.parametrize(
    ("indicator", "value", "level"),
    [
        (Indicator.ELA, "44.9", 4),
        (Indicator.ELA, "45.0", 5),
        (Indicator.ELA, "44.94", 4),  # rounds to 44.9
        (Indicator.ELA, "44.95", 5),  # rounds half away from zero to 45.0
        (Indicator.ELA, 44.95, 5),  # a float goes through its repr, not its binary value
        (Indicator.ELA, "-5.05", 2),  # → -5.1
        (Indicator.ELA, "-5.04", 3),  # → -5.0
        (Indicator.CHRONIC, "2.55", 4),  # → 2.6
        (Indicator.CHRONIC, "2.549", 5),
        (Indicator.GRADUATION, "90.45", 4),  # → 90.5
    ],
)
def test_values_are_rounded_to_one_decimal_before_the_cuts(indicator, value, level):
    assert status_level_for(indicator, value) == level


def test_round_tenth_is_half_away_from_zero_and_never_negative_zero():
    assert round_tenth("2.45") == Decimal("2.5")
    assert round_tenth("-2.45") == Decimal("-2.5")
    assert str(round_tenth("-0.04")) == "0.0"


def test_high_school_cut_points_only_for_ela_and_math():
    assert status_level_for(Indicator.ELA, "45.0", high_school=True) == 4
    assert status_level_for(Indicator.MATH, "-60.0", high_school=True) == 3
    assert status_level_for(Indicator.CHRONIC, "2.5", high_school=True) == 5  # no HS table: ignored


def test_suspension_needs_its_type():
    with pytest.raises(DashboardError, match="type"):
        status_level_for(Indicator.SUSPENSION, "1.0")
    with pytest.raises(DashboardError, match="not a suspension type"):
        status_level_for(Indicator.SUSPENSION, "1.0", suspension_type="XX")


# ---------------------------------------------------------------- grids: every status × change cell


def _inp(indicator, status_level, change_level, *, n=200, kind=None, high_school=False, **options):
    if indicator is Indicator.SUSPENSION:
        status_text, change_text = SUSPENSION_BANDS[kind]
    else:
        status_text, change_text = STATUS_BANDS[indicator, high_school], CHANGE_BANDS[indicator]
    return DashboardInput(
        indicator=indicator,
        curr_denom=n,
        curr_status=representative(status_text)[status_level],
        prior_denom=n,
        prior_status=Decimal(0),
        change=representative(change_text)[change_level],
        high_school_cut_points=high_school,
        suspension_type=kind,
        **options,
    )


GRID_CASES = (
    [(indicator, None, ACADEMIC_GRID) for indicator in (Indicator.ELA, Indicator.MATH, Indicator.SCIENCE)]
    + [(indicator, None, STANDARD_GRID) for indicator in (Indicator.CHRONIC, Indicator.ELPI, Indicator.CCI)]
    + [(Indicator.SUSPENSION, kind, STANDARD_GRID) for kind in SuspensionType]
    + [(Indicator.GRADUATION, None, GRADUATION_GRID)]
)


@pytest.mark.parametrize(("indicator", "kind", "grid"), GRID_CASES, ids=lambda v: getattr(v, "name", "grid"))
def test_every_cell_of_the_five_by_five_grid(indicator, kind, grid):
    for (status_level, change_level), colour in parse_grid(grid).items():
        result = evaluate(_inp(indicator, status_level, change_level, kind=kind))
        cell = f"{indicator.name} status {status_level} change {change_level}"
        assert (result.status_level, result.change_level) == (status_level, change_level), cell
        assert result.color == colour, cell
        expected_box = 10 * ((5 - status_level) * 5 + change_level) if colour else 0
        assert result.box == expected_box, cell
        assert result.small_denominator is False


def test_ela_and_math_high_school_rows_use_the_academic_grid():
    for indicator in (Indicator.ELA, Indicator.MATH):
        for (status_level, change_level), colour in parse_grid(ACADEMIC_GRID).items():
            result = evaluate(_inp(indicator, status_level, change_level, high_school=True))
            assert (result.status_level, result.change_level, result.color) == (
                status_level,
                change_level,
                colour,
            )


def test_box_example_from_domain():
    result = evaluate(_inp(Indicator.ELA, 2, 4))
    assert (result.color, result.box) == (Color.YELLOW, 190)


def test_graduation_very_high_and_declined_significantly_has_no_colour():
    result = evaluate(_inp(Indicator.GRADUATION, 5, 1))
    assert (result.color, result.box, result.no_color_reason) == (0, 0, NoColorReason.EMPTY_CELL)


# ---------------------------------------------------------------- small denominators (< 150 students)

SMALL_CASES = [(Indicator.CHRONIC, None), (Indicator.CCI, None)] + [
    (Indicator.SUSPENSION, kind) for kind in SuspensionType
]


@pytest.mark.parametrize(("indicator", "kind"), SMALL_CASES, ids=str)
def test_small_populations_fold_the_outer_change_bands(indicator, kind):
    for (status_level, change_level), colour in parse_grid(STANDARD_SMALL_GRID).items():
        result = evaluate(_inp(indicator, status_level, change_level, n=149, kind=kind))
        folded = {1: 2, 5: 4}.get(change_level, change_level)
        cell = f"{indicator.name} {kind} status {status_level} change {change_level}"
        assert result.small_denominator, cell
        assert result.change_level == folded, cell  # the file publishes the folded level
        assert result.color == colour, cell
        assert result.box == 10 * ((5 - status_level) * 5 + folded), cell


def test_small_graduation_keeps_five_change_bands_with_its_own_colours():
    for (status_level, change_level), colour in parse_grid(GRADUATION_SMALL_GRID).items():
        result = evaluate(_inp(Indicator.GRADUATION, status_level, change_level, n=100))
        folded = {1: 2, 5: 4}.get(change_level, change_level)
        assert result.change_level == change_level  # published unfolded
        assert result.color == colour
        assert result.box == 10 * ((5 - status_level) * 5 + folded)  # the box is numbered at the folded level


def test_small_graduation_grid_is_the_graduation_grid_at_the_folded_change_level():
    for status_level in range(1, 6):
        for change_level in range(1, 6):
            folded = grids.fold_change_level(change_level)
            small = grids.GRADUATION_SMALL_GRID[status_level][change_level - 1]
            assert small == grids.GRADUATION_GRID[status_level][folded - 1]


def test_small_denominator_is_derived_from_the_current_denominator_when_not_given():
    assert evaluate(_inp(Indicator.CHRONIC, 3, 1, n=149)).small_denominator is True
    assert evaluate(_inp(Indicator.CHRONIC, 3, 1, n=150)).small_denominator is False
    assert evaluate(_inp(Indicator.CHRONIC, 3, 1, n=400, small_denominator=True)).change_level == 2
    assert evaluate(_inp(Indicator.ELPI, 3, 1, n=100)).small_denominator is False  # no such rule for ELPI
    assert evaluate(_inp(Indicator.ELA, 3, 1, n=100)).change_level == 1
    with pytest.raises(DashboardError, match="no small-denominator rule"):
        _inp(Indicator.ELA, 3, 1, small_denominator=True)


# ---------------------------------------------------------------- n-size and groups without a colour


@pytest.mark.parametrize(
    ("curr", "prior", "group", "rtype", "coloured"),
    [
        (30, 30, "ALL", "S", True),
        (29, 30, "ALL", "S", False),
        (30, 29, "ALL", "D", False),
        (30, None, "ALL", "X", False),
        (15, 15, "FOS", "D", True),
        (15, 15, "HOM", "X", True),
        (15, 15, "LTEL", "D", True),
        (14, 15, "LTEL", "D", False),
        (15, 15, "FOS", "S", False),  # schools keep 30
        (29, 40, "HOM", "S", False),
        (15, 15, "SWD", "D", False),  # only FOS, HOM and LTEL have the reduced n-size
    ],
)
def test_colour_n_size(curr, prior, group, rtype, coloured):
    inp = DashboardInput(
        indicator=Indicator.ELA, curr_denom=curr, curr_status="20.0", prior_denom=prior, prior_status="10.0",
        change="10.0", student_group=group, record_type=rtype,
    )  # fmt: skip
    result = evaluate(inp)
    assert (result.status_level, result.change_level) == (4, 4)  # levels are published anyway
    assert bool(result.color) is coloured
    assert (result.box != 0) is coloured
    if not coloured:
        assert result.no_color_reason is NoColorReason.N_SIZE


def test_color_minimum_n():
    assert color_minimum_n("FOS", "D") == 15
    assert color_minimum_n("fos", "X") == 15
    assert color_minimum_n("FOS", "S") == 30
    assert color_minimum_n("ALL", "X") == 30


@pytest.mark.parametrize("group", ["EO", "ELO", "RFP", "SBA", "CAA"])
def test_groups_reported_without_a_colour(group):
    result = evaluate(
        DashboardInput(
            indicator=Indicator.MATH,
            curr_denom=5000,
            curr_status="40.0",
            prior_denom=5000,
            prior_status="20.0",
            student_group=group,
        )  # fmt: skip
    )
    assert (result.status_level, result.change_level, result.color, result.box) == (5, 5, 0, 0)
    assert result.no_color_reason is NoColorReason.GROUP_NOT_COLORED


def test_values_for_fewer_than_eleven_students_are_not_reported():
    blank = evaluate(
        DashboardInput(
            indicator=Indicator.ELA, curr_denom=10, curr_status="5.0", prior_denom=40, prior_status="1.0"
        )
    )
    assert (blank.status, blank.status_level, blank.change_level, blank.color) == (None, 0, 0, 0)
    no_prior = evaluate(
        DashboardInput(
            indicator=Indicator.ELA, curr_denom=11, curr_status="5.0", prior_denom=10, prior_status="1.0"
        )
    )
    assert (no_prior.status_level, no_prior.change, no_prior.change_level) == (3, None, 0)
    assert no_prior.no_color_reason is NoColorReason.NO_CHANGE


def test_status_only_when_there_is_no_prior_year():
    result = evaluate(DashboardInput(indicator=Indicator.CHRONIC, curr_denom=476, curr_status="11.6"))
    assert (result.status_level, result.change_level, result.color, result.box) == (2, 0, 0, 0)


# ---------------------------------------------------------------- change from unrounded statuses


def test_change_comes_from_unrounded_statuses():
    # 26/10000 = 0.26% (0.3) and 54/10000 = 0.54% (0.5): the change is -0.28 → -0.3, not 0.3 − 0.5 = -0.2
    inp = DashboardInput.from_counts(
        Indicator.SUSPENSION,
        curr_numer=26,
        curr_denom=10000,
        prior_numer=54,
        prior_denom=10000,
        suspension_type="ES",
    )
    result = evaluate(inp)
    assert (result.status, result.change, result.change_level) == (Decimal("0.3"), Decimal("-0.3"), 4)
    rounded = evaluate(
        DashboardInput(
            indicator=Indicator.SUSPENSION,
            curr_denom=10000,
            curr_status="0.3",
            prior_denom=10000,
            prior_status="0.5",
            suspension_type="ES",
        )  # fmt: skip
    )
    assert (rounded.change, rounded.change_level) == (Decimal("-0.2"), 3)


def test_a_given_change_wins_over_the_difference_of_statuses():
    inp = DashboardInput(
        indicator=Indicator.ELA,
        curr_denom=100,
        curr_status="-79.8",
        prior_denom=100,
        prior_status="-87.3",
        change="7.4",
    )
    assert evaluate(inp).change == Decimal("7.4")


def test_inputs_are_validated():
    with pytest.raises(DashboardError, match="curr_denom"):
        DashboardInput(indicator=Indicator.ELA, curr_denom=-1, curr_status="1")
    with pytest.raises(DashboardError, match="not a number"):
        DashboardInput(indicator=Indicator.ELA, curr_denom=10, curr_status="abc")
    with pytest.raises(ValueError):
        DashboardInput(indicator="NOPE", curr_denom=10, curr_status="1")
    with pytest.raises(DashboardError, match="not a rate"):
        DashboardInput.from_counts(Indicator.ELA, curr_numer=1, curr_denom=2)
    with pytest.raises(DashboardError, match="outside"):
        DashboardInput.from_counts(Indicator.CHRONIC, curr_numer=3, curr_denom=2)
