"""Monotone per-pupil: a needier school never gets a lower per-pupil amount than a less needy one.

"Needier" is strict: schools with EQUAL need scores are not ordered against each other. Schools are grouped by
need; between consecutive groups one threshold τ_k separates them (every per-pupil amount in the lower group ≤ τ_k
≤ every per-pupil amount in the higher group), which gives the whole order with O(n) constraints.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from equitable.funding.allocation.types import InfeasibleAllocation, money


@dataclass(frozen=True)
class NeedGroups:
    index: np.ndarray      # group of each school, 0 = least need
    count: int


def need_groups(need: np.ndarray) -> NeedGroups:
    values, index = np.unique(need, return_inverse=True)
    return NeedGroups(index=index.astype(int), count=len(values))


class SortedGroups:
    """Schools sorted by need group (stable), so the per-group passes of `bounds` are vectorised. With no groups
    (monotone per-pupil not asked) every school stands alone and `bounds` returns the boxes as they are."""

    def __init__(self, n: int, groups: NeedGroups | None):
        if groups is None:
            self.order = np.arange(n)
            self.starts = np.arange(n)
            self.index = np.arange(n)
            self.single = True
        else:
            self.order = np.argsort(groups.index, kind="stable")
            sorted_groups = groups.index[self.order]
            change = sorted_groups[1:] != sorted_groups[:-1]
            self.starts = np.flatnonzero(np.concatenate(([True], change)))
            self.index = np.cumsum(np.concatenate(([0], change.astype(int))))
            self.single = False

    def sort(self, values: np.ndarray) -> np.ndarray:
        return np.asarray(values, dtype=float)[self.order]

    def unsort(self, values: np.ndarray) -> np.ndarray:
        out = np.empty(len(values))
        out[self.order] = values
        return out

    def bounds(self, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For sorted per-pupil boxes [low, high]: the least (most) per-pupil amount each school can take with no
        needier school below a less needy one — its low (high) end raised (lowered) to the best low (high) end
        of the strictly less (more) needy groups."""
        if self.single:
            return low, high
        group_low = np.maximum.reduceat(low, self.starts)
        group_high = np.minimum.reduceat(high, self.starts)
        below = np.concatenate(([-np.inf], np.maximum.accumulate(group_low)[:-1]))
        above = np.concatenate((np.minimum.accumulate(group_high[::-1])[::-1][1:], [np.inf]))
        return np.maximum(low, below[self.index]), np.minimum(high, above[self.index])


def is_monotone(per_pupil: np.ndarray, groups: NeedGroups, tolerance: float | None = None) -> bool:
    if groups.count <= 1:
        return True
    if tolerance is None:
        tolerance = 1e-7 * max(1.0, float(np.abs(per_pupil).max(initial=0.0)))
    highest = np.full(groups.count, -np.inf)
    lowest = np.full(groups.count, np.inf)
    np.maximum.at(highest, groups.index, per_pupil)
    np.minimum.at(lowest, groups.index, per_pupil)
    return bool(np.all(highest[:-1] <= lowest[1:] + tolerance))


def first_violation(per_pupil: np.ndarray, groups: NeedGroups) -> tuple[int, int] | None:
    """(needier school, less needy school with a higher per-pupil amount), or None."""
    order = np.lexsort((per_pupil, groups.index))
    best = -np.inf
    best_at = -1
    previous_group = -1
    group_best, group_best_at = -np.inf, -1
    for position in order:
        g = groups.index[position]
        if g != previous_group:
            if group_best > best:
                best, best_at = group_best, group_best_at
            group_best, group_best_at = -np.inf, -1
            previous_group = g
        tolerance = 1e-7 * max(1.0, abs(best))
        if best_at >= 0 and per_pupil[position] < best - tolerance:
            return int(position), int(best_at)
        if per_pupil[position] > group_best:
            group_best, group_best_at = per_pupil[position], position
    return None


def monotone_range(enrollment: np.ndarray, lower: np.ndarray, upper: np.ndarray, groups: NeedGroups,
                   ids: list[str], need: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The least and the most each school can get under its bounds and monotone per-pupil.

    Raises InfeasibleAllocation naming the pair of schools when a floor of a less needy school, per pupil, is above
    the cap of a needier one.
    """
    lo, hi = lower / enrollment, upper / enrollment
    order = SortedGroups(len(lo), groups)
    least_pp, most_pp = (order.unsort(v) for v in order.bounds(order.sort(lo), order.sort(hi)))
    clash = np.flatnonzero(least_pp > hi * (1 + 1e-12) + 1e-9)
    if clash.size:
        i = int(clash[0])
        candidates = np.flatnonzero(groups.index < groups.index[i])
        j = int(candidates[np.argmax(lo[candidates])])
        raise InfeasibleAllocation(
            f"Monotone per-pupil conflicts with the bounds: school {ids[i]} (need {need[i]:g}) is capped at "
            f"{money(upper[i])} ({money(hi[i])} per pupil), but the less needy school {ids[j]} (need {need[j]:g}) "
            f"must get at least {money(lower[j])} ({money(lo[j])} per pupil) from its floor or hold-harmless.",
            ("monotone_per_pupil", f"cap:{ids[i]}", f"floor:{ids[j]}"),
        )
    return least_pp * enrollment, most_pp * enrollment
