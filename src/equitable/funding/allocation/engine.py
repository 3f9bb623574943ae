"""`allocate(schools, options)`: validate, bound, solve, apply the minimum grant, measure.

Every method honours the per-school bounds L_i = max(floor_i, hold_harmless·prior_i) ≤ x_i ≤ U_i = cap_i:

- even_school, even_pupil, tiered, weighted and proportional are a SHAPE w_i (1; e_i; r_tier·e_i; FSF units;
  e_i·(1 + β·s_i)) spread by water-filling, x_i = clip(λ·w_i, L_i, U_i) with Σx = T (waterfill.py). Without
  binding bounds this is the closed form x_i = T·w_i/Σw.
- maxmin: an LP gives t* = max min x_i/d_i over the schools with demand d_i = e_i·s_i > 0 (Σx ≤ T, bounds).
  The rest of the pool is then spent by water-filling in proportion to demand above the level t* (L'_i =
  max(L_i, t*·d_i)); on these constraints that is the LEXIMIN allocation of x_i/d_i (the smallest share is
  maximal, then the next smallest, …). Schools without need (d_i = 0) get their floor only.
- minspread: the least spread u* − l* of (base_i + x_i)/e_i. Among the optimal allocations the engine returns the
  LEVELLING one, (base_i + x_i)/e_i = clip(λ, (base_i+L_i)/e_i, (base_i+U_i)/e_i): the lowest-funded schools are
  raised first. That allocation is always optimal for the LP min u − l s.t. l ≤ (base_i + x_i)/e_i ≤ u,
  Σx = T, bounds (an exchange argument: any allocation with a lower top, or a higher bottom, would have to
  place less, or more, money), and unlike an LP vertex it is unique; so the LP (HiGHS, lp.minspread_gap) is
  solved only when monotone per-pupil constraints are added and the levelling breaks them. The tests check the
  levelling against the LP and against brute force.
- monotone_per_pupil: a needier school never gets less per pupil than a less needy one. Max–min finds its level
  t* by bisection on an O(n) feasibility test, and min-spread its narrowest window [l*, u*] by golden-section
  search over l (isotonic.py; both agree with the LPs of lp.py, which remain the fallback and name the
  conflicting constraints). When the allocation a method produced breaks the order, the engine returns the
  NEAREST monotone allocation (least enrollment-weighted squared per-pupil change) within the same bounds and
  pool (and, for max–min and min-spread, keeping their optimum): violating neighbours are pooled to one
  per-pupil amount by pooling adjacent violators. When no monotone allocation exists InfeasibleAllocation says
  why.
- spend_exactly: Σx = pool, or InfeasibleAllocation when the caps cannot hold the pool. When False, the money the
  caps (or dropped schools) cannot place is reported as the remainder instead.
- minimum_grant m: a school whose amount falls in (0, m) gets 0 and the allocation is recomputed without it, with
  the same pool; all schools below m are dropped together and the step is repeated until none is below m (at
  most n rounds: the set of dropped schools only grows). A school with a positive floor or hold-harmless below m
  is a contradiction (it must get something, but not less than m) and raises InfeasibleAllocation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from equitable.funding.allocation import isotonic, lp
from equitable.funding.allocation.metrics import pearson, share_to_tier_one, tier_ratio, weighted_gini
from equitable.funding.allocation.monotone import (
    first_violation,
    is_monotone,
    monotone_range,
    need_groups,
)
from equitable.funding.allocation.types import (
    DEFAULT_WEIGHTS,
    METHODS,
    AllocationError,
    AllocationMetrics,
    AllocationOptions,
    AllocationResult,
    InfeasibleAllocation,
    SchoolAllocation,
    SchoolInput,
    money,
)
from equitable.funding.allocation.waterfill import capacity, settle, water_fill

TIER_COUNT = 5
NEED_SHARE_METHODS = ("proportional", "maxmin")  # the methods that read need as an amount, not just an order
DEFAULT_TIER_RATES = (3.0, 2.5, 2.0, 1.5, 1.0)


@dataclass
class Problem:
    ids: list[str]
    enrollment: np.ndarray
    need: np.ndarray          # nan where missing
    tiers: np.ndarray         # 0 where missing
    floor: np.ndarray
    hold: np.ndarray          # hold-harmless lower bound (0 where none)
    lower: np.ndarray
    upper: np.ndarray
    base: np.ndarray
    shape: np.ndarray         # the method's weights w_i (maxmin: demand d_i)
    options: AllocationOptions
    need_scale: float = 100.0  # the need share is s_i = need_i / need_scale


def _finite(value, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise AllocationError(f"{what} must be a number, not {value!r}.") from None
    if not math.isfinite(number):
        raise AllocationError(f"{what} must be a finite number, not {value!r}.")
    return number


def _validate(schools: Sequence[SchoolInput], options: AllocationOptions) -> Problem:
    if options.method not in METHODS:
        raise AllocationError(f"Unknown method {options.method!r}; choose one of {', '.join(METHODS)}.")
    if not schools:
        raise AllocationError("No schools to allocate to.")
    pool = _finite(options.pool, "The pool")
    if pool < 0:
        raise AllocationError(f"The pool must not be negative ({money(pool)}).")
    ids = [str(s.school_id) for s in schools]
    seen: set[str] = set()
    for school_id in ids:
        if school_id in seen:
            raise AllocationError(f"School {school_id} appears twice.")
        seen.add(school_id)
    n = len(schools)
    enrollment = np.empty(n)
    need = np.full(n, np.nan)
    tiers = np.zeros(n, dtype=int)
    floor, hold, base = np.zeros(n), np.zeros(n), np.zeros(n)
    upper = np.full(n, np.inf)
    hh = options.hold_harmless
    if hh is not None:
        hh = _finite(hh, "The hold-harmless percentage")
        if not 0 <= hh <= 1:
            raise AllocationError(f"The hold-harmless share must be between 0 and 1 (e.g. 0.9), not {hh:g}.")
    for i, s in enumerate(schools):
        who = f"School {ids[i]}"
        e = _finite(s.enrollment, f"{who}: enrollment")
        if e <= 0:
            raise AllocationError(f"{who}: enrollment must be positive, not {e:g}.")
        enrollment[i] = e
        if s.need is not None:
            need[i] = _finite(s.need, f"{who}: need")
            if need[i] < 0 and options.method in NEED_SHARE_METHODS:
                raise AllocationError(f"{who}: need must not be negative ({need[i]:g}): {options.method} reads it "
                                      f"as a share of need (a z-score need model can be negative; use a "
                                      f"percentile or min–max one).")
        if s.tier is not None:
            if int(s.tier) != s.tier or not 1 <= int(s.tier) <= TIER_COUNT:
                raise AllocationError(f"{who}: tier must be 1..{TIER_COUNT}, not {s.tier!r}.")
            tiers[i] = int(s.tier)
        floor[i] = _finite(s.floor, f"{who}: floor")
        if floor[i] < 0:
            raise AllocationError(f"{who}: floor must not be negative ({money(floor[i])}).")
        if s.cap is not None:
            upper[i] = _finite(s.cap, f"{who}: cap")
            if upper[i] < 0:
                raise AllocationError(f"{who}: cap must not be negative ({money(upper[i])}).")
        if s.prior is not None:
            prior = _finite(s.prior, f"{who}: prior amount")
            if prior < 0:
                raise AllocationError(f"{who}: prior amount must not be negative ({money(prior)}).")
            if hh is not None:
                hold[i] = hh * prior
        base[i] = _finite(s.base, f"{who}: base")
        if base[i] < 0:
            raise AllocationError(f"{who}: base must not be negative ({money(base[i])}).")
        for field in ("poverty", "english_learners", "disabilities"):
            count = _finite(getattr(s, field), f"{who}: {field}")
            if count < 0 or count > e:
                raise AllocationError(f"{who}: {field} must be between 0 and the enrollment ({e:g}), not {count:g}.")
        if _finite(s.grade_weight, f"{who}: grade weight") < 0:
            raise AllocationError(f"{who}: grade weight must not be negative.")
    lower = np.maximum(floor, hold)
    missing_need = [ids[i] for i in np.flatnonzero(np.isnan(need))]
    if (options.method in ("proportional", "maxmin") or options.monotone_per_pupil) and missing_need:
        why = "monotone per-pupil" if options.method not in ("proportional", "maxmin") else options.method
        raise AllocationError(f"{why} needs a need score for every school; missing for {_names(missing_need)}.")
    problem = Problem(ids, enrollment, need, tiers, floor, hold, lower, upper, base, np.zeros(n), options,
                      _need_scale(need, options.need_scale))
    problem.shape = _shape(problem, schools)
    return problem


def _need_scale(need: np.ndarray, given: float | None) -> float:
    """Need scores are read on a 0–100 scale (as the need index gives them), or as 0–1 shares when every score
    lies between 0 and 1 (the notation s_i ∈ [0, 1] of the formulas); `given` overrides."""
    if given is not None:
        scale = _finite(given, "The need scale")
        if scale <= 0:
            raise AllocationError(f"The need scale must be positive (100 for 0–100 scores, 1 for shares), "
                                  f"not {scale:g}.")
        return scale
    known = need[~np.isnan(need)]
    return 1.0 if known.size and float(known.min()) >= 0.0 and float(known.max()) <= 1.0 else 100.0


def _names(ids: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _shape(p: Problem, schools: Sequence[SchoolInput]) -> np.ndarray:
    o, e = p.options, p.enrollment
    if o.method == "even_school":
        return np.ones(len(e))
    if o.method == "even_pupil" or o.method == "minspread":
        return e.copy()
    if o.method == "tiered":
        rates = tuple(o.tier_rates) if o.tier_rates is not None else DEFAULT_TIER_RATES
        if len(rates) != TIER_COUNT:
            raise AllocationError(f"Tier rates need {TIER_COUNT} values (tier 1 = Highest need first), "
                                  f"not {len(rates)}.")
        rates = tuple(_finite(r, "A tier rate") for r in rates)
        if min(rates) < 0 or max(rates) <= 0:
            raise AllocationError("Tier rates must not be negative and at least one must be positive.")
        missing = [p.ids[i] for i in np.flatnonzero(p.tiers == 0)]
        if missing:
            raise AllocationError(f"The tiered method needs a need tier (1..5) for every school; missing for "
                                  f"{_names(missing)}.")
        return np.asarray(rates)[p.tiers - 1] * e
    if o.method == "weighted":
        weights = dict(DEFAULT_WEIGHTS)
        for key, value in (o.weights or {}).items():
            if key not in DEFAULT_WEIGHTS:
                raise AllocationError(f"Unknown weight {key!r}; the weights are {', '.join(DEFAULT_WEIGHTS)}.")
            weights[key] = _finite(value, f"The {key} weight")
            if weights[key] < 0:
                raise AllocationError(f"The {key} weight must not be negative.")
        units = np.array([
            s.enrollment * float(s.grade_weight) + weights["poverty"] * s.poverty
            + weights["english_learners"] * s.english_learners + weights["disabilities"] * s.disabilities
            for s in schools
        ], dtype=float)
        return units
    if o.method == "proportional":
        beta = _finite(o.need_multiplier, "The need multiplier")
        if beta < 0:
            raise AllocationError("The need multiplier must not be negative.")
        return e * (1.0 + beta * p.need / p.need_scale)
    # maxmin: need-weighted demand
    demand = e * p.need / p.need_scale
    if not (demand > 0).any():
        raise AllocationError("Max–min needs at least one school with a need score above 0.")
    return demand


def _check_bounds(p: Problem) -> None:
    bad = np.flatnonzero(p.lower > p.upper)
    if bad.size:
        parts = []
        for i in bad[:3]:
            what = (f"floor {money(p.floor[i])}" if p.floor[i] >= p.hold[i]
                    else f"hold-harmless {money(p.hold[i])}")
            parts.append(f"school {p.ids[i]}: {what} above its cap {money(p.upper[i])}")
        more = f" (and {bad.size - 3} more)" if bad.size > 3 else ""
        kinds = {"floors" if p.floor[i] >= p.hold[i] else "hold_harmless" for i in bad}
        raise InfeasibleAllocation("A lower bound is above a cap: " + "; ".join(parts) + more + ".",
                                   (*sorted(kinds), "caps"))
    pool = p.options.pool
    need = float(p.lower.sum())
    if need > pool * (1 + 1e-12):
        floors, holds = float(p.floor.sum()), float(p.hold.sum())
        named = []
        if floors > 0:
            named.append("floors")
        if holds > 0:
            named.append("hold_harmless")
        detail = []
        if floors > 0:
            detail.append(f"floors {money(floors)}")
        if holds > 0:
            detail.append(f"hold-harmless {money(holds)}")
        raise InfeasibleAllocation(
            f"The pool {money(pool)} is below what the schools must get: {money(need)} "
            f"({', '.join(detail)}; each school gets the larger of its floor and hold-harmless).",
            ("pool", *named))
    m = p.options.minimum_grant
    if m:
        clash = np.flatnonzero((p.lower > 0) & (p.lower < m))
        if clash.size:
            i = int(clash[0])
            raise InfeasibleAllocation(
                f"School {p.ids[i]} must get {money(p.lower[i])} (its floor or hold-harmless), which is below the "
                f"minimum grant {money(m)}: a school gets either nothing or at least the minimum grant.",
                ("minimum_grant", "floors" if p.floor[i] >= p.hold[i] else "hold_harmless"))


def _place(p: Problem, active: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """The total to place among the active schools, with their bounds (inactive: fixed at 0)."""
    lower = np.where(active, p.lower, 0.0)
    upper = np.where(active, p.upper, 0.0)
    shape = np.where(active, p.shape, 0.0)
    pool = float(p.options.pool)
    room = capacity(shape, lower, upper) if p.options.method != "minspread" else float(upper.sum())
    if room < pool * (1 - 1e-12):
        if p.options.spend_exactly:
            funded = "schools" if p.options.method in ("even_school", "even_pupil", "weighted", "minspread") \
                else "schools this method funds"
            dropped = int((~active).sum())
            why = f" after the minimum grant dropped {dropped} school(s)" if dropped else ""
            named = ("pool", "caps") + (("minimum_grant",) if dropped else ())
            raise InfeasibleAllocation(
                f"The caps of the {funded} hold at most {money(room)}{why}, less than the pool {money(pool)}; "
                f"raise the caps or allow a remainder (spend_exactly off).", named)
        return room, lower, upper
    return pool, lower, upper


def _scale(p: Problem, total: float) -> float:
    return max(total, float(p.lower.sum()), 1.0) / len(p.ids)


def _solve(p: Problem, active: np.ndarray) -> tuple[np.ndarray, float | None, float]:
    total, lower, upper = _place(p, active)
    o = p.options
    idx = np.flatnonzero(active)
    e, lo, hi = p.enrollment[idx], lower[idx], upper[idx]
    groups = need_groups(p.need[idx]) if o.monotone_per_pupil else None
    if groups is not None:
        least, most = monotone_range(e, lo, hi, groups, [p.ids[i] for i in idx], p.need[idx])
        if least.sum() > total * (1 + 1e-9) + 1e-9:
            raise InfeasibleAllocation(
                f"Monotone per-pupil with the floors and hold-harmless amounts needs at least {money(least.sum())} "
                f"(no needier school below a less needy one per pupil), more than the pool {money(total)}.",
                ("monotone_per_pupil", "floors", "pool"))
        if most.sum() < total * (1 - 1e-9):
            if o.spend_exactly:
                raise InfeasibleAllocation(
                    f"Monotone per-pupil with the caps lets the schools hold at most {money(most.sum())} (no less "
                    f"needy school above a needier one per pupil), less than the pool {money(total)}.",
                    ("monotone_per_pupil", "caps", "pool"))
            total = float(most.sum())
    scale = max(total, float(lo.sum()), 1.0) / len(idx)
    optimum = None
    spread = None
    if o.method == "maxmin":
        demand = p.shape[idx]
        t = isotonic.maxmin_level(demand, e, lo, hi, total, groups)
        if t is None:  # infeasible: the linear program names the conflicting constraints
            t = lp.maxmin_level(demand, e, lo, hi, total, groups, scale)
        optimum = t
        lo_t = np.minimum(np.maximum(lo, t * demand * (1 - 1e-12)), hi)
        x = water_fill(demand, lo_t, hi, total)
        lo_project = lo_t
    elif o.method == "minspread":
        y = water_fill(e, p.base[idx] + lo, p.base[idx] + hi, total + float(p.base[idx].sum()))
        x = settle(y - p.base[idx], lo, hi, total)
        levels = (p.base[idx] + x) / e
        optimum = float(levels.max() - levels.min())
        lo_project = lo
        if groups is not None and not is_monotone(x / e, groups):
            window = isotonic.minspread_window(e, p.base[idx], lo, hi, total, groups)
            if window is None:
                optimum = lp.minspread_gap(e, p.base[idx], lo, hi, total, groups, scale)
                spread = (p.base[idx], optimum)
            else:
                # Keep the optimal window: each school's per-pupil total stays inside [l*, u*].
                low, top = window
                optimum = top - low
                slack = 1e-12 * max(1.0, abs(low), abs(top))
                lo_project = np.minimum(np.maximum(lo, (low - slack) * e - p.base[idx]), hi)
                hi = np.maximum(np.minimum(hi, (top + slack) * e - p.base[idx]), lo_project)
    else:
        x = water_fill(p.shape[idx], lo, hi, total)
        lo_project = lo
    if groups is not None and not is_monotone(x / e, groups):
        repaired = isotonic.project(x, e, lo_project, hi, total, groups) if spread is None else None
        if repaired is None:
            repaired = lp.project(x, e, lo_project, hi, total, groups, scale, spread=spread)
        x = settle(repaired, lo_project, hi, total)
    amounts = np.zeros(len(p.ids))
    amounts[idx] = x
    return amounts, optimum, total


def _with_minimum_grant(p: Problem) -> tuple[np.ndarray, float | None, list[str]]:
    active = np.ones(len(p.ids), dtype=bool)
    m = p.options.minimum_grant
    for _ in range(len(p.ids) + 1):
        if not active.any():
            raise InfeasibleAllocation(
                f"Every school would get less than the minimum grant {money(m)} from the pool "
                f"{money(p.options.pool)}.", ("minimum_grant", "pool"))
        amounts, optimum, _total = _solve(p, active)
        if not m:
            return amounts, optimum, []
        below = active & (amounts > 1e-9) & (amounts < m * (1 - 1e-12))
        if not below.any():
            dropped = [p.ids[i] for i in np.flatnonzero(~active)]
            if p.options.monotone_per_pupil and dropped:
                _check_dropped_monotone(p, active, amounts)
            return amounts, optimum, dropped
        active &= ~below
    raise AssertionError("unreachable: the active set shrinks every round")  # pragma: no cover


def _check_dropped_monotone(p: Problem, active: np.ndarray, amounts: np.ndarray) -> None:
    groups = need_groups(p.need)
    pair = first_violation(amounts / p.enrollment, groups)
    if pair is not None:
        i, j = pair
        raise InfeasibleAllocation(
            f"The minimum grant {money(p.options.minimum_grant)} drops school {p.ids[i]} (need {p.need[i]:g}) to "
            f"nothing while the less needy school {p.ids[j]} (need {p.need[j]:g}) receives {money(amounts[j])}: "
            f"monotone per-pupil forbids it.", ("minimum_grant", "monotone_per_pupil"))


def _metrics(p: Problem, amounts: np.ndarray, optimum: float | None, dropped: list[str]) -> AllocationMetrics:
    per_pupil = amounts / p.enrollment
    has_need = ~np.isnan(p.need)
    correlation = pearson(p.need[has_need], per_pupil[has_need]) if has_need.sum() >= 2 else None
    return AllocationMetrics(
        gini_per_pupil=weighted_gini(per_pupil, p.enrollment),
        tier_ratio=tier_ratio(amounts, p.enrollment, p.tiers),
        share_to_highest_quintile=share_to_tier_one(amounts, p.tiers),
        need_correlation=correlation,
        min_per_pupil=float(per_pupil.min()),
        max_per_pupil=float(per_pupil.max()),
        optimum=optimum,
        dropped=tuple(dropped),
    )


def allocate(schools: Sequence[SchoolInput], options: AllocationOptions) -> AllocationResult:
    """Split options.pool among the schools by options.method (see the module docstring for every rule)."""
    problem = _validate(schools, options)
    _check_bounds(problem)
    amounts, optimum, dropped = _with_minimum_grant(problem)
    amounts = np.maximum(amounts, 0.0)
    total = float(amounts.sum())
    pool = float(options.pool)
    if options.spend_exactly:
        total = pool
    even = pool * problem.enrollment / problem.enrollment.sum()
    rows = tuple(
        SchoolAllocation(
            school_id=problem.ids[i],
            amount=float(amounts[i]),
            per_pupil=float(amounts[i] / problem.enrollment[i]),
            even_amount=float(even[i]),
            difference_from_even=float(amounts[i] - even[i]),
            enrollment=float(problem.enrollment[i]),
        )
        for i in range(len(problem.ids))
    )
    return AllocationResult(
        schools=rows,
        total=total,
        remainder=max(0.0, pool - total),
        metrics=_metrics(problem, amounts, optimum, dropped),
        method=options.method,
        need_scale=problem.need_scale,
    )
