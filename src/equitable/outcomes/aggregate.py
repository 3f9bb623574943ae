"""Network aggregates of school outcome rows: the arithmetic (pure Python, no Django).

The network is not a Local Educational Agency, so the state publishes nothing for it; Equitable
computes its rows from its member schools' rows:

- value = the denominator-weighted mean of the schools' values, Σ nᵢ·vᵢ / Σ nᵢ. For a rate this is the
  pooled rate Σ numeratorᵢ / Σ denominatorᵢ (each vᵢ = numeratorᵢ / nᵢ), up to the rounding of the
  stored values; for Distance from Standard it is the mean distance of all the schools' students.
- denominator = Σ nᵢ over the schools that have a value (a suppressed school row, under 11 students,
  has no value and adds nobody: its students are invisible to the mean, as they are in the files);
- numerator = Σ numeratorᵢ when every contributing school row carries one, else None;
- prior value and prior denominator likewise from the schools' prior values and prior denominators;
- change = value − prior value, from the unrounded aggregates (as the state computes change).

Decimal arithmetic throughout, so the result does not depend on the order of the schools.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, localcontext


@dataclass(frozen=True)
class SchoolFigure:
    """One school's row for one indicator, year and student group."""

    value: Decimal | None
    denominator: int | None
    prior_value: Decimal | None = None
    prior_denominator: int | None = None
    numerator: int | None = None
    high_school_cut_points: bool = False


@dataclass(frozen=True)
class NetworkFigure:
    """The network's row computed from its schools (unrounded)."""

    value: Decimal | None
    denominator: int | None
    numerator: int | None
    prior_value: Decimal | None
    prior_denominator: int | None
    change: Decimal | None
    schools: int  # school rows that contributed a current value
    high_school_cut_points: bool  # every contributing row used the high-school cut points


def weighted_mean(pairs: Iterable[tuple[Decimal | None, int | None]]) -> tuple[Decimal | None, int]:
    """The weighted mean of (value, weight) pairs and the total weight.

    Pairs without a value or with a weight of 0 or None are left out. Returns (None, 0) when nothing
    remains. The mean always lies between the smallest and the largest value that took part.
    """
    total = Decimal(0)
    weight = 0
    with localcontext() as context:
        context.prec = 40  # Σ n·v is exact for any realistic n and two-decimal v
        for value, n in pairs:
            if value is None or not n:
                continue
            if n < 0:
                raise ValueError(f"a weight must be ≥ 0, got {n}")
            total += Decimal(value) * n
            weight += n
        if not weight:
            return None, 0
        return total / weight, weight


def aggregate_schools(figures: Iterable[SchoolFigure]) -> NetworkFigure:
    """Combine the member schools' rows of one indicator, year and student group."""
    figures = list(figures)
    current = [f for f in figures if f.value is not None and f.denominator]
    value, denominator = weighted_mean((f.value, f.denominator) for f in current)
    prior_value, prior_denominator = weighted_mean((f.prior_value, f.prior_denominator) for f in figures)
    numerator = None
    if current and all(f.numerator is not None for f in current):
        numerator = sum(f.numerator for f in current)  # type: ignore[misc]
    change = None if value is None or prior_value is None else value - prior_value
    return NetworkFigure(
        value=value,
        denominator=denominator or None,
        numerator=numerator,
        prior_value=prior_value,
        prior_denominator=prior_denominator or None,
        change=change,
        schools=len(current),
        high_school_cut_points=bool(current) and all(f.high_school_cut_points for f in current),
    )
