"""Read a Dashboard download file one row at a time (pure Python, no Django).

`read_dashboard_file` parses a whole file; a statewide file has ~250,000 rows, so importers and the
`outcomes levels` command use `DashboardStream` instead: give it the header once, then each row's
cells; it returns the row (the same `DashboardFileRow` the whole-file reader builds) and the problems
of that row, holding nothing from row to row but the indicator it found.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from equitable.outcomes.dashboard.cutpoints import Indicator, indicator_from_code
from equitable.outcomes.dashboard.files import (
    _FILE_NAME,
    FILE_STEMS,
    INDICATOR_COLUMNS,
    REQUIRED_COLUMNS,
    DashboardFileError,
    DashboardFileRow,
    FileIssue,
    _RowReader,
    detect_indicator,
)
from equitable.outcomes.dashboard.numbers import DashboardError


def year_from_name(name: str) -> int | None:
    """The year in a `<indicator>downloadYYYY` file name, if any."""
    match = _FILE_NAME.search(Path(name).name) if name else None
    return int(match.group("year")) if match and match.group("year") else None


class DashboardStream:
    """Validate the header of a download file, then turn each line's cells into a row."""

    def __init__(self, header: Sequence[str], *, name: str = "", indicator: Indicator | str | None = None) -> None:
        self.name = name
        self.header = tuple(cell.strip() for cell in header)
        self.index = {column.lower(): position for position, column in enumerate(self.header)}
        label = name or "the file"
        missing = [column for column in REQUIRED_COLUMNS if column not in self.index]
        if missing:
            hint = "" if len(self.header) > 1 else " (the file must be tab-delimited with a header row)"
            raise DashboardFileError(
                f"{label} is not a California School Dashboard download file: "
                f"missing columns {', '.join(missing)}{hint}"
            )
        self._given = indicator
        self.indicator: Indicator | None = None
        self._code = ""
        # Without an `indicator` column the indicator comes from the caller, the name or the columns now.
        if "indicator" not in self.index:
            self._settle(set())

    def _settle(self, codes: set[str]) -> None:
        found = detect_indicator(self.name, self.header, codes, given=self._given)
        for column in INDICATOR_COLUMNS.get(found, ()):
            if column not in self.index:
                raise DashboardFileError(f"{self.name or 'the file'} is a {found.name} file without its `{column}` column")
        self.indicator = found

    def read(self, line: int, cells: Sequence[str]) -> tuple[DashboardFileRow | None, list[FileIssue]]:
        """The row of one line and its problems (row is None when the line cannot be read at all)."""
        if len(cells) != len(self.header):
            return None, [FileIssue(line, "", f"has {len(cells)} fields, the header has {len(self.header)}")]
        values = {column: cells[position] for column, position in self.index.items()}
        code = values.get("indicator", "")
        if self.indicator is None:
            # The first row settles the indicator (with the name and the caller, which must agree).
            self._settle({code} - {""})
            self._code = code
        elif code and code != self._code:
            try:
                other = indicator_from_code(code)
            except DashboardError as error:
                return None, [FileIssue(line, "indicator", str(error))]
            if other != self.indicator:
                return None, [FileIssue(line, "indicator",
                                        f"{code} in a {self.indicator.name} file; give one file per indicator")]
            self._code = code
        reader = _RowReader(line, values)
        row = reader.row(self.indicator)
        issues = sorted(reader.issues, key=lambda issue: self.index.get(issue.column, -1))
        return (None if issues else row), issues


def stem_indicator(name: str) -> Indicator | None:
    match = _FILE_NAME.search(Path(name).name) if name else None
    if match and match.group("stem").lower() in FILE_STEMS:
        return FILE_STEMS[match.group("stem").lower()]
    return None
