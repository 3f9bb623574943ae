"""Monotone per-pupil by pooling adjacent violators: the fast, exact repair of an allocation in which a needier
school gets less per pupil than a less needy one.

Given the allocation x⁰ a method produced, the repair returns the allocation x with Σx = total, lower ≤ x ≤ upper
and per-pupil amounts v = x/e never lower for a needier school that is nearest to x⁰ in enrollment-weighted
squared per-pupil distance, Σ e_i (v_i − v⁰_i)². Where two neighbours in need order violate the rule they are
pooled to one per-pupil amount (the enrollment-weighted mean, kept inside both schools' bounds): the classic
"ironing" of a schedule, which a board can read as "these schools now get the same per pupil".

How it is solved exactly:
- the pool constraint has a multiplier μ: for a fixed μ the problem is a separable isotonic regression of
  v⁰ − μ with box constraints, which pooling adjacent violators (PAV) solves in O(n) on a total order; the
  pooled block takes the weighted mean of its targets clipped into the intersection of its boxes;
- schools with EQUAL need are not ordered against each other; for a fixed μ the optimum orders them like their
  clipped targets (each one is its target clipped into a common window), so sorting ties by clipped target
  turns the partial order into a total order without losing the optimum;
- the pooled total Σ e_i v_i(μ) is continuous, piecewise linear and non-increasing in μ: Brent's method finds μ
  with Σ = total to rounding, and a last step spreads the cents of rounding.

Returns None when a pooled block's boxes do not intersect (bounds that leave no monotone allocation are reported
by `monotone_range` before this runs; None only sends the caller to the linear program).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from equitable.funding.allocation.monotone import NeedGroups, SortedGroups


def _pav(s: list[float], w: list[float], lo: list[float], hi: list[float]) -> tuple[list[float], list[int]] | None:
    """Pool adjacent violators on a total order: block values and block lengths (None on an empty box)."""
    val: list[float] = []
    sw: list[float] = []
    sws: list[float] = []
    blo: list[float] = []
    bhi: list[float] = []
    size: list[int] = []
    for i in range(len(s)):
        si, wi, li, hi_i = s[i], w[i], lo[i], hi[i]
        v = li if si < li else (hi_i if si > hi_i else si)
        cw, cws, clo, chi, cn = wi, wi * si, li, hi_i, 1
        while val and val[-1] > v:
            cw += sw.pop()
            cws += sws.pop()
            lo_prev = blo.pop()
            hi_prev = bhi.pop()
            cn += size.pop()
            val.pop()
            if lo_prev > clo:
                clo = lo_prev
            if hi_prev < chi:
                chi = hi_prev
            if clo > chi:
                return None
            mean = cws / cw
            v = clo if mean < clo else (chi if mean > chi else mean)
        val.append(v)
        sw.append(cw)
        sws.append(cws)
        blo.append(clo)
        bhi.append(chi)
        size.append(cn)
    return val, size


def project(target: np.ndarray, enrollment: np.ndarray, lower: np.ndarray, upper: np.ndarray, total: float,
            groups: NeedGroups) -> np.ndarray | None:
    """The monotone allocation nearest to `target` (see the module docstring), or None to use the LP instead."""
    e = np.asarray(enrollment, dtype=float)
    t = np.asarray(target, dtype=float) / e
    lv = np.asarray(lower, dtype=float) / e
    uv = np.asarray(upper, dtype=float) / e
    group = groups.index
    weights = e

    def levels(mu: float) -> np.ndarray | None:
        shifted = t - mu
        order = np.lexsort((np.clip(shifted, lv, uv), group))
        pooled = _pav(shifted[order].tolist(), weights[order].tolist(), lv[order].tolist(), uv[order].tolist())
        if pooled is None:
            return None
        values, sizes = pooled
        out = np.empty(len(t))
        out[order] = np.repeat(values, sizes)
        return out

    finite = np.concatenate((t, lv, uv[np.isfinite(uv)]))
    reach = float(finite.max() - finite.min()) + total / float(e.min()) + 1.0
    mu_low, mu_high = float(t.min()) - reach, float(t.max()) + reach
    failed = False

    def gap(mu: float) -> float:
        nonlocal failed
        v = levels(mu)
        if v is None:
            failed = True
            return 0.0
        return float((e * v).sum()) - total

    g_low, g_high = gap(mu_low), gap(mu_high)
    if failed or g_low < -1e-9 * max(total, 1.0) or g_high > 1e-9 * max(total, 1.0):
        return None
    if g_low <= 0.0:
        mu = mu_low
    elif g_high >= 0.0:
        mu = mu_high
    else:
        mu = brentq(gap, mu_low, mu_high, xtol=1e-13 * max(1.0, abs(mu_low), abs(mu_high)), rtol=4 * np.finfo(float).eps,
                    maxiter=300)
    v = levels(mu)
    if failed or v is None:
        return None
    return v * e


# --- The optima of max–min and min-spread under monotone per-pupil, without a linear program --------------------
# Both feasibility questions below reduce to "is there a monotone per-pupil allocation inside these per-school
# per-pupil boxes that spends the pool?", which `_Order.reach` answers in O(n): the least (most) per-pupil
# amount each school can take is its box's low (high) end raised (lowered) to the best low (high) end of the
# strictly less (more) needy groups; the boxes admit a monotone allocation when no least exceeds its high end,
# and the pool fits when Σ e·least ≤ pool ≤ Σ e·most.


class _Order(SortedGroups):
    """Schools sorted by need group once (with their enrollment), so each feasibility test is a few vectorised
    passes."""

    def __init__(self, enrollment: np.ndarray, groups: NeedGroups | None):
        super().__init__(len(enrollment), groups)
        self.e = self.sort(enrollment)

    def reach(self, low: np.ndarray, high: np.ndarray) -> tuple[float, float] | None:
        """(Σ e·least, Σ e·most) of the sorted per-pupil boxes, or None when they admit no monotone allocation."""
        least, most = self.bounds(low, high)
        if np.any(least > high * (1 + 1e-12) + 1e-12):
            return None
        most_total = float(self.e @ most) if np.isfinite(most).all() else np.inf
        return float(self.e @ least), most_total


def _bisect(ok, good: float, bad: float, iterations: int = 200) -> float:
    """The boundary between `good` (ok) and `bad` (not ok) of a monotone predicate, to rounding."""
    for _ in range(iterations):
        middle = 0.5 * (good + bad)
        if middle in (good, bad) or abs(bad - good) <= 1e-14 * max(1.0, abs(good), abs(bad)):
            break
        if ok(middle):
            good = middle
        else:
            bad = middle
    return good


def maxmin_level(demand: np.ndarray, enrollment: np.ndarray, lower: np.ndarray, upper: np.ndarray, total: float,
                 groups: NeedGroups | None) -> float | None:
    """max t such that x_i ≥ t·d_i, Σx ≤ total, lower ≤ x ≤ upper (and monotone per-pupil when `groups`).

    Feasibility only shrinks as t grows, so t* is found by bisection. Returns None when even t = 0 is
    infeasible (the caller's linear program then names the conflict)."""
    order = _Order(enrollment, groups)
    d, lo, hi = order.sort(demand), order.sort(lower), order.sort(upper)
    e = order.e

    def ok(t: float) -> bool:
        floor = np.maximum(lo, t * d)
        reach = order.reach(floor / e, hi / e)
        return reach is not None and reach[0] <= total + 1e-12 * max(total, 1.0)

    if not ok(0.0):
        return None
    positive = d > 0
    if not positive.any():
        return 0.0
    top = total / float(d[positive].sum())
    capped = positive & np.isfinite(hi)
    if capped.any():
        top = min(top, float((hi[capped] / d[capped]).min()))
    if ok(top):
        return top
    return _bisect(ok, 0.0, top)


def minspread_window(enrollment: np.ndarray, base: np.ndarray, lower: np.ndarray, upper: np.ndarray, total: float,
                     groups: NeedGroups | None) -> tuple[float, float] | None:
    """The narrowest window [l, u] holding every (base_i + x_i)/e_i with Σx = total, the bounds and monotone
    per-pupil x/e. For a fixed l the least feasible u is found by bisection; u*(l) − l is convex in l (the
    feasible (l, u) form a convex set), so l is found by golden-section search. None when nothing is feasible."""
    order = _Order(enrollment, groups)
    e = order.e
    beta = order.sort(base) / e
    lv, uv = order.sort(lower) / e, order.sort(upper) / e
    scale = total / float(e.min()) + 1.0

    def fits(low: float, u: float) -> bool:
        reach = order.reach(np.maximum(lv, low - beta), np.minimum(uv, u - beta))
        slack = 1e-12 * max(total, 1.0)
        return reach is not None and reach[0] <= total + slack and reach[1] >= total - slack

    finite_top = (uv + beta)[np.isfinite(uv)]
    l_low = float((lv + beta).min())
    u_big = float(max((lv + beta).max(), finite_top.max() if finite_top.size else l_low)) + scale
    if not fits(l_low, u_big):
        return None
    l_high = _bisect(lambda low: fits(low, u_big), l_low, u_big)

    def least_top(low: float) -> float:
        if fits(low, low):
            return low
        return _bisect(lambda u: not fits(low, u), low, u_big)  # the last u that does NOT fit, to rounding

    def width(low: float) -> float:
        return least_top(low) - low

    golden = (np.sqrt(5.0) - 1.0) / 2.0
    a, b = l_low, l_high
    c, d = b - golden * (b - a), a + golden * (b - a)
    wc, wd = width(c), width(d)
    for _ in range(200):
        if abs(b - a) <= 1e-12 * max(1.0, abs(a), abs(b)):
            break
        if wc <= wd:
            b, d, wd = d, c, wc
            c = b - golden * (b - a)
            wc = width(c)
        else:
            a, c, wc = c, d, wd
            d = a + golden * (b - a)
            wd = width(d)
    candidates = [(width(x), x) for x in (a, b, 0.5 * (a + b))]
    best_width, best_l = min(candidates)
    top = _bisect(lambda u: fits(best_l, u), u_big, best_l) if not fits(best_l, best_l) else best_l
    return best_l, max(top, best_l)
