"""The engine's inputs, options, results and errors (the contract other modules code against)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Method = Literal["even_school", "even_pupil", "tiered", "weighted", "proportional", "maxmin", "minspread"]
METHODS: tuple[str, ...] = ("even_school", "even_pupil", "tiered", "weighted", "proportional", "maxmin", "minspread")

#: Other spellings of the methods people type (compared after lower-casing and turning "-" and " " into "_").
METHOD_ALIASES: Mapping[str, str] = {
    "even": "even_school", "even_per_school": "even_school", "per_school": "even_school",
    "even_per_pupil": "even_pupil", "per_pupil": "even_pupil",
    "tier": "tiered", "need_tier": "tiered", "need_tiers": "tiered", "seni": "tiered",
    "wsf": "weighted", "weighted_student_formula": "weighted", "fair_student_funding": "weighted",
    "fsf": "weighted",
    "proportional_to_need": "proportional", "need": "proportional", "water_filling": "proportional",
    "waterfill": "proportional",
    "max_min": "maxmin",
    "min_spread": "minspread",
}


def method_named(name: str) -> str | None:
    """The method a name stands for ("max-min" → "maxmin", "Even per pupil" → "even_pupil"), or None."""
    key = str(name).strip().lower().replace("-", "_").replace(" ", "_")
    return key if key in METHODS else METHOD_ALIASES.get(key)


#: NYC Fair Student Funding style extra weights (DOMAIN.md 2.6); disabilities is a placeholder band.
DEFAULT_WEIGHTS: Mapping[str, float] = {"poverty": 0.12, "english_learners": 0.40, "disabilities": 0.40}


@dataclass(frozen=True)
class SchoolInput:
    school_id: str
    enrollment: int                  # > 0
    need: float | None = None        # need score, 0–100 (or a 0–1 share); proportional/maxmin/monotone need it
    tier: int | None = None          # 1..5 (1 = Highest need), required by tiered
    floor: float = 0.0
    cap: float | None = None
    prior: float | None = None       # previous adopted amount (hold-harmless)
    base: float = 0.0                # existing per-school dollars (min-spread counts base + x)
    grade_weight: float = 1.0        # weighted student formula
    poverty: int = 0                 # counts of students for the weighted formula's extra weights
    english_learners: int = 0
    disabilities: int = 0


@dataclass(frozen=True)
class AllocationOptions:
    method: Method
    pool: float
    tier_rates: Sequence[float] | None = None        # relative per-pupil rates for tiers 1..5 (tiered)
    weights: Mapping[str, float] | None = None        # weighted: extra weights per counted student
    need_multiplier: float = 1.0                      # proportional: x_i ∝ e_i * (1 + beta * s_i)
    spend_exactly: bool = True                        # else report the remainder
    minimum_grant: float = 0.0                        # below it a school gets 0 and money is redistributed
    monotone_per_pupil: bool = False                  # needier school never gets lower per-pupil
    hold_harmless: float | None = None                # e.g. 0.9: x_i >= 0.9 * prior_i
    need_scale: float | None = None                   # need s_i = need/scale; None: 100, or 1 when every need ≤ 1


@dataclass(frozen=True)
class SchoolAllocation:
    school_id: str
    amount: float
    per_pupil: float
    even_amount: float               # even-per-pupil split of the same pool
    difference_from_even: float
    enrollment: float = 0.0


@dataclass(frozen=True)
class AllocationMetrics:
    gini_per_pupil: float
    tier_ratio: float | None          # mean per-pupil of tier 1 (Highest) / mean per-pupil of tier 5 (Lowest)
    share_to_highest_quintile: float | None   # share of the allocated total to tier-1 schools
    need_correlation: float | None    # Pearson correlation of need with per-pupil amount
    min_per_pupil: float = 0.0
    max_per_pupil: float = 0.0
    optimum: float | None = None      # maxmin: t* (share of demand met); minspread: u* - l* ($ per pupil)
    dropped: tuple[str, ...] = ()     # schools zeroed by the minimum grant


@dataclass(frozen=True)
class AllocationResult:
    schools: tuple[SchoolAllocation, ...]   # input order
    total: float
    remainder: float
    metrics: AllocationMetrics
    method: str
    need_scale: float = 100.0               # the need scores were read as shares need/need_scale


class AllocationError(ValueError):
    """Bad input, with a clear message."""


class InfeasibleAllocation(AllocationError):
    """The options contradict each other; the message names the conflicting constraints (with amounts)."""

    def __init__(self, message: str, constraints: Sequence[str] = ()):
        super().__init__(message)
        self.constraints: tuple[str, ...] = tuple(constraints)


def money(value: float) -> str:
    """$1,234 or $1,234.56: amounts in messages."""
    if value == float("inf"):
        return "no cap"
    if abs(value - round(value)) < 0.005:
        return f"${value:,.0f}"
    return f"${value:,.2f}"
