"""Imports and exports of the partner directory and of school needs: kinds "partners", "partner-people" and
"school-needs". Every importer reads the same columns its export writes, so an export re-imports unchanged.

Rows are parsed and resolved by natural key (partner by name, focus area by code or name, community by slug
or name, clearance tier by name, school by CDS code, school year by name) among the records the acting user
may see, checked against the user's permission to add or change that very record (`permits_add` / change
scope), then checked with the model's full_clean() before anything is written. A partner user naming another
organization gets a row error ("unknown partner") and nothing is written. Writes go through the directory
services; with no acting user (the CLI without --user) rows are written as "system" through the same checks.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equitable.core.exceptions import DomainError
from equitable.core.imports import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ImportKind,
    RowError,
    RowInvalid,
    parse_bool,
    parse_choice,
    parse_count,
    register_import_kind,
)
from equitable.core.permissions import can, role_of
from equitable.core.roles import Role
from equitable.core.services import save_clean
from equitable.network.importers import RegistryImporter
from equitable.network.models import Community, SchoolYear
from equitable.partners.models import (
    ClearanceTier,
    ContactRole,
    FocusArea,
    NeedsAssessment,
    Partner,
    PartnerKind,
    PartnerPerson,
    PartnerStatus,
    Priority,
    SchoolNeed,
)
from equitable.partners.scoping import partnerships_staff
from equitable.partners.services import directory as services

LIST_SEPARATOR = ";"
PRIORITY_WORDS = {"high": Priority.HIGH, "medium": Priority.MEDIUM, "low": Priority.LOW}
PRIORITY_NAMES = {value: word for word, value in PRIORITY_WORDS.items()}


def _text(row: dict[str, str], column: str) -> str:
    return (row.get(column) or "").strip()


def _items(text: str) -> list[str]:
    return [item.strip() for item in (text or "").split(LIST_SEPARATOR) if item.strip()]


def _yes_no(value: bool) -> str:
    return "Y" if value else "N"


def parse_priority(text: str) -> int | None:
    """high/medium/low (any case) or 1–3; "" → None."""
    value = (text or "").strip().casefold()
    if not value:
        return None
    if value in PRIORITY_WORDS:
        return int(PRIORITY_WORDS[value])
    if value in {"1", "2", "3"}:
        return int(value)
    raise ValueError(_("%(value)r is not a priority; write high, medium or low (or 1, 2, 3).") % {"value": text})


class DirectoryImporter(RegistryImporter):
    """Shared lookups of the partner importers."""

    def _not_permitted(self, what: str) -> RowInvalid:
        return RowInvalid([("", _("you may not %(what)s.") % {"what": what})])

    def _partners(self) -> dict[str, Partner]:
        if not hasattr(self, "_partner_map"):
            self._partner_map = {p.name.casefold(): p for p in self._lookup(Partner)}
        return self._partner_map

    def _focus_areas(self) -> dict[str, FocusArea]:
        if not hasattr(self, "_area_map"):
            found: dict[str, FocusArea] = {}
            for area in self._lookup(FocusArea):
                found[area.slug.casefold()] = area
                found[area.name.casefold()] = area
            self._area_map = found
        return self._area_map

    def _resolve_areas(self, problems: list, column: str, text: str) -> list[FocusArea]:
        areas, unknown = [], []
        for item in _items(text):
            area = self._focus_areas().get(item.casefold())
            if area is None:
                unknown.append(item)
            elif area not in areas:
                areas.append(area)
        if unknown:
            known = ", ".join(sorted({a.slug for a in self._focus_areas().values()})) or _("none yet")
            problems.append((column, _("unknown focus area(s) %(items)s; known codes: %(known)s.")
                             % {"items": ", ".join(unknown), "known": known}))
        return areas

    def _may_staff(self) -> bool:
        return self.acting_user is None or role_of(self.acting_user) == Role.ADMIN or partnerships_staff(
            self.acting_user, Partner)


# Partners --------------------------------------------------------------------------------------------------

PARTNER_TEXT = ("website", "email", "phone", "address", "zip_code")


class PartnerImporter(DirectoryImporter):
    name = "partners"
    required_columns = ("name",)
    optional_columns = ("type", "status", "focus_areas", "communities", "languages", "capacity_schools",
                        "capacity_students", "website", "email", "phone", "address", "zip_code", "description")
    strict_columns = True
    field_columns = {"kind": "type"}

    def _communities(self) -> dict[str, Community]:
        if not hasattr(self, "_community_map"):
            found: dict[str, Community] = {}
            for community in Community.objects.all():  # the communities served are not private
                found[community.slug.casefold()] = community
                found[community.name.casefold()] = community
            self._community_map = found
        return self._community_map

    def clean_row(self, row, number):
        problems: list[tuple[str, str]] = []
        has = self.has_column
        name = _text(row, "name")
        if not name:
            problems.append(("name", _("the partner's name is required.")))
        data: dict[str, Any] = {"name": name}
        if has("type"):
            kind = self._parse(problems, "type", parse_choice, _text(row, "type"), PartnerKind)
            if kind:
                data["kind"] = kind
        if has("status"):
            status = self._parse(problems, "status", parse_choice, _text(row, "status"), PartnerStatus)
            if status:
                data["status"] = status
        if has("languages"):
            try:
                data["languages"] = services.normalize_languages(_text(row, "languages"))
            except DomainError as exc:
                problems.append(("languages", exc.message))
        for column in ("capacity_schools", "capacity_students"):
            if has(column):
                data[column] = self._parse(problems, column, parse_count, _text(row, column))
        for column in (*PARTNER_TEXT, "description"):
            if has(column):
                data[column] = _text(row, column)
        areas = self._resolve_areas(problems, "focus_areas", _text(row, "focus_areas")) if has("focus_areas") \
            else None
        communities = None
        if has("communities"):
            communities, unknown = [], []
            for item in _items(_text(row, "communities")):
                community = self._communities().get(item.casefold())
                if community is None:
                    unknown.append(item)
                elif community not in communities:
                    communities.append(community)
            if unknown:
                known = ", ".join(sorted({c.slug for c in self._communities().values()})) or _("none yet")
                problems.append(("communities", _("unknown communit(y/ies) %(items)s; known: %(known)s.")
                                 % {"items": ", ".join(unknown), "known": known}))
        if problems:
            raise RowInvalid(problems)

        existing = self._partners().get(name.casefold())
        if existing is None:
            if self.acting_user is not None and not Partner.objects.all().permits_add(self.acting_user,
                                                                                      Partner(**data)):
                raise RowInvalid([("name", _("unknown partner %(name)r: you may add rows only for your own "
                                             "organization.") % {"name": name})]
                                 if role_of(self.acting_user) == Role.PARTNER else
                                 [("", _("you may not add partners."))])
            if "kind" not in data:
                raise RowInvalid([("type", _("give the type of a new partner (e.g. arts, health, after_school)."))])
            self._validate(Partner(**data), validate_unique=False)
            return {"key": name.casefold(), "partner": None, "data": data, "focus_areas": areas or [],
                    "communities": communities or []}

        if self.acting_user is not None and not can(self.acting_user, "change", existing):
            raise self._not_permitted(_("change %(name)s") % {"name": existing.name})
        data.pop("name")  # matched case-insensitively; the stored spelling stays
        changes = {k: v for k, v in data.items() if getattr(existing, k) != v}
        if "status" in changes and not self._may_staff():
            raise RowInvalid([("status", services.STATUS_BY_STAFF)])
        if changes:
            probe = Partner(**{f.attname: getattr(existing, f.attname) for f in Partner._meta.concrete_fields})
            for key, value in changes.items():
                setattr(probe, key, value)
            self._validate(probe, validate_unique=False)
        area_change = areas if areas is not None and {a.pk for a in areas} != set(
            existing.focus_areas.values_list("pk", flat=True)) else None
        community_change = communities if communities is not None and {c.pk for c in communities} != set(
            existing.communities.values_list("pk", flat=True)) else None
        return {"key": name.casefold(), "partner": existing, "changes": changes, "focus_areas": area_change,
                "communities": community_change}

    def natural_key(self, cleaned):
        return cleaned["key"]

    def describe(self, cleaned) -> str:
        return cleaned["partner"].name if cleaned["partner"] is not None else cleaned["data"]["name"]

    def apply(self, cleaned) -> str:
        partner = cleaned["partner"]
        if partner is None:
            if self.acting_user is None:
                partner = save_clean(Partner(**cleaned["data"]), acting_user=None)
                partner.focus_areas.set(cleaned["focus_areas"])
                partner.communities.set(cleaned["communities"])
            else:
                partner = services.partner_create(data=cleaned["data"], focus_areas=cleaned["focus_areas"],
                                                  communities=cleaned["communities"], acting_user=self.acting_user)
            self._partners()[partner.name.casefold()] = partner
            return CREATED
        changes, areas, communities = cleaned["changes"], cleaned["focus_areas"], cleaned["communities"]
        if not changes and areas is None and communities is None:
            return UNCHANGED
        if self.acting_user is None:
            for key, value in changes.items():
                setattr(partner, key, value)
            save_clean(partner, acting_user=None)
            if areas is not None:
                partner.focus_areas.set(areas)
            if communities is not None:
                partner.communities.set(communities)
        else:
            services.partner_update(partner=partner, data=changes, focus_areas=areas, communities=communities,
                                    acting_user=self.acting_user)
        return UPDATED


def export_partners(*, user=None, queryset=None) -> tuple[list[str], list[list]]:
    if queryset is None:
        queryset = Partner.objects.all() if user is None else Partner.objects.restrict(user, "view")
    rows = []
    for p in queryset.prefetch_related("focus_areas", "communities").order_by("name"):
        rows.append([
            p.name, p.kind, p.status, "; ".join(sorted(a.slug for a in p.focus_areas.all())),
            "; ".join(sorted(c.slug for c in p.communities.all())), p.languages, p.capacity_schools,
            p.capacity_students, p.website, p.email, p.phone, p.address, p.zip_code, p.description,
        ])
    return list(PartnerImporter.columns()), rows


# Partner people --------------------------------------------------------------------------------------------

PERSON_TEXT = ("email", "phone", "title")


class PartnerPeopleImporter(DirectoryImporter):
    name = "partner-people"
    required_columns = ("partner", "first_name", "last_name")
    optional_columns = ("email", "phone", "title", "contact_role", "primary_contact", "works_on_campus", "tier")
    strict_columns = True
    field_columns = {"is_primary_contact": "primary_contact", "partner": "partner"}

    def _tiers(self) -> dict[str, ClearanceTier]:
        if not hasattr(self, "_tier_map"):
            self._tier_map = {t.name.casefold(): t for t in self._lookup(ClearanceTier)}
        return self._tier_map

    def _people(self, partner: Partner) -> dict[tuple[str, str, str], PartnerPerson]:
        if not hasattr(self, "_people_map"):
            self._people_map: dict[int, dict] = {}
        if partner.pk not in self._people_map:
            self._people_map[partner.pk] = {
                (p.first_name.casefold(), p.last_name.casefold(), p.email.casefold()): p
                for p in self._lookup(PartnerPerson).filter(partner=partner).select_related("partner")
            }
        return self._people_map[partner.pk]

    def clean_row(self, row, number):
        problems: list[tuple[str, str]] = []
        has = self.has_column
        partner_name = _text(row, "partner")
        partner = self._partners().get(partner_name.casefold()) if partner_name else None
        if partner is None:
            problems.append(("partner", _("unknown partner %(name)r: name an organization in the directory that "
                                          "you may see.") % {"name": partner_name} if partner_name
                             else _("the partner's name is required.")))
        data: dict[str, Any] = {"first_name": _text(row, "first_name"), "last_name": _text(row, "last_name")}
        for column in PERSON_TEXT:
            if has(column):
                data[column] = _text(row, column)
        if has("contact_role"):
            data["contact_role"] = self._parse(problems, "contact_role", parse_choice, _text(row, "contact_role"),
                                               ContactRole) or ""
        for column, name in (("primary_contact", "is_primary_contact"), ("works_on_campus", "works_on_campus")):
            if has(column):
                data[name] = bool(self._parse(problems, column, parse_bool, _text(row, column)))
        if has("tier"):
            tier_name = _text(row, "tier")
            tier = self._tiers().get(tier_name.casefold()) if tier_name else None
            if tier_name and tier is None:
                known = ", ".join(t.name for t in self._tiers().values()) or _("none yet")
                problems.append(("tier", _("unknown clearance tier %(name)r; known tiers: %(known)s.")
                                 % {"name": tier_name, "known": known}))
            data["tier"] = tier
        if problems:
            raise RowInvalid(problems)

        key = (partner.pk, data["first_name"].casefold(), data["last_name"].casefold(),
               data.get("email", "").casefold())
        existing = self._people(partner).get(key[1:])
        if existing is None:
            probe = PartnerPerson(partner=partner, **data)
            if self.acting_user is not None and not PartnerPerson.objects.all().permits_add(self.acting_user, probe):
                raise self._not_permitted(_("add people to %(partner)s") % {"partner": partner.name})
            self._check(probe)
            self._validate(probe, validate_unique=False)
            return {"key": key, "person": None, "partner": partner, "data": data,
                    "primary": data.get("is_primary_contact", False)}
        if self.acting_user is not None and not can(self.acting_user, "change", existing):
            raise self._not_permitted(_("change %(person)s") % {"person": existing.full_name})
        changes = {k: v for k, v in data.items() if getattr(existing, k) != v}
        probe = PartnerPerson(**{f.attname: getattr(existing, f.attname) for f in PartnerPerson._meta.concrete_fields})
        for name, value in changes.items():
            setattr(probe, name, value)
        self._check(probe)
        self._validate(probe, validate_unique=False)
        return {"key": key, "person": existing, "partner": partner, "changes": changes,
                "primary": probe.is_primary_contact}

    @staticmethod
    def _check(person: PartnerPerson) -> None:
        if person.is_primary_contact and not person.contact_role:
            raise RowInvalid([("contact_role", services.PRIMARY_NEEDS_ROLE)])
        if person.tier_id and not person.works_on_campus:
            raise RowInvalid([("tier", services.TIER_NEEDS_CAMPUS)])

    def prepare(self, rows):
        errors, primaries = [], {}
        for number, cleaned in rows:
            if cleaned["primary"]:
                partner = cleaned["partner"]
                if partner.pk in primaries:
                    errors.append(RowError(number, "primary_contact", _(
                        "%(partner)s already has a primary contact in row %(row)d; an organization has one.")
                        % {"partner": partner.name, "row": primaries[partner.pk]}))
                else:
                    primaries[partner.pk] = number
        return errors

    def natural_key(self, cleaned):
        return cleaned["key"]

    def describe(self, cleaned) -> str:
        person = cleaned["person"]
        if person is not None:
            return f"{person.full_name} · {cleaned['partner'].name}"
        return f"{cleaned['data']['first_name']} {cleaned['data']['last_name']} · {cleaned['partner'].name}"

    def apply(self, cleaned) -> str:
        person, partner = cleaned["person"], cleaned["partner"]
        if person is None:
            if self.acting_user is None:
                created = save_clean(PartnerPerson(partner=partner, **cleaned["data"]), acting_user=None)
                services._one_primary(created, None)
            else:
                services.person_create(partner=partner, data=cleaned["data"], acting_user=self.acting_user)
            return CREATED
        changes = cleaned["changes"]
        if not changes:
            return UNCHANGED
        person.refresh_from_db()  # another row may have made them a plain contact
        if self.acting_user is None:
            for name, value in changes.items():
                setattr(person, name, value)
            save_clean(person, acting_user=None)
            services._one_primary(person, None)
        else:
            services.person_update(person=person, data=changes, acting_user=self.acting_user)
        return UPDATED


def export_partner_people(*, user=None, queryset=None) -> tuple[list[str], list[list]]:
    if queryset is None:
        queryset = PartnerPerson.objects.all() if user is None else PartnerPerson.objects.restrict(user, "view")
    rows = []
    for p in queryset.select_related("partner", "tier").order_by("partner__name", "last_name", "first_name", "email"):
        rows.append([p.partner.name, p.first_name, p.last_name, p.email, p.phone, p.title, p.contact_role,
                     _yes_no(p.is_primary_contact), _yes_no(p.works_on_campus), p.tier.name if p.tier else ""])
    return list(PartnerPeopleImporter.columns()), rows


# School needs ----------------------------------------------------------------------------------------------

class SchoolNeedsImporter(DirectoryImporter):
    name = "school-needs"
    required_columns = ("cds_code", "school_year", "focus_area", "priority")
    optional_columns = ("grades", "groups", "students", "evidence")
    strict_columns = True
    field_columns = {"school": "cds_code", "assessment": "cds_code", "students": "students"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._assessments: dict[tuple[int, int], NeedsAssessment] = {}

    def _years(self) -> dict[str, SchoolYear]:
        if not hasattr(self, "_year_map"):
            self._year_map = {y.name: y for y in SchoolYear.objects.all()}
        return self._year_map

    def clean_row(self, row, number):
        problems: list[tuple[str, str]] = []
        cds, year_name = _text(row, "cds_code"), _text(row, "school_year")
        school = self._school_map().get(cds)
        if school is None:
            problems.append(("cds_code", _("unknown school %(cds)s: give the CDS code of a school you may see.")
                             % {"cds": cds}))
        year = self._years().get(year_name)
        if year is None:
            known = ", ".join(sorted(self._years(), reverse=True)) or _("none yet")
            problems.append(("school_year", _("unknown school year %(year)r; known years: %(known)s.")
                             % {"year": year_name, "known": known}))
        area_text = _text(row, "focus_area")
        area = self._focus_areas().get(area_text.casefold()) if area_text else None
        if area is None:
            known = ", ".join(sorted({a.slug for a in self._focus_areas().values()})) or _("none yet")
            problems.append(("focus_area", _("unknown focus area %(item)r; known codes: %(known)s.")
                             % {"item": area_text, "known": known}))
        priority = self._parse(problems, "priority", parse_priority, _text(row, "priority"))
        if priority is None and not any(c == "priority" for c, _m in problems):
            problems.append(("priority", _("give the need's priority: high, medium or low.")))
        data: dict[str, Any] = {"priority": priority}
        for column in ("grades", "groups", "evidence"):
            if self.has_column(column):
                data[column] = _text(row, column)
        if self.has_column("students"):
            data["students"] = self._parse(problems, "students", parse_count, _text(row, "students"))
        if problems:
            raise RowInvalid(problems)

        key = (cds, year_name, area.slug)
        assessment = self._lookup(NeedsAssessment).filter(school=school, school_year=year).first()
        if assessment is None:
            probe = NeedsAssessment(school=school, school_year=year)
            if self.acting_user is not None and not NeedsAssessment.objects.all().permits_add(self.acting_user,
                                                                                             probe):
                raise self._not_permitted(_("add a needs assessment for %(school)s") % {"school": school.name})
            return {"key": key, "school": school, "year": year, "assessment": None, "need": None, "area": area,
                    "data": data}
        existing = self._lookup(SchoolNeed).filter(assessment=assessment, focus_area=area).first()
        if existing is None:
            probe = SchoolNeed(assessment=assessment, focus_area=area, **data)
            if self.acting_user is not None and not SchoolNeed.objects.all().permits_add(self.acting_user, probe):
                raise self._not_permitted(_("add needs to %(school)s's assessment") % {"school": school.name})
            self._validate(probe, validate_unique=False)
            return {"key": key, "school": school, "year": year, "assessment": assessment, "need": None,
                    "area": area, "data": data}
        if self.acting_user is not None and not can(self.acting_user, "change", existing):
            raise self._not_permitted(_("change %(school)s's needs") % {"school": school.name})
        changes = {k: v for k, v in data.items() if getattr(existing, k) != v}
        return {"key": key, "school": school, "year": year, "assessment": assessment, "need": existing,
                "area": area, "changes": changes}

    def natural_key(self, cleaned):
        return cleaned["key"]

    def describe(self, cleaned) -> str:
        return f"{cleaned['school'].name} · {cleaned['year'].name} · {cleaned['area'].name}"

    def _assessment_for(self, cleaned) -> tuple[NeedsAssessment, bool]:
        if cleaned["assessment"] is not None:
            return cleaned["assessment"], False
        slot = (cleaned["school"].pk, cleaned["year"].pk)
        if slot in self._assessments:
            return self._assessments[slot], False
        data = {"school": cleaned["school"], "school_year": cleaned["year"]}
        if self.acting_user is None:
            assessment = save_clean(NeedsAssessment(**data), acting_user=None)
        else:
            assessment = services.needs_assessment_create(data=data, acting_user=self.acting_user)
        self._assessments[slot] = assessment
        return assessment, True

    def apply(self, cleaned) -> str:
        need = cleaned["need"]
        if need is None:
            assessment, _new = self._assessment_for(cleaned)
            data = {"focus_area": cleaned["area"], **cleaned["data"]}
            if self.acting_user is None:
                save_clean(SchoolNeed(assessment=assessment, **data), acting_user=None)
            else:
                services.school_need_create(assessment=assessment, data=data, acting_user=self.acting_user)
            return CREATED
        if not cleaned["changes"]:
            return UNCHANGED
        if self.acting_user is None:
            for name, value in cleaned["changes"].items():
                setattr(need, name, value)
            save_clean(need, acting_user=None)
        else:
            services.school_need_update(need=need, data=cleaned["changes"], acting_user=self.acting_user)
        return UPDATED


def export_school_needs(*, user=None, queryset=None) -> tuple[list[str], list[list]]:
    if queryset is None:
        queryset = SchoolNeed.objects.all() if user is None else SchoolNeed.objects.restrict(user, "view")
    rows = []
    for n in queryset.select_related("assessment__school", "assessment__school_year", "focus_area").order_by(
            "assessment__school__cds_code", "assessment__school_year__name", "priority", "focus_area__slug"):
        rows.append([n.assessment.school.cds_code, n.assessment.school_year.name, n.focus_area.slug,
                     PRIORITY_NAMES[n.priority], n.grades, n.groups, n.students, n.evidence])
    return list(SchoolNeedsImporter.columns()), rows


register_import_kind(ImportKind(
    "partners", gettext_lazy("Community partners"), PartnerImporter, order=70, exporter=export_partners,
    help_text=gettext_lazy("One row per partner organization, found by name. type such as arts, health or "
                           "after_school; focus_areas as codes and communities as slugs or names, separated by "
                           "“;”; languages as comma-separated codes (en,es); capacity in schools and students."),
))
register_import_kind(ImportKind(
    "partner-people", gettext_lazy("Partner people and contacts"), PartnerPeopleImporter, order=71,
    exporter=export_partner_people,
    help_text=gettext_lazy("One row per person, found by partner, first and last name and email. contact_role "
                           "such as program or site; primary_contact and works_on_campus Y/N; tier by name "
                           "(e.g. Tier II) for people who work on campus."),
))
register_import_kind(ImportKind(
    "school-needs", gettext_lazy("School needs"), SchoolNeedsImporter, order=72, exporter=export_school_needs,
    help_text=gettext_lazy("One row per school, school year and focus area (cds_code, school_year such as 2025-26, "
                           "focus_area code, priority high/medium/low or 1–3). The needs assessment is created "
                           "when missing."),
))
