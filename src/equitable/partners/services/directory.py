"""Writes of the partner directory and of school needs: partner organizations, their people, the focus-area
taxonomy, needs assessments and their needs.

Every function is keyword-only and takes the acting user; permission comes from `restrict` / `permits_add`
(partnerships staff and admins edit the directory; a partner user edits their own organization's profile —
not its status — and its people; a principal edits their school's needs assessment). Rules of the directory
that the models cannot express (language codes, names that differ only in case, a primary contact with a
role, one primary contact per organization, a clearance tier only for people who work on campus) are checked
here with the messages below, which tests assert exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.core.services import (
    NOT_PERMITTED,
    create_record,
    delete_record,
    ensure_can,
    save_clean,
    update_record,
)
from equitable.partners.models import (
    LANGUAGE_CODES,
    FocusArea,
    NeedsAssessment,
    Partner,
    PartnerPerson,
    SchoolNeed,
)
from equitable.partners.scoping import partnerships_staff

BAD_LANGUAGES = "Unknown language code(s): {codes}. Use codes such as {known}."
DUPLICATE_PARTNER = "A partner named “{name}” is already in the directory."
DUPLICATE_FOCUS_AREA = "A focus area named “{name}” already exists."
STATUS_BY_STAFF = "Only partnerships staff change a partner's status."
PRIMARY_NEEDS_ROLE = "A primary contact must have a contact role."
TIER_NEEDS_CAMPUS = "A clearance tier is for people who work on campus: tick “works on campus” or clear the tier."
PERSON_STAYS = "A person stays with their organization; add them to the other organization instead."
DUPLICATE_PERSON = "{name} is already one of {partner}'s people with this email."
DUPLICATE_ASSESSMENT = "{school} already has a needs assessment for {year}."
ASSESSMENT_STAYS = "A needs assessment stays with its school and school year."
DUPLICATE_NEED = "This assessment already has a need for {focus_area}."
NEED_STAYS = "A need stays in its needs assessment."


# --- shared rules ------------------------------------------------------------------------------------------

def normalize_languages(value: str | Iterable[str] | None, *, field: str = "languages") -> str:
    """Comma-separated language codes, lower-cased, without spaces or repeats, in the order given.

    Raises DomainError naming every unknown code."""
    if value is None:
        return ""
    parts = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    codes = list(dict.fromkeys(code.strip().lower() for code in parts if code and code.strip()))
    unknown = [code for code in codes if code not in LANGUAGE_CODES]
    if unknown:
        raise DomainError(BAD_LANGUAGES.format(codes=", ".join(unknown), known=", ".join(sorted(LANGUAGE_CODES))),
                          field=field)
    return ",".join(codes)


def _clean_languages(data: dict[str, Any], field: str = "languages") -> dict[str, Any]:
    if field in data:
        data = {**data, field: normalize_languages(data[field], field=field)}
    return data


def _change(instance, data: dict[str, Any], write):
    """Set `data` on the instance and run `write()`; on a DomainError put the old values back, so a refused
    change leaves the caller's object as it was."""
    before = {name: getattr(instance, name) for name in data}
    for name, value in data.items():
        setattr(instance, name, value)
    try:
        return write()
    except DomainError:
        for name, value in before.items():
            setattr(instance, name, value)
        raise


def _is_partnerships_staff(user, model) -> bool:
    return role_of(user) == Role.ADMIN or partnerships_staff(user, model)


# --- Partners ----------------------------------------------------------------------------------------------

def _check_partner_name(name: str, *, exclude_pk: int | None = None) -> None:
    name = (name or "").strip()
    if not name:
        return  # full_clean says the name is required
    clash = Partner.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(DUPLICATE_PARTNER.format(name=name), field="name")


def _set_links(partner: Partner, focus_areas, communities) -> None:
    if focus_areas is not None:
        partner.focus_areas.set(list(focus_areas))
    if communities is not None:
        partner.communities.set(list(communities))


def partner_create(*, data: dict[str, Any], focus_areas: Iterable[FocusArea] = (), communities=(),
                   acting_user) -> Partner:
    """Add a partner organization (partnerships staff and admins)."""
    data = _clean_languages(dict(data))
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
    _check_partner_name(data.get("name", ""))
    with transaction.atomic():
        partner = create_record(Partner, data=data, acting_user=acting_user)
        _set_links(partner, focus_areas, communities)
    return partner


def partner_update(*, partner: Partner, data: dict[str, Any], focus_areas: Iterable[FocusArea] | None = None,
                   communities=None, acting_user) -> Partner:
    """Change a partner's profile. Partnerships staff change everything; a partner user changes their own
    organization's profile but not its status."""
    data = _clean_languages(dict(data))
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        _check_partner_name(data["name"], exclude_pk=partner.pk)
    with transaction.atomic():
        if _is_partnerships_staff(acting_user, Partner):
            partner = _change(partner, data, lambda: update_record(partner, data={}, acting_user=acting_user))
        else:
            ensure_can(acting_user, "change", partner)
            if "status" in data and data["status"] != partner.status:
                raise NotPermitted(STATUS_BY_STAFF)
            partner = _change(partner, data, lambda: save_clean(partner, acting_user=acting_user))
        _set_links(partner, focus_areas, communities)
    return partner


def partner_delete(*, partner: Partner, acting_user) -> None:
    delete_record(partner, acting_user=acting_user)


# --- People ------------------------------------------------------------------------------------------------

def _check_person(person: PartnerPerson) -> None:
    if person.is_primary_contact and not person.contact_role:
        raise DomainError(PRIMARY_NEEDS_ROLE, field="contact_role")
    if person.tier_id and not person.works_on_campus:
        raise DomainError(TIER_NEEDS_CAMPUS, field="tier")
    clash = PartnerPerson.objects.filter(
        partner_id=person.partner_id, first_name__iexact=person.first_name.strip(),
        last_name__iexact=person.last_name.strip(), email__iexact=person.email.strip())
    if person.pk:
        clash = clash.exclude(pk=person.pk)
    if person.partner_id and clash.exists():
        raise DomainError(DUPLICATE_PERSON.format(name=person.full_name, partner=person.partner), field="last_name")


def _one_primary(person: PartnerPerson, acting_user) -> None:
    """Only one primary contact per organization: naming a new one makes the previous one a plain contact."""
    if not person.is_primary_contact:
        return
    for other in PartnerPerson.objects.filter(partner_id=person.partner_id, is_primary_contact=True).exclude(
            pk=person.pk):
        other.is_primary_contact = False
        save_clean(other, acting_user=acting_user, reason="another person was made the primary contact")


def _strip_names(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.strip() if isinstance(v, str) and k in ("first_name", "last_name", "email") else v)
            for k, v in data.items()}


def person_create(*, partner: Partner, data: dict[str, Any], acting_user) -> PartnerPerson:
    """Add a person to a partner organization (partnerships staff; a partner user for their own organization)."""
    data = _strip_names({k: v for k, v in data.items() if k != "partner"})
    person = PartnerPerson(partner=partner, **data)
    if not PartnerPerson.objects.all().permits_add(acting_user, person):
        raise NotPermitted(NOT_PERMITTED.format(action="add", model=PartnerPerson._meta.verbose_name))
    _check_person(person)
    with transaction.atomic():
        person = save_clean(person, acting_user=acting_user)
        _one_primary(person, acting_user)
    return person


def person_update(*, person: PartnerPerson, data: dict[str, Any], acting_user) -> PartnerPerson:
    data = _strip_names(dict(data))
    new_partner = data.pop("partner", None)
    if new_partner is not None and new_partner.pk != person.partner_id:
        raise DomainError(PERSON_STAYS, field="partner")
    ensure_can(acting_user, "change", person)

    def write():
        _check_person(person)
        with transaction.atomic():
            saved = update_record(person, data={}, acting_user=acting_user)
            _one_primary(saved, acting_user)
        return saved

    return _change(person, data, write)


def person_delete(*, person: PartnerPerson, acting_user) -> None:
    delete_record(person, acting_user=acting_user)


# --- Focus areas -------------------------------------------------------------------------------------------

def _check_focus_area_name(name: str, *, exclude_pk: int | None = None) -> None:
    clash = FocusArea.objects.filter(name__iexact=(name or "").strip())
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if name and clash.exists():
        raise DomainError(DUPLICATE_FOCUS_AREA.format(name=name.strip()), field="name")


def focus_area_create(*, data: dict[str, Any], acting_user) -> FocusArea:
    _check_focus_area_name(data.get("name", ""))
    return create_record(FocusArea, data=data, acting_user=acting_user)


def focus_area_update(*, focus_area: FocusArea, data: dict[str, Any], acting_user) -> FocusArea:
    if "name" in data:
        _check_focus_area_name(data["name"], exclude_pk=focus_area.pk)
    return _change(focus_area, data, lambda: update_record(focus_area, data={}, acting_user=acting_user))


def focus_area_delete(*, focus_area: FocusArea, acting_user) -> None:
    delete_record(focus_area, acting_user=acting_user)


# --- Needs assessments and needs ---------------------------------------------------------------------------

def _check_assessment(assessment: NeedsAssessment) -> None:
    if not (assessment.school_id and assessment.school_year_id):
        return
    clash = NeedsAssessment.objects.filter(school_id=assessment.school_id, school_year_id=assessment.school_year_id)
    if assessment.pk:
        clash = clash.exclude(pk=assessment.pk)
    if clash.exists():
        raise DomainError(DUPLICATE_ASSESSMENT.format(school=assessment.school, year=assessment.school_year),
                          field="school_year")


def needs_assessment_create(*, data: dict[str, Any], acting_user) -> NeedsAssessment:
    """Add a school's needs assessment for a school year (partnerships staff; the school's principal)."""
    data = _clean_languages(dict(data))
    assessment = NeedsAssessment(**data)
    if not NeedsAssessment.objects.all().permits_add(acting_user, assessment):
        raise NotPermitted(NOT_PERMITTED.format(action="add", model=NeedsAssessment._meta.verbose_name))
    _check_assessment(assessment)
    return save_clean(assessment, acting_user=acting_user)


def needs_assessment_update(*, assessment: NeedsAssessment, data: dict[str, Any], acting_user) -> NeedsAssessment:
    data = _clean_languages(dict(data))
    for key, attr in (("school", "school_id"), ("school_year", "school_year_id")):
        if key in data and data[key] is not None and data[key].pk != getattr(assessment, attr):
            raise DomainError(ASSESSMENT_STAYS, field=key)
        data.pop(key, None)
    return _change(assessment, data, lambda: update_record(assessment, data={}, acting_user=acting_user))


def needs_assessment_delete(*, assessment: NeedsAssessment, acting_user) -> None:
    delete_record(assessment, acting_user=acting_user)


def _check_need(need: SchoolNeed) -> None:
    if not (need.assessment_id and need.focus_area_id):
        return
    clash = SchoolNeed.objects.filter(assessment_id=need.assessment_id, focus_area_id=need.focus_area_id)
    if need.pk:
        clash = clash.exclude(pk=need.pk)
    if clash.exists():
        raise DomainError(DUPLICATE_NEED.format(focus_area=need.focus_area), field="focus_area")


def school_need_create(*, assessment: NeedsAssessment, data: dict[str, Any], acting_user) -> SchoolNeed:
    """Add a need to an assessment (partnerships staff; the school's principal)."""
    need = SchoolNeed(assessment=assessment, **{k: v for k, v in data.items() if k != "assessment"})
    if not SchoolNeed.objects.all().permits_add(acting_user, need):
        raise NotPermitted(NOT_PERMITTED.format(action="add", model=SchoolNeed._meta.verbose_name))
    _check_need(need)
    return save_clean(need, acting_user=acting_user)


def school_need_update(*, need: SchoolNeed, data: dict[str, Any], acting_user) -> SchoolNeed:
    data = dict(data)
    moved = data.pop("assessment", None)
    if moved is not None and moved.pk != need.assessment_id:
        raise DomainError(NEED_STAYS, field="assessment")
    ensure_can(acting_user, "change", need)

    def write():
        _check_need(need)
        return update_record(need, data={}, acting_user=acting_user)

    return _change(need, data, write)


def school_need_delete(*, need: SchoolNeed, acting_user) -> None:
    delete_record(need, acting_user=acting_user)
