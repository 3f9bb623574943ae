"""Import and export of Results-Based Accountability measures: kind "measures" (CSV or XLSX, all or nothing,
dry run).

Columns: agreement_id (optional; the export fills it in), partner (name), school (CDS code or name), agreement
(title), school_year (e.g. 2025-26), measure (name), kind (how_much, how_well, better_off or the question),
unit, higher_is_better (Y/N), target, actual, notes. A row names its agreement by `agreement_id`, or by partner,
school and title (when a renewal chain repeats the title, the agreement that runs during `school_year`). Rows
are upserted by agreement + school year + measure name.

Partnerships staff (and network admins) add measures and change any column; a partner user keeps the actual and
notes of their own organization's existing measures current (the partner portal's upload): a row of theirs for a
measure that does not exist yet, or one that changes its kind, unit, direction or target, is refused with the
reason. Every row goes through the same services as the forms (`measure_create`, `measure_update`), so the same
rules hold (the school year must overlap the agreement). A column left out of the file keeps what is stored, and
so does an empty `kind`, `unit` or `higher_is_better` cell; an empty `actual`, `target` or `notes` cell clears
it (for a partner user, an empty `target` keeps it).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.imports import (
    CREATED,
    Importer,
    ImportKind,
    RowInvalid,
    parse_bool,
    parse_choice,
    parse_decimal,
    register_import_kind,
    write_changes,
)
from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.core.services import save_clean
from equitable.network.models import SchoolYear
from equitable.partners.models import Agreement, Measure, MeasureKind
from equitable.partners.scoping import partnerships_staff
from equitable.partners.services import agreements as services

COLUMNS = ("agreement_id", "partner", "school", "agreement", "school_year", "measure", "kind", "unit",
           "higher_is_better", "target", "actual", "notes")
# What a partner user may change; the rest of a measure is partnerships staff's to set.
PARTNER_COLUMNS = ("actual", "notes")
# An empty cell in these columns keeps the stored value (a new measure gets the defaults).
KEPT_WHEN_EMPTY = ("kind", "unit", "higher_is_better")


def _text(row: dict[str, str], column: str) -> str:
    return (row.get(column) or "").strip()


class MeasureImporter(Importer):
    name = "measures"
    required_columns = ("school_year", "measure")
    optional_columns = tuple(c for c in COLUMNS if c not in ("school_year", "measure"))
    strict_columns = True
    field_columns = {"school_year": "school_year", "name": "measure", "kind": "kind", "unit": "unit",
                     "higher_is_better": "higher_is_better", "target": "target", "actual": "actual",
                     "notes": "notes", "agreement": "agreement"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._years = {y.name: y for y in SchoolYear.objects.all()}
        self._partner_user = self.acting_user is not None and role_of(self.acting_user) == Role.PARTNER
        self._staff = self.acting_user is None or role_of(self.acting_user) == Role.ADMIN or partnerships_staff(
            self.acting_user, Measure)

    def _agreements(self):
        qs = Agreement.objects.all() if self.acting_user is None else Agreement.objects.restrict(self.acting_user)
        return qs.select_related("partner", "school")

    def _agreement(self, row: dict[str, str], year: SchoolYear | None) -> Agreement:
        wanted = _text(row, "agreement_id")
        if wanted:
            if not wanted.isdigit():
                raise ValueError(_("agreement_id %(value)r is not a number.") % {"value": wanted})
            found = self._agreements().filter(pk=int(wanted)).first()
            if found is None:
                raise ValueError(_("no agreement %(value)s that you may see.") % {"value": wanted})
            return found
        partner, school, title = _text(row, "partner"), _text(row, "school"), _text(row, "agreement")
        if not (partner and school and title):
            raise ValueError(_("give agreement_id, or partner, school and agreement (its title)."))
        candidates = list(self._agreements().filter(
            Q(school__cds_code=school) | Q(school__name__iexact=school),
            partner__name__iexact=partner, title__iexact=title))
        if len(candidates) > 1 and year is not None:
            candidates = [a for a in candidates
                          if a.start_date <= year.end_date and a.end_date >= year.start_date] or candidates
        if not candidates:
            raise ValueError(_("no agreement %(title)r of %(partner)s at %(school)s that you may see.")
                             % {"title": title, "partner": partner, "school": school})
        if len(candidates) > 1:
            raise ValueError(_("more than one agreement %(title)r of %(partner)s at %(school)s runs in that year; "
                               "use agreement_id.") % {"title": title, "partner": partner, "school": school})
        return candidates[0]

    # hooks -------------------------------------------------------------------------------------------
    def clean_row(self, row, number):
        problems: list[tuple[str, str]] = []
        year = self._years.get(_text(row, "school_year"))
        if year is None:
            problems.append(("school_year", _("unknown school year %(name)r (e.g. 2025-26).")
                             % {"name": _text(row, "school_year")}))
        agreement = None
        try:
            agreement = self._agreement(row, year)
        except ValueError as exc:
            problems.append(("agreement_id" if _text(row, "agreement_id") else "agreement", str(exc)))
        name = _text(row, "measure")
        if not name:
            problems.append(("measure", _("the measure's name is empty.")))
        elif len(name) > 200:
            problems.append(("measure", _("at most 200 characters.")))
        values: dict[str, Any] = {}
        parsers = {"kind": lambda t: parse_choice(t, MeasureKind), "unit": str, "higher_is_better": parse_bool,
                   "target": lambda t: parse_decimal(t, places=2), "actual": lambda t: parse_decimal(t, places=2),
                   "notes": str}
        for column, parse in parsers.items():
            text = _text(row, column)
            if not self.has_column(column) or (column in KEPT_WHEN_EMPTY and not text) or (
                    self._partner_user and column not in PARTNER_COLUMNS and not text):
                continue  # left out: the stored value stays
            try:
                values[column] = parse(text)
            except ValueError as exc:
                problems.append((column, str(exc)))
        if len(values.get("unit", "")) > 40:
            problems.append(("unit", _("at most 40 characters.")))
        if problems:
            raise RowInvalid(problems)
        existing = Measure.objects.filter(agreement=agreement, school_year=year, name__iexact=name).first()
        self._check_rights(agreement, existing, values, name, year)
        if existing is None and not values.get("kind"):
            raise RowInvalid([("kind", _("a new measure needs its kind: how_much, how_well or better_off."))])
        if existing is None:
            try:
                services._check_measure_year(agreement, year)
            except DomainError as exc:
                raise RowInvalid([("school_year", exc.message)]) from None
        return {"agreement": agreement, "school_year": year, "name": existing.name if existing else name,
                "existing": existing, "values": values}

    def _check_rights(self, agreement: Agreement, existing: Measure | None, values: dict, name: str,
                      year: SchoolYear) -> None:
        if self._staff:
            return
        if not self._partner_user:
            raise RowInvalid([("measure", _("only partnerships staff import measures."))])
        if existing is None:
            raise RowInvalid([("measure", _("no measure %(name)r for this agreement in %(year)s; partnerships "
                                            "staff add measures, you keep their actuals current.")
                               % {"name": name, "year": year.name})])
        changed = [c for c, v in values.items() if c not in PARTNER_COLUMNS and getattr(existing, c) != v]
        if changed:
            raise RowInvalid([(changed[0], _("you may update the actual and notes only; %(column)s is set by "
                                             "partnerships staff.") % {"column": changed[0]})])

    def natural_key(self, cleaned):
        return (cleaned["agreement"].pk, cleaned["school_year"].name, cleaned["name"].casefold())

    def describe(self, cleaned):
        a = cleaned["agreement"]
        return f"{a.partner.name} · {a.school.name} · {a.title} · {cleaned['school_year'].name} · {cleaned['name']}"

    def apply(self, cleaned: dict[str, Any]) -> str:
        existing: Measure | None = cleaned["existing"]
        values = dict(cleaned["values"])
        if self._partner_user:
            values = {k: v for k, v in values.items() if k in PARTNER_COLUMNS}
        try:
            if existing is not None:
                return write_changes(existing, values, acting_user=self.acting_user, update=lambda: (
                    services.measure_update(measure=existing, data=values, acting_user=self.acting_user)))
            data = {"school_year": cleaned["school_year"], "name": cleaned["name"], **values}
            if self.acting_user is None:
                save_clean(Measure(agreement=cleaned["agreement"], **data), acting_user=None, reason="import")
            else:
                services.measure_create(agreement=cleaned["agreement"], data=data, acting_user=self.acting_user)
        except NotPermitted as exc:
            raise RowInvalid([("measure", str(getattr(exc, "message", exc)))]) from None
        return CREATED


def export_measures(*, user=None, queryset=None) -> tuple[list[str], list[list]]:
    """The measures the user may see, in the import's columns (so an export re-imports unchanged)."""
    qs = queryset if queryset is not None else (
        Measure.objects.all() if user is None else Measure.objects.restrict(user, "view"))
    rows = [[m.agreement_id, m.agreement.partner.name, m.agreement.school.cds_code, m.agreement.title,
             m.school_year.name, m.name, m.kind, m.unit, "Y" if m.higher_is_better else "N",
             "" if m.target is None else m.target, "" if m.actual is None else m.actual, m.notes]
            for m in qs.select_related("agreement__partner", "agreement__school", "school_year").order_by(
                "agreement__partner__name", "agreement__school__name", "agreement__title",
                "school_year__start_date", "kind", "name")]
    return list(COLUMNS), rows


register_import_kind(ImportKind(
    "measures", gettext_lazy("Partner measures (Results-Based Accountability)"), MeasureImporter, order=130,
    exporter=export_measures,
    help_text=gettext_lazy(
        "One row per measure of an agreement in a school year: agreement_id (or partner, school and agreement "
        "title), school_year, measure, kind (how_much, how_well, better_off), unit, higher_is_better (Y/N), target, "
        "actual, notes. A row with the same agreement, year and measure name is updated. Partner users update "
        "the actual and notes of their own measures."),
))
