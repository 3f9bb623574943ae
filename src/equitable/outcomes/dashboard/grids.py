"""Performance colours: the 5x5 status-by-change grids, the small-denominator fold, and `box`.

Colours are 1 Red, 2 Orange, 3 Yellow, 4 Green, 5 Blue (0 none), as in the download files. Each grid
row lists the colours for change levels 1 → 5 (DOMAIN.md 3.5, CAP `_COLOR_CELLS`).
"""

from __future__ import annotations

from enum import IntEnum

from equitable.outcomes.dashboard.cutpoints import Indicator
from equitable.outcomes.dashboard.numbers import DashboardError


class Color(IntEnum):
    NONE = 0
    RED = 1
    ORANGE = 2
    YELLOW = 3
    GREEN = 4
    BLUE = 5


Grid = dict[int, tuple[int | None, int | None, int | None, int | None, int | None]]

# status level → colours for change levels 1..5
ACADEMIC_GRID: Grid = {
    5: (4, 4, 5, 5, 5),
    4: (4, 4, 4, 4, 5),
    3: (3, 3, 3, 4, 4),
    2: (2, 2, 2, 3, 3),
    1: (1, 1, 1, 2, 2),
}
STANDARD_GRID: Grid = {
    5: (3, 4, 5, 5, 5),
    4: (2, 3, 4, 4, 5),
    3: (2, 2, 3, 4, 4),
    2: (1, 2, 2, 3, 3),
    1: (1, 1, 1, 2, 3),
}
# Graduation: status 5 with change 1 cannot happen (it needs a prior rate above 100%), so no colour.
GRADUATION_GRID: Grid = {
    5: (None, 5, 5, 5, 5),
    4: (2, 3, 4, 4, 5),
    3: (2, 2, 3, 4, 4),
    2: (1, 2, 2, 3, 3),
    1: (1, 1, 1, 1, 1),
}
# Graduation with fewer than 150 students. CDE publishes no table; these cells reproduce every
# published row and equal GRADUATION_GRID read at the folded change level.
GRADUATION_SMALL_GRID: Grid = {
    5: (5, 5, 5, 5, 5),
    4: (3, 3, 4, 4, 4),
    3: (2, 2, 3, 4, 4),
    2: (2, 2, 2, 3, 3),
    1: (1, 1, 1, 1, 1),
}


def grid_for(indicator: Indicator, *, small_denominator: bool = False) -> Grid:
    """The colour grid an indicator's rows are read from."""
    if indicator.is_academic:
        return ACADEMIC_GRID
    if indicator is Indicator.GRADUATION:
        return GRADUATION_SMALL_GRID if small_denominator else GRADUATION_GRID
    return STANDARD_GRID


def fold_change_level(change_level: int) -> int:
    """Small populations: the outer change bands fold inward (5 → 4, 1 → 2); 0 stays 0."""
    _check_level(change_level, "change", allow_zero=True)
    if change_level == 0:
        return 0
    return min(max(change_level, 2), 4)


def grid_color(grid: Grid, status_level: int, change_level: int) -> Color:
    """The colour in a grid cell; NONE when either level is 0 or the cell is empty."""
    _check_level(status_level, "status", allow_zero=True)
    _check_level(change_level, "change", allow_zero=True)
    if status_level == 0 or change_level == 0:
        return Color.NONE
    cell = grid[status_level][change_level - 1]
    return Color.NONE if cell is None else Color(cell)


def box_number(status_level: int, change_level: int) -> int:
    """The grid cell as the files number it: 10 × ((5 − status) × 5 + change), 10..250."""
    _check_level(status_level, "status", allow_zero=False)
    _check_level(change_level, "change", allow_zero=False)
    return 10 * ((5 - status_level) * 5 + change_level)


def _check_level(level: int, name: str, *, allow_zero: bool) -> None:
    low = 0 if allow_zero else 1
    if isinstance(level, bool) or not isinstance(level, int) or not low <= level <= 5:
        raise DashboardError(f"{name} level must be an integer {low}..5, got {level!r}")
