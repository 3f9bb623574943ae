"""The import framework: read → validate every row → write all or nothing, with a dry run.

An importer declares its columns, cleans one row at a time (raising RowInvalid with every problem
of that row), names each row's natural key and applies a cleaned row inside one transaction.
`run_import` validates every row first; if any row fails nothing is written and every error is
reported with its row number and column. A dry run applies the rows inside a transaction that is
rolled back, so the preview counts are exactly what a real run would do. Re-importing the same file
changes nothing (rows come back "unchanged").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar

from django.db import transaction

from equitable.core.exceptions import DomainError
from equitable.core.tabular import TableFormatError, read_table

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class RowInvalid(Exception):
    """One row failed validation; carries (column, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(f"{c}: {m}" for c, m in problems))
        self.problems = problems


@dataclass
class PreviewRow:
    row: int
    key: str
    outcome: str


@dataclass
class ImportResult:
    importer: str
    dry_run: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def summary(self) -> str:
        if self.errors:
            return f"{len(self.errors)} error(s) in {self.total} row(s); nothing was written."
        verb = "would be" if self.dry_run else "were"
        return (
            f"{self.total} row(s): {self.created} {verb} created, {self.updated} {verb} updated, "
            f"{self.unchanged} unchanged" + (f", {self.skipped} skipped" if self.skipped else "") + "."
        )


class Importer:
    """Base of every importer. Subclasses fill in the class attributes and the four hooks."""

    name: ClassVar[str] = "records"
    required_columns: ClassVar[tuple[str, ...]] = ()
    optional_columns: ClassVar[tuple[str, ...]] = ()
    null_values: ClassVar[tuple[str, ...]] = ()
    delimiter: ClassVar[str | None] = None

    def __init__(self, *, acting_user=None, **options: Any):
        self.acting_user = acting_user
        self.options = options

    # hooks -------------------------------------------------------------------------------
    def check_header(self, header: list[str]) -> list[str]:
        """Problems with the header (wrong layout); default: required columns must be present."""
        missing = [c for c in self.required_columns if c not in header]
        if missing:
            expected = ", ".join(self.required_columns)
            return [f"missing column(s) {', '.join(missing)}; this file does not have the {self.name} layout (expected columns: {expected})."]
        return []

    def skip_row(self, row: dict[str, str]) -> bool:
        """True for rows that are read but deliberately not imported (e.g. another district)."""
        return False

    def clean_row(self, row: dict[str, str], number: int) -> dict[str, Any]:
        raise NotImplementedError

    def natural_key(self, cleaned: dict[str, Any]) -> Any:
        raise NotImplementedError

    def apply(self, cleaned: dict[str, Any]) -> str:
        """Write one cleaned row; return CREATED, UPDATED or UNCHANGED."""
        raise NotImplementedError

    def prepare(self, rows: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
        """Cross-row checks after every row is clean (e.g. references to rows in the same file)."""
        return []


def run_import(importer: Importer, source: IO[bytes] | bytes | str, *, filename: str = "", dry_run: bool = False,
               progress=None) -> ImportResult:
    result = ImportResult(importer=importer.name, dry_run=dry_run)
    try:
        header, rows = read_table(source, filename=filename, delimiter=importer.delimiter, null_values=importer.null_values)
    except TableFormatError as exc:
        result.errors.append(RowError(1, "", str(exc)))
        return result
    for problem in importer.check_header(header):
        result.errors.append(RowError(1, "", problem))
    if result.errors:
        return result

    cleaned_rows: list[tuple[int, dict[str, Any]]] = []
    seen: dict[Any, int] = {}
    for number, row in rows:
        result.total += 1
        if progress is not None:
            progress(1)
        if "__extra__" in row:
            result.errors.append(RowError(number, "", f"{row['__extra__']} more value(s) than the header has columns."))
            continue
        if importer.skip_row(row):
            result.skipped += 1
            continue
        try:
            cleaned = importer.clean_row(row, number)
        except RowInvalid as exc:
            result.errors.extend(RowError(number, column, message) for column, message in exc.problems)
            continue
        key = importer.natural_key(cleaned)
        if key in seen:
            result.errors.append(RowError(number, "", f"duplicate of row {seen[key]} ({_key_text(key)})."))
            continue
        seen[key] = number
        cleaned_rows.append((number, cleaned))
    if result.errors:
        return result
    result.errors.extend(importer.prepare(cleaned_rows))
    if result.errors:
        return result

    try:
        with transaction.atomic():
            for number, cleaned in cleaned_rows:
                try:
                    outcome = importer.apply(cleaned)
                except DomainError as exc:
                    result.errors.append(RowError(number, exc.field or "", exc.message))
                    continue
                _count(result, outcome)
                result.preview.append(PreviewRow(number, _key_text(importer.natural_key(cleaned)), outcome))
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if result.errors:
        result.created = result.updated = result.unchanged = 0
    return result


class _Rollback(Exception):
    pass


def _count(result: ImportResult, outcome: str) -> None:
    if outcome == CREATED:
        result.created += 1
    elif outcome == UPDATED:
        result.updated += 1
    else:
        result.unchanged += 1


def _key_text(key: Any) -> str:
    if isinstance(key, tuple):
        return " / ".join(str(k) for k in key)
    return str(key)


def assign_changed(instance, values: dict[str, Any]) -> bool:
    """Set attributes that differ; return True if any changed (so unchanged rows write nothing)."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def errors_as_lines(errors: Iterable[RowError]) -> list[str]:
    return [str(e) for e in errors]
