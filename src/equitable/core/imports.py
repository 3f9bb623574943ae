"""The import framework: read → validate every row → write all or nothing, with a dry run.

An importer declares its columns, cleans one row at a time (raising RowInvalid with every problem
of that row), names each row's natural key and applies a cleaned row inside one transaction.
`run_import` validates every row first; if any row fails nothing is written and every error is
reported with its row number and column. A dry run applies the rows inside a transaction that is
rolled back, so the preview counts are exactly what a real run would do. Re-importing the same file
changes nothing (rows come back "unchanged").
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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
            return _("%(errors)d error(s) in %(total)d row(s); nothing was written.") % {
                "errors": len(self.errors), "total": self.total}
        values = {"total": self.total, "created": self.created, "updated": self.updated,
                  "unchanged": self.unchanged, "skipped": self.skipped}
        if self.dry_run:
            text = _("%(total)d row(s): %(created)d would be created, %(updated)d would be updated, "
                     "%(unchanged)d unchanged") % values
        else:
            text = _("%(total)d row(s): %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % values
        if self.skipped:
            text += ", " + _("%(skipped)d skipped") % values
        return text + "."


class Importer:
    """Base of every importer. Subclasses fill in the class attributes and the four hooks."""

    name: ClassVar[str] = "records"
    required_columns: ClassVar[tuple[str, ...]] = ()
    optional_columns: ClassVar[tuple[str, ...]] = ()
    null_values: ClassVar[tuple[str, ...]] = ()
    delimiter: ClassVar[str | None] = None
    # True: columns outside required + optional are a layout error (a misspelt column would lose data).
    strict_columns: ClassVar[bool] = False
    # Model field → the column it comes from, so validation messages name the user's column.
    field_columns: ClassVar[dict[str, str]] = {}

    def __init__(self, *, acting_user=None, **options: Any):
        self.acting_user = acting_user
        self.options = options
        self.header: list[str] = []

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        return cls.required_columns + cls.optional_columns

    def has_column(self, column: str) -> bool:
        return column in self.header

    def column_for(self, field_name: str | None) -> str:
        if not field_name or field_name == "__all__":
            return ""
        return self.field_columns.get(field_name, field_name)

    # hooks -------------------------------------------------------------------------------
    def check_header(self, header: list[str]) -> list[str]:
        """Problems with the header (wrong layout); default: required columns must be present."""
        self.header = list(header)
        problems = []
        missing = [c for c in self.required_columns if c not in header]
        if missing:
            problems.append(
                _("missing column(s) %(missing)s; this file does not have the %(name)s layout "
                  "(required columns: %(expected)s).")
                % {"missing": ", ".join(missing), "name": self.name, "expected": ", ".join(self.required_columns)}
            )
        if self.strict_columns:
            known = set(self.columns())
            unknown = [c for c in header if c and c not in known]
            if unknown:
                problems.append(
                    _("unknown column(s) %(unknown)s; the %(name)s layout has the columns %(known)s.")
                    % {"unknown": ", ".join(unknown), "name": self.name, "known": ", ".join(self.columns())}
                )
        duplicates = sorted({c for c in header if c and header.count(c) > 1})
        if duplicates:
            problems.append(_("column(s) %(columns)s appear more than once.") % {"columns": ", ".join(duplicates)})
        return problems

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

    def describe(self, cleaned: dict[str, Any]) -> str:
        """How a row's record is named in the preview; default: its natural key."""
        return _key_text(self.natural_key(cleaned))

    def prepare(self, rows: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
        """Cross-row checks after every row is clean (e.g. references to rows in the same file)."""
        return []


def run_import(importer: Importer, source: IO[bytes] | bytes | str, *, filename: str = "", dry_run: bool = False,
               progress: Callable[[int], Any] | None = None,
               on_stage: Callable[[str, int | None], Any] | None = None) -> ImportResult:
    """Validate every row, then write all rows in one transaction (or none, or roll back for a dry run).

    `progress(1)` is called per row read; when `on_stage` is given it is called as
    `on_stage("validate", None)` and `on_stage("write", rows_to_write)` and `progress(1)` also counts writes.
    """
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

    if on_stage is not None:
        on_stage("validate", None)
    cleaned_rows: list[tuple[int, dict[str, Any]]] = []
    seen: dict[Any, int] = {}
    for number, row in rows:
        result.total += 1
        if progress is not None:
            progress(1)
        if "__extra__" in row:
            result.errors.append(RowError(number, "", _("%(n)s more value(s) than the header has columns.")
                                          % {"n": row["__extra__"]}))
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
            result.errors.append(RowError(number, "", _("duplicate of row %(row)d (%(key)s).")
                                          % {"row": seen[key], "key": _key_text(key)}))
            continue
        seen[key] = number
        cleaned_rows.append((number, cleaned))
    if result.errors:
        return result
    result.errors.extend(importer.prepare(cleaned_rows))
    if result.errors:
        return result

    if on_stage is not None:
        on_stage("write", len(cleaned_rows))
    try:
        with transaction.atomic():
            for number, cleaned in cleaned_rows:
                if on_stage is not None and progress is not None:
                    progress(1)
                try:
                    outcome = importer.apply(cleaned)
                except RowInvalid as exc:
                    result.errors.extend(RowError(number, column, message) for column, message in exc.problems)
                    continue
                except DomainError as exc:
                    validation = getattr(exc, "validation", None)
                    if validation is not None:
                        result.errors.extend(
                            RowError(number, column, message)
                            for column, message in validation_problems(validation, importer.column_for)
                        )
                    else:
                        result.errors.append(RowError(number, importer.column_for(exc.field), exc.message))
                    continue
                _count(result, outcome)
                result.preview.append(PreviewRow(number, importer.describe(cleaned), outcome))
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


def write_changes(existing, values: dict[str, Any], *, acting_user, update: Callable[[], Any]) -> str:
    """Bring an existing record to `values`: UNCHANGED when it already holds them; otherwise UPDATED, written
    through `update()` (the domain service, as the acting user) or, with no acting user (the command line
    without --user), saved as "system" through the model's validation."""
    if all(getattr(existing, k) == v for k, v in values.items()):
        return UNCHANGED
    if acting_user is None:
        from equitable.core.services import save_clean

        for k, v in values.items():
            setattr(existing, k, v)
        save_clean(existing, acting_user=None, reason="import")
    else:
        update()
    return UPDATED


def errors_as_lines(errors: Iterable[RowError]) -> list[str]:
    return [str(e) for e in errors]


def validation_problems(exc: ValidationError, column_for: Callable[[str], str]) -> list[tuple[str, str]]:
    """A model's full_clean() errors as (column, message) pairs, one per message."""
    if hasattr(exc, "error_dict"):
        return [(column_for(name), message) for name, messages in exc.message_dict.items() for message in messages]
    return [("", message) for message in exc.messages]


def full_clean_problems(instance, column_for: Callable[[str], str], *, exclude=None,
                        validate_unique: bool = True) -> list[tuple[str, str]]:
    try:
        instance.full_clean(exclude=exclude, validate_unique=validate_unique,
                            validate_constraints=validate_unique)
    except ValidationError as exc:
        return validation_problems(exc, column_for)
    return []


# Cell parsers shared by importers: each returns the value or raises ValueError with a clear message. ------

_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> date | None:
    """ISO (2025-07-01) or US month/day/year (7/1/2025); "" → None."""
    value = (text or "").strip()
    if not value:
        return None
    match = _US_DATE.match(value)
    try:
        if match:
            month, day, year = (int(g) for g in match.groups())
            return date(year, month, day)
        if "T" in value or " " in value:
            return datetime.fromisoformat(value).date()
        return date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(_("%(value)r is not a date; write 2025-07-01 or 7/1/2025.") % {"value": value})


def parse_count(text: str) -> int | None:
    """A whole number of 0 or more; "" → None. Thousands separators are accepted."""
    value = (text or "").strip().replace(",", "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or number != number.to_integral_value() or number < 0:
        raise ValueError(_("%(value)r is not a whole number of 0 or more.") % {"value": text})
    return int(number)


def parse_decimal(text: str, *, places: int = 6) -> Decimal | None:
    value = (text or "").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(_("%(value)r is not a number.") % {"value": value}) from None
    if not number.is_finite():
        raise ValueError(_("%(value)r is not a number.") % {"value": value})
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


_TRUE = {"y", "yes", "true", "1", "x"}
_FALSE = {"n", "no", "false", "0", ""}


def parse_bool(text: str) -> bool:
    value = (text or "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(_("%(value)r is not yes or no (Y/N).") % {"value": text})


def parse_choice(text: str, choices) -> str:
    """A value of a TextChoices enum, given as its code (any case; "ILT member" for ilt_member) or its label;
    "" → ""."""
    value = (text or "").strip()
    if not value:
        return ""
    wanted = value.casefold()
    as_code = re.sub(r"[\s-]+", "_", wanted)
    for code, label in choices.choices:
        if wanted == str(label).casefold() or as_code == str(code).casefold():
            return code
    raise ValueError(_("%(value)r is not one of %(codes)s.") % {"value": value,
                                                                  "codes": ", ".join(str(c) for c in choices.values)})


def user_named(username: str | None):
    """The user an import/export from the command line acts as: None (recorded as "system") when no
    username is given. Raises LookupError for an unknown or inactive user."""
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.is_active:
        raise LookupError(f"No active user {username!r}.")
    return user


# The registry of import kinds: apps add theirs in an `importers` module (found by autodiscovery). -------

@dataclass(frozen=True)
class ImportOption:
    """An extra option of an import kind (a CLI `--name` flag and a field on the web form)."""

    name: str
    label: str
    help_text: str = ""
    pattern: str = ""  # a regular expression the value must match when given
    pattern_message: str = ""


@dataclass(frozen=True)
class ImportKind:
    slug: str
    label: str
    importer: type[Importer]
    help_text: str = ""
    options: tuple[ImportOption, ...] = ()
    exporter: Callable[..., tuple[list[str], Iterable[list]]] | None = None
    order: int = 100

    def make(self, *, acting_user=None, **options) -> Importer:
        return self.importer(acting_user=acting_user, **{k: v for k, v in options.items() if v not in (None, "")})


_KINDS: dict[str, ImportKind] = {}
_discovered = False


def register_import_kind(kind: ImportKind) -> ImportKind:
    _KINDS[kind.slug] = kind
    return kind


def import_kinds() -> list[ImportKind]:
    """Every registered import kind (each installed app's `importers` module is loaded once)."""
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("importers")
        _discovered = True
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.slug))


def import_kind(slug: str) -> ImportKind | None:
    return {k.slug: k for k in import_kinds()}.get(slug)


@dataclass(frozen=True)
class CommandImportKind:
    """An import only the command line runs (`equitable import SLUG FILE…`): files too large for the web
    form, streamed by the app itself (e.g. statewide outcome files). Registered from an app's `importers`
    module like the other kinds; `add_arguments(parser)` fills its subcommand, `handle(command, options)`
    runs it."""

    slug: str
    label: str
    add_arguments: Callable[[Any], None]
    handle: Callable[[Any, dict], None]
    order: int = 100


_COMMAND_KINDS: dict[str, CommandImportKind] = {}


def register_command_import_kind(kind: CommandImportKind) -> CommandImportKind:
    _COMMAND_KINDS[kind.slug] = kind
    return kind


def command_import_kinds() -> list[CommandImportKind]:
    import_kinds()  # discovers every app's importers module
    return sorted(_COMMAND_KINDS.values(), key=lambda k: (k.order, k.slug))


# Staging an uploaded file between the preview and the confirmation. ---------------------------------------
# The file is stored through Django's storage API under DATA_DIR/uploads/ with a random token as its only
# name; the client only ever sends the token back, never a path.

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
STAGED_MAX_AGE = 24 * 3600


def upload_storage():
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=str(settings.DATA_DIR / "uploads"))


def stage_upload(chunks: Iterable[bytes]) -> str:
    from django.core.files.base import ContentFile

    storage = upload_storage()
    _discard_stale(storage)
    token = secrets.token_hex(16)
    storage.save(token, ContentFile(b"".join(chunks)))
    return token


def read_staged(token: str) -> bytes | None:
    if not _TOKEN.match(token or ""):
        return None
    storage = upload_storage()
    if not storage.exists(token):
        return None
    with storage.open(token, "rb") as handle:
        return handle.read()


def discard_staged(token: str) -> None:
    if _TOKEN.match(token or ""):
        storage = upload_storage()
        if storage.exists(token):
            storage.delete(token)


def _discard_stale(storage) -> None:
    try:
        names = storage.listdir("")[1]
    except FileNotFoundError:
        return
    limit = time.time() - STAGED_MAX_AGE
    for name in names:
        if _TOKEN.match(name):
            try:
                if storage.get_modified_time(name).timestamp() < limit:
                    storage.delete(name)
            except FileNotFoundError:
                pass
