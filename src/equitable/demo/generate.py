"""Deterministic synthetic figures for demo schools: school-year dates and enrollment.

Pure functions (no Django): every random draw comes from a `random.Random` seeded with a string
that names the school and year, so the same inputs give the same numbers on every machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from equitable.network.codes import ORDINAL_GRADE

CURRENT_START_YEAR = 2025  # the demo's current school year is 2025-26


def school_year_name(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def school_year_dates(start_year: int) -> tuple[date, date]:
    """First and last day of instruction: mid-August (a weekday) to mid-June (a weekday)."""
    start = date(start_year, 8, 14)
    while start.weekday() >= 5:
        start += timedelta(days=1)
    end = date(start_year + 1, 6, 11)
    while end.weekday() >= 5:
        end -= timedelta(days=1)
    return start, end


def census_day(start_year: int) -> date:
    """California's Census Day: the first Wednesday in October."""
    day = date(start_year, 10, 1)
    while day.weekday() != 2:
        day += timedelta(days=1)
    return day


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` into whole numbers proportional to `weights` that add up exactly (largest remainder)."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    weight_sum = sum(weights)
    raw = [total * w / weight_sum for w in weights]
    counts = [int(r) for r in raw]
    short = total - sum(counts)
    by_remainder = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in by_remainder[:short]:
        counts[i] += 1
    return counts


# Race/ethnicity shares by community (codes of California's student groups). Watts has a larger
# share of Black students; Boyle Heights is almost entirely Hispanic.
RACE_PROFILES: dict[str, dict[str, float]] = {
    "watts": {"HI": 0.775, "AA": 0.195, "AS": 0.004, "FI": 0.003, "WH": 0.006, "MR": 0.009, "PI": 0.003, "AI": 0.002},
    "south-la": {"HI": 0.895, "AA": 0.085, "AS": 0.004, "FI": 0.002, "WH": 0.006, "MR": 0.005, "PI": 0.002, "AI": 0.001},
    "boyle-heights": {"HI": 0.962, "AA": 0.008, "AS": 0.011, "FI": 0.003, "WH": 0.009, "MR": 0.004, "PI": 0.001,
                      "AI": 0.002},
}
DEFAULT_PROFILE = "south-la"


@dataclass(frozen=True)
class EnrollmentFigures:
    total: int
    unduplicated: int
    by_grade: dict[str, int]
    by_group: dict[str, int]


def _el_range(grade_high: int) -> tuple[float, float]:
    if grade_high <= 6:
        return 0.30, 0.40
    if grade_high <= 8:
        return 0.22, 0.32
    return 0.20, 0.28


def enrollment_figures(total: int, grade_low: int, grade_high: int, profile: str, seed: str) -> EnrollmentFigures:
    """Enrollment of one school in one year: by grade over its span (adding up to the total), by student
    group with California's codes (SED 85–95 %, EL 20–40 %, race/ethnicity by community), unduplicated."""
    rng = random.Random(seed)
    grades = [ORDINAL_GRADE[g] for g in range(grade_low, grade_high + 1)]
    weights = [1.0 + rng.uniform(-0.08, 0.08) for _ in grades]
    by_grade = dict(zip(grades, apportion(total, weights), strict=True))

    shares = RACE_PROFILES.get(profile, RACE_PROFILES[DEFAULT_PROFILE])
    not_reported = min(total, rng.randint(0, 3))
    codes = list(shares)
    race_counts = apportion(total - not_reported, [shares[c] * (1 + rng.uniform(-0.1, 0.1)) for c in codes])
    by_group: dict[str, int] = {}
    sed = round(total * rng.uniform(0.85, 0.95))
    by_group["SED"] = sed
    by_group["EL"] = round(total * rng.uniform(*_el_range(grade_high)))
    by_group["FOS"] = round(total * rng.uniform(0.008, 0.015))
    by_group["HOM"] = round(total * rng.uniform(0.02, 0.05))
    by_group["SWD"] = round(total * rng.uniform(0.12, 0.16))
    for code, count in zip(codes, race_counts, strict=True):
        if count:
            by_group[code] = count
    # Unduplicated pupils (LCFF): every SED student plus the EL and foster students who are not SED.
    unduplicated = min(total, sed + round(by_group["EL"] * rng.uniform(0.03, 0.08)) + by_group["FOS"] // 3)
    return EnrollmentFigures(total, unduplicated, by_grade, by_group)


def yearly_totals(current_total: int, start_years: list[int], seed: str) -> dict[int, int]:
    """Totals per school year: a slight decline (1.5–3.5 % a year) towards the current year, with noise."""
    rng = random.Random(seed)
    rate = rng.uniform(0.015, 0.035)
    totals = {}
    for start_year in start_years:
        years_back = CURRENT_START_YEAR - start_year
        noise = 1.0 + rng.uniform(-0.006, 0.006) if years_back else 1.0
        totals[start_year] = max(1, round(current_total * (1 + rate) ** years_back * noise))
    return totals
