"""Read California School Dashboard download files and replay every row through the engine.

The files (CDE's Dashboard "research" downloads, e.g. `eladownload2025.txt`) are tab-delimited text
with a header row. Column names differ a little per indicator: the chronic file spells `changeLevel`;
ELA and math carry `hscutpoints`; suspension carries `type`; chronic, graduation, suspension and CCI
carry `smalldenom` and the rate files `currnumer`/`priornumer`. Columns are matched case-insensitively
and columns the engine does not need are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from equitable.outcomes.dashboard.cutpoints import (
    Indicator,
    SuspensionType,
    indicator_from_code,
    suspension_type_from_code,
)
from equitable.outcomes.dashboard.engine import DashboardInput, RecordType
from equitable.outcomes.dashboard.numbers import DashboardError, rate, round_tenth

REQUIRED_COLUMNS = (
    "cds", "rtype", "studentgroup", "currdenom", "currstatus", "priordenom", "priorstatus", "change",
    "statuslevel", "changelevel", "color", "box",
)  # fmt: skip
INDICATOR_COLUMNS: dict[Indicator, tuple[str, ...]] = {
    Indicator.ELA: ("hscutpoints",),
    Indicator.MATH: ("hscutpoints",),
    Indicator.SUSPENSION: ("type",),
}
FILE_STEMS: dict[str, Indicator] = {
    "ela": Indicator.ELA,
    "math": Indicator.MATH,
    "chronic": Indicator.CHRONIC,
    "grad": Indicator.GRADUATION,
    "susp": Indicator.SUSPENSION,
    "elpi": Indicator.ELPI,
    "cci": Indicator.CCI,
    "science": Indicator.SCIENCE,
    "sci": Indicator.SCIENCE,
}
_FILE_NAME = re.compile(r"(?P<stem>[a-z]+)download(?P<year>\d{4})?", re.IGNORECASE)


@dataclass(frozen=True)
class FileIssue:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class DashboardFileError(DashboardError):
    """A file that is not a readable Dashboard download; `issues` lists every problem found."""

    def __init__(self, message: str, issues: Sequence[FileIssue] = ()) -> None:
        self.issues = tuple(issues)
        details = "".join(f"\n  {issue}" for issue in self.issues[:50])
        more = f"\n  … and {len(self.issues) - 50} more" if len(self.issues) > 50 else ""
        super().__init__(message + details + more)


@dataclass(frozen=True)
class DashboardFileRow:
    """One line of a download file: the inputs and the published levels, colour and box."""

    line: int
    indicator: Indicator
    cds: str
    record_type: RecordType
    school_name: str
    district_name: str
    county_name: str
    student_group: str
    curr_numer: int | None
    curr_denom: int | None
    curr_status: Decimal | None
    prior_numer: int | None
    prior_denom: int | None
    prior_status: Decimal | None
    change: Decimal | None
    small_denominator: bool | None  # None when the file has no `smalldenom` column
    high_school_cut_points: bool
    suspension_type: SuspensionType | None
    status_level: int
    change_level: int
    color: int
    box: int
    reporting_year: int | None

    def unrounded_statuses(self) -> tuple[Decimal, Decimal | None] | None:
        """Statuses from the counts, when this is a rate file whose counts reproduce its statuses."""
        if not self.indicator.is_rate or self.curr_status is None or not self.curr_denom:
            return None
        if self.curr_numer is None or round_tenth(rate(self.curr_numer, self.curr_denom)) != self.curr_status:
            return None
        curr = rate(self.curr_numer, self.curr_denom)
        prior = None
        if self.prior_status is not None and self.prior_numer is not None and self.prior_denom:
            prior = rate(self.prior_numer, self.prior_denom)
            if round_tenth(prior) != self.prior_status:
                return None
        return curr, prior

    def to_input(self) -> DashboardInput:
        """The engine's input. Rate rows use the unrounded rates from their counts, so change is
        recomputed from unrounded statuses; other rows use the file's change (computed by the state
        from unrounded statuses)."""
        curr_status, prior_status, change = self.curr_status, self.prior_status, self.change
        unrounded = self.unrounded_statuses()
        if unrounded is not None:
            curr_status, prior_status = unrounded
            change = None if prior_status is None else curr_status - prior_status
        return DashboardInput(
            indicator=self.indicator,
            curr_denom=self.curr_denom,
            curr_status=curr_status,
            prior_denom=self.prior_denom,
            prior_status=prior_status,
            change=change,
            student_group=self.student_group,
            record_type=self.record_type,
            small_denominator=self.small_denominator,
            high_school_cut_points=self.high_school_cut_points,
            suspension_type=self.suspension_type,
        )

    @property
    def label(self) -> str:
        name = self.school_name or self.district_name or self.cds
        return f"line {self.line} {self.indicator.value} {self.cds} {self.record_type.value} {name} {self.student_group}"


@dataclass(frozen=True)
class DashboardFile:
    name: str
    indicator: Indicator
    columns: tuple[str, ...]
    rows: tuple[DashboardFileRow, ...]


def read_dashboard_file(path: str | Path, *, indicator: Indicator | str | None = None) -> DashboardFile:
    """Read a download file (UTF-8, or Windows-1252 as CDE sometimes ships them)."""
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return parse_dashboard_text(text, name=path.name, indicator=indicator)


def parse_dashboard_text(
    text: str, *, name: str = "", indicator: Indicator | str | None = None
) -> DashboardFile:
    """Parse the text of a download file. Raises DashboardFileError listing every bad cell."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    label = name or "the file"
    if not lines:
        raise DashboardFileError(f"{label} is empty, not a California School Dashboard download file")
    header_line, header_text = lines[0]
    header = tuple(cell.strip() for cell in header_text.split("\t"))
    index = {column.lower(): position for position, column in enumerate(header)}
    missing = [column for column in REQUIRED_COLUMNS if column not in index]
    if missing:
        hint = "" if len(header) > 1 else " (the file must be tab-delimited with a header row)"
        raise DashboardFileError(
            f"{label} is not a California School Dashboard download file: "
            f"missing columns {', '.join(missing)}{hint}"
        )
    records = [(number, [cell.strip() for cell in line.split("\t")]) for number, line in lines[1:]]
    issues = [
        FileIssue(number, "", f"has {len(cells)} fields, the header has {len(header)}")
        for number, cells in records
        if len(cells) != len(header)
    ]
    if issues:
        raise DashboardFileError(f"{label} has rows that do not match its header", issues)

    codes = {cells[index["indicator"]] for _, cells in records if "indicator" in index}
    found = detect_indicator(name, header, codes - {""}, given=indicator)
    for column in INDICATOR_COLUMNS.get(found, ()):
        if column not in index:
            raise DashboardFileError(f"{label} is a {found.name} file without its `{column}` column")

    rows = []
    for number, cells in records:
        reader = _RowReader(number, {column: cells[position] for column, position in index.items()})
        rows.append(reader.row(found))
        issues.extend(sorted(reader.issues, key=lambda issue: index.get(issue.column, -1)))
    if issues:
        raise DashboardFileError(f"{label} has {len(issues)} unreadable cells", issues)
    return DashboardFile(name=name, indicator=found, columns=header, rows=tuple(rows))


def detect_indicator(
    name: str, header: Sequence[str], codes: Iterable[str], *, given: Indicator | str | None = None
) -> Indicator:
    """Which indicator a file holds, from (in order) the caller, the `indicator` column, the file name
    (`<stem>downloadYYYY`) and the columns. Sources that disagree are an error."""
    votes: dict[str, Indicator] = {}
    if given is not None:
        votes["the caller"] = indicator_from_code(str(given))
    in_column = {indicator_from_code(code) for code in codes}
    if len(in_column) > 1:
        names = ", ".join(sorted(i.name for i in in_column))
        raise DashboardFileError(
            f"{name or 'the file'} mixes indicators ({names}); give one file per indicator"
        )
    if in_column:
        votes["the `indicator` column"] = in_column.pop()
    match = _FILE_NAME.search(Path(name).name) if name else None
    if match and match.group("stem").lower() in FILE_STEMS:
        votes["the file name"] = FILE_STEMS[match.group("stem").lower()]
    if not votes:
        lowered = {column.lower() for column in header}
        if "changeLevel" in header:
            votes["the columns"] = Indicator.CHRONIC
        elif "fiveyrnumer" in lowered:
            votes["the columns"] = Indicator.GRADUATION
        elif "type" in lowered:
            votes["the columns"] = Indicator.SUSPENSION
    distinct = set(votes.values())
    if len(distinct) > 1:
        said = "; ".join(f"{source} says {ind.name}" for source, ind in votes.items())
        raise DashboardFileError(f"{name or 'the file'}: the indicator is ambiguous ({said})")
    if not distinct:
        raise DashboardFileError(
            f"cannot tell which indicator {name or 'the file'} holds: no `indicator` column, "
            "no <indicator>downloadYYYY file name; pass the indicator explicitly"
        )
    return distinct.pop()


class _RowReader:
    def __init__(self, line: int, cells: dict[str, str]) -> None:
        self.line, self.cells = line, cells
        self.issues: list[FileIssue] = []

    def text(self, column: str) -> str:
        return self.cells.get(column, "")

    def integer(self, column: str, *, low: int = 0, high: int | None = None) -> int | None:
        value = self.text(column)
        if value == "":
            return None
        try:
            number = int(value)
        except ValueError:
            self.issues.append(FileIssue(self.line, column, f"{value!r} is not a whole number"))
            return None
        if number < low or (high is not None and number > high):
            bounds = f"{low}..{high}" if high is not None else f"≥ {low}"
            self.issues.append(FileIssue(self.line, column, f"{number} is outside {bounds}"))
        return number

    def decimal(self, column: str) -> Decimal | None:
        value = self.text(column)
        if value == "":
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.issues.append(FileIssue(self.line, column, f"{value!r} is not a number"))
            return None
        return number

    def flag(self, column: str) -> bool | None:
        if column not in self.cells:
            return None
        value = self.text(column).upper()
        if value not in ("", "Y", "N"):
            self.issues.append(FileIssue(self.line, column, f"{value!r} is not Y, N or blank"))
        return value == "Y"

    def row(self, indicator: Indicator) -> DashboardFileRow:
        rtype_code = self.text("rtype").upper()
        try:
            record_type = RecordType(rtype_code)
        except ValueError:
            self.issues.append(FileIssue(self.line, "rtype", f"{rtype_code!r} is not S, D or X"))
            record_type = RecordType.SCHOOL
        suspension_type = None
        if self.text("type"):
            try:
                suspension_type = suspension_type_from_code(self.text("type"))
            except DashboardError as error:
                self.issues.append(FileIssue(self.line, "type", str(error)))
        group = self.text("studentgroup").upper()
        if not group:
            self.issues.append(FileIssue(self.line, "studentgroup", "is blank"))
        box = self.integer("box", high=250) or 0
        if box % 10:
            self.issues.append(FileIssue(self.line, "box", f"{box} is not a multiple of 10"))
        return DashboardFileRow(
            line=self.line,
            indicator=indicator,
            cds=self.text("cds"),
            record_type=record_type,
            school_name=self.text("schoolname"),
            district_name=self.text("districtname"),
            county_name=self.text("countyname"),
            student_group=group,
            curr_numer=self.integer("currnumer"),
            curr_denom=self.integer("currdenom"),
            curr_status=self.decimal("currstatus"),
            prior_numer=self.integer("priornumer"),
            prior_denom=self.integer("priordenom"),
            prior_status=self.decimal("priorstatus"),
            change=self.decimal("change"),
            small_denominator=self.flag("smalldenom") if indicator.uses_small_denominator else None,
            high_school_cut_points=bool(self.flag("hscutpoints")),
            suspension_type=suspension_type,
            status_level=self.integer("statuslevel", high=5) or 0,
            change_level=self.integer("changelevel", high=5) or 0,
            color=self.integer("color", high=5) or 0,
            box=box,
            reporting_year=self.integer("reportingyear"),
        )
