"""Imports of need data.

- `indicator-values` (web `/imports/` and `equitable import indicator-values FILE`): one row per indicator,
  school and school year — `indicator` (its code), `cds_code`, `school_year` (e.g. 2025-26), `value`, and an
  optional `note`. Rows are upserted by (indicator, school, year); the export writes the same columns, so an
  export re-imports unchanged. All or nothing, every error with its row number and column, dry run.
- `calenviroscreen` (command line only: `equitable import calenviroscreen FILE --year 2025-26
  [--indicator Asthma …]`): community indicators from a CalEnviroScreen 4.0 tract file, set for every network
  school from its own census tract, else averaged over its ZIP's tracts (see `equity.derive`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equitable.core.imports import (
    CREATED,
    UNCHANGED,
    UPDATED,
    CommandImportKind,
    Importer,
    ImportKind,
    RowInvalid,
    full_clean_problems,
    parse_decimal,
    register_command_import_kind,
    register_import_kind,
    user_named,
)
from equitable.core.services import save_clean
from equitable.equity import services
from equitable.equity.models import Indicator, IndicatorValue
from equitable.network.models import School, SchoolYear
from equitable.network.validators import validate_school_cds


def _text(row: dict[str, str], column: str) -> str:
    return (row.get(column) or "").strip()


class IndicatorValueImporter(Importer):
    name = "indicator-values"
    required_columns = ("indicator", "cds_code", "school_year", "value")
    optional_columns = ("note",)
    strict_columns = True
    field_columns = {"indicator": "indicator", "school": "cds_code", "school_year": "school_year", "value": "value",
                     "note": "note"}

    def _lookup(self, model):
        if self.acting_user is None:
            return model._default_manager.all()
        return model._default_manager.restrict(self.acting_user, "view")

    def _maps(self):
        if not hasattr(self, "_indicators"):
            self._indicators = {i.code: i for i in self._lookup(Indicator)}
            self._schools = {s.cds_code: s for s in self._lookup(School)}
            self._years = {y.name: y for y in self._lookup(SchoolYear)}
        return self._indicators, self._schools, self._years

    def clean_row(self, row: dict[str, str], number: int) -> dict[str, Any]:
        indicators, schools, years = self._maps()
        problems: list[tuple[str, str]] = []
        code, cds, year_name = _text(row, "indicator"), _text(row, "cds_code"), _text(row, "school_year")
        indicator = indicators.get(code)
        if indicator is None:
            known = ", ".join(sorted(indicators)) or _("none yet")
            problems.append(("indicator", _("unknown indicator %(code)r; known indicator codes: %(known)s.")
                             % {"code": code, "known": known}))
        school = schools.get(cds)
        if school is None:
            try:
                validate_school_cds(cds)
            except ValidationError as exc:
                problems.append(("cds_code", exc.messages[0]))
            else:
                problems.append(("cds_code", _("unknown school %(cds)s: import it first (schools or CDE "
                                               "directory).") % {"cds": cds}))
        year = years.get(year_name)
        if year is None:
            known = ", ".join(sorted(years, reverse=True)) or _("none yet")
            problems.append(("school_year", _("unknown school year %(year)r; known years: %(known)s.")
                             % {"year": year_name, "known": known}))
        value = None
        try:
            value = parse_decimal(_text(row, "value"), places=4)
        except ValueError as exc:
            problems.append(("value", str(exc)))
        else:
            if value is None:
                problems.append(("value", _("the value is empty; leave out a school that has no value (a missing "
                                            "value is never read as zero).")))
        note = _text(row, "note") if self.has_column("note") else None
        if problems:
            raise RowInvalid(problems)
        candidate = IndicatorValue(indicator=indicator, school=school, school_year=year, value=value, note=note or "")
        checked = full_clean_problems(candidate, self.column_for, validate_unique=False)
        if checked:
            raise RowInvalid(checked)
        return {"key": (code, cds, year_name), "indicator": indicator, "school": school, "school_year": year,
                "value": value, "note": note}

    def natural_key(self, cleaned):
        return cleaned["key"]

    def describe(self, cleaned) -> str:
        code, _cds, year = cleaned["key"]
        return f"{code} · {cleaned['school'].name} · {year}"

    def apply(self, cleaned) -> str:
        if self.acting_user is None:
            return _system_upsert(cleaned)
        _row, outcome = services.indicator_value_upsert(
            indicator=cleaned["indicator"], school=cleaned["school"], school_year=cleaned["school_year"],
            value=cleaned["value"], note=cleaned["note"], acting_user=self.acting_user)
        return outcome


def _system_upsert(cleaned) -> str:
    """The command line without --user writes as "system" (validated, audited, not permission-checked)."""
    existing = IndicatorValue.objects.filter(indicator=cleaned["indicator"], school=cleaned["school"],
                                             school_year=cleaned["school_year"]).first()
    if existing is None:
        save_clean(IndicatorValue(indicator=cleaned["indicator"], school=cleaned["school"],
                                  school_year=cleaned["school_year"], value=cleaned["value"],
                                  note=cleaned["note"] or ""), acting_user=None)
        return CREATED
    changed = existing.value != cleaned["value"] or (cleaned["note"] is not None and existing.note != cleaned["note"])
    if not changed:
        return UNCHANGED
    existing.value = cleaned["value"]
    if cleaned["note"] is not None:
        existing.note = cleaned["note"]
    save_clean(existing, acting_user=None)
    return UPDATED


def export_indicator_values(*, user=None, queryset=None) -> tuple[list[str], list[list]]:
    if queryset is None:
        queryset = IndicatorValue.objects.all() if user is None else IndicatorValue.objects.restrict(user, "view")
    rows = [[v.indicator.code, v.school.cds_code, v.school_year.name, v.value, v.note]
            for v in queryset.select_related("indicator", "school", "school_year").order_by(
                "indicator__code", "school__cds_code", "school_year__name")]
    return list(IndicatorValueImporter.columns()), rows


register_import_kind(ImportKind(
    "indicator-values", gettext_lazy("Need indicator values"), IndicatorValueImporter, order=60,
    exporter=export_indicator_values,
    help_text=gettext_lazy("One row per indicator, school and school year: indicator (its code, e.g. asthma-ed-per-10k), "
                           "cds_code, school_year (e.g. 2025-26), value, and an optional note. Existing values are "
                           "updated; leave out schools without a value (missing is never zero)."),
))


# --- CalEnviroScreen (command line) ------------------------------------------------------------------

ERROR_EXIT = 2


def _calenviroscreen_arguments(parser) -> None:
    parser.add_argument("file", help="CalEnviroScreen 4.0 CSV, one row per census tract")
    parser.add_argument("--year", default=None, help="school year the values are for, e.g. 2025-26 (default: current)")
    parser.add_argument("--indicator", dest="indicators", action="append", default=None,
                        help="a CalEnviroScreen column to read (repeatable; default: Asthma)")
    parser.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
    parser.add_argument("--user", dest="username", default=None,
                        help="act as this user (permissions and audit); default: system")


def _calenviroscreen_handle(command, options) -> None:
    from django.core.management.base import CommandError

    from equitable.core.exceptions import DomainError
    from equitable.equity.derive import DEFAULT_CES_INDICATORS, community_indicators_from_calenviroscreen
    from equitable.equity.selectors import current_school_year

    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"No such file: {path}", returncode=ERROR_EXIT)
    try:
        user = user_named(options.get("username"))
    except LookupError as exc:
        raise CommandError(str(exc), returncode=ERROR_EXIT) from None
    year = options.get("year") or current_school_year()
    if year is None:
        raise CommandError("No current school year: give --year, e.g. --year 2025-26.", returncode=ERROR_EXIT)
    try:
        result = community_indicators_from_calenviroscreen(
            path, year, tuple(options.get("indicators") or DEFAULT_CES_INDICATORS), acting_user=user,
            dry_run=options.get("dry_run", False))
    except (LookupError, DomainError) as exc:
        raise CommandError(str(getattr(exc, "message", exc)), returncode=ERROR_EXIT) from None
    for error in result.errors:
        command.stderr.write(str(error))
    if result.errors:
        raise CommandError(result.summary(), returncode=ERROR_EXIT)
    prefix = "Dry run: " if result.dry_run else ""
    command.stdout.write(f"{prefix}calenviroscreen: {result.rows_read} tract row(s) read; {result.summary()}")
    for code, names in result.without_value.items():
        if names:
            command.stdout.write(f"  {code}: no value for {', '.join(names)} (no tract in the file for their ZIP)")


register_command_import_kind(CommandImportKind(
    "calenviroscreen", gettext_lazy("CalEnviroScreen 4.0 community indicators (by census tract or ZIP)"),
    _calenviroscreen_arguments, _calenviroscreen_handle, order=65,
))
