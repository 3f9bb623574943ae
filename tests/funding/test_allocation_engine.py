"""The pure allocation engine: hand-worked cases per method, LP optima against brute force, infeasibility
messages, and properties (hypothesis) every allocation must have."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from equitable.funding.allocation import (
    METHODS,
    AllocationError,
    AllocationOptions,
    InfeasibleAllocation,
    SchoolInput,
    allocate,
    weighted_gini,
)


def amounts(schools, **options):
    result = allocate(schools, AllocationOptions(**options))
    return [s.amount for s in result.schools]


def close(a, b, tol=1e-6):
    return all(math.isclose(x, y, rel_tol=tol, abs_tol=tol * max(1.0, abs(y))) for x, y in zip(a, b, strict=True))


THREE = [
    SchoolInput("a", 100, need=90, tier=1),
    SchoolInput("b", 200, need=50, tier=3),
    SchoolInput("c", 300, need=10, tier=5),
]


# -- hand-worked cases --------------------------------------------------------------------------------------------
def test_even_per_school_and_per_pupil():
    assert close(amounts(THREE, method="even_school", pool=60000), [20000, 20000, 20000])
    assert close(amounts(THREE, method="even_pupil", pool=60000), [10000, 20000, 30000])


def test_tiered_rates_scaled_to_the_pool():
    # units: 3·100 + 2·200 + 1·300 = 1000 → $60 a unit
    assert close(amounts(THREE, method="tiered", pool=60000, tier_rates=[3, 2.5, 2, 1.5, 1]), [18000, 24000, 18000])


def test_weighted_student_formula_as_fsf():
    schools = [SchoolInput("a", 100, poverty=100, english_learners=50, grade_weight=1.08),
               SchoolInput("b", 100, disabilities=10)]
    # units a = 108 + .12·100 + .4·50 = 140; b = 100 + .4·10 = 104
    got = amounts(schools, method="weighted", pool=24400)
    assert close(got, [24400 * 140 / 244, 24400 * 104 / 244])
    got = amounts(schools, method="weighted", pool=100, weights={"poverty": 0, "english_learners": 0})
    assert close(got, [100 * 108 / 212, 100 * 104 / 212])


def test_proportional_closed_form_and_water_filling():
    # weights e·(1 + s/100): 190, 300, 330 → 820
    assert close(amounts(THREE, method="proportional", pool=82000), [19000, 30000, 33000])
    # β = 0 is even per pupil
    assert close(amounts(THREE, method="proportional", pool=60000, need_multiplier=0), [10000, 20000, 30000])
    # cap a at 5,000: the rest (77,000) goes to b and c in 300:330
    schools = [SchoolInput("a", 100, need=90, cap=5000), *THREE[1:]]
    assert close(amounts(schools, method="proportional", pool=82000),
                 [5000, 77000 * 300 / 630, 77000 * 330 / 630])
    # floor c at 40,000: a and b share 42,000 in 190:300
    schools = [*THREE[:2], SchoolInput("c", 300, need=10, floor=40000)]
    assert close(amounts(schools, method="proportional", pool=82000),
                 [42000 * 190 / 490, 42000 * 300 / 490, 40000])


def test_need_as_0_to_1_shares_is_read_like_0_to_100_scores():
    shares = [SchoolInput(s.school_id, s.enrollment, need=s.need / 100, tier=s.tier) for s in THREE]
    for method in ("proportional", "maxmin"):
        scored = allocate(THREE, AllocationOptions(method=method, pool=82000))
        shared = allocate(shares, AllocationOptions(method=method, pool=82000))
        assert close([s.amount for s in shared.schools], [s.amount for s in scored.schools])
        assert (scored.need_scale, shared.need_scale) == (100.0, 1.0)
    # told the scale, shares read as 0–100 scores make proportional nearly even per pupil
    flat = amounts(shares, method="proportional", pool=82000, need_scale=100)
    weights = (100 * 1.009, 200 * 1.005, 300 * 1.001)
    assert close(flat, [82000 * w / sum(weights) for w in weights])
    with pytest.raises(AllocationError, match="need scale must be positive"):
        allocate(THREE, AllocationOptions(method="proportional", pool=1, need_scale=0))


def test_negative_need_orders_schools_but_is_no_share():
    # a z-score need model: negative scores still order the schools for monotone per-pupil …
    schools = [SchoolInput("a", 200, need=1.2), SchoolInput("b", 100, need=-0.8), SchoolInput("c", 100, need=0.1)]
    result = allocate(schools, AllocationOptions(method="even_school", pool=300, monotone_per_pupil=True))
    per_pupil = {s.school_id: s.per_pupil for s in result.schools}
    assert per_pupil["a"] >= per_pupil["c"] - 1e-9 and per_pupil["c"] >= per_pupil["b"] - 1e-9
    # … but proportional and max–min read need as a share, which cannot be negative
    for method in ("proportional", "maxmin"):
        with pytest.raises(AllocationError, match=r"School b: need must not be negative \(-0.8\)"):
            allocate(schools, AllocationOptions(method=method, pool=300))


def test_hold_harmless_keeps_a_share_of_the_prior():
    schools = [SchoolInput("a", 100, need=0, prior=50000), SchoolInput("b", 100, need=0, prior=0)]
    assert close(amounts(schools, method="even_pupil", pool=60000, hold_harmless=0.9), [45000, 15000])
    assert close(amounts(schools, method="even_pupil", pool=60000), [30000, 30000])   # no percentage: no bound


def test_floors_apply_to_every_method():
    schools = [SchoolInput("a", 10, need=5, tier=5, floor=30000), SchoolInput("b", 990, need=95, tier=1)]
    for method in METHODS:
        got = amounts(schools, method=method, pool=100000)
        assert got[0] >= 30000 - 1e-6 and math.isclose(sum(got), 100000), method


def test_even_amount_and_difference():
    result = allocate(THREE, AllocationOptions(method="even_school", pool=60000))
    assert [s.even_amount for s in result.schools] == pytest.approx([10000, 20000, 30000])
    assert [s.difference_from_even for s in result.schools] == pytest.approx([10000, 0, -10000])
    assert [s.per_pupil for s in result.schools] == pytest.approx([200, 100, 200 / 3])


def test_maxmin_hand_worked():
    # demand d = e·s/100 = 90, 100, 30; no bounds: x ∝ d, t* = 60000/220
    result = allocate(THREE, AllocationOptions(method="maxmin", pool=60000))
    assert close([s.amount for s in result.schools], [60000 * 90 / 220, 60000 * 100 / 220, 60000 * 30 / 220])
    assert result.metrics.optimum == pytest.approx(60000 / 220)


def test_minspread_levels_up_the_lowest_first():
    schools = [SchoolInput("a", 100, base=10000), SchoolInput("b", 100, base=0), SchoolInput("c", 100, base=2000)]
    # 5,000: b reaches c's 20/pupil with 2,000; the other 3,000 lifts b and c to 35/pupil each
    assert close(amounts(schools, method="minspread", pool=5000), [0, 3500, 1500])
    result = allocate(schools, AllocationOptions(method="minspread", pool=5000))
    assert result.metrics.optimum == pytest.approx(100 - 35)
    # a pool large enough levels everyone
    assert close(amounts(schools, method="minspread", pool=24000), [2000, 12000, 10000])


def test_minimum_grant_drops_and_redistributes():
    schools = [SchoolInput("a", 1000, need=0), SchoolInput("b", 1000, need=0), SchoolInput("c", 10, need=0)]
    result = allocate(schools, AllocationOptions(method="even_pupil", pool=20100, minimum_grant=500))
    assert close([s.amount for s in result.schools], [10050, 10050, 0])
    assert result.metrics.dropped == ("c",)


def test_minimum_grant_iterates_until_stable():
    # tier rates 1, .., and a pool where dropping the smallest does not lift the next one over the line
    schools = [SchoolInput("a", 1000), SchoolInput("b", 40), SchoolInput("c", 20)]
    result = allocate(schools, AllocationOptions(method="even_pupil", pool=10600, minimum_grant=500))
    assert close([s.amount for s in result.schools], [10600, 0, 0])


def test_no_spend_exactly_reports_the_remainder():
    schools = [SchoolInput("a", 100, cap=1000), SchoolInput("b", 100, cap=2000)]
    result = allocate(schools, AllocationOptions(method="even_pupil", pool=5000, spend_exactly=False))
    assert close([s.amount for s in result.schools], [1000, 2000])
    assert result.total == pytest.approx(3000) and result.remainder == pytest.approx(2000)


def test_monotone_projects_a_closed_form_onto_the_nearest_monotone_allocation():
    schools = [SchoolInput("a", 200, need=90), SchoolInput("b", 100, need=10)]
    assert close(amounts(schools, method="even_school", pool=300), [150, 150])            # a: .75/pupil < b: 1.5
    # nearest with x_a/200 ≥ x_b/100: the two are pooled to one per-pupil amount, 300/300 = $1
    assert close(amounts(schools, method="even_school", pool=300, monotone_per_pupil=True), [200, 100])


def test_monotone_constraints_in_the_lps():
    schools = [SchoolInput("a", 100, need=90, base=0), SchoolInput("b", 100, need=10, base=5000)]
    # min-spread alone gives everything to a (levelling); it is monotone already
    assert close(amounts(schools, method="minspread", pool=3000, monotone_per_pupil=True), [3000, 0])
    # b has a floor: monotone forces a to at least the same per pupil
    schools = [SchoolInput("a", 100, need=90, base=10000), SchoolInput("b", 100, need=10, floor=2000)]
    got = amounts(schools, method="minspread", pool=5000, monotone_per_pupil=True)
    assert got[0] / 100 >= got[1] / 100 - 1e-9 and math.isclose(sum(got), 5000)
    assert close(got, [2500, 2500])
    got = amounts(schools, method="maxmin", pool=5000, monotone_per_pupil=True)
    assert got[0] >= got[1] - 1e-6 and math.isclose(sum(got), 5000)


# -- LP optima against brute force --------------------------------------------------------------------------------
def grid(total, lower, upper, steps=400):
    """Every split of `total` on a grid (2 or 3 schools) within the bounds."""
    n = len(lower)
    points = np.linspace(0, total, steps + 1)
    for head in itertools.product(points, repeat=n - 1):
        last = total - sum(head)
        x = [*head, last]
        if all(lo - 1e-9 <= v <= hi + 1e-9 for v, lo, hi in zip(x, lower, upper, strict=True)):
            yield x


@pytest.mark.parametrize("case", [
    dict(e=[100, 300], s=[80, 20], floor=[0, 0], cap=[math.inf, math.inf], pool=1000),
    dict(e=[100, 300], s=[80, 20], floor=[0, 600], cap=[math.inf, math.inf], pool=1000),
    dict(e=[100, 300, 50], s=[80, 20, 60], floor=[0, 0, 0], cap=[200, math.inf, math.inf], pool=1000),
    dict(e=[120, 80, 200], s=[30, 90, 60], floor=[100, 0, 0], cap=[math.inf, 150, 500], pool=900),
])
def test_maxmin_level_matches_brute_force(case):
    schools = [SchoolInput(str(i), e, need=s, floor=f, cap=None if c == math.inf else c)
               for i, (e, s, f, c) in enumerate(zip(case["e"], case["s"], case["floor"], case["cap"], strict=True))]
    result = allocate(schools, AllocationOptions(method="maxmin", pool=case["pool"]))
    demand = [e * s / 100 for e, s in zip(case["e"], case["s"], strict=True)]
    best = max(min(x / d for x, d in zip(xs, demand, strict=True))
               for xs in grid(case["pool"], case["floor"], case["cap"], steps=300 if len(demand) == 2 else 150))
    assert result.metrics.optimum >= best - 1e-9
    assert result.metrics.optimum <= best * 1.02 + 1e-9     # the grid is within 2 % of the optimum
    got = [s.amount for s in result.schools]
    assert min(x / d for x, d in zip(got, demand, strict=True)) >= result.metrics.optimum * (1 - 1e-6)


@pytest.mark.parametrize("case", [
    dict(e=[100, 300], base=[0, 9000], floor=[0, 0], cap=[math.inf, math.inf], pool=1000),
    dict(e=[100, 300, 50], base=[1000, 0, 500], floor=[0, 0, 0], cap=[math.inf, 800, math.inf], pool=3000),
    dict(e=[100, 200, 50], base=[0, 0, 0], floor=[0, 0, 900], cap=[math.inf, math.inf, math.inf], pool=1500),
])
def test_minspread_gap_matches_brute_force(case):
    schools = [SchoolInput(str(i), e, base=b, floor=f, cap=None if c == math.inf else c)
               for i, (e, b, f, c) in enumerate(zip(case["e"], case["base"], case["floor"], case["cap"], strict=True))]
    result = allocate(schools, AllocationOptions(method="minspread", pool=case["pool"]))

    def spread(xs):
        levels = [(b + x) / e for x, b, e in zip(xs, case["base"], case["e"], strict=True)]
        return max(levels) - min(levels)

    best = min(spread(xs) for xs in grid(case["pool"], case["floor"], case["cap"], steps=300))
    got = [s.amount for s in result.schools]
    assert spread(got) == pytest.approx(result.metrics.optimum, abs=1e-6)
    assert result.metrics.optimum <= best + 1e-9
    assert result.metrics.optimum >= best - 0.05 * max(1.0, best) - 1.0   # grid resolution


# -- infeasible options name the conflict -------------------------------------------------------------------------
def test_pool_below_the_floors():
    schools = [SchoolInput("a", 100, floor=30000), SchoolInput("b", 100, floor=30000)]
    with pytest.raises(InfeasibleAllocation) as caught:
        allocate(schools, AllocationOptions(method="even_pupil", pool=50000))
    assert "$50,000" in str(caught.value) and "floors $60,000" in str(caught.value)
    assert caught.value.constraints == ("pool", "floors")


def test_floor_above_cap():
    with pytest.raises(InfeasibleAllocation) as caught:
        allocate([SchoolInput("a", 100, floor=3000, cap=2000)], AllocationOptions(method="even_pupil", pool=5000))
    assert "school a: floor $3,000 above its cap $2,000" in str(caught.value)
    assert set(caught.value.constraints) == {"floors", "caps"}


def test_hold_harmless_above_the_pool():
    schools = [SchoolInput("a", 100, prior=100000), SchoolInput("b", 100, prior=100000)]
    with pytest.raises(InfeasibleAllocation) as caught:
        allocate(schools, AllocationOptions(method="even_pupil", pool=150000, hold_harmless=0.9))
    assert "hold-harmless $180,000" in str(caught.value) and "$150,000" in str(caught.value)
    assert caught.value.constraints == ("pool", "hold_harmless")


def test_caps_below_the_pool_when_spending_exactly():
    schools = [SchoolInput("a", 100, cap=1000), SchoolInput("b", 100, cap=2000)]
    with pytest.raises(InfeasibleAllocation) as caught:
        allocate(schools, AllocationOptions(method="even_pupil", pool=5000))
    assert "at most $3,000" in str(caught.value) and "$5,000" in str(caught.value)
    assert caught.value.constraints == ("pool", "caps")


def test_monotone_against_caps_and_floors():
    schools = [SchoolInput("a", 100, need=90, cap=1000), SchoolInput("b", 100, need=10, floor=5000)]
    with pytest.raises(InfeasibleAllocation) as caught:
        allocate(schools, AllocationOptions(method="proportional", pool=6000, monotone_per_pupil=True))
    assert "school a (need 90) is capped at $1,000" in str(caught.value)
    assert "school b (need 10) must get at least $5,000" in str(caught.value)
    assert "monotone_per_pupil" in caught.value.constraints
    # caps of the needy schools limit what the less needy ones may get
    schools = [SchoolInput("a", 100, need=90, cap=1000), SchoolInput("b", 100, need=10)]
    with pytest.raises(InfeasibleAllocation) as caught:
        allocate(schools, AllocationOptions(method="even_pupil", pool=6000, monotone_per_pupil=True))
    assert "at most $2,000" in str(caught.value)
    result = allocate(schools, AllocationOptions(method="even_pupil", pool=6000, monotone_per_pupil=True,
                                                 spend_exactly=False))
    assert result.remainder == pytest.approx(4000)


def test_minimum_grant_against_a_small_floor_and_monotone():
    with pytest.raises(InfeasibleAllocation) as caught:
        allocate([SchoolInput("a", 100, floor=100), SchoolInput("b", 100)],
                 AllocationOptions(method="even_pupil", pool=5000, minimum_grant=500))
    assert "minimum grant $500" in str(caught.value) and "$100" in str(caught.value)
    schools = [SchoolInput("a", 5, need=90), SchoolInput("b", 1000, need=10)]
    with pytest.raises(InfeasibleAllocation) as caught:
        allocate(schools, AllocationOptions(method="even_pupil", pool=10000, minimum_grant=200,
                                            monotone_per_pupil=True))
    assert "drops school a (need 90)" in str(caught.value)
    assert set(caught.value.constraints) == {"minimum_grant", "monotone_per_pupil"}


@pytest.mark.parametrize("schools, options, message", [
    ([SchoolInput("a", -5)], dict(method="even_pupil", pool=1), "enrollment must be positive"),
    ([SchoolInput("a", 5)], dict(method="magic", pool=1), "Unknown method 'magic'"),
    ([SchoolInput("a", 5)], dict(method="even_pupil", pool=-1), "pool must not be negative"),
    ([SchoolInput("a", 5)], dict(method="tiered", pool=1), "need tier (1..5) for every school; missing for a"),
    ([SchoolInput("a", 5)], dict(method="proportional", pool=1), "proportional needs a need score"),
    ([SchoolInput("a", 5), SchoolInput("a", 6)], dict(method="even_pupil", pool=1), "appears twice"),
    ([SchoolInput("a", 5, poverty=6)], dict(method="weighted", pool=1), "poverty must be between 0"),
    ([SchoolInput("a", 5)], dict(method="weighted", pool=1, weights={"gifted": 1}), "Unknown weight 'gifted'"),
    ([SchoolInput("a", 5, tier=1)], dict(method="tiered", pool=1, tier_rates=[1, 2]), "Tier rates need 5"),
    ([SchoolInput("a", 5, need=0)], dict(method="maxmin", pool=1), "at least one school with a need"),
    ([], dict(method="even_pupil", pool=1), "No schools"),
])
def test_bad_input(schools, options, message):
    with pytest.raises(AllocationError) as caught:
        allocate(schools, AllocationOptions(**options))
    assert message in str(caught.value)


# -- metrics ------------------------------------------------------------------------------------------------------
def test_metrics_hand_worked():
    assert weighted_gini(np.array([0.0, 1.0]), np.array([1.0, 1.0])) == pytest.approx(0.5)
    assert weighted_gini(np.array([2.0, 2.0, 2.0]), np.array([1.0, 5.0, 9.0])) == 0.0
    # enrollment-weighted: 3 students at 0, 1 at 4 → mean 1; Σ|.|/(2·16·1) = 2·3·4/32
    assert weighted_gini(np.array([0.0, 4.0]), np.array([3.0, 1.0])) == pytest.approx(0.75)
    result = allocate(THREE, AllocationOptions(method="tiered", pool=60000))
    m = result.metrics
    assert m.tier_ratio == pytest.approx(3.0)           # rates 3 : 1
    assert m.share_to_highest_quintile == pytest.approx(18000 / 60000)
    assert m.need_correlation == pytest.approx(1.0)
    flat = allocate(THREE, AllocationOptions(method="even_pupil", pool=60000)).metrics
    assert flat.gini_per_pupil == pytest.approx(0.0, abs=1e-12) and flat.need_correlation is None


# -- properties ---------------------------------------------------------------------------------------------------
@st.composite
def problems(draw, methods=METHODS):
    n = draw(st.integers(1, 7))
    method = draw(st.sampled_from(methods))
    schools = []
    for i in range(n):
        e = draw(st.integers(1, 3000))
        floor = draw(st.sampled_from([0.0, 0.0, float(draw(st.integers(0, 50000)))]))
        cap = draw(st.one_of(st.none(), st.integers(0, 200000).map(lambda c, f=floor: f + c)))
        schools.append(SchoolInput(
            school_id=f"s{i}", enrollment=e, need=float(draw(st.integers(1, 100))), tier=draw(st.integers(1, 5)),
            floor=floor, cap=cap, prior=draw(st.one_of(st.none(), st.integers(0, 60000).map(float))),
            base=float(draw(st.integers(0, 100000))), poverty=draw(st.integers(0, e)),
            english_learners=draw(st.integers(0, e)), disabilities=draw(st.integers(0, e)),
        ))
    hold = draw(st.sampled_from([None, 0.5, 0.9]))
    lower = sum(max(s.floor, (hold or 0) * (s.prior or 0)) for s in schools)
    capacity = sum(math.inf if s.cap is None else s.cap for s in schools)
    assume(all(max(s.floor, (hold or 0) * (s.prior or 0)) <= (s.cap if s.cap is not None else math.inf)
               for s in schools))
    extra = draw(st.integers(0, 2_000_000))
    pool = float(min(lower + extra, capacity))
    options = dict(method=method, pool=pool, hold_harmless=hold,
                   tier_rates=draw(st.sampled_from([None, [3, 2.5, 2, 1.5, 1], [1, 1, 1, 1, 1]])))
    return schools, options


def check_bounds(schools, got, hold):
    for s, x in zip(schools, got, strict=True):
        lower = max(s.floor, (hold or 0) * (s.prior or 0))
        assert x >= lower - 1e-6 * max(1, lower) - 1e-6
        if s.cap is not None:
            assert x <= s.cap + 1e-6 * max(1, s.cap) + 1e-6
        assert x >= 0


PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@PROPERTY_SETTINGS
@given(problems())
def test_sums_to_the_pool_within_bounds_and_permutes(problem):
    schools, options = problem
    result = allocate(schools, AllocationOptions(**options))
    got = [s.amount for s in result.schools]
    assert sum(got) == pytest.approx(options["pool"], rel=1e-7, abs=1e-5)
    assert result.remainder == 0
    check_bounds(schools, got, options["hold_harmless"])
    reversed_result = allocate(schools[::-1], AllocationOptions(**options))
    by_id = {s.school_id: s.amount for s in reversed_result.schools}
    tolerance = 1e-6 * max(1.0, options["pool"])
    assert all(abs(by_id[s.school_id] - s.amount) <= tolerance for s in result.schools)


@PROPERTY_SETTINGS
@given(problems(), st.sampled_from([0.25, 3.7, 1000.0]))
def test_scaling_the_pool_and_bounds_scales_the_amounts(problem, c):
    schools, options = problem
    scaled = [SchoolInput(s.school_id, s.enrollment, need=s.need, tier=s.tier, floor=s.floor * c,
                          cap=None if s.cap is None else s.cap * c, prior=None if s.prior is None else s.prior * c,
                          base=s.base * c, poverty=s.poverty, english_learners=s.english_learners,
                          disabilities=s.disabilities) for s in schools]
    got = [s.amount for s in allocate(schools, AllocationOptions(**options)).schools]
    again = [s.amount for s in allocate(scaled, AllocationOptions(**{**options, "pool": options["pool"] * c})).schools]
    tolerance = 1e-6 * max(1.0, options["pool"] * c)
    assert all(abs(b - a * c) <= tolerance for a, b in zip(got, again, strict=True))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(problems())
def test_monotone_per_pupil_when_asked(problem):
    schools, options = problem
    try:
        result = allocate(schools, AllocationOptions(**options, monotone_per_pupil=True))
    except InfeasibleAllocation as exc:
        assert "monotone_per_pupil" in exc.constraints
        return
    got = [s.amount for s in result.schools]
    assert sum(got) == pytest.approx(options["pool"], rel=1e-7, abs=1e-5)
    check_bounds(schools, got, options["hold_harmless"])
    scale = max(s.per_pupil for s in result.schools)
    for a, b in itertools.permutations(zip(schools, result.schools, strict=True), 2):
        if a[0].need > b[0].need:
            assert a[1].per_pupil >= b[1].per_pupil - 1e-6 * max(1.0, scale)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(problems(), st.integers(0, 40000))
def test_minimum_grant_property(problem, grant):
    schools, options = problem
    try:
        result = allocate(schools, AllocationOptions(**options, minimum_grant=float(grant), spend_exactly=False))
    except InfeasibleAllocation as exc:
        assert "minimum_grant" in exc.constraints
        return
    got = [s.amount for s in result.schools]
    assert all(x == 0 or x >= grant * (1 - 1e-9) for x in got)
    assert sum(got) + result.remainder == pytest.approx(options["pool"], rel=1e-7, abs=1e-5)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(problems(methods=("minspread",)))
def test_minspread_levelling_is_an_lp_optimum(problem):
    from equitable.funding.allocation import lp

    schools, options = problem
    result = allocate(schools, AllocationOptions(**options))
    hold = options["hold_harmless"] or 0
    e = np.array([s.enrollment for s in schools], dtype=float)
    base = np.array([s.base for s in schools])
    lower = np.array([max(s.floor, hold * (s.prior or 0)) for s in schools])
    upper = np.array([math.inf if s.cap is None else s.cap for s in schools])
    gap = lp.minspread_gap(e, base, lower, upper, options["pool"], None, max(options["pool"], 1.0) / len(e))
    assert result.metrics.optimum == pytest.approx(gap, rel=1e-6, abs=1e-6)
