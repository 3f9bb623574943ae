"""Importers of the state's outcome files: Dashboard downloads, CAASPP research files, DataQuest files.

Statewide files have hundreds of thousands of rows, so these importers stream instead of using the
registry's `run_import` (which holds every cleaned row until it writes):

- the file is read one row at a time (`readers.open_table`); memory holds one batch of rows, the
  network registry's CDS codes and (for CAASPP) the entities file — never the data file;
- each row is parsed and checked; good rows are upserted in batches of `BATCH_SIZE` on the natural key
  (indicator, year, entity type, CDS, student group) inside ONE transaction;
- after the first bad row nothing more is written, but reading goes on so every error is reported with
  its row number and column (the first `MAX_REPORTED_ERRORS`, then a count of the rest); at the end a
  file with any error — or a dry run — rolls the transaction back: all or nothing per file.
  (Writing while validating, then rolling back, reads a good file once instead of twice.)
- re-importing the same file rewrites the same rows with the same values (idempotent per year); each
  import writes one audited `OutcomeImport` and stamps it on its rows as `batch`, which also catches a
  key repeated across batches (fewer rows carry the batch than were written);
- rows kept: state, county and district rows always; school rows of network schools (member or
  former); other schools only with `keep_comparison` (stored with `comparison_only=True`), else skipped.

The command line runs them as `equitable import dashboard|caaspp|chronic|acgr FILE…` (see
`management/commands/outcomes.py`); they are not offered on the web import form, whose uploads are
small and go through `run_import`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, ClassVar

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equitable.core.audit import attribute_to
from equitable.core.exceptions import NotPermitted
from equitable.core.imports import RowError
from equitable.network.codes import Membership
from equitable.network.models import School
from equitable.outcomes.codes import STATE_CDS, EntityType, IndicatorCode, Source
from equitable.outcomes.dashboard import DashboardError, GradeMeanScore, approximate_dfs
from equitable.outcomes.dashboard.engine import RecordType
from equitable.outcomes.dashboard.stream import DashboardStream, year_from_name
from equitable.outcomes.models import OutcomeImport, OutcomeValue
from equitable.outcomes.readers import LayoutError, Table, normalize, open_table

BATCH_SIZE = 2000
MAX_REPORTED_ERRORS = 200
_CENT = Decimal("0.01")
_DECIMAL_LIMIT = Decimal("10000000")  # value fields hold 9 digits, 2 after the point
_COUNT_LIMIT = 2_147_483_647
SUPPRESSED = ("*", "**", "--")


class OutcomeLayoutError(Exception):
    """The file does not have the layout of the chosen kind (the message names what is missing)."""


@dataclass
class OutcomeImportResult:
    kind: str
    file_name: str
    dry_run: bool
    indicator: str = ""
    year: int | None = None
    rows_read: int = 0
    rows_written: int = 0
    rows_skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    batch_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, column, message))

    def error_lines(self) -> list[str]:
        lines = [str(error) if error.row else error.message for error in self.errors]
        if self.error_count > len(self.errors):
            lines.append(_("… and %(n)d more error(s).") % {"n": self.error_count - len(self.errors)})
        return lines

    def summary(self) -> str:
        values = {"file": self.file_name, "read": self.rows_read, "written": self.rows_written,
                  "skipped": self.rows_skipped, "errors": self.error_count}
        if not self.ok:
            return _("%(file)s: %(errors)d error(s) in %(read)d row(s); nothing was written.") % values
        if self.dry_run:
            return _("%(file)s: %(read)d row(s) read, %(written)d would be written, %(skipped)d skipped "
                     "(dry run: nothing was written).") % values
        return _("%(file)s: %(read)d row(s) read, %(written)d written, %(skipped)d skipped.") % values


@dataclass
class Record:
    """One outcome value ready to write (fields of OutcomeValue)."""

    line: int
    indicator: str
    year: int
    entity_type: str
    cds: str
    student_group: str
    entity_name: str = ""
    value: Decimal | None = None
    denominator: int | None = None
    numerator: int | None = None
    prior_value: Decimal | None = None
    prior_denominator: int | None = None
    change: Decimal | None = None
    status_level: int = 0
    change_level: int = 0
    color: int = 0
    box: int = 0
    flags: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        return (self.indicator, self.year, self.entity_type, self.cds, self.student_group)


@dataclass
class Problems:
    line: int
    problems: list[tuple[str, str]]


@dataclass
class Skip:
    line: int


class _Rollback(Exception):
    pass


# Cell parsers: each returns the value or raises ValueError with a clear message. -------------------------

def cell_decimal(text: str) -> Decimal | None:
    value = (text or "").strip()
    if value in ("", *SUPPRESSED):
        return None
    try:
        number = Decimal(value.replace(",", "").rstrip("%"))
    except InvalidOperation:
        raise ValueError(_("%(value)r is not a number.") % {"value": value}) from None
    if not number.is_finite() or abs(number) >= _DECIMAL_LIMIT:
        raise ValueError(_("%(value)r is not a number this field can hold.") % {"value": value})
    return number.quantize(_CENT, rounding=ROUND_HALF_UP)


def cell_count(text: str) -> int | None:
    value = (text or "").strip()
    if value in ("", *SUPPRESSED):
        return None
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value() or number < 0 \
            or number > _COUNT_LIMIT:
        raise ValueError(_("%(value)r is not a whole number of 0 or more.") % {"value": value})
    return int(number)


class Columns:
    """Find a layout's columns in a header by normalized name (with synonyms)."""

    def __init__(self, header: list[str]):
        self.header = header
        self.positions = {normalize(column): position for position, column in enumerate(header)}

    def find(self, *names: str) -> int | None:
        for name in names:
            position = self.positions.get(normalize(name))
            if position is not None:
                return position
        return None

    def require(self, wanted: dict[str, tuple[str, ...]], *, layout: str) -> dict[str, int]:
        found, missing = {}, []
        for key, names in wanted.items():
            position = self.find(*names)
            if position is None:
                missing.append(names[0])
            else:
                found[key] = position
        if missing:
            raise OutcomeLayoutError(
                _("missing column(s) %(missing)s; this file does not have the %(layout)s layout.")
                % {"missing": ", ".join(missing), "layout": layout})
        return found


def cds_of(county: str, district: str, school: str) -> str:
    return (county or "").strip().zfill(2) + (district or "").strip().zfill(5) + (school or "").strip().zfill(7)


# The streaming importer. ---------------------------------------------------------------------------------

class StreamingImporter:
    """Base of the outcome importers: subclasses open the layout and turn rows into items."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    source: ClassVar[str] = ""

    def __init__(self, path: str | Path, *, acting_user=None, keep_comparison: bool = False, dry_run: bool = False,
                 progress: Callable[[int], Any] | None = None, **options: Any):
        self.path = Path(path)
        self.acting_user = acting_user
        self.keep_comparison = keep_comparison
        self.dry_run = dry_run
        self.progress = progress
        self.options = options

    # hooks -----------------------------------------------------------------------------------------
    def prepare(self, table: Table) -> None:
        """Check the header (raise OutcomeLayoutError naming what is missing)."""

    def items(self, table: Table) -> Iterator[Record | Problems | Skip]:
        raise NotImplementedError

    # the run -----------------------------------------------------------------------------------------
    def run(self) -> OutcomeImportResult:
        result = OutcomeImportResult(kind=self.kind, file_name=self.path.name, dry_run=self.dry_run)
        try:
            table = open_table(self.path)
        except LayoutError as exc:
            raise OutcomeLayoutError(str(exc)) from None
        try:
            self.prepare(table)
            self._write(table, result)
        finally:
            table.close()
        return result

    def _write(self, table: Table, result: OutcomeImportResult) -> None:
        registry = {cds: (pk, membership) for pk, cds, membership in
                    School.objects.values_list("pk", "cds_code", "membership")}
        in_network = (Membership.MEMBER, Membership.FORMER)
        batch = OutcomeImport(kind=self.kind, file_name=self.path.name[:255], imported_by=self.acting_user)
        if self.acting_user is not None and not OutcomeImport.objects.all().permits_add(self.acting_user, batch):
            raise NotPermitted(_("You may not import outcome files."))
        writer = _Writer(self.source)
        indicators: set[str] = set()
        years: set[int] = set()
        pending: dict[tuple, Record] = {}
        try:
            with transaction.atomic():
                attribute_to(batch, self.acting_user, _("import of %(file)s") % {"file": self.path.name})
                batch.save()
                for item in self.items(table):
                    if isinstance(item, Problems):
                        for column, message in item.problems:
                            result.add_error(item.line, column, message)
                        pending.clear()
                        continue
                    if isinstance(item, Skip):
                        result.rows_skipped += 1
                        continue
                    record = item
                    school_id, comparison = None, False
                    if record.entity_type == EntityType.SCHOOL:
                        known = registry.get(record.cds)
                        if known is not None:
                            school_id = known[0]
                        if known is None or known[1] not in in_network:
                            if not self.keep_comparison:
                                result.rows_skipped += 1
                                continue
                            comparison = True
                    earlier = pending.get(record.key)
                    if earlier is not None:
                        result.add_error(record.line, "", _("repeats row %(row)d (%(key)s).") % {
                            "row": earlier.line, "key": " / ".join(str(k) for k in record.key)})
                        continue
                    indicators.add(record.indicator)
                    years.add(record.year)
                    result.rows_written += 1
                    if result.error_count:
                        continue  # nothing more is written once a row failed; keep reading for errors
                    record.flags["_school"] = school_id
                    record.flags["_comparison"] = comparison
                    pending[record.key] = record
                    if len(pending) >= BATCH_SIZE:
                        writer.write(pending.values(), batch.pk)
                        pending.clear()
                if not result.error_count:
                    writer.write(pending.values(), batch.pk)
                    pending.clear()
                    stamped = OutcomeValue.objects.filter(batch=batch).count()
                    if stamped != result.rows_written:
                        result.add_error(0, "", _(
                            "%(n)d row(s) repeat the indicator, year, entity and student group of an earlier "
                            "row.") % {"n": result.rows_written - stamped})
                result.rows_read = self.rows_read
                result.indicator = indicators.pop() if len(indicators) == 1 else ""
                result.year = years.pop() if len(years) == 1 else None
                batch.indicator = result.indicator
                batch.year = result.year
                batch.rows_read = result.rows_read
                batch.rows_written = result.rows_written
                batch.rows_skipped = result.rows_skipped
                attribute_to(batch, self.acting_user)
                batch.save()
                result.batch_id = batch.pk
                if result.error_count or self.dry_run:
                    raise _Rollback
        except _Rollback:
            result.batch_id = None
            if result.error_count:
                result.rows_written = 0

    # helpers for subclasses ----------------------------------------------------------------------------
    rows_read = 0

    def rows(self, table: Table) -> Iterator[tuple[int, list[str]]]:
        self.rows_read = 0
        progress = self.progress
        for line, cells in table.rows:
            self.rows_read += 1
            if progress is not None:
                progress(1)
            yield line, cells


class _Writer:
    """Upsert records with one prepared INSERT … ON CONFLICT DO UPDATE (SQLite ≥ 3.24 and PostgreSQL)."""

    FIELDS = ("indicator", "year", "entity_type", "cds", "entity_name", "school_id", "student_group", "value",
              "denominator", "numerator", "prior_value", "prior_denominator", "change", "status_level",
              "change_level", "color", "box", "flags", "source", "comparison_only", "is_demo", "batch_id",
              "updated_at")
    KEY = ("indicator", "year", "entity_type", "cds", "student_group")

    def __init__(self, source: str):
        self.source = source
        quote = connection.ops.quote_name
        table = quote(OutcomeValue._meta.db_table)
        columns = ", ".join(quote(name) for name in self.FIELDS)
        marks = ", ".join(["%s"] * len(self.FIELDS))
        updates = ", ".join(f"{quote(name)} = excluded.{quote(name)}" for name in self.FIELDS if name not in self.KEY)
        key = ", ".join(quote(name) for name in self.KEY)
        self.head = f"INSERT INTO {table} ({columns}) VALUES "
        self.tail = f" ON CONFLICT ({key}) DO UPDATE SET {updates}"
        self.row = f"({marks})"
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.decimal = connection.vendor == "sqlite"
        # SQLite runs one prepared statement per row fastest (executemany in C). PostgreSQL: each batch is
        # COPY'd into a temporary staging table, then upserted from it in one statement.
        self.postgres = connection.vendor == "postgresql"
        self.table, self.columns, self.staged = table, columns, False

    def write(self, records, batch_id: int) -> None:
        params = [self._params(record, batch_id) for record in records]
        if not params:
            return
        with connection.cursor() as cursor:
            if not self.postgres:
                cursor.executemany(self.head + self.row + self.tail, params)
                return
            stage = "outcome_import_stage"
            if not self.staged:
                cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "
                               f"SELECT {self.columns} FROM {self.table} WITH NO DATA")
                self.staged = True
            with cursor.cursor.copy(f"COPY {stage} ({self.columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
            cursor.execute(f"INSERT INTO {self.table} ({self.columns}) SELECT {self.columns} FROM {stage}"
                           f"{self.tail}")
            cursor.execute(f"TRUNCATE {stage}")

    def _params(self, r: Record, batch_id: int) -> tuple:
        flags = r.flags
        school_id = flags.pop("_school")
        comparison = flags.pop("_comparison")
        dec = (lambda v: None if v is None else str(v)) if self.decimal else (lambda v: v)
        return (r.indicator, r.year, r.entity_type, r.cds, r.entity_name[:200], school_id, r.student_group,
                dec(r.value), r.denominator, r.numerator, dec(r.prior_value), r.prior_denominator, dec(r.change),
                r.status_level, r.change_level, r.color, r.box, json.dumps(flags, separators=(",", ":")),
                self.source, comparison, False, batch_id, self.now)


# Dashboard download files. --------------------------------------------------------------------------------

_ENTITY_OF_RTYPE = {RecordType.SCHOOL: EntityType.SCHOOL, RecordType.LEA: EntityType.DISTRICT,
                    RecordType.STATE: EntityType.STATE}
# Columns stored in fields (or not worth keeping); every other non-empty column goes to `flags`.
_DASHBOARD_FIELDS = {"cds", "rtype", "schoolname", "districtname", "countyname", "studentgroup", "currnumer",
                     "currdenom", "currstatus", "priornumer", "priordenom", "priorstatus", "change", "statuslevel",
                     "changelevel", "color", "box", "indicator", "reportingyear"}


class DashboardImporter(StreamingImporter):
    """A California School Dashboard download file of any indicator (tab-delimited .txt or .xlsx)."""

    kind = "dashboard"
    label = "California School Dashboard download file"
    source = Source.DASHBOARD

    def prepare(self, table: Table) -> None:
        try:
            self.stream = DashboardStream(table.header, name=table.name, indicator=self.options.get("indicator"))
        except DashboardError as exc:
            raise OutcomeLayoutError(str(exc)) from None
        self.flag_columns = [(position, column) for position, column in enumerate(self.stream.header)
                             if column.lower() not in _DASHBOARD_FIELDS and column]
        self.year = self.options.get("year")
        self.name_year = year_from_name(table.name)

    def items(self, table: Table) -> Iterator[Record | Problems | Skip]:
        stream = self.stream
        for line, cells in self.rows(table):
            try:
                row, issues = stream.read(line, cells)
            except DashboardError as exc:
                raise OutcomeLayoutError(str(exc)) from None
            if row is None:
                yield Problems(line, [(issue.column, issue.message) for issue in issues])
                continue
            problems = []
            year = self.year or row.reporting_year or self.name_year
            if year is None:
                raise OutcomeLayoutError(_("%(file)s has no reportingyear column and no year in its name; "
                                           "give the year (--year).") % {"file": table.name})
            if not (1999 <= year <= 2100):
                problems.append(("reportingyear", _("%(year)d is not a school year.") % {"year": year}))
            if not (row.cds.isdigit() and len(row.cds) == 14):
                problems.append(("cds", _("%(cds)r is not a 14-digit CDS code.") % {"cds": row.cds}))
            for column, value in (("currstatus", row.curr_status), ("priorstatus", row.prior_status),
                                  ("change", row.change)):
                if value is not None and abs(value) >= _DECIMAL_LIMIT:
                    problems.append((column, _("%(value)s is too large.") % {"value": value}))
            if problems:
                yield Problems(line, problems)
                continue
            if row.record_type == RecordType.SCHOOL:
                name = row.school_name
            elif row.record_type == RecordType.LEA:
                name = row.district_name
            else:
                name = row.school_name or row.district_name or "State of California"
            flags = {column: cells[position] for position, column in self.flag_columns if cells[position]}
            yield Record(
                line=line, indicator=stream.indicator.value, year=year,
                entity_type=_ENTITY_OF_RTYPE[row.record_type], cds=row.cds, student_group=row.student_group,
                entity_name=name, value=_cents(row.curr_status), denominator=row.curr_denom,
                numerator=row.curr_numer, prior_value=_cents(row.prior_status), prior_denominator=row.prior_denom,
                change=_cents(row.change), status_level=row.status_level, change_level=row.change_level,
                color=row.color, box=row.box, flags=flags,
            )


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(_CENT, rounding=ROUND_HALF_UP)


# CAASPP Smarter Balanced research files. -----------------------------------------------------------------

# Demographic IDs of the StudentGroups file → Dashboard codes (DOMAIN.md 3.9).
CAASPP_GROUPS = {1: "ALL", 8: "RFP", 31: "SED", 52: "HOM", 74: "AA", 75: "AI", 76: "AS", 77: "FI", 78: "HI",
                 79: "PI", 80: "WH", 128: "SWD", 144: "MR", 160: "EL", 180: "EO", 240: "FOS", 250: "LTEL"}
CAASPP_TESTS = {1: "ELA", 2: "MATH"}
_TYPE_ENTITY = {4: EntityType.STATE, 5: EntityType.COUNTY, 6: EntityType.DISTRICT, 7: EntityType.SCHOOL,
                9: EntityType.SCHOOL, 10: EntityType.SCHOOL}
_DFS_GRADES = (3, 4, 5, 6, 7, 8, 11)
ALL_GRADES = 13

CAASPP_COLUMNS = {
    "county": ("County Code",),
    "district": ("District Code",),
    "school": ("School Code",),
    "year": ("Test Year",),
    "group": ("Student Group ID", "Subgroup ID"),
    "test": ("Test ID", "Test Id"),
    "grade": ("Grade",),
    "with_scores": ("Students with Scores", "Total Students Tested with Scores",
                    "Total Tested with Scores at Reporting Level"),
    "mean": ("Mean Scale Score",),
    "met_above": ("Percentage Standard Met and Above",),
}


def caaspp_layout(columns: Columns) -> str:
    if columns.find("Subgroup ID") is not None:
        return "2015-2019"
    if columns.find("Total Students Tested with Scores") is not None:
        return "2024+"
    return "2021-2023"


def read_entities(path: str | Path) -> dict[str, tuple[int | None, str]]:
    """The CAASPP entities file: CDS code → (Type ID, name). Bounded by the number of entities."""
    table = open_table(path)
    try:
        columns = Columns(table.header)
        found = columns.require({"county": ("County Code",), "district": ("District Code",),
                                 "school": ("School Code",), "county_name": ("County Name",),
                                 "district_name": ("District Name",), "school_name": ("School Name",)},
                                layout=_("CAASPP entities"))
        type_at = columns.find("Type ID", "Type Id")
        entities: dict[str, tuple[int | None, str]] = {}
        width = max([*found.values(), type_at or 0]) + 1
        for _line, row in table.rows:
            cells = row + [""] * (width - len(row))
            cds = cds_of(cells[found["county"]], cells[found["district"]], cells[found["school"]])
            type_text = cells[type_at] if type_at is not None else ""
            type_id = int(type_text) if type_text.isdigit() else None
            name = cells[found["school_name"]] or cells[found["district_name"]] or cells[found["county_name"]]
            if cds == STATE_CDS and not name:
                name = "State of California"
            entities[cds] = (type_id, name)
        return entities
    finally:
        table.close()


class CaasppImporter(StreamingImporter):
    """A Smarter Balanced research file (comma 2015-2019, caret 2021-2023, caret 2024+).

    Stores, per entity and student group, ELA_MET/MATH_MET (% met and above, all grades: grade 13) and
    ELA_DFS/MATH_DFS, the distance from standard approximated from the mean scale score of each grade
    (`approximate_dfs`: no continuous enrolment, CAA or LOSS records, so it drifts from the Dashboard).
    Rows must come grouped by entity, as ETS ships them (a split entity is reported as repeated rows).
    """

    kind = "caaspp"
    label = "CAASPP Smarter Balanced research file"
    source = Source.CAASPP

    def prepare(self, table: Table) -> None:
        columns = Columns(table.header)
        self.at = columns.require(CAASPP_COLUMNS, layout=_("CAASPP research file"))
        self.layout = caaspp_layout(columns)
        self.type_at = columns.find("Type ID", "Type Id")
        self.test_type_at = columns.find("Test Type")
        self.count_at = columns.find("Count Standard Met and Above")
        self._names: dict[str, tuple[str, str]] = {}
        entities = self.options.get("entities")
        try:
            self.entities = read_entities(entities) if entities else {}
        except LayoutError as exc:
            raise OutcomeLayoutError(str(exc)) from None

    def items(self, table: Table) -> Iterator[Record | Problems | Skip]:
        at = self.at
        width = max(at.values()) + 1
        current: str | None = None
        grades: dict[tuple[str, str, str, int], list[GradeMeanScore]] = {}
        for line, cells in self.rows(table):
            if len(cells) < width:
                yield Problems(line, [("", _("has %(n)d fields, the header has %(m)d.")
                                       % {"n": len(cells), "m": len(table.header)})])
                continue
            if self.test_type_at is not None and cells[self.test_type_at] not in ("B", ""):
                yield Skip(line)  # not Smarter Balanced
                continue
            problems = []
            numbers = {}
            for key in ("group", "test", "grade", "year"):
                try:
                    numbers[key] = cell_count(cells[at[key]])
                except ValueError as exc:
                    problems.append((table.header[at[key]], str(exc)))
            group = CAASPP_GROUPS.get(numbers.get("group") or -1)
            subject = CAASPP_TESTS.get(numbers.get("test") or -1)
            grade = numbers.get("grade")
            if not problems and (group is None or subject is None
                                 or (grade != ALL_GRADES and grade not in _DFS_GRADES)):
                yield Skip(line)
                continue
            values = {}
            for key in ("with_scores", "mean", "met_above"):
                try:
                    values[key] = (cell_count if key == "with_scores" else cell_decimal)(cells[at[key]])
                except ValueError as exc:
                    problems.append((table.header[at[key]], str(exc)))
            met_count = None
            if self.count_at is not None:
                try:
                    met_count = cell_count(cells[self.count_at])
                except ValueError as exc:
                    problems.append((table.header[self.count_at], str(exc)))
            cds = cds_of(cells[at["county"]], cells[at["district"]], cells[at["school"]])
            if not cds.isdigit() or len(cds) != 14:
                problems.append(("School Code", _("%(cds)r is not a CDS code.") % {"cds": cds}))
            year = numbers.get("year")
            if year is not None and not (1999 <= year <= 2100):
                problems.append((table.header[at["year"]], _("%(year)d is not a school year.") % {"year": year}))
            if problems:
                yield Problems(line, problems)
                continue
            if cds != current:
                yield from self._flush(grades, line)
                current = cds
            entity_type, name = self._entity(cds, cells)
            if grade == ALL_GRADES:
                yield Record(line=line, indicator=f"{subject}_MET", year=year, entity_type=entity_type, cds=cds,
                             student_group=group, entity_name=name, value=values["met_above"],
                             denominator=values["with_scores"], numerator=met_count,
                             flags={"layout": self.layout, "grade": "all"})
            else:
                key = (cds, group, subject, year)
                grades.setdefault(key, []).append(GradeMeanScore(grade, values["with_scores"] or 0, values["mean"]))
                self._names[cds] = (entity_type, name)
        yield from self._flush(grades, self.rows_read + 1)

    def _entity(self, cds: str, cells: list[str]) -> tuple[str, str]:
        type_id, name = self.entities.get(cds, (None, ""))
        if self.type_at is not None and cells[self.type_at].isdigit():
            type_id = int(cells[self.type_at])
        entity_type = _TYPE_ENTITY.get(type_id) if type_id is not None else None
        if entity_type is None:
            if cds == STATE_CDS:
                entity_type = EntityType.STATE
            elif cds[7:] != "0000000":
                entity_type = EntityType.SCHOOL
            elif cds[2:7] != "00000":
                entity_type = EntityType.DISTRICT
            else:
                entity_type = EntityType.COUNTY
        if not name and entity_type == EntityType.STATE:
            name = "State of California"
        return entity_type, name

    def _flush(self, grades, line: int) -> Iterator[Record]:
        for (cds, group, subject, year), rows in grades.items():
            entity_type, name = self._names[cds]
            flags: dict[str, Any] = {"layout": self.layout, "approximation": True}
            value = None
            students = sum(row.students for row in rows if row.mean_scale_score is not None)
            try:
                dfs = approximate_dfs(subject, rows)
            except DashboardError:
                flags["suppressed"] = True
            else:
                value = dfs.dfs
                flags["students_left_out"] = dfs.students_left_out
                flags["grades"] = [grade for grade, _distance in dfs.by_grade]
            yield Record(line=line, indicator=f"{subject}_DFS", year=year, entity_type=entity_type, cds=cds,
                         student_group=group, entity_name=name, value=value, denominator=students or None,
                         flags=flags)
        grades.clear()
        self._names.clear()


# DataQuest chronic absenteeism and four-year graduation (ACGR) files. ------------------------------------

DATAQUEST_CATEGORIES = {"TA": "ALL", "RB": "AA", "RI": "AI", "RA": "AS", "RF": "FI", "RH": "HI", "RP": "PI",
                        "RW": "WH", "RT": "MR", "SE": "EL", "SD": "SWD", "SS": "SED", "SF": "FOS", "SH": "HOM"}
DATAQUEST_LEVELS = {"T": EntityType.STATE, "C": EntityType.COUNTY, "D": EntityType.DISTRICT, "S": EntityType.SCHOOL}
_ACADEMIC_YEAR = re.compile(r"^(\d{4})\s*-\s*(\d{2}|\d{4})$")

DATAQUEST_KEYS = {
    "year": ("Academic Year", "AcademicYear"),
    "level": ("Aggregate Level", "AggregateLevel"),
    "county": ("County Code", "CountyCode"),
    "district": ("District Code", "DistrictCode"),
    "school": ("School Code", "SchoolCode"),
    "category": ("Reporting Category", "ReportingCategory"),
}


class DataQuestImporter(StreamingImporter):
    """A DataQuest download (tab-delimited; Excel too): one row per entity, charter breakdown and category.

    Non-school rows come three times (charter All, Y, N; also DASS in newer files): only the "All" row
    is kept. A school has one row, its own charter status. Suppressed cells (`*`) are stored empty.
    """

    source = Source.DATAQUEST
    indicator: ClassVar[str] = ""
    measures: ClassVar[dict[str, tuple[str, ...]]] = {}

    def prepare(self, table: Table) -> None:
        columns = Columns(table.header)
        self.at = columns.require({**DATAQUEST_KEYS, **self.measures}, layout=self.label)
        self.charter_at = columns.find("Charter School", "CharterSchool", "Charter", "Charter (Y/N)")
        self.dass_at = columns.find("DASS")
        names = {"countyname": "county", "districtname": "district", "schoolname": "school"}
        self.name_at = {names[normalize(c)]: p for p, c in enumerate(table.header) if normalize(c) in names}
        used = set(self.at.values()) | set(self.name_at.values()) | {self.charter_at, self.dass_at}
        self.flag_columns = [(p, c) for p, c in enumerate(table.header) if p not in used and c]
        self.width = len(table.header)

    def items(self, table: Table) -> Iterator[Record | Problems | Skip]:
        at = self.at
        for line, cells in self.rows(table):
            if len(cells) < self.width:
                yield Problems(line, [("", _("has %(n)d fields, the header has %(m)d.")
                                       % {"n": len(cells), "m": self.width})])
                continue
            level = DATAQUEST_LEVELS.get(cells[at["level"]].upper())
            group = DATAQUEST_CATEGORIES.get(cells[at["category"]].upper())
            if level is None and cells[at["level"]] == "":
                yield Problems(line, [(table.header[at["level"]], _("is blank."))])
                continue
            if level is None or group is None:
                yield Skip(line)
                continue
            if level != EntityType.SCHOOL and any(
                    position is not None and cells[position].lower() not in ("all", "")
                    for position in (self.charter_at, self.dass_at)):
                yield Skip(line)
                continue
            problems = []
            match = _ACADEMIC_YEAR.match(cells[at["year"]])
            year = int(match.group(1)) + 1 if match else None
            if year is None:
                problems.append((table.header[at["year"]], _("%(value)r is not an academic year such as 2023-24.")
                                 % {"value": cells[at["year"]]}))
            values = {}
            for key in self.measures:
                parse = cell_decimal if key == "value" else cell_count
                try:
                    values[key] = parse(cells[at[key]])
                except ValueError as exc:
                    problems.append((table.header[at[key]], str(exc)))
            cds = cds_of(cells[at["county"]], cells[at["district"]], cells[at["school"]])
            if level == EntityType.STATE:
                cds = STATE_CDS
            if not cds.isdigit() or len(cds) != 14:
                problems.append((table.header[at["school"]], _("%(cds)r is not a CDS code.") % {"cds": cds}))
            if problems:
                yield Problems(line, problems)
                continue
            name_key = {EntityType.SCHOOL: "school", EntityType.DISTRICT: "district"}.get(level, "county")
            position = self.name_at.get(name_key)
            name = cells[position] if position is not None else ""
            if level == EntityType.STATE:
                name = "State of California"
            flags = {column: cells[position] for position, column in self.flag_columns if cells[position]}
            if self.charter_at is not None and level == EntityType.SCHOOL:
                flags["charter"] = cells[self.charter_at]
            yield Record(line=line, indicator=self.indicator, year=year, entity_type=level, cds=cds,
                         student_group=group, entity_name=name, value=values.get("value"),
                         denominator=values.get("denominator"), numerator=values.get("numerator"), flags=flags)


class ChronicImporter(DataQuestImporter):
    kind = "chronic"
    label = "DataQuest chronic absenteeism file"
    indicator = IndicatorCode.CHRONIC_K12
    measures = {
        "denominator": ("Chronic Absenteeism Eligible Cumulative Enrollment",
                        "ChronicAbsenteeismEligibleCumulativeEnrollment", "Eligible Cumulative Enrollment"),
        "numerator": ("Chronic Absenteeism Count", "ChronicAbsenteeismCount"),
        "value": ("Chronic Absenteeism Rate", "ChronicAbsenteeismRate"),
    }


class AcgrImporter(DataQuestImporter):
    kind = "acgr"
    label = "DataQuest four-year adjusted cohort graduation rate (ACGR) file"
    indicator = IndicatorCode.ACGR
    measures = {
        "denominator": ("Cohort Students", "CohortStudents"),
        "numerator": ("Regular HS Diploma Graduates (Count)", "Regular HS Diploma Graduates Count"),
        "value": ("Regular HS Diploma Graduates (Rate)", "Regular HS Diploma Graduates Rate"),
    }


IMPORTERS: dict[str, type[StreamingImporter]] = {
    "dashboard": DashboardImporter,
    "caaspp": CaasppImporter,
    "chronic": ChronicImporter,
    "acgr": AcgrImporter,
}


def import_outcome_file(kind: str, path: str | Path, **options: Any) -> OutcomeImportResult:
    """Import one file of `kind` (dashboard, caaspp, chronic, acgr). Raises OutcomeLayoutError for a file
    of the wrong layout and NotPermitted when the acting user may not import outcomes."""
    return IMPORTERS[kind](path, **options).run()


def _register_command_kinds() -> None:
    """`equitable import dashboard|caaspp|chronic|acgr FILE…` on the registry's import command."""
    from equitable.core.imports import CommandImportKind, register_command_import_kind

    def kind_of(slug: str, order: int) -> CommandImportKind:
        def add_arguments(parser) -> None:
            from equitable.outcomes.management.commands.outcomes import add_import_arguments

            add_import_arguments(parser, slug)

        def handle(command, options) -> None:
            from equitable.outcomes.management.commands.outcomes import handle_import

            handle_import(command, slug, options)

        return CommandImportKind(slug, IMPORTERS[slug].label, add_arguments, handle, order=order)

    for order, slug in enumerate(IMPORTERS, start=200):
        register_command_import_kind(kind_of(slug, order))


_register_command_kinds()
