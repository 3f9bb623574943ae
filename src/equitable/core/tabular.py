"""Reading and writing tables: CSV and XLSX in, CSV and XLSX out.

Row numbers follow the spreadsheet convention users see: the header is row 1, the first data row
is row 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.http import HttpResponse
from django.utils.text import slugify

XLSX_MAGIC = b"PK\x03\x04"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


#: The school file `equitable allocate` and `equitable need-index` share: its input columns (besides indicator
#: columns) and their other spellings, compared after lower-casing and turning " " and "-" into "_".
SCHOOL_FILE_COLUMNS = ("id", "name", "enrollment", "need", "tier", "floor", "cap", "prior", "base", "grade_weight",
                       "poverty", "english_learners", "disabilities")
SCHOOL_FILE_ALIASES = {
    "school_id": "id", "cds_code": "id", "cds": "id", "school_name": "name",
    "need_score": "need", "need_index": "need",
    "students": "enrollment", "enrolment": "enrollment", "pupils": "enrollment",
    "prior_amount": "prior", "prior_allocation": "prior", "previous_amount": "prior", "previous": "prior",
    "floor_amount": "floor", "minimum": "floor",
    "cap_amount": "cap", "maximum": "cap", "ceiling": "cap",
    "base_amount": "base", "need_tier": "tier",
}


def canonical_header(header: Sequence[str], known: Iterable[str] = SCHOOL_FILE_COLUMNS,
                     aliases: dict[str, str] = SCHOOL_FILE_ALIASES) -> dict[str, str]:
    """{column as written: canonical name} for the header's columns that are `known` or an alias of one; an
    alias counts only when the file has no column of the canonical name. Other columns are left out."""
    names = set(known)
    spelled = {column: column.strip().lower().replace(" ", "_").replace("-", "_") for column in header if column}
    present = set(spelled.values())
    found = {}
    for column, key in spelled.items():
        if key in names:
            found[column] = key
        elif aliases.get(key) in names and aliases[key] not in present:
            found[column] = aliases[key]
    return found


def repeated_columns(found: dict[str, str]) -> list[str]:
    """Canonical names that more than one column of `canonical_header`'s result stands for."""
    names = list(found.values())
    return sorted({name for name in names if names.count(name) > 1})


class TableFormatError(Exception):
    """The file is not a readable CSV/XLSX table."""


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(
    source: IO[bytes] | bytes | str | Path,
    *,
    filename: str = "",
    delimiter: str | None = None,
    null_values: Iterable[str] = (),
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Open a CSV or XLSX table. Returns the header and an iterator of (row number, row dict).

    Values are stripped strings; cells equal to one of `null_values` become "".
    """
    if isinstance(source, (str, Path)):
        filename = filename or str(source)
        handle: IO[bytes] = open(source, "rb")  # noqa: SIM115 - closed by the iterator
    elif isinstance(source, bytes):
        handle = io.BytesIO(source)
    else:
        handle = source
    head = handle.read(4)
    handle.seek(0)
    nulls = set(null_values)
    if head == XLSX_MAGIC or filename.lower().endswith(".xlsx"):
        return _read_xlsx(handle, nulls)
    return _read_csv(handle, delimiter, nulls, filename)


def _read_xlsx(handle: IO[bytes], nulls: set[str]):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:
        raise TableFormatError(f"This is not a readable XLSX workbook ({exc.__class__.__name__}).") from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [_as_text(cell) for cell in next(rows)]
    except StopIteration:
        raise TableFormatError("The workbook's first sheet is empty: expected a header row.") from None
    while header and header[-1] == "":
        header.pop()

    def iterate():
        for number, values in enumerate(rows, start=2):
            cells = [_as_text(v) for v in values]
            if not any(cells):
                continue
            row = {}
            for index, column in enumerate(header):
                cell = cells[index] if index < len(cells) else ""
                row[column] = "" if cell in nulls else cell
            yield number, row
        workbook.close()

    return header, iterate()


def _read_csv(handle: IO[bytes], delimiter: str | None, nulls: set[str], filename: str):
    raw = handle.read()
    if isinstance(raw, str):
        text = raw
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    if "\x00" in text[:4096]:
        raise TableFormatError("This file is binary, not a CSV or tab-delimited text table.")
    first_line = text.split("\n", 1)[0]
    if delimiter is None:
        if filename.lower().endswith((".txt", ".tsv")) or first_line.count("\t") > first_line.count(","):
            delimiter = "\t"
        elif first_line.count("^") > first_line.count(","):
            delimiter = "^"
        else:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise TableFormatError("The file is empty: expected a header row.") from None

    def iterate():
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            row = {}
            for index, column in enumerate(header):
                cell = values[index].strip() if index < len(values) else ""
                row[column] = "" if cell in nulls else cell
            if len(values) > len(header):
                row["__extra__"] = str(len(values) - len(header))
            yield number, row

    return header, iterate()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal, date)):
        return value
    return str(value)


def render_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8")


def render_xlsx(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "Export") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or "Export")
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tabular_response(name: str, headers: Sequence[str], rows: Iterable[Sequence], fmt: str) -> HttpResponse:
    """An HTTP download of a table as CSV or XLSX."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; expected csv or xlsx.")
    stem = slugify(name) or "export"
    if fmt == "csv":
        response = HttpResponse(render_csv(headers, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(render_xlsx(headers, rows, sheet_title=name), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
