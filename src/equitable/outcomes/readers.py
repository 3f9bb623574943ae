"""Streaming readers for the state's outcome files (pure Python, no Django).

Statewide files run to hundreds of thousands of rows, so nothing here holds a whole file: a table is
opened, its header read, and its rows come one at a time as `(row number, cells)`, where the header is
row 1 (the spreadsheet convention users see, and the engine's line numbers). Text files are sniffed for
their encoding (UTF-8, else Windows-1252 as CDE and ETS ship some files) and their delimiter (tab,
caret or comma); `.xlsx` workbooks are read with openpyxl in read-only mode.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

XLSX_MAGIC = b"PK\x03\x04"
_SNIFF_CHUNK = 1 << 20


class LayoutError(Exception):
    """The file cannot be read as a table of the expected layout (empty, binary, missing columns…)."""


def normalize(column: str) -> str:
    """A column name reduced to lowercase letters and digits: 'Test Id' and 'TestID' both → 'testid'."""
    return re.sub(r"[^a-z0-9]", "", column.lower())


def sniff_encoding(path: Path) -> str:
    """'utf-8-sig' when every byte decodes as UTF-8, else 'cp1252' (read in chunks, never whole)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        while chunk := handle.read(_SNIFF_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return "cp1252"
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def is_xlsx(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == XLSX_MAGIC


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(Decimal(repr(value)))
    return str(value).strip()


@dataclass
class Table:
    """An open table: its header and a one-shot iterator of (row number, stripped cells)."""

    name: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    delimiter: str
    encoding: str
    size: int

    def close(self) -> None:
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()


def open_table(path: str | Path, *, delimiter: str | None = None) -> Table:
    """Open a delimited text file or an .xlsx workbook for streaming. Blank lines are skipped."""
    path = Path(path)
    if not path.is_file():
        raise LayoutError(f"No such file: {path}")
    size = os.path.getsize(path)
    if size == 0:
        raise LayoutError(f"{path.name} is empty: expected a header row.")
    if is_xlsx(path) or path.suffix.lower() == ".xlsx":
        return _open_xlsx(path, size)
    encoding = sniff_encoding(path)
    handle = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed by the row iterator
    first = handle.readline()
    if "\x00" in first:
        handle.close()
        raise LayoutError(f"{path.name} is binary, not a delimited text table.")
    if delimiter is None:
        counts = {d: first.count(d) for d in ("\t", "^", ",")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else "\t"
    handle.seek(0)
    quoting = csv.QUOTE_MINIMAL if delimiter == "," else csv.QUOTE_NONE
    reader = csv.reader(handle, delimiter=delimiter, quoting=quoting)
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        handle.close()
        raise LayoutError(f"{path.name} is empty: expected a header row.") from None
    while header and header[-1] == "":
        header.pop()

    def iterate() -> Iterator[tuple[int, list[str]]]:
        try:
            for cells in reader:
                if not cells or not any(cells):
                    continue
                yield reader.line_num, [cell.strip() for cell in cells]
        finally:
            handle.close()

    return Table(path.name, header, iterate(), delimiter, encoding, size)


def _open_xlsx(path: Path, size: int) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise LayoutError(f"{path.name} is not a readable XLSX workbook ({exc.__class__.__name__}).") from None
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    try:
        header = [_cell_text(cell) for cell in next(rows)]
    except StopIteration:
        workbook.close()
        raise LayoutError(f"{path.name}: the first sheet is empty: expected a header row.") from None
    while header and header[-1] == "":
        header.pop()

    def iterate() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(rows, start=2):
                cells = [_cell_text(value) for value in values]
                if any(cells):
                    yield number, cells
        finally:
            workbook.close()

    return Table(path.name, header, iterate(), "xlsx", "xlsx", size)


def count_data_lines(path: str | Path) -> int | None:
    """Roughly how many data rows a text file has (for a progress bar); None for a workbook."""
    path = Path(path)
    if is_xlsx(path):
        return None
    lines = 0
    last = b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(_SNIFF_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return max(lines - 1 + (0 if last == b"\n" else 1), 0)
