"""Monotone per-pupil without linear programs (allocation/isotonic.py): the max–min level, the min-spread window
and the pooled repair agree with the linear programs and with a general solver on small problems."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from equitable.funding.allocation import (
    AllocationOptions,
    InfeasibleAllocation,
    SchoolInput,
    allocate,
    isotonic,
    lp,
)
from equitable.funding.allocation.monotone import is_monotone, monotone_range, need_groups

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@st.composite
def boxes(draw, max_n=7):
    """Enrollment, need (with ties), per-school bounds that admit a monotone allocation, and a pool that fits."""
    n = draw(st.integers(2, max_n))
    e = np.array([draw(st.integers(1, 2000)) for _ in range(n)], dtype=float)
    need = np.array([float(draw(st.integers(1, 4))) for _ in range(n)])
    lower = np.array([float(draw(st.sampled_from([0, 0, draw(st.integers(0, 40000))]))) for _ in range(n)])
    upper = np.array([draw(st.one_of(st.just(math.inf), st.integers(0, 200000).map(float))) for _ in range(n)])
    upper = lower + upper
    base = np.array([float(draw(st.sampled_from([0, draw(st.integers(0, 90000))]))) for _ in range(n)])
    groups = need_groups(need)
    try:
        least, most = monotone_range(e, lower, upper, groups, [str(i) for i in range(n)], need)
    except InfeasibleAllocation:
        assume(False)
    top = float(most.sum()) if np.isfinite(most).all() else float(least.sum()) + 3_000_000
    fraction = draw(st.floats(0, 1))
    total = float(least.sum()) + fraction * (top - float(least.sum()))
    return e, need, lower, upper, base, groups, total


@SETTINGS
@given(boxes(), st.lists(st.integers(0, 100), min_size=7, max_size=7))
def test_maxmin_level_equals_the_linear_program(problem, scores):
    e, need, lower, upper, _base, groups, total = problem
    demand = e * np.array(scores[: len(e)], dtype=float) / 100
    assume(demand.sum() > 0)
    scale = max(total, 1.0) / len(e)
    for g in (None, groups):
        fast = isotonic.maxmin_level(demand, e, lower, upper, total, g)
        exact = lp.maxmin_level(demand, e, lower, upper, total, g, scale)
        # HiGHS holds its constraints to ~1e-7 of the scaled dollars (and the bisection to 1e-12 of the pool);
        # monotone per-pupil can lever a dollar of slack by up to Σe / min e over a small school's demand
        slack = 1e-7 * max(total, 1.0) * float(e.sum() / e.min()) / float(demand[demand > 0].min())
        assert fast == pytest.approx(exact, rel=1e-6, abs=max(1e-9, 10 * slack))


@SETTINGS
@given(boxes())
def test_minspread_window_equals_the_linear_program(problem):
    e, _need, lower, upper, base, groups, total = problem
    window = isotonic.minspread_window(e, base, lower, upper, total, groups)
    assert window is not None
    gap = lp.minspread_gap(e, base, lower, upper, total, groups, max(total, 1.0) / len(e))
    low, top = window
    scale = max(1.0, abs(low), abs(top))
    # HiGHS holds each row to 1e-7 of its scaled dollars (Σx/n per unit): per pupil that is up to
    # 1e-7·(Σx/n)/min e on each window row and on each monotone row chained between them
    slack = 1e-7 * max(total, 1.0) / len(e) / float(e.min()) * (len(e) + 2)
    assert top - low == pytest.approx(gap, rel=1e-6, abs=max(1e-7 * scale, slack))


def test_minspread_window_keeps_a_gap_the_linear_program_rounds_away():
    # The needier school b starts $1 ahead on 14 pupils, and may not get less per pupil than a: the narrowest
    # window is 1/14 per pupil whatever the pool (at $3M the linear program's tolerance reads it as 0).
    e, base = np.array([1.0, 14.0]), np.array([0.0, 1.0])
    groups = need_groups(np.array([1.0, 2.0]))
    for total in (0.0, 1.0, 3_000_000.0):
        low, top = isotonic.minspread_window(e, base, np.zeros(2), np.full(2, np.inf), total, groups)
        assert top - low == pytest.approx(1 / 14, abs=1e-12 * max(1.0, total))
        assert low == pytest.approx(total / 15, rel=1e-9, abs=1e-9)


def _objective(x, target, e):
    return float(np.sum(e * (x / e - target / e) ** 2))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(boxes(max_n=5), st.lists(st.integers(0, 300000), min_size=5, max_size=5))
def test_pooled_repair_is_the_nearest_monotone_allocation(problem, raw):
    e, need, lower, upper, _base, groups, total = problem
    target = np.array(raw[: len(e)], dtype=float)
    target = target * (total / target.sum()) if target.sum() > 0 else np.full(len(e), total / len(e))
    x = isotonic.project(target, e, lower, upper, total, groups)
    assert x is not None
    assert x.sum() == pytest.approx(total, rel=1e-9, abs=1e-6)
    assert np.all(x >= lower - 1e-6 * np.maximum(1, lower)) and np.all(x <= upper + 1e-6 * np.maximum(1, upper))
    assert is_monotone(x / e, groups, tolerance=1e-6 * max(1.0, float((x / e).max())))
    # no feasible allocation a general solver finds is nearer
    ups = [(lo, None if not math.isfinite(hi) else hi) for lo, hi in zip(lower, upper, strict=True)]
    cons = [{"type": "eq", "fun": lambda y: y.sum() - total}]
    for i in range(len(e)):
        for j in range(len(e)):
            if need[i] > need[j]:
                cons.append({"type": "ineq", "fun": lambda y, i=i, j=j: y[i] / e[i] - y[j] / e[j]})
    start = x + 0.0
    best = minimize(_objective, start, args=(target, e), bounds=ups, constraints=cons, method="SLSQP",
                    options={"maxiter": 500, "ftol": 1e-12})
    if best.success:
        assert _objective(x, target, e) <= _objective(best.x, target, e) * (1 + 1e-6) + 1e-6


def test_pooling_gives_violating_neighbours_one_per_pupil_amount():
    # Even per school: the needier, larger school a would get less per pupil than b; pooled they share one rate.
    schools = [SchoolInput("a", 200, need=90), SchoolInput("b", 100, need=10), SchoolInput("c", 100, need=50)]
    result = allocate(schools, AllocationOptions(method="even_school", pool=300, monotone_per_pupil=True))
    per_pupil = {s.school_id: s.per_pupil for s in result.schools}
    assert per_pupil["a"] == pytest.approx(per_pupil["c"]) == pytest.approx(per_pupil["b"])
    assert sum(s.amount for s in result.schools) == pytest.approx(300)


def test_ten_thousand_schools_with_caps_stay_monotone():
    rng = np.random.default_rng(7)
    n = 10_000
    e = rng.integers(100, 3000, n)
    need = rng.uniform(0, 100, n).round(1)
    schools = [SchoolInput(str(i), int(e[i]), need=float(need[i]), cap=400_000.0) for i in range(n)]
    pool = 100.0 * float(e.sum())
    for method in ("even_school", "weighted", "maxmin", "minspread"):
        result = allocate(schools, AllocationOptions(method=method, pool=pool, monotone_per_pupil=True))
        per_pupil = np.array([s.per_pupil for s in result.schools])
        assert is_monotone(per_pupil, need_groups(need), tolerance=1e-6 * per_pupil.max())
        assert sum(s.amount for s in result.schools) == pytest.approx(pool, rel=1e-9)
