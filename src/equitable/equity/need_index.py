"""The need index engine: indicator values in, a score, a rank, a need tier and per-indicator contributions
per school out. Pure (numpy, no Django), deterministic, and the same whatever order the schools come in.

How a score is made (DOMAIN.md 2.1, SENI-style):

1. **Direction.** Each indicator says whether a higher value means more need; when it does not, the engine
   works on the negated value, so after this step higher always means more need.
2. **Missing data** (never silently zero). A value is missing when it is None or NaN. Only indicators with a
   weight above 0 count. A school missing every weighted indicator is excluded under any rule, with the
   reason. Otherwise, by the rule:
   - ``reweight``: the school's score is the weighted mean over the indicators it has (its weights are
     re-normalized over them);
   - ``median``: the missing value is replaced by the median of the values present (among the schools
     scored), and the school is scored on every indicator;
   - ``exclude``: a school missing any weighted indicator is excluded, and the others are normalized among
     themselves.
3. **Normalization**, per indicator, among the schools that have a value (imputed values included):
   - ``percentile``: percentile rank with ties averaged, ``100 * (average rank - 1) / (m - 1)`` with ranks
     1..m ascending in need (m = 1 gives 50);
   - ``zscore``: ``(v - mean) / sd`` with the population standard deviation (0 when every value is equal);
   - ``minmax``: ``100 * (v - min) / (max - min)`` (50 when every value is equal).
4. **Score** = Σ_k share_k · normalized_k, where share_k = w_k / Σ w over the school's present indicators.
   Each term is the indicator's *contribution*; the contributions sum to the score. Percentile and min–max
   scores lie in 0..100; z-score scores are weighted mean z-scores.
5. **Rank**: 1 = highest need; schools whose scores are equal (within 1e-9) share the lower rank number
   ("min" ranking).
6. **Tiers** 1..5 = Highest, High, Moderate, Low, Lowest.
   - Quintiles (no cut points): by position in the ranking. A school at 0-based position p of n (highest need
     first) is in tier ``floor(5 * (p + 0.5) / n) + 1``, so every tier holds n/5 ± 1 schools and the
     split is symmetric (with 19 schools: 4, 4, 3, 4, 4). Tied schools take the mean position of their
     group, so ties always share a tier (and can make a tier larger).
   - Custom cut points c1 < c2 < c3 < c4 (in score units): score ≥ c4 → Highest, c3 ≤ score < c4 → High,
     c2 ≤ score < c3 → Moderate, c1 ≤ score < c2 → Low, score < c1 → Lowest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Normalization = Literal["percentile", "zscore", "minmax"]
MissingRule = Literal["reweight", "median", "exclude"]

NORMALIZATIONS: tuple[str, ...] = ("percentile", "zscore", "minmax")
MISSING_RULES: tuple[str, ...] = ("reweight", "median", "exclude")
TIERS = ("Highest", "High", "Moderate", "Low", "Lowest")  # tier 1 = Highest need
TIE_TOLERANCE = 1e-9

MISSING_ALL = "missing every indicator"


class NeedIndexError(ValueError):
    """Bad input to the need index, with a message a user can act on."""


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    weight: float  # >= 0; weights need not sum to 1 (normalized internally over present indicators)
    higher_is_more_need: bool = True


@dataclass(frozen=True)
class NeedInput:
    school_ids: Sequence[str]
    values: Mapping[str, Sequence[float | None]]  # indicator code -> one value per school (None = missing)
    indicators: Sequence[IndicatorSpec]
    normalization: Normalization = "percentile"
    missing: MissingRule = "reweight"
    cut_points: Sequence[float] | None = None  # None = quintiles; else 4 ascending score cut points


@dataclass(frozen=True)
class SchoolNeed:
    school_id: str
    score: float | None  # 0..100 for percentile/minmax; z-mean for zscore; None if excluded
    rank: int | None  # 1 = highest need; ties share the lower rank number ("min" ranking)
    tier: int | None  # 1..5 (1 = Highest)
    tier_name: str | None
    contributions: Mapping[str, float]  # indicator code -> weight_share * normalized value (sums to score)
    missing: tuple[str, ...]  # indicator codes missing for this school
    excluded: bool = False
    reason: str = ""  # why the school was excluded (empty when scored)
    imputed: tuple[str, ...] = ()  # indicator codes whose value was imputed (median rule)
    normalized: Mapping[str, float] = field(default_factory=dict)  # code -> normalized value (need-oriented)
    weight_shares: Mapping[str, float] = field(default_factory=dict)  # code -> share of the score's weight


@dataclass(frozen=True)
class NeedResult:
    schools: tuple[SchoolNeed, ...]  # same order as input
    normalization: str
    missing: str

    def by_id(self) -> dict[str, SchoolNeed]:
        return {school.school_id: school for school in self.schools}


@dataclass(frozen=True)
class ModelShift:
    """One school in two need models: where it stands in each and how it moved from a to b."""

    school_id: str
    score_a: float | None
    score_b: float | None
    rank_a: int | None
    rank_b: int | None
    tier_a: int | None
    tier_b: int | None
    tier_name_a: str | None
    tier_name_b: str | None
    rank_shift: int | None  # rank_a - rank_b: positive = ranks as needier in b
    tier_shift: int | None  # tier_a - tier_b: positive = a needier tier in b

    @property
    def tier_changed(self) -> bool:
        return self.tier_a != self.tier_b


# ---------------------------------------------------------------------------------------------- checks


def _check_input(inp: NeedInput) -> tuple[list[str], list[IndicatorSpec], np.ndarray]:
    """Validate everything; return school ids, indicators and the value matrix (n × K, NaN = missing)."""
    if inp.normalization not in NORMALIZATIONS:
        raise NeedIndexError(
            f"Unknown normalization {inp.normalization!r}: use one of {', '.join(NORMALIZATIONS)}.")
    if inp.missing not in MISSING_RULES:
        raise NeedIndexError(f"Unknown missing-data rule {inp.missing!r}: use one of {', '.join(MISSING_RULES)}.")
    ids = [str(s) for s in inp.school_ids]
    seen: set[str] = set()
    for school_id in ids:
        if school_id in seen:
            raise NeedIndexError(f"School {school_id!r} appears more than once.")
        seen.add(school_id)
    indicators = list(inp.indicators)
    if not indicators:
        raise NeedIndexError("Give at least one indicator.")
    codes: set[str] = set()
    for spec in indicators:
        if spec.code in codes:
            raise NeedIndexError(f"Indicator {spec.code!r} is given more than once.")
        codes.add(spec.code)
        try:
            weight = float(spec.weight)
        except (TypeError, ValueError):
            raise NeedIndexError(f"The weight of {spec.code!r} is not a number: {spec.weight!r}.") from None
        if not math.isfinite(weight):
            raise NeedIndexError(f"The weight of {spec.code!r} must be a finite number, not {spec.weight!r}.")
        if weight < 0:
            raise NeedIndexError(f"The weight of {spec.code!r} is negative ({weight:g}): weights must be ≥ 0.")
    if not any(float(spec.weight) > 0 for spec in indicators):
        raise NeedIndexError("At least one indicator needs a weight above 0 (all weights are 0).")
    n = len(ids)
    matrix = np.full((n, len(indicators)), np.nan)
    for k, spec in enumerate(indicators):
        if spec.code not in inp.values:
            raise NeedIndexError(f"No values given for indicator {spec.code!r}.")
        column = list(inp.values[spec.code])
        if len(column) != n:
            raise NeedIndexError(
                f"Indicator {spec.code!r} has {len(column)} values for {n} schools: give one per school.")
        try:  # fast path: numbers, None and NaN (None becomes NaN = missing)
            matrix[:, k] = np.asarray(column, dtype=float)
        except (TypeError, ValueError):
            for i, value in enumerate(column):
                if value is None:
                    continue
                try:
                    matrix[i, k] = float(value)
                except (TypeError, ValueError):
                    raise NeedIndexError(
                        f"School {ids[i]!r}, indicator {spec.code!r}: {value!r} is not a number.") from None
        infinite = np.flatnonzero(np.isinf(matrix[:, k]))
        if infinite.size:
            raise NeedIndexError(f"School {ids[infinite[0]]!r}, indicator {spec.code!r}: the value is infinite.")
    if inp.cut_points is not None:
        cuts = [float(c) for c in inp.cut_points]
        if len(cuts) != len(TIERS) - 1 or not all(math.isfinite(c) for c in cuts):
            raise NeedIndexError(f"Give {len(TIERS) - 1} finite cut points (or none for quintiles), not {cuts}.")
        if any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)):
            raise NeedIndexError(f"Cut points must be strictly ascending: {cuts}.")
    return ids, indicators, matrix


# ---------------------------------------------------------------------------------------- normalization


def average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ascending ranks with ties given the mean of the ranks they span (no NaN in `values`)."""
    m = values.size
    if m == 0:
        return np.empty(0)
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], m]  # exclusive
    group_rank = (starts + ends - 1) / 2.0 + 1.0
    group_of = np.repeat(np.arange(starts.size), ends - starts)
    ranks = np.empty(m)
    ranks[order] = group_rank[group_of]
    return ranks


def _fsum(values: np.ndarray) -> float:
    return math.fsum(values.tolist())  # exactly rounded: the same whatever the order of the schools


def normalize(values: np.ndarray, method: str) -> np.ndarray:
    """Normalize one indicator's present, need-oriented values (no NaN)."""
    m = values.size
    if m == 0:
        return values.astype(float)
    if method == "percentile":
        if m == 1:
            return np.full(1, 50.0)
        return 100.0 * (average_ranks(values) - 1.0) / (m - 1)
    if method == "minmax":
        low, high = float(values.min()), float(values.max())
        if high == low:
            return np.full(m, 50.0)
        return np.clip(100.0 * (values - low) / (high - low), 0.0, 100.0)
    mean = _fsum(values) / m
    deviations = values - mean
    sd = math.sqrt(_fsum(deviations * deviations) / m)
    if sd == 0.0 or not math.isfinite(sd):
        return np.zeros(m)
    return deviations / sd


# ------------------------------------------------------------------------------------ ranks and tiers


def _tie_groups(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort scores descending; return (order, group start per position, group end per position)."""
    order = np.lexsort((np.arange(scores.size), -scores))  # stable: descending score
    ordered = scores[order]
    gaps = np.abs(np.diff(ordered)) > TIE_TOLERANCE * np.maximum(1.0, np.abs(ordered[1:]))
    starts = np.flatnonzero(np.r_[True, gaps])
    ends = np.r_[starts[1:], scores.size]
    sizes = ends - starts
    return order, np.repeat(starts, sizes), np.repeat(ends, sizes)


def rank_and_tier(scores: np.ndarray, cut_points: Sequence[float] | None) -> tuple[np.ndarray, np.ndarray]:
    """Ranks (1 = highest need, "min" on ties) and tiers (1..5) for the scored schools."""
    n = scores.size
    ranks = np.empty(n, dtype=int)
    tiers = np.empty(n, dtype=int)
    if n == 0:
        return ranks, tiers
    order, group_start, group_end = _tie_groups(scores)
    ranks[order] = group_start + 1
    if cut_points is None:
        middle = (group_start + group_end - 1) / 2.0  # mean 0-based position of the tie group
        tier_by_position = np.floor(len(TIERS) * (middle + 0.5) / n).astype(int) + 1
        tiers[order] = np.clip(tier_by_position, 1, len(TIERS))
    else:
        cuts = np.asarray([float(c) for c in cut_points])
        # number of cut points at or below the score: 0 → Lowest (5) … 4 → Highest (1)
        reached = np.searchsorted(cuts, scores, side="right")
        tiers[:] = len(TIERS) - reached
    return ranks, tiers


# ------------------------------------------------------------------------------------------- compute


def compute_need(inp: NeedInput) -> NeedResult:
    """Score, rank and tier every school (see the module docstring for the rules)."""
    ids, indicators, raw = _check_input(inp)
    n, k_count = raw.shape
    codes = [spec.code for spec in indicators]
    weights = np.array([float(spec.weight) for spec in indicators])
    weighted = weights > 0
    signs = np.array([1.0 if spec.higher_is_more_need else -1.0 for spec in indicators])
    values = raw * signs  # need-oriented: higher = more need
    present = ~np.isnan(values)

    for k in np.flatnonzero(weighted):
        if n and not present[:, k].any():
            raise NeedIndexError(
                f"Indicator {codes[k]!r} has no value for any school: drop it or give it weight 0.")

    missing_weighted = ~present & weighted
    missing_all = ~(present & weighted).any(axis=1)
    excluded = missing_all.copy()
    if inp.missing == "exclude":
        excluded |= missing_weighted.any(axis=1)
    reasons = [""] * n
    for i in np.flatnonzero(excluded):
        if missing_all[i]:
            reasons[i] = MISSING_ALL
        else:
            lacking = ", ".join(codes[k] for k in np.flatnonzero(missing_weighted[i]))
            reasons[i] = f"missing {lacking} (missing-data rule: exclude)"
    scored = ~excluded

    used = present & scored[:, None]  # values that take part, per indicator
    imputed = np.zeros_like(present)
    if inp.missing == "median":
        for k in range(k_count):
            gaps = scored & ~present[:, k]
            if gaps.any() and used[:, k].any():
                values[gaps, k] = float(np.median(values[used[:, k], k]))
                imputed[gaps, k] = True
        used = used | imputed

    normalized = np.full((n, k_count), np.nan)
    for k in range(k_count):
        rows = used[:, k]
        normalized[rows, k] = normalize(values[rows, k], inp.normalization)

    counted = used & weighted  # terms of the weighted mean
    weight_matrix = np.where(counted, weights, 0.0)
    totals = np.zeros(n)
    for k in range(k_count):
        totals += weight_matrix[:, k]
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(scored[:, None], weight_matrix / np.where(totals > 0, totals, 1.0)[:, None], 0.0)
    contributions = np.where(used, shares * np.nan_to_num(normalized), 0.0)
    scores = np.zeros(n)
    for k in range(k_count):
        scores += contributions[:, k]
    if inp.normalization in ("percentile", "minmax"):
        scores = np.clip(scores, 0.0, 100.0)

    scored_index = np.flatnonzero(scored)
    ranks, tiers = rank_and_tier(scores[scored_index], inp.cut_points)
    rank_of = dict(zip(scored_index.tolist(), ranks.tolist(), strict=True))
    tier_of = dict(zip(scored_index.tolist(), tiers.tolist(), strict=True))

    # Plain Python rows from here on: indexing numpy arrays element by element is slow.
    absent_rows = np.isnan(raw).tolist()
    used_rows = used.tolist()
    imputed_rows = imputed.tolist()
    contribution_rows = contributions.tolist()
    normalized_rows = normalized.tolist()
    share_rows = shares.tolist()
    score_list = scores.tolist()
    excluded_list = excluded.tolist()
    results = []
    for i, school_id in enumerate(ids):
        missing = tuple(code for code, absent in zip(codes, absent_rows[i], strict=True) if absent)
        if excluded_list[i]:
            results.append(SchoolNeed(school_id=school_id, score=None, rank=None, tier=None, tier_name=None,
                                      contributions={}, missing=missing, excluded=True, reason=reasons[i]))
            continue
        terms = [k for k, taken in enumerate(used_rows[i]) if taken]
        tier = tier_of[i]
        contribution, normal, share, filled = contribution_rows[i], normalized_rows[i], share_rows[i], imputed_rows[i]
        results.append(SchoolNeed(
            school_id=school_id,
            score=score_list[i],
            rank=rank_of[i],
            tier=tier,
            tier_name=TIERS[tier - 1],
            contributions={codes[k]: contribution[k] for k in terms},
            missing=missing,
            imputed=tuple(codes[k] for k in terms if filled[k]),
            normalized={codes[k]: normal[k] for k in terms},
            weight_shares={codes[k]: share[k] for k in terms},
        ))
    return NeedResult(schools=tuple(results), normalization=inp.normalization, missing=inp.missing)


def explain(school: SchoolNeed, top: int = 3) -> list[tuple[str, float]]:
    """The indicators that add most to a school's score, largest first: "why is this school Highest need?"."""
    ordered = sorted(school.contributions.items(), key=lambda item: (-item[1], item[0]))
    return ordered[:top]


def compare_models(a: NeedResult, b: NeedResult) -> list[ModelShift]:
    """Per school, its score, rank and tier in model a and model b and the shifts from a to b.

    Schools follow a's order, then schools only b scores; a school absent from one model (or excluded
    there) has None on that side and no shift.
    """
    in_a = a.by_id()
    in_b = b.by_id()
    ids = list(in_a) + [school_id for school_id in in_b if school_id not in in_a]
    shifts = []
    for school_id in ids:
        one, two = in_a.get(school_id), in_b.get(school_id)
        rank_a = one.rank if one else None
        rank_b = two.rank if two else None
        tier_a = one.tier if one else None
        tier_b = two.tier if two else None
        shifts.append(ModelShift(
            school_id=school_id,
            score_a=one.score if one else None,
            score_b=two.score if two else None,
            rank_a=rank_a,
            rank_b=rank_b,
            tier_a=tier_a,
            tier_b=tier_b,
            tier_name_a=one.tier_name if one else None,
            tier_name_b=two.tier_name if two else None,
            rank_shift=rank_a - rank_b if rank_a is not None and rank_b is not None else None,
            tier_shift=tier_a - tier_b if tier_a is not None and tier_b is not None else None,
        ))
    return shifts
