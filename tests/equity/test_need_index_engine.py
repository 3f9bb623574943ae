"""The need index engine (`equitable.equity.need_index`): hand-worked cases and hypothesis properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from equitable.equity.need_index import (
    MISSING_ALL,
    TIERS,
    IndicatorSpec,
    NeedIndexError,
    NeedInput,
    average_ranks,
    compare_models,
    compute_need,
    explain,
)


def need(values: dict, *, weights: dict | None = None, lower=(), ids=None, **options):
    codes = list(values)
    ids = ids or [chr(ord("A") + i) for i in range(len(values[codes[0]]))]
    specs = [IndicatorSpec(code, (weights or {}).get(code, 1.0), code not in lower) for code in codes]
    return compute_need(NeedInput(school_ids=ids, values=values, indicators=specs, **options))


def col(result, attribute):
    return [getattr(school, attribute) for school in result.schools]


# --- hand-worked cases -----------------------------------------------------------------------------------

def test_average_ranks_share_ties():
    assert average_ranks(np.array([10.0, 20.0, 20.0, 40.0])).tolist() == [1.0, 2.5, 2.5, 4.0]
    assert average_ranks(np.array([3.0, 3.0, 3.0])).tolist() == [2.0, 2.0, 2.0]


def test_percentile_ties_averaged_ranks_and_quintile_tiers():
    result = need({"frpm": [10, 20, 20, 40]})
    assert col(result, "score") == [0.0, 50.0, 50.0, 100.0]
    assert col(result, "rank") == [4, 2, 2, 1]  # ties share the lower rank number
    # 4 schools: positions 0..3 → tiers floor(5 (p + .5) / 4) + 1; the tied pair takes its mean position 1.5
    assert col(result, "tier_name") == ["Lowest", "Moderate", "Moderate", "Highest"]
    assert col(result, "tier") == [5, 3, 3, 1]


def test_percentile_lower_is_more_need_ranks_on_the_negated_value():
    result = need({"ela_met": [10, 20, 30]}, lower=("ela_met",))
    assert col(result, "score") == [100.0, 50.0, 0.0]
    assert col(result, "rank") == [1, 2, 3]
    assert col(result, "tier_name") == ["Highest", "Moderate", "Lowest"]


def test_single_school_scores_fifty_and_is_moderate():
    result = need({"frpm": [80]})
    assert col(result, "score") == [50.0]
    assert col(result, "tier_name") == ["Moderate"]


def test_zscore_uses_the_population_standard_deviation():
    result = need({"x": [1, 2, 3, 6]}, normalization="zscore")
    sd = math.sqrt(3.5)
    assert col(result, "score") == pytest.approx([-2 / sd, -1 / sd, 0.0, 3 / sd])
    assert col(result, "rank") == [4, 3, 2, 1]


def test_minmax_with_weights_and_a_constant_indicator():
    result = need({"x": [2, 4, 10], "y": [5, 5, 5]}, weights={"x": 3, "y": 1}, normalization="minmax")
    assert col(result, "score") == pytest.approx([12.5, 31.25, 87.5])
    school = result.schools[2]
    assert school.contributions == pytest.approx({"x": 75.0, "y": 12.5})
    assert school.weight_shares == pytest.approx({"x": 0.75, "y": 0.25})
    assert school.normalized == pytest.approx({"x": 100.0, "y": 50.0})


TWO_WITH_GAPS = {"x": [1, 2, 3, None], "y": [None, 10, 20, 30]}


def test_missing_reweight_scores_over_the_indicators_present():
    result = need(TWO_WITH_GAPS, missing="reweight")
    assert col(result, "score") == [0.0, 25.0, 75.0, 100.0]
    assert col(result, "rank") == [4, 3, 2, 1]
    assert col(result, "missing") == [("y",), (), (), ("x",)]
    assert result.schools[0].contributions == {"x": 0.0}  # a missing indicator is absent, never a zero
    assert result.schools[0].weight_shares == {"x": 1.0}


def test_missing_median_imputes_the_median_of_the_values_present():
    result = need(TWO_WITH_GAPS, missing="median")
    # x: D gets median(1, 2, 3) = 2 → ranks 1, 2.5, 4, 2.5; y: A gets median(10, 20, 30) = 20
    assert col(result, "score") == [25.0, 25.0, 75.0, 75.0]
    assert col(result, "rank") == [3, 3, 1, 1]
    assert col(result, "tier_name") == ["Low", "Low", "High", "High"]
    assert col(result, "imputed") == [("y",), (), (), ("x",)]
    assert result.schools[3].normalized == {"x": 50.0, "y": 100.0}


def test_missing_exclude_drops_incomplete_schools_and_normalizes_the_rest():
    result = need(TWO_WITH_GAPS, missing="exclude")
    assert col(result, "excluded") == [True, False, False, True]
    assert col(result, "score") == [None, 0.0, 100.0, None]
    assert col(result, "rank") == [None, 2, 1, None]
    assert col(result, "tier_name") == [None, "Low", "High", None]
    assert result.schools[0].reason == "missing y (missing-data rule: exclude)"
    assert result.schools[0].contributions == {}


@pytest.mark.parametrize("rule", ["reweight", "median", "exclude"])
def test_a_school_missing_every_indicator_is_excluded_under_any_rule(rule):
    result = need({"x": [1, 2, None], "y": [5, None, None]}, missing=rule)
    last = result.schools[2]
    assert last.excluded and last.score is None and last.rank is None and last.tier is None
    assert last.reason == MISSING_ALL
    assert last.missing == ("x", "y")


def test_zero_weight_indicator_does_not_count_for_missing_or_score():
    result = need({"x": [1, 2, 3], "z": [None, None, 9]}, weights={"z": 0}, missing="exclude")
    assert col(result, "excluded") == [False, False, False]
    assert col(result, "score") == [0.0, 50.0, 100.0]
    assert result.schools[2].contributions == {"x": 100.0, "z": 0.0}


def test_custom_cut_points_put_a_score_on_a_cut_in_the_needier_tier():
    result = need({"x": [0, 20, 40, 60, 79, 100]}, normalization="minmax", cut_points=[20, 40, 60, 80])
    assert col(result, "tier_name") == ["Lowest", "Low", "Moderate", "High", "High", "Highest"]


def test_nineteen_schools_split_four_four_three_four_four():
    result = need({"x": list(range(19))})
    counts = [col(result, "tier").count(t) for t in range(1, 6)]
    assert counts == [4, 4, 3, 4, 4]


def test_explain_names_the_largest_contributions_first():
    result = need({"frpm": [90, 10, 50], "asthma": [80, 20, 10], "ela": [5, 7, 9]})
    highest = result.schools[0]
    assert highest.tier_name == "Highest"
    assert [code for code, _ in explain(highest, top=2)] == ["asthma", "frpm"]


def test_compare_models_reports_rank_and_tier_shifts():
    values = {"frpm": [90, 60, 30, 10, 50], "asthma": [10, 20, 90, 80, 50]}
    a = need(values, weights={"frpm": 1, "asthma": 0})
    b = need(values, weights={"frpm": 0, "asthma": 1})
    shifts = {shift.school_id: shift for shift in compare_models(a, b)}
    assert list(shifts) == ["A", "B", "C", "D", "E"]
    assert (shifts["A"].rank_a, shifts["A"].rank_b, shifts["A"].rank_shift) == (1, 5, -4)
    assert (shifts["C"].tier_name_a, shifts["C"].tier_name_b, shifts["C"].tier_shift) == ("Low", "Highest", 3)
    assert not shifts["E"].tier_changed and shifts["E"].rank_shift == 0


def test_compare_models_keeps_schools_in_only_one_model():
    a = need({"x": [1, 2]}, ids=["A", "B"])
    b = need({"x": [1, 2, None]}, ids=["B", "C", "D"])
    shifts = compare_models(a, b)
    assert [s.school_id for s in shifts] == ["A", "B", "C", "D"]
    assert shifts[0].rank_b is None and shifts[0].rank_shift is None
    assert shifts[3].rank_b is None  # excluded in b


@pytest.mark.parametrize("kwargs, message", [
    ({"weights": {"x": -1}}, "negative"),
    ({"weights": {"x": 0}}, "weight above 0"),
    ({"weights": {"x": math.nan}}, "finite"),
    ({"normalization": "rank"}, "Unknown normalization"),
    ({"missing": "zero"}, "Unknown missing-data rule"),
    ({"cut_points": [1, 2, 3]}, "4 finite cut points"),
    ({"cut_points": [1, 3, 2, 4]}, "strictly ascending"),
])
def test_bad_options_raise_need_index_error(kwargs, message):
    with pytest.raises(NeedIndexError, match=message):
        need({"x": [1, 2, 3]}, **kwargs)


def test_bad_inputs_raise_need_index_error():
    spec = [IndicatorSpec("x", 1)]
    with pytest.raises(NeedIndexError, match="more than once"):
        compute_need(NeedInput(["A", "A"], {"x": [1, 2]}, spec))
    with pytest.raises(NeedIndexError, match="given more than once"):
        compute_need(NeedInput(["A"], {"x": [1]}, [IndicatorSpec("x", 1), IndicatorSpec("x", 2)]))
    with pytest.raises(NeedIndexError, match="2 values for 3 schools"):
        compute_need(NeedInput(["A", "B", "C"], {"x": [1, 2]}, spec))
    with pytest.raises(NeedIndexError, match="No values given"):
        compute_need(NeedInput(["A"], {}, spec))
    with pytest.raises(NeedIndexError, match="not a number"):
        compute_need(NeedInput(["A"], {"x": ["lots"]}, spec))
    with pytest.raises(NeedIndexError, match="infinite"):
        compute_need(NeedInput(["A"], {"x": [math.inf]}, spec))
    with pytest.raises(NeedIndexError, match="no value for any school"):
        compute_need(NeedInput(["A", "B"], {"x": [None, None]}, spec))
    with pytest.raises(NeedIndexError, match="at least one indicator"):
        compute_need(NeedInput(["A"], {}, []))


def test_nan_is_missing_like_none():
    assert col(need({"x": [1, math.nan, 3]}), "missing") == [(), ("x",), ()]


# --- properties ------------------------------------------------------------------------------------------

VALUE = st.one_of(st.none(), st.integers(-5, 5).map(float), st.floats(-1e3, 1e3, allow_nan=False))


@st.composite
def need_inputs(draw, *, missing_values=True, normalizations=("percentile", "zscore", "minmax"),
                rules=("reweight", "median", "exclude")):
    n = draw(st.integers(1, 25))
    k = draw(st.integers(1, 4))
    codes = [f"i{j}" for j in range(k)]
    value = VALUE if missing_values else VALUE.filter(lambda v: v is not None)
    values = {code: draw(st.lists(value, min_size=n, max_size=n)) for code in codes}
    weights = draw(st.lists(st.floats(0, 10, allow_nan=False), min_size=k, max_size=k))
    assume(any(w > 0 for w in weights))
    for code, weight in zip(codes, weights, strict=True):  # a weighted indicator needs at least one value
        assume(weight == 0 or any(v is not None for v in values[code]))
    directions = draw(st.lists(st.booleans(), min_size=k, max_size=k))
    specs = [IndicatorSpec(c, w, d) for c, w, d in zip(codes, weights, directions, strict=True)]
    return NeedInput(school_ids=[f"s{i}" for i in range(n)], values=values, indicators=specs,
                     normalization=draw(st.sampled_from(normalizations)), missing=draw(st.sampled_from(rules)))


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@PROPERTY
@given(need_inputs(normalizations=("percentile", "minmax")))
def test_percentile_and_minmax_scores_lie_in_0_100(inp):
    for school in compute_need(inp).schools:
        assert school.excluded or 0.0 <= school.score <= 100.0


@PROPERTY
@given(need_inputs())
def test_contributions_sum_to_the_score(inp):
    for school in compute_need(inp).schools:
        if school.excluded:
            assert school.score is None and school.contributions == {}
        else:
            assert math.fsum(school.contributions.values()) == pytest.approx(school.score, abs=1e-9)
            assert math.fsum(school.weight_shares.values()) == pytest.approx(1.0)


@PROPERTY
@given(need_inputs(), st.randoms(use_true_random=False))
def test_permuting_schools_permutes_results(inp, rnd):
    order = list(range(len(inp.school_ids)))
    rnd.shuffle(order)
    shuffled = NeedInput(
        school_ids=[inp.school_ids[i] for i in order],
        values={code: [column[i] for i in order] for code, column in inp.values.items()},
        indicators=inp.indicators, normalization=inp.normalization, missing=inp.missing)
    before = compute_need(inp).by_id()
    after = compute_need(shuffled)
    assert [s.school_id for s in after.schools] == [inp.school_ids[i] for i in order]
    for school in after.schools:
        assert school == before[school.school_id]


@PROPERTY
@given(need_inputs(), st.data())
def test_raising_a_more_need_value_never_lowers_that_schools_score(inp, data):
    i = data.draw(st.integers(0, len(inp.school_ids) - 1))
    k = data.draw(st.integers(0, len(inp.indicators) - 1))
    spec = inp.indicators[k]
    current = inp.values[spec.code][i]
    assume(current is not None)
    step = data.draw(st.floats(0.001, 500))
    raised = current + step if spec.higher_is_more_need else current - step
    values = {code: list(column) for code, column in inp.values.items()}
    values[spec.code][i] = raised
    before = compute_need(inp).schools[i]
    after = compute_need(NeedInput(inp.school_ids, values, inp.indicators, inp.normalization, inp.missing)).schools[i]
    assert before.excluded == after.excluded
    if not before.excluded:
        assert after.score >= before.score - 1e-9


@PROPERTY
@given(need_inputs(missing_values=False))
def test_quintile_tiers_hold_n_over_5_plus_or_minus_one_without_ties(inp):
    result = compute_need(inp)
    scores = [s.score for s in result.schools]
    assume(len({round(s, 6) for s in scores}) == len(scores))
    n = len(scores)
    tiers = col(result, "tier")
    for tier in range(1, 6):
        assert math.floor(n / 5) <= tiers.count(tier) <= math.ceil(n / 5)
    # tiers follow the ranking: a needier school is never in a less needy tier
    by_rank = sorted(result.schools, key=lambda s: s.rank)
    assert [s.tier for s in by_rank] == sorted(tiers)
    assert sorted(col(result, "rank")) == list(range(1, n + 1))


@PROPERTY
@given(need_inputs(), st.data())
def test_identical_schools_tie_in_score_rank_and_tier(inp, data):
    i = data.draw(st.integers(0, len(inp.school_ids) - 1))
    values = {code: [*column, column[i]] for code, column in inp.values.items()}
    twin = NeedInput([*inp.school_ids, "twin"], values, inp.indicators, inp.normalization, inp.missing)
    result = compute_need(twin)
    one, two = result.schools[i], result.schools[-1]
    assert (one.score, one.rank, one.tier, one.excluded) == (two.score, two.rank, two.tier, two.excluded)
    assert one.contributions == two.contributions


@PROPERTY
@given(need_inputs())
def test_ranks_are_min_ranks_and_tier_names_match(inp):
    result = compute_need(inp)
    scored = [s for s in result.schools if not s.excluded]
    # Ties are chained as documented: neighbours (in descending order) within 1e-9 (relative above 1)
    # share a group; a school's rank is 1 + the number of schools in the groups above it.
    ordered = sorted(scored, key=lambda s: -s.score)
    group_start, starts = 0, {}
    for index, school in enumerate(ordered):
        if index and abs(ordered[index - 1].score - school.score) > 1e-9 * max(1.0, abs(school.score)):
            group_start = index
        starts[school.school_id] = group_start
    for school in scored:
        assert school.rank == starts[school.school_id] + 1
        assert school.tier_name == TIERS[school.tier - 1]


@PROPERTY
@given(need_inputs())
def test_flipping_direction_and_sign_changes_nothing(inp):
    flipped = NeedInput(
        inp.school_ids,
        {code: [None if v is None else -v for v in column] for code, column in inp.values.items()},
        [IndicatorSpec(s.code, s.weight, not s.higher_is_more_need) for s in inp.indicators],
        inp.normalization, inp.missing)
    assert compute_need(flipped).schools == compute_need(inp).schools
