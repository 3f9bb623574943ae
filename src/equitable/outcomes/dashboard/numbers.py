"""Exact decimal arithmetic for the Dashboard: conversion, one-decimal rounding, rates.

The state publishes every status and change to one decimal place and compares them with one-decimal,
inclusive cut points. Binary floats cannot hold 0.1 exactly, so the engine works in `Decimal` and
rounds half away from zero (SAS `ROUND`, which CDE uses): 2.45 → 2.5, -2.45 → -2.5.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Number = Decimal | int | float | str

TENTH = Decimal("0.1")
ONE = Decimal("1")
HUNDRED = Decimal("100")


class DashboardError(ValueError):
    """Input the Dashboard engine cannot evaluate; the message says what and why."""


def to_decimal(value: Number) -> Decimal:
    """Convert a number to `Decimal` without binary noise (floats go through their shortest repr)."""
    if isinstance(value, bool):
        raise DashboardError(f"{value!r} is a boolean, not a number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise DashboardError(f"{value!r} is not a number") from None
    else:
        raise DashboardError(f"{value!r} ({type(value).__name__}) is not a number")
    if not result.is_finite():
        raise DashboardError(f"{value!r} is not a finite number")
    return result


def optional_decimal(value: Number | None) -> Decimal | None:
    return None if value is None else to_decimal(value)


def round_tenth(value: Number) -> Decimal:
    """Round to one decimal place, halves away from zero (2.45 → 2.5, -2.45 → -2.5); never -0.0."""
    rounded = to_decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def round_whole(value: Number) -> int:
    """Round to a whole number, halves away from zero."""
    return int(to_decimal(value).quantize(ONE, rounding=ROUND_HALF_UP))


def rate(numerator: int, denominator: int) -> Decimal:
    """Unrounded percentage numerator / denominator × 100 (28 significant digits)."""
    if denominator <= 0:
        raise DashboardError(f"a rate needs a positive denominator, got {denominator}")
    if numerator < 0 or numerator > denominator:
        raise DashboardError(f"numerator {numerator} is outside 0..{denominator}")
    return Decimal(numerator) * HUNDRED / Decimal(denominator)
