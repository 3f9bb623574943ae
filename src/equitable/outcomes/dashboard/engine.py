"""Evaluate one Dashboard row: status level, change level, colour and box, as the state does.

The rules (DOMAIN.md 3.3-3.5), in the order they apply:

1. A value is published only for 11 or more students; without a current status there is no level.
2. Status and change are rounded to one decimal place and placed with inclusive cut points. Change is
   the difference of the *unrounded* statuses (pass unrounded statuses, or the file's `change`).
3. Small populations (`smalldenom`, fewer than 150 students) in chronic absenteeism, suspension and
   CCI fold the outer change bands inward (5 → 4, 1 → 2), and the file publishes the folded level.
   Graduation publishes the unfolded level but colours small populations with its own grid and numbers
   the box at the folded level.
4. A colour needs both levels, a group that is coloured at all (EO, ELO, RFP, SBA and CAA are not),
   and at least 30 students in the current and the prior year (15 for foster youth, homeless and
   long-term English learners at the LEA and state level).
5. `box` numbers the grid cell of a coloured row (10..250); it is 0 without a colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from equitable.outcomes.dashboard.cutpoints import (
    Indicator,
    SuspensionType,
    change_cut_points,
    indicator_from_code,
    status_cut_points,
    suspension_type_from_code,
)
from equitable.outcomes.dashboard.grids import Color, box_number, fold_change_level, grid_color, grid_for
from equitable.outcomes.dashboard.numbers import DashboardError, Number, optional_decimal, rate, round_tenth

MIN_N_REPORTED = 11  # below this the state blanks the value
MIN_N_COLOR = 30  # a colour needs this many students in the current and the prior year
MIN_N_COLOR_REDUCED = 15  # … for REDUCED_N_GROUPS at the LEA and state level
SMALL_DENOMINATOR_BELOW = 150  # `smalldenom` = Y below this many students

NO_COLOR_GROUPS = frozenset({"EO", "ELO", "RFP", "SBA", "CAA"})
REDUCED_N_GROUPS = frozenset({"FOS", "HOM", "LTEL"})


class RecordType(StrEnum):
    """The file's `rtype`."""

    SCHOOL = "S"
    LEA = "D"
    STATE = "X"


class NoColorReason(StrEnum):
    NO_STATUS = "no status level"
    NO_CHANGE = "no change level"
    GROUP_NOT_COLORED = "group reported without a colour"
    N_SIZE = "fewer students than the n-size for a colour"
    EMPTY_CELL = "empty grid cell"


@dataclass(frozen=True)
class DashboardInput:
    """One student group of one school, LEA or the state, for one indicator.

    Statuses may be unrounded (e.g. a rate from counts; see `from_counts`); the engine rounds them.
    `change`, when given, is used as is (the file's change was computed from unrounded statuses);
    otherwise it is `curr_status − prior_status`. `small_denominator=None` derives the flag from
    `curr_denom` for the indicators that have the rule. Numbers may be given as int, float, str or
    Decimal and are stored as Decimal.
    """

    indicator: Indicator
    curr_denom: int | None
    curr_status: Decimal | None
    prior_denom: int | None = None
    prior_status: Decimal | None = None
    change: Decimal | None = None
    student_group: str = "ALL"
    record_type: RecordType = RecordType.SCHOOL
    small_denominator: bool | None = None
    high_school_cut_points: bool = False
    suspension_type: SuspensionType | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        if not isinstance(self.indicator, Indicator):
            put(self, "indicator", indicator_from_code(str(self.indicator)))
        try:
            put(self, "record_type", RecordType(str(self.record_type).strip().upper()))
        except ValueError:
            raise DashboardError(f"record type {self.record_type!r} is not S, D or X") from None
        put(self, "student_group", str(self.student_group).strip().upper())
        for name in ("curr_status", "prior_status", "change"):
            put(self, name, optional_decimal(getattr(self, name)))
        for name in ("curr_denom", "prior_denom"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise DashboardError(f"{name} must be a whole number ≥ 0 or None, got {value!r}")
        if self.suspension_type is not None:
            put(self, "suspension_type", suspension_type_from_code(str(self.suspension_type)))
        if self.small_denominator and not self.indicator.uses_small_denominator:
            raise DashboardError(f"{self.indicator.name} has no small-denominator rule")

    @classmethod
    def from_counts(
        cls,
        indicator: Indicator,
        *,
        curr_numer: int,
        curr_denom: int,
        prior_numer: int | None = None,
        prior_denom: int | None = None,
        **options: object,
    ) -> DashboardInput:
        """A rate indicator's row from counts: statuses and change come from the unrounded rates."""
        kind = indicator if isinstance(indicator, Indicator) else indicator_from_code(str(indicator))
        if not kind.is_rate:
            raise DashboardError(f"{kind.name} is not a rate; give its statuses instead")
        prior = None
        if prior_numer is not None and prior_denom:
            prior = rate(prior_numer, prior_denom)
        return cls(
            indicator=kind,
            curr_denom=curr_denom,
            curr_status=rate(curr_numer, curr_denom) if curr_denom else None,
            prior_denom=prior_denom,
            prior_status=prior,
            **options,  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class DashboardResult:
    """What the Dashboard publishes for a row. Levels and colour use 0 for "none", as the files do."""

    status: Decimal | None  # rounded to 0.1
    change: Decimal | None  # rounded to 0.1
    status_level: int  # 0..5, 5 best
    change_level: int  # 0..5, 5 best, as published (folded for small chronic/suspension/CCI rows)
    color: Color
    box: int  # 10..250 when coloured, else 0
    small_denominator: bool
    no_color_reason: NoColorReason | None


def color_minimum_n(student_group: str, record_type: RecordType | str) -> int:
    """Students needed in the current and the prior year for a colour."""
    group = student_group.strip().upper()
    if group in REDUCED_N_GROUPS and RecordType(record_type) in (RecordType.LEA, RecordType.STATE):
        return MIN_N_COLOR_REDUCED
    return MIN_N_COLOR


def meets_color_n_size(inp: DashboardInput) -> bool:
    minimum = color_minimum_n(inp.student_group, inp.record_type)
    return all(n is not None and n >= minimum for n in (inp.curr_denom, inp.prior_denom))


def is_small_denominator(inp: DashboardInput) -> bool:
    if not inp.indicator.uses_small_denominator:
        return False
    if inp.small_denominator is not None:
        return inp.small_denominator
    return inp.curr_denom is not None and inp.curr_denom < SMALL_DENOMINATOR_BELOW


def _reported(status: Decimal | None, denom: int | None) -> Decimal | None:
    if status is None or (denom is not None and denom < MIN_N_REPORTED):
        return None
    return status


def evaluate(inp: DashboardInput) -> DashboardResult:
    """Compute the status level, change level, colour and box of one row."""
    small = is_small_denominator(inp)
    curr = _reported(inp.curr_status, inp.curr_denom)
    prior = _reported(inp.prior_status, inp.prior_denom)

    status = None if curr is None else round_tenth(curr)
    status_level = 0
    if status is not None:
        cuts = status_cut_points(
            inp.indicator, high_school=inp.high_school_cut_points, suspension_type=inp.suspension_type
        )
        status_level = cuts.level(status)

    change: Decimal | None = None
    if curr is not None and (inp.prior_denom is None or inp.prior_denom >= MIN_N_REPORTED):
        if inp.change is not None:
            change = round_tenth(inp.change)
        elif prior is not None:
            change = round_tenth(curr - prior)
    raw_change_level = 0
    if change is not None:
        raw_change_level = change_cut_points(inp.indicator, suspension_type=inp.suspension_type).level(change)
    grid_change_level = fold_change_level(raw_change_level) if small else raw_change_level
    published_change_level = raw_change_level if inp.indicator is Indicator.GRADUATION else grid_change_level

    reason: NoColorReason | None = None
    color = Color.NONE
    if status_level == 0:
        reason = NoColorReason.NO_STATUS
    elif raw_change_level == 0:
        reason = NoColorReason.NO_CHANGE
    elif inp.student_group in NO_COLOR_GROUPS:
        reason = NoColorReason.GROUP_NOT_COLORED
    elif not meets_color_n_size(inp):
        reason = NoColorReason.N_SIZE
    else:
        grid = grid_for(inp.indicator, small_denominator=small)
        column = raw_change_level if inp.indicator is Indicator.GRADUATION else grid_change_level
        color = grid_color(grid, status_level, column)
        if color is Color.NONE:
            reason = NoColorReason.EMPTY_CELL
    box = box_number(status_level, grid_change_level) if color else 0
    return DashboardResult(
        status=status,
        change=change,
        status_level=status_level,
        change_level=published_change_level,
        color=color,
        box=box,
        small_denominator=small,
        no_color_reason=reason,
    )


def status_level_for(
    indicator: Indicator,
    status: Number,
    *,
    high_school: bool = False,
    suspension_type: SuspensionType | str | None = None,
) -> int:
    """Status level 1..5 of a value (convenience for tables and charts)."""
    kind = None if suspension_type is None else suspension_type_from_code(str(suspension_type))
    return status_cut_points(Indicator(indicator), high_school=high_school, suspension_type=kind).level(
        status
    )


def change_level_for(
    indicator: Indicator, change: Number, *, suspension_type: SuspensionType | str | None = None
) -> int:
    """Change level 1..5 of a change (before any small-denominator fold)."""
    kind = None if suspension_type is None else suspension_type_from_code(str(suspension_type))
    return change_cut_points(Indicator(indicator), suspension_type=kind).level(change)
