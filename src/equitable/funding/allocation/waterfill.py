"""Water-filling: x_i = clip(λ·w_i, L_i, U_i) with λ chosen so that Σ x_i = T.

Σ clip(λ·w_i, L_i, U_i) is continuous and non-decreasing in λ, so λ is found by bisection until the sum is
within 1e-6 of the target (relative), then adjusted exactly: with the schools that are clipped at that λ held
at their bound, λ = (T − Σ clipped) / Σ w_free, and the last rounding residual is spread over the schools with
room left in proportion to that room. Schools with w_i = 0 receive their lower bound and nothing more.
"""

from __future__ import annotations

import numpy as np

BISECTION_TOLERANCE = 1e-6
MAX_ITERATIONS = 200


def capacity(w: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """The most a water-fill with weights w can place: caps of weighted schools, floors of the others."""
    return float(np.where(w > 0, upper, lower).sum())


def water_fill(w: np.ndarray, lower: np.ndarray, upper: np.ndarray, total: float) -> np.ndarray:
    """Amounts x with lower ≤ x ≤ upper and Σx = total (callers check lower.sum() ≤ total ≤ capacity)."""
    w = np.asarray(w, dtype=float)
    if total <= lower.sum():
        return lower.copy()
    cap = capacity(w, lower, upper)
    if total >= cap:
        return np.where(w > 0, upper, lower).astype(float)
    positive = w > 0

    def placed(lam: float) -> float:
        return float(np.clip(lam * w, lower, upper).sum())

    uncapped = positive & ~np.isfinite(upper)
    high_candidates = [float(np.max((lower[positive] + 1.0) / w[positive]))]
    if uncapped.any():
        high_candidates.append(total / float(w[uncapped].sum()))
    finite = positive & np.isfinite(upper)
    if finite.any():
        high_candidates.append(float(np.max(upper[finite] / w[finite])))
    lo, hi = 0.0, max(high_candidates)
    while placed(hi) < total:  # pragma: no cover - defensive, the candidates above already suffice
        hi *= 2.0
    tolerance = BISECTION_TOLERANCE * max(abs(total), 1.0)
    lam = hi
    for _ in range(MAX_ITERATIONS):
        lam = 0.5 * (lo + hi)
        s = placed(lam)
        if abs(s - total) <= tolerance:
            break
        if s < total:
            lo = lam
        else:
            hi = lam
    # Exact adjustment: hold the clipped schools, solve λ for the free ones.
    raw = lam * w
    at_lower = raw <= lower
    at_upper = raw >= upper
    free = positive & ~at_lower & ~at_upper
    x = np.clip(raw, lower, upper)
    if free.any():
        fixed = float(x[~free].sum())
        lam_exact = (total - fixed) / float(w[free].sum())
        x[free] = np.clip(lam_exact * w[free], lower[free], upper[free])
    return settle(x, lower, upper, total, positive)


def settle(x: np.ndarray, lower: np.ndarray, upper: np.ndarray, total: float,
           eligible: np.ndarray | None = None) -> np.ndarray:
    """Clip x into its bounds and spread the residual total − Σx over the schools with room, by room."""
    x = np.clip(np.asarray(x, dtype=float), lower, upper)
    if eligible is None:
        eligible = np.ones(len(x), dtype=bool)
    for _ in range(4):
        residual = total - float(x.sum())
        if residual == 0.0 or abs(residual) <= 1e-12 * max(abs(total), 1.0):
            break
        if residual > 0:
            room = np.where(eligible, upper - x, 0.0)
        else:
            room = np.where(eligible, x - lower, 0.0)
        room = np.where(np.isfinite(room), room, 0.0)
        if not np.isfinite(upper[eligible]).all() and residual > 0:
            # Uncapped schools: share in proportion to their current amount (or equally).
            open_ = eligible & ~np.isfinite(upper)
            share = np.where(open_, np.maximum(x, 0.0), 0.0)
            if share.sum() <= 0:
                share = open_.astype(float)
            x = x + residual * share / share.sum()
            continue
        if room.sum() <= 0:
            break
        x = np.clip(x + np.sign(residual) * min(abs(residual), room.sum()) * room / room.sum(), lower, upper)
    return x
