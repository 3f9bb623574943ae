"""The linear programs, solved with HiGHS (scipy.optimize.linprog).

Money is scaled by the mean amount per school before solving so that the variables are of order one. Every LP
has the amounts x (one per school) first, then its own extra variables, then one threshold τ_k per boundary
between consecutive need groups when monotone per-pupil is asked for (see monotone.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from equitable.funding.allocation.monotone import NeedGroups
from equitable.funding.allocation.types import InfeasibleAllocation

#: Which HiGHS solver each LP uses (bench/allocation.py): the max–min LP is 10–20× faster with the interior point
#: method (then crossover to a vertex); the projection and min-spread LPs with monotone constraints are faster with
#: the simplex, and grow faster than linearly (0.3 s at 1,000 schools, 3–4 s at 3,000, 35–55 s at 10,000).
SOLVER = "highs"
MAXMIN_SOLVER = "highs-ipm"


@dataclass
class _Rows:
    """Sparse constraint rows being built: A_ub x ≤ b_ub or A_eq x = b_eq."""

    rows: list[np.ndarray] = field(default_factory=list)
    cols: list[np.ndarray] = field(default_factory=list)
    vals: list[np.ndarray] = field(default_factory=list)
    rhs: list[np.ndarray] = field(default_factory=list)
    count: int = 0

    def add(self, rows, cols, vals, rhs) -> None:
        rows = np.asarray(rows, dtype=int)
        self.rows.append(rows + self.count)
        self.cols.append(np.asarray(cols, dtype=int))
        self.vals.append(np.asarray(vals, dtype=float))
        rhs = np.atleast_1d(np.asarray(rhs, dtype=float))
        self.rhs.append(rhs)
        self.count += len(rhs)

    def matrix(self, width: int):
        if not self.count:
            return None, None
        a = coo_matrix((np.concatenate(self.vals), (np.concatenate(self.rows), np.concatenate(self.cols))),
                       shape=(self.count, width)).tocsr()
        return a, np.concatenate(self.rhs)


def _monotone_rows(ub: _Rows, n: int, enrollment: np.ndarray, groups: NeedGroups | None, offset: int) -> int:
    """x_j/e_j − τ_k ≤ 0 for j in group k−1 and τ_k − x_i/e_i ≤ 0 for i in group k. Returns the τ count."""
    if groups is None or groups.count <= 1:
        return 0
    k = groups.count - 1
    g = groups.index
    lower_side = np.flatnonzero(g < k)          # every group but the last sits below threshold g+1
    ub.add(np.repeat(np.arange(len(lower_side)), 2),
           np.column_stack((lower_side, offset + g[lower_side])).ravel(),
           np.column_stack((1.0 / enrollment[lower_side], -np.ones(len(lower_side)))).ravel(),
           np.zeros(len(lower_side)))
    upper_side = np.flatnonzero(g > 0)           # every group but the first sits above threshold g
    ub.add(np.repeat(np.arange(len(upper_side)), 2),
           np.column_stack((upper_side, offset + g[upper_side] - 1)).ravel(),
           np.column_stack((-1.0 / enrollment[upper_side], np.ones(len(upper_side)))).ravel(),
           np.zeros(len(upper_side)))
    return k


def _solve(c, ub: _Rows, eq: _Rows, bounds, width: int, what: str, constraints: tuple[str, ...],
           solver: str = "highs"):
    a_ub, b_ub = ub.matrix(width)
    a_eq, b_eq = eq.matrix(width)
    result = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method=solver)
    if result.status == 2:
        raise InfeasibleAllocation(f"No allocation satisfies {what} together.", constraints)
    if result.status != 0:
        raise InfeasibleAllocation(f"The solver could not finish ({result.message}) for {what}.", constraints)
    return result.x


def _bounds(lower: np.ndarray, upper: np.ndarray, scale: float) -> np.ndarray:
    return np.column_stack((lower / scale, np.where(np.isfinite(upper), upper / scale, np.inf)))


def _with_inf(bounds: np.ndarray) -> list:
    return [(lo, None if not np.isfinite(hi) else hi) for lo, hi in bounds]


def maxmin_level(demand, enrollment, lower, upper, total, groups: NeedGroups | None, scale: float) -> float:
    """max t s.t. x_i ≥ t·d_i, Σx ≤ total, lower ≤ x ≤ upper (and monotone): returns t* (in $ per demand unit)."""
    n = len(demand)
    ub, eq = _Rows(), _Rows()
    with_demand = np.flatnonzero(demand > 0)
    ub.add(np.repeat(np.arange(len(with_demand)), 2),
           np.column_stack((with_demand, np.full(len(with_demand), n))).ravel(),
           np.column_stack((-np.ones(len(with_demand)), demand[with_demand])).ravel(),
           np.zeros(len(with_demand)))
    ub.add(np.zeros(n), np.arange(n), np.ones(n), [total / scale])
    taus = _monotone_rows(ub, n, enrollment, groups, n + 1)
    width = n + 1 + taus
    c = np.zeros(width)
    c[n] = -1.0
    bounds = _with_inf(_bounds(lower, upper, scale)) + [(0, None)] + [(None, None)] * taus
    x = _solve(c, ub, eq, bounds, width, "the max–min level, the bounds and the pool",
               ("pool", "floors", "caps", "monotone_per_pupil"), solver=MAXMIN_SOLVER)
    return float(x[n]) * scale


def minspread_gap(enrollment, base, lower, upper, total, groups: NeedGroups | None, scale: float) -> float:
    """min u − l s.t. l ≤ (base_i + x_i)/e_i ≤ u, Σx = total, bounds (and monotone): returns u* − l* ($/pupil)."""
    n = len(enrollment)
    ub, eq = _Rows(), _Rows()
    per = base / enrollment / scale
    idx = np.arange(n)
    ub.add(np.repeat(idx, 2), np.column_stack((idx, np.full(n, n))).ravel(),
           np.column_stack((-1.0 / enrollment, np.ones(n))).ravel(), per)              # l − x/e ≤ base/e
    ub.add(np.repeat(idx, 2), np.column_stack((idx, np.full(n, n + 1))).ravel(),
           np.column_stack((1.0 / enrollment, -np.ones(n))).ravel(), -per)             # x/e − u ≤ −base/e
    eq.add(np.zeros(n), idx, np.ones(n), [total / scale])
    taus = _monotone_rows(ub, n, enrollment, groups, n + 2)
    width = n + 2 + taus
    c = np.zeros(width)
    c[n], c[n + 1] = -1.0, 1.0
    bounds = _with_inf(_bounds(lower, upper, scale)) + [(None, None)] * (2 + taus)
    x = _solve(c, ub, eq, bounds, width, "min-spread, the bounds and the pool",
               ("pool", "floors", "caps", "monotone_per_pupil"), solver=SOLVER)
    return max(0.0, float(x[n + 1] - x[n])) * scale


def project(target, enrollment, lower, upper, total, groups: NeedGroups | None, scale: float, *,
            spread: tuple[np.ndarray, float] | None = None) -> np.ndarray:
    """The allocation nearest to `target` in total absolute dollars (L1) with Σx = total, the bounds, monotone
    per-pupil and, when `spread=(base, gap)` is given, a per-pupil spread of base + x of at most gap."""
    n = len(target)
    ub, eq = _Rows(), _Rows()
    idx = np.arange(n)
    # x − p + q = target, p, q ≥ 0: |x − target| = p + q at the optimum.
    eq.add(np.repeat(idx, 3), np.column_stack((idx, n + idx, 2 * n + idx)).ravel(),
           np.tile([1.0, -1.0, 1.0], n), target / scale)
    eq.add(np.zeros(n), idx, np.ones(n), [total / scale])
    width = 3 * n
    extra: list = []
    if spread is not None:
        base, gap = spread
        per = base / enrollment / scale
        ub.add(np.repeat(idx, 2), np.column_stack((idx, np.full(n, width))).ravel(),
               np.column_stack((-1.0 / enrollment, np.ones(n))).ravel(), per)
        ub.add(np.repeat(idx, 2), np.column_stack((idx, np.full(n, width + 1))).ravel(),
               np.column_stack((1.0 / enrollment, -np.ones(n))).ravel(), -per)
        ub.add([0, 0], [width, width + 1], [-1.0, 1.0], [gap / scale * (1 + 1e-9) + 1e-9])
        width += 2
        extra += [(None, None)] * 2
    taus = _monotone_rows(ub, n, enrollment, groups, width)
    width += taus
    extra += [(None, None)] * taus
    c = np.zeros(width)
    c[n:3 * n] = 1.0
    bounds = _with_inf(_bounds(lower, upper, scale)) + [(0, None)] * (2 * n) + extra
    x = _solve(c, ub, eq, bounds, width, "monotone per-pupil, the bounds and the pool",
               ("monotone_per_pupil", "floors", "caps", "pool"), solver=SOLVER)
    return x[:n] * scale
