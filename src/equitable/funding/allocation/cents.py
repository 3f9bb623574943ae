"""Money in whole cents that still adds up: amounts rounded so their sum is exactly the total (largest remainder).

Rounding each amount on its own can leave the stored total a few cents off the pool. Here every amount is first
rounded down to a cent, then the cents still missing go one each to the amounts that lost the most in rounding
(ties to the earlier school), so the sum is exact and no amount moves by a cent or more. An amount that is a
whole number of cents (a floor, a cap, zero after the minimum grant) keeps its value unless every other amount
is whole too.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


def round_to_cents(values: Sequence[float], total: Decimal | float | None = None) -> list[Decimal]:
    """`values` in cents, adding up to `total` (default: their own sum, rounded to a cent)."""
    exact = [Decimal(repr(float(v))) for v in values]
    if total is None:
        target = sum(exact, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        target = Decimal(str(total)).quantize(CENT, rounding=ROUND_HALF_UP)
    floors = [v.quantize(CENT, rounding=ROUND_FLOOR) for v in exact]
    missing = int((target - sum(floors, Decimal(0))) / CENT)
    if missing <= 0 or not values:
        return floors
    order = sorted(range(len(values)), key=lambda i: (-(exact[i] - floors[i]), i))
    for k in range(min(missing, len(order))):
        floors[order[k]] += CENT
    return floors
