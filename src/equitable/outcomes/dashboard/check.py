"""Replay a Dashboard download file through the engine and compare with what the state published.

Every row is recomputed from its inputs (rate rows from their counts, so change comes from unrounded
statuses) and its status level, change level, colour and box are compared with the file's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from equitable.outcomes.dashboard.cutpoints import Indicator
from equitable.outcomes.dashboard.engine import DashboardResult, evaluate
from equitable.outcomes.dashboard.files import DashboardFile, DashboardFileRow, read_dashboard_file
from equitable.outcomes.dashboard.numbers import DashboardError

COMPARED_FIELDS = ("status_level", "change_level", "color", "box")


@dataclass(frozen=True)
class RowCheck:
    """One row replayed: what the engine computed and which published fields it differs on."""

    row: DashboardFileRow
    computed: DashboardResult | None
    differences: tuple[str, ...]
    error: str | None = None

    @property
    def matches(self) -> bool:
        return not self.differences and self.error is None

    def describe(self) -> str:
        if self.error is not None:
            return f"{self.row.label}: cannot compute: {self.error}"
        if self.computed is None or self.matches:
            return f"{self.row.label}: matches"
        parts = []
        for field in self.differences:
            if field == "change":
                parts.append(f"change published {self.row.change}, computed {self.computed.change}")
            else:
                parts.append(
                    f"{field} published {getattr(self.row, field)}, computed {int(getattr(self.computed, field))}"
                )
        return f"{self.row.label}: " + "; ".join(parts)


@dataclass(frozen=True)
class FileCheck:
    indicator: Indicator | None
    checks: tuple[RowCheck, ...]

    @property
    def rows(self) -> int:
        return len(self.checks)

    @property
    def matched(self) -> int:
        return sum(check.matches for check in self.checks)

    @property
    def differed(self) -> int:
        return self.rows - self.matched

    @property
    def counts(self) -> dict[str, int]:
        return {"rows": self.rows, "match": self.matched, "differ": self.differed}

    @property
    def mismatches(self) -> tuple[RowCheck, ...]:
        return tuple(check for check in self.checks if not check.matches)

    def report(self) -> str:
        head = f"{self.indicator.name if self.indicator else 'rows'}: {self.rows} rows, {self.matched} match, {self.differed} differ"
        return "\n".join([head, *(check.describe() for check in self.mismatches)])


def check_row(row: DashboardFileRow) -> RowCheck:
    """Recompute one row and compare status level, change level, colour and box (and the change,
    when it was recomputed from counts) with the published values."""
    try:
        inp = row.to_input()
        computed = evaluate(inp)
    except DashboardError as error:
        return RowCheck(row=row, computed=None, differences=(), error=str(error))
    differences = [field for field in COMPARED_FIELDS if int(getattr(computed, field)) != getattr(row, field)]
    if row.unrounded_statuses() is not None and row.change is not None and computed.change != row.change:
        differences.append("change")
    return RowCheck(row=row, computed=computed, differences=tuple(differences))


def check_rows(rows: Iterable[DashboardFileRow]) -> FileCheck:
    checks = tuple(check_row(row) for row in rows)
    indicators = {check.row.indicator for check in checks}
    return FileCheck(indicator=indicators.pop() if len(indicators) == 1 else None, checks=checks)


def check_dashboard_file(source: DashboardFile | str | Path) -> FileCheck:
    """Replay every row of a download file; the result counts rows, matches and differences."""
    dashboard_file = source if isinstance(source, DashboardFile) else read_dashboard_file(source)
    check = check_rows(dashboard_file.rows)
    return FileCheck(indicator=dashboard_file.indicator, checks=check.checks)
