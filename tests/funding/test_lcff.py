"""The LCFF supplemental and concentration estimate (DOMAIN.md 2.3), worked by hand."""

import pytest

from equitable.funding.lcff import (
    LcffError,
    LcffInput,
    LcffRates,
    estimate_lcff,
    unduplicated_pupil_percentage,
)


def test_hand_worked_elementary_school():
    # K-3: 10,025 × 1.104 = 11,067.60 × 100 ADA = 1,106,760; 4-6: 10,177 × 50 = 508,850 → base 1,615,610
    # UPP = (80 + 90 + 85) / 300 = 0.85
    # supplemental = 0.20 × 1,615,610 × 0.85 = 274,653.70
    # concentration = 0.65 × 1,615,610 × (0.85 − 0.55) = 315,043.95
    estimate = estimate_lcff(LcffInput("s1", {"K-3": 100, "4-6": 50}, [80, 90, 85], [100, 100, 100]))
    assert estimate.upp == pytest.approx(0.85)
    assert estimate.base_total == pytest.approx(1_615_610)
    assert estimate.supplemental == pytest.approx(274_653.70)
    assert estimate.concentration == pytest.approx(315_043.95)
    assert estimate.entitlement == pytest.approx(1_615_610 + 274_653.70 + 315_043.95)


def test_high_school_gsa_and_no_concentration_below_the_threshold():
    # 9-12: 12,144 × 1.026 = 12,459.744 × 200 = 2,491,948.80; UPP = 100/200 = 0.5 < 0.55
    estimate = estimate_lcff(LcffInput("h", {"9-12": 200}, [50, 50], [100, 100]))
    assert estimate.base_total == pytest.approx(2_491_948.80)
    assert estimate.supplemental == pytest.approx(0.2 * 2_491_948.80 * 0.5)
    assert estimate.concentration == 0


def test_rolling_average_weights_years_by_enrollment_and_charters_use_the_lesser_upp():
    assert unduplicated_pupil_percentage([90, 10], [100, 300]) == pytest.approx(100 / 400)
    own = estimate_lcff(LcffInput("c", {"7-8": 10}, [95], [100]))
    hosted = estimate_lcff(LcffInput("c", {"7-8": 10}, [95], [100], host_upp=0.75))
    assert own.concentration == pytest.approx(0.65 * 104_780 * 0.40)
    assert hosted.concentration == pytest.approx(0.65 * 104_780 * 0.20)
    assert hosted.supplemental == own.supplemental


def test_rates_can_be_replaced():
    rates = LcffRates(base={"K-3": 1000, "4-6": 0, "7-8": 0, "9-12": 0}, gsa={}, concentration=0.5)
    estimate = estimate_lcff(LcffInput("s", {"K-3": 1}, [1], [1]), rates)
    assert (estimate.base_total, estimate.supplemental, estimate.concentration) == (1000, 200, pytest.approx(225))


@pytest.mark.parametrize("inp, message", [
    (LcffInput("s", {"K-2": 1}, [1], [1]), "Unknown grade span"),
    (LcffInput("s", {"K-3": 1}, [5], [4]), "between 0 and the enrollment"),
    (LcffInput("s", {"K-3": 1}, [1, 1], [2]), "one to three years"),
    (LcffInput("s", {"K-3": 1}, [0], [0]), "zero"),
    (LcffInput("s", {"K-3": -1}, [0], [1]), "negative"),
])
def test_bad_input(inp, message):
    with pytest.raises(LcffError, match=message):
        estimate_lcff(inp)
