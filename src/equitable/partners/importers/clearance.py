"""Import and export of clearance checks: kind "clearance-checks" (CSV or XLSX, all or nothing, dry run).

Columns: partner (name), person (full name or email; empty for an organization item), requirement (name),
completed_on, expires_on (empty: counted from the requirement's valid days, or no expiry), reference. Rows
are upserted by partner + person + requirement + completed_on. Each row is resolved among the records the
acting user may see and must pass `permits_add` for that user, so a partner user cannot import another
organization's rows (the partner portal's upload relies on this). The same rules as the forms apply (no
completion in the future, organization items without a person, the person of that partner). With no acting
user (the CLI without --user) rows are written as "system" through the same rules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equitable.core.exceptions import DomainError
from equitable.core.imports import (
    CREATED,
    Importer,
    ImportKind,
    RowInvalid,
    parse_date,
    register_import_kind,
    write_changes,
)
from equitable.core.services import save_clean
from equitable.partners.models import ClearanceCheck, ClearanceRequirement, Partner, PartnerPerson
from equitable.partners.services import clearance as services

COLUMNS = ("partner", "person", "requirement", "completed_on", "expires_on", "reference")


def _text(row: dict[str, str], column: str) -> str:
    return (row.get(column) or "").strip()


class ClearanceCheckImporter(Importer):
    name = "clearance-checks"
    required_columns = ("partner", "person", "requirement", "completed_on")
    optional_columns = ("expires_on", "reference")
    strict_columns = True
    field_columns = {"partner": "partner", "person": "person", "requirement": "requirement",
                     "completed_on": "completed_on", "expires_on": "expires_on", "reference": "reference"}

    def __init__(self, *, today: date | None = None, **kwargs):
        super().__init__(**kwargs)
        self.today = today or date.today()
        self._partners: dict[str, Partner] | None = None
        self._requirements: dict[str, ClearanceRequirement] | None = None

    # lookups -----------------------------------------------------------------------------------------
    def _partner_map(self) -> dict[str, Partner]:
        if self._partners is None:
            qs = Partner.objects.all() if self.acting_user is None else Partner.objects.restrict(self.acting_user)
            self._partners = {p.name.casefold(): p for p in qs}
        return self._partners

    def _requirement_map(self) -> dict[str, ClearanceRequirement]:
        if self._requirements is None:
            self._requirements = {r.name.casefold(): r for r in ClearanceRequirement.objects.all()}
        return self._requirements

    def _person(self, partner: Partner, text: str) -> PartnerPerson | None:
        people = PartnerPerson.objects.filter(partner=partner)
        if self.acting_user is not None:
            people = people & PartnerPerson.objects.restrict(self.acting_user, "view")
        if "@" in text:
            found = list(people.filter(email__iexact=text))
        else:
            parts = text.split(None, 1)
            found = [] if len(parts) < 2 else list(people.filter(
                Q(first_name__iexact=parts[0], last_name__iexact=parts[1])))
            if not found:
                found = [p for p in people if p.full_name.casefold() == text.casefold()]
        if len(found) > 1:
            raise ValueError(_("more than one person of %(partner)s is called %(name)r; use their email.")
                             % {"partner": partner.name, "name": text})
        if not found:
            raise ValueError(_("no person %(name)r at %(partner)s.") % {"name": text, "partner": partner.name})
        return found[0]

    # hooks -------------------------------------------------------------------------------------------
    def clean_row(self, row, number):
        problems: list[tuple[str, str]] = []
        partner = self._partner_map().get(_text(row, "partner").casefold())
        if not _text(row, "partner"):
            problems.append(("partner", _("the partner is empty.")))
        elif partner is None:
            problems.append(("partner", _("unknown partner %(name)r.") % {"name": _text(row, "partner")}))
        requirement = self._requirement_map().get(_text(row, "requirement").casefold())
        if requirement is None:
            problems.append(("requirement", _("unknown requirement %(name)r.") % {"name": _text(row, "requirement")}))
        person = None
        if partner is not None and _text(row, "person"):
            try:
                person = self._person(partner, _text(row, "person"))
            except ValueError as exc:
                problems.append(("person", str(exc)))
        dates = {}
        for column in ("completed_on", "expires_on"):
            try:
                dates[column] = parse_date(_text(row, column))
            except ValueError as exc:
                problems.append((column, str(exc)))
        if "completed_on" in dates and dates["completed_on"] is None:
            problems.append(("completed_on", _("the completion date is empty.")))
        reference = _text(row, "reference")
        if len(reference) > 100:
            problems.append(("reference", _("at most 100 characters.")))
        if problems:
            raise RowInvalid(problems)
        check = ClearanceCheck(partner=partner, person=person, requirement=requirement,
                               completed_on=dates["completed_on"], expires_on=dates.get("expires_on"),
                               reference=reference)
        if self.acting_user is not None and not ClearanceCheck.objects.all().permits_add(self.acting_user, check):
            raise RowInvalid([("partner", _("you may not add clearance checks for %(partner)s.")
                               % {"partner": partner.name})])
        try:
            services._check_check(check, today=self.today)
        except DomainError as exc:
            raise RowInvalid([(self.column_for(exc.field), exc.message)]) from None
        return {"partner": partner, "person": person, "requirement": requirement,
                "completed_on": check.completed_on, "expires_on": check.expires_on, "reference": reference}

    def natural_key(self, cleaned):
        person = cleaned["person"]
        return (cleaned["partner"].name, person.full_name if person else "", cleaned["requirement"].name,
                cleaned["completed_on"].isoformat())

    def apply(self, cleaned: dict[str, Any]) -> str:
        existing = ClearanceCheck.objects.filter(
            partner=cleaned["partner"], person=cleaned["person"], requirement=cleaned["requirement"],
            completed_on=cleaned["completed_on"]).first()
        data = {"expires_on": cleaned["expires_on"], "reference": cleaned["reference"]}
        if existing is not None:
            return write_changes(existing, data, acting_user=self.acting_user, update=lambda: services.check_update(
                check=existing, data=data, acting_user=self.acting_user, today=self.today))
        if self.acting_user is None:
            save_clean(ClearanceCheck(**cleaned), acting_user=None, reason="import")
        else:
            services.check_create(partner=cleaned["partner"], person=cleaned["person"], data={
                "requirement": cleaned["requirement"], "completed_on": cleaned["completed_on"], **data},
                acting_user=self.acting_user, today=self.today)
        return CREATED


def export_checks(*, user=None, queryset=None) -> tuple[list[str], list[list]]:
    """The checks the user may see, in the import's columns (so an export re-imports unchanged)."""
    qs = queryset if queryset is not None else (
        ClearanceCheck.objects.all() if user is None else ClearanceCheck.objects.restrict(user, "view"))
    rows = [[c.partner.name, c.person.email or c.person.full_name if c.person_id else "", c.requirement.name,
             c.completed_on.isoformat(), c.expires_on.isoformat() if c.expires_on else "", c.reference]
            for c in qs.select_related("partner", "person", "requirement").order_by(
                "partner__name", "person__last_name", "requirement__name", "completed_on")]
    return list(COLUMNS), rows


register_import_kind(ImportKind(
    "clearance-checks", gettext_lazy("Clearance checks"), ClearanceCheckImporter, order=120, exporter=export_checks,
    help_text=gettext_lazy(
        "One row per dated check: partner (name), person (full name or email; empty for an organization item "
        "such as insurance), requirement (name), completed_on, expires_on (empty: counted from the requirement's "
        "validity), reference. A row with the same partner, person, requirement and completion date is updated."),
))
