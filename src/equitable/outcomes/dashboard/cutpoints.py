"""Indicators and their status and change cut points (2024 and 2025 Dashboards).

Source: CDE's five-by-five colour tables (DOMAIN.md 3.3 and 3.4). Bounds are inclusive and compared
with the value rounded to one decimal place. Levels run from 1 (worst) to 5 (best) for every
indicator; for lower-is-better rates (chronic absenteeism, suspension) status 5 is "Very Low" and
change 5 is "Declined Significantly".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from equitable.outcomes.dashboard.numbers import DashboardError, Number, round_tenth


class Indicator(StrEnum):
    """A state indicator, valued by the code in the download file's `indicator` column."""

    ELA = "ELA"
    MATH = "MATH"
    CHRONIC = "CHRO"
    GRADUATION = "GRAD"
    SUSPENSION = "SUSP"
    ELPI = "ELPI"
    CCI = "CCI"
    SCIENCE = "SCIE"

    @property
    def is_academic(self) -> bool:
        """ELA, math and science use the academic colour grid."""
        return self in (Indicator.ELA, Indicator.MATH, Indicator.SCIENCE)

    @property
    def uses_small_denominator(self) -> bool:
        """Indicators whose files carry `smalldenom` (fewer than 150 students)."""
        return self in (Indicator.CHRONIC, Indicator.GRADUATION, Indicator.SUSPENSION, Indicator.CCI)

    @property
    def is_rate(self) -> bool:
        """Status is a percent of a numerator over a denominator."""
        return self in (
            Indicator.CHRONIC,
            Indicator.GRADUATION,
            Indicator.SUSPENSION,
            Indicator.ELPI,
            Indicator.CCI,
        )


# Codes seen in the `indicator` column and in file names (`<stem>downloadYYYY.txt`).
INDICATOR_ALIASES: dict[str, Indicator] = {
    "ELA": Indicator.ELA,
    "MATH": Indicator.MATH,
    "CHRO": Indicator.CHRONIC,
    "CHRONIC": Indicator.CHRONIC,
    "GRAD": Indicator.GRADUATION,
    "SUSP": Indicator.SUSPENSION,
    "ELPI": Indicator.ELPI,
    "CCI": Indicator.CCI,
    "SCIE": Indicator.SCIENCE,
    "SCI": Indicator.SCIENCE,
    "SCIENCE": Indicator.SCIENCE,
    "CAST": Indicator.SCIENCE,
}


def indicator_from_code(code: str) -> Indicator:
    try:
        return INDICATOR_ALIASES[code.strip().upper()]
    except KeyError:
        known = ", ".join(sorted(INDICATOR_ALIASES))
        raise DashboardError(f"{code!r} is not a Dashboard indicator code (known: {known})") from None


class Direction(StrEnum):
    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"


class SuspensionType(StrEnum):
    """The suspension file's `type`: which of the six tables applies (DOMAIN.md 3.4)."""

    ELEMENTARY_DISTRICT = "ED"
    HIGH_SCHOOL_DISTRICT = "HD"
    UNIFIED_DISTRICT = "UD"
    ELEMENTARY_SCHOOL = "ES"
    MIDDLE_SCHOOL = "MS"
    HIGH_SCHOOL = "HS"


def suspension_type_from_code(code: str) -> SuspensionType:
    try:
        return SuspensionType(code.strip().upper())
    except ValueError:
        known = ", ".join(t.value for t in SuspensionType)
        raise DashboardError(f"{code!r} is not a suspension type (one of {known})") from None


@dataclass(frozen=True)
class CutPoints:
    """Four inclusive one-decimal bounds that split a value into levels 5..1.

    Higher is better: level 5 if value ≥ bounds[0], 4 if ≥ bounds[1], 3 if ≥ bounds[2], 2 if ≥ bounds[3],
    else 1. Lower is better: the same with ≤.
    """

    direction: Direction
    bounds: tuple[Decimal, Decimal, Decimal, Decimal]

    def __post_init__(self) -> None:
        ordered = list(self.bounds)
        expected = sorted(ordered, reverse=self.direction is Direction.HIGHER_IS_BETTER)
        if ordered != expected or len(set(ordered)) != 4:
            raise DashboardError(f"cut points {self.bounds} are not strictly ordered for {self.direction}")

    def level(self, value: Number) -> int:
        """The level 1..5 of `value`, rounded to one decimal place first."""
        rounded = round_tenth(value)
        for level, bound in zip((5, 4, 3, 2), self.bounds, strict=True):
            if self.direction is Direction.HIGHER_IS_BETTER and rounded >= bound:
                return level
            if self.direction is Direction.LOWER_IS_BETTER and rounded <= bound:
                return level
        return 1


def _higher(*bounds: str) -> CutPoints:
    b = tuple(Decimal(x) for x in bounds)
    return CutPoints(Direction.HIGHER_IS_BETTER, (b[0], b[1], b[2], b[3]))


def _lower(*bounds: str) -> CutPoints:
    b = tuple(Decimal(x) for x in bounds)
    return CutPoints(Direction.LOWER_IS_BETTER, (b[0], b[1], b[2], b[3]))


ACADEMIC_CHANGE = _higher("15.0", "3.0", "-2.9", "-15.0")

STATUS_CUTS: dict[Indicator, CutPoints] = {
    Indicator.ELA: _higher("45.0", "10.0", "-5.0", "-70.0"),
    Indicator.MATH: _higher("35.0", "0.0", "-25.0", "-95.0"),
    Indicator.CHRONIC: _lower("2.5", "5.0", "10.0", "20.0"),
    Indicator.GRADUATION: _higher("95.0", "90.5", "80.0", "68.0"),
    Indicator.ELPI: _higher("65.0", "55.0", "45.0", "35.0"),
    Indicator.CCI: _higher("70.0", "55.0", "35.0", "10.0"),
    Indicator.SCIENCE: _higher("65.0", "55.0", "45.0", "35.0"),
}

HIGH_SCHOOL_STATUS_CUTS: dict[Indicator, CutPoints] = {
    Indicator.ELA: _higher("75.0", "30.0", "0.0", "-45.0"),
    Indicator.MATH: _higher("25.0", "0.0", "-60.0", "-115.0"),
}

CHANGE_CUTS: dict[Indicator, CutPoints] = {
    Indicator.ELA: ACADEMIC_CHANGE,
    Indicator.MATH: ACADEMIC_CHANGE,
    Indicator.CHRONIC: _lower("-3.0", "-0.5", "0.4", "3.0"),
    Indicator.GRADUATION: _higher("5.0", "1.0", "-0.9", "-5.0"),
    Indicator.ELPI: _higher("10.0", "2.0", "-1.9", "-10.0"),
    Indicator.CCI: _higher("9.0", "2.0", "-1.9", "-9.0"),
    Indicator.SCIENCE: _higher("5.0", "2.0", "-1.9", "-5.0"),
}

SUSPENSION_STATUS_CUTS: dict[SuspensionType, CutPoints] = {
    SuspensionType.ELEMENTARY_DISTRICT: _lower("0.5", "1.5", "3.0", "6.0"),
    SuspensionType.HIGH_SCHOOL_DISTRICT: _lower("1.5", "3.5", "6.0", "9.0"),
    SuspensionType.UNIFIED_DISTRICT: _lower("1.0", "2.5", "4.5", "8.0"),
    SuspensionType.ELEMENTARY_SCHOOL: _lower("0.5", "1.0", "3.0", "6.0"),
    SuspensionType.MIDDLE_SCHOOL: _lower("0.5", "2.0", "8.0", "12.0"),
    SuspensionType.HIGH_SCHOOL: _lower("0.5", "1.5", "6.0", "10.0"),
}

SUSPENSION_CHANGE_CUTS: dict[SuspensionType, CutPoints] = {
    SuspensionType.ELEMENTARY_DISTRICT: _lower("-2.0", "-0.3", "0.2", "2.0"),
    SuspensionType.HIGH_SCHOOL_DISTRICT: _lower("-3.0", "-0.5", "0.4", "3.0"),
    SuspensionType.UNIFIED_DISTRICT: _lower("-2.0", "-0.3", "0.2", "2.0"),
    SuspensionType.ELEMENTARY_SCHOOL: _lower("-1.0", "-0.3", "0.2", "2.0"),
    SuspensionType.MIDDLE_SCHOOL: _lower("-3.0", "-0.3", "0.2", "4.0"),
    SuspensionType.HIGH_SCHOOL: _lower("-2.0", "-0.3", "0.2", "3.0"),
}


def status_cut_points(
    indicator: Indicator,
    *,
    high_school: bool = False,
    suspension_type: SuspensionType | None = None,
) -> CutPoints:
    """The status cut points for an indicator (grade-11 cuts for ELA/math when `high_school`)."""
    if indicator is Indicator.SUSPENSION:
        return SUSPENSION_STATUS_CUTS[_require_type(suspension_type)]
    if high_school and indicator in HIGH_SCHOOL_STATUS_CUTS:
        return HIGH_SCHOOL_STATUS_CUTS[indicator]
    return STATUS_CUTS[indicator]


def change_cut_points(indicator: Indicator, *, suspension_type: SuspensionType | None = None) -> CutPoints:
    """The change cut points for an indicator."""
    if indicator is Indicator.SUSPENSION:
        return SUSPENSION_CHANGE_CUTS[_require_type(suspension_type)]
    return CHANGE_CUTS[indicator]


def _require_type(suspension_type: SuspensionType | None) -> SuspensionType:
    if suspension_type is None:
        raise DashboardError("suspension levels need the file's `type` (ED, HD, UD, ES, MS or HS)")
    return suspension_type
