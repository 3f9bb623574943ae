"""How equitable an allocation is.

- Gini of per-pupil amounts, ENROLLMENT-WEIGHTED: every student counts once and carries the per-pupil amount of
  their school (so a large school weighs more than a small one). 0 = every student gets the same; the population
  form G = ΣΣ e_i e_j |p_i − p_j| / (2 (Σe)² μ), without the small-sample n/(n−1) correction.
- Tier ratio: the enrollment-weighted mean per-pupil (Σx / Σe) of tier 1 (Highest need) over that of tier 5.
- Share to the highest quintile: Σx of tier-1 schools over the total allocated.
- Need correlation: Pearson correlation, per school (unweighted), of the need score with the per-pupil amount.
"""

from __future__ import annotations

import numpy as np


def weighted_gini(values: np.ndarray, weights: np.ndarray) -> float:
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    total_weight = float(weights.sum())
    if total_weight <= 0:
        return 0.0
    mean = float((weights * values).sum()) / total_weight
    if mean <= 0:
        return 0.0
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cumulative = np.cumsum(w)
    before = cumulative - w                 # weight strictly below (ties contribute 0 either way)
    after = total_weight - cumulative
    g = float((w * v * (before - after)).sum()) / (total_weight * total_weight * mean)
    return max(0.0, g)


def tier_ratio(amounts: np.ndarray, enrollment: np.ndarray, tiers: np.ndarray) -> float | None:
    top, bottom = tiers == 1, tiers == 5
    if not top.any() or not bottom.any():
        return None
    low = float(amounts[bottom].sum()) / float(enrollment[bottom].sum())
    if low <= 0:
        return None
    return (float(amounts[top].sum()) / float(enrollment[top].sum())) / low


def share_to_tier_one(amounts: np.ndarray, tiers: np.ndarray) -> float | None:
    total = float(amounts.sum())
    if not (tiers > 0).any() or total <= 0:
        return None
    return float(amounts[tiers == 1].sum()) / total


def pearson(a: np.ndarray, b: np.ndarray) -> float | None:
    if len(a) < 2:
        return None
    # A variable that is constant up to floating-point noise (e.g. an even per-pupil split) has no
    # correlation with anything: say so rather than report the noise.
    for values in (a, b):
        if float(np.ptp(values)) <= 1e-9 * max(1.0, float(np.abs(values).max())):
            return None
    a = a - a.mean()
    b = b - b.mean()
    denominator = float(np.sqrt((a * a).sum() * (b * b).sum()))
    if denominator <= 1e-12 * max(1.0, float(np.abs(a).max() * np.abs(b).max())):
        return None
    return float((a * b).sum()) / denominator
