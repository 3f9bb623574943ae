"""Whole cents that add up: stored and printed amounts sum exactly to the pool."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from equitable.funding.allocation.cents import round_to_cents


def test_thirds_of_a_hundred_dollars():
    assert round_to_cents([100 / 3] * 3, 100) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_whole_cents_stay_put():
    assert round_to_cents([20000.0, 0.0, 15.555, 14.445], 20030) == [Decimal("20000.00"), Decimal("0.00"),
                                                                     Decimal("15.56"), Decimal("14.44")]


@given(st.lists(st.floats(0, 1e7, allow_nan=False), min_size=1, max_size=40))
def test_sum_is_exact_and_no_amount_moves_a_cent(values):
    total = Decimal(repr(sum(values))).quantize(Decimal("0.01"))
    got = round_to_cents(values, total)
    assert sum(got) == total
    for value, cents in zip(values, got, strict=True):
        assert abs(Decimal(repr(value)) - cents) < Decimal("0.02")
