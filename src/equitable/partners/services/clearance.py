"""Writes to campus clearance: requirement sets (requirements and tiers), dated checks, campus approvals.

- Requirements and tiers: partnerships staff and admins (the scoping of `ReferenceQuerySet`).
- Checks: partnerships staff for every partner; a partner user for their own organization. The expiry is
  computed from the requirement's `valid_days` when not given; a partner user's entry is never marked
  verified (and changing a check clears an earlier verification), staff may mark it verified.
- Campus approvals: a partner user (their own people) or partnerships staff asks; the school's principal,
  an admin or partnerships staff decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.core.services import (
    NOT_PERMITTED,
    delete_record,
    ensure_can,
    ensure_can_add,
    save_clean,
    update_record,
)
from equitable.partners.models import (
    AgreementStatus,
    AppliesTo,
    ApprovalStatus,
    CampusApproval,
    ClearanceCheck,
    ClearanceRequirement,
    ClearanceTier,
    Partner,
    PartnerPerson,
)
from equitable.partners.scoping import partner_ids_for, partnerships_staff

__all__ = [
    "requirement_create", "requirement_update", "tier_create", "tier_update", "check_create", "check_update",
    "check_delete", "approval_request", "approval_decide", "expiry_for",
]

RANK_TAKEN = "Another tier already has rank {rank}."
ORG_ITEM_IN_TIER = "“{name}” is an organization item; a tier lists only items for people."
PERSON_ITEM_FOR_ALL = "Only organization items can be required of every partner."
APPLIES_TO_IN_TIER = "“{name}” is part of a tier; remove it from the tiers before making it an organization item."
APPLIES_TO_HAS_CHECKS = "“{name}” already has checks; what it applies to cannot change."
COMPLETED_IN_FUTURE = "A check cannot be completed in the future."
EXPIRES_BEFORE_COMPLETED = "A check cannot expire before it was completed."
ORG_ITEM_FOR_PERSON = "“{name}” is an organization item; it cannot be attached to a person."
PERSON_ITEM_FOR_ORG = "“{name}” is a person item; say whose check it is."
PERSON_OF_OTHER_PARTNER = "{person} is not a person of {partner}."
ONLY_STAFF_VERIFY = "Only partnerships staff can mark a check verified."
NOT_ON_CAMPUS = "{person} does not work on campus; mark them as working on campus first."
NO_AGREEMENT = "{partner} has no open agreement with {school}; ask partnerships staff."
ALREADY_REQUESTED = "An approval for {person} at {school} already exists ({status})."
BAD_DECISION = "A decision is “approved” or “denied”."
PERSON_ITEM_TIER = "A tier required at a campus must be a clearance tier."

OPEN_AGREEMENTS = (AgreementStatus.DRAFT, AgreementStatus.PENDING, AgreementStatus.ACTIVE)

REQUIREMENT_FIELDS = ("name", "applies_to", "valid_days", "required_for_all_partners", "description")
TIER_FIELDS = ("name", "rank", "allows", "description")
CHECK_FIELDS = ("requirement", "completed_on", "expires_on", "reference")


def _only(data: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in fields}


def _is_staff(user, model) -> bool:
    return role_of(user) == Role.ADMIN or partnerships_staff(user, model)


# --- requirements and tiers -------------------------------------------------------------------------------


def _check_requirement(req: ClearanceRequirement) -> None:
    if req.applies_to == AppliesTo.PERSON and req.required_for_all_partners:
        raise DomainError(PERSON_ITEM_FOR_ALL, field="required_for_all_partners")
    if req.pk:
        before = ClearanceRequirement.objects.get(pk=req.pk)
        if before.applies_to != req.applies_to:
            if req.checks.exists():
                raise DomainError(APPLIES_TO_HAS_CHECKS.format(name=before.name), field="applies_to")
            if req.applies_to == AppliesTo.ORGANIZATION and req.tiers.exists():
                raise DomainError(APPLIES_TO_IN_TIER.format(name=before.name), field="applies_to")


def requirement_create(*, data: dict[str, Any], acting_user) -> ClearanceRequirement:
    req = ClearanceRequirement(**_only(data, REQUIREMENT_FIELDS))
    ensure_can_add(acting_user, ClearanceRequirement, req)
    _check_requirement(req)
    return save_clean(req, acting_user=acting_user)


def requirement_update(*, requirement: ClearanceRequirement, data: dict[str, Any],
                       acting_user) -> ClearanceRequirement:
    ensure_can(acting_user, "change", requirement)
    for name, value in _only(data, REQUIREMENT_FIELDS).items():
        setattr(requirement, name, value)
    _check_requirement(requirement)
    return save_clean(requirement, acting_user=acting_user)


def _check_tier(tier: ClearanceTier, requirements) -> None:
    if tier.rank is not None and ClearanceTier.objects.filter(rank=tier.rank).exclude(pk=tier.pk).exists():
        raise DomainError(RANK_TAKEN.format(rank=tier.rank), field="rank")
    for req in requirements or ():
        if req.applies_to != AppliesTo.PERSON:
            raise DomainError(ORG_ITEM_IN_TIER.format(name=req.name), field="requirements")


def tier_create(*, data: dict[str, Any], requirements: Iterable[ClearanceRequirement] = (),
                acting_user) -> ClearanceTier:
    requirements = list(requirements)
    tier = ClearanceTier(**_only(data, TIER_FIELDS))
    ensure_can_add(acting_user, ClearanceTier, tier)
    _check_tier(tier, requirements)
    with transaction.atomic():
        save_clean(tier, acting_user=acting_user)
        tier.requirements.set(requirements)
    return tier


def tier_update(*, tier: ClearanceTier, data: dict[str, Any],
                requirements: Iterable[ClearanceRequirement] | None = None, acting_user) -> ClearanceTier:
    ensure_can(acting_user, "change", tier)
    requirements = None if requirements is None else list(requirements)
    for name, value in _only(data, TIER_FIELDS).items():
        setattr(tier, name, value)
    _check_tier(tier, requirements)
    with transaction.atomic():
        save_clean(tier, acting_user=acting_user)
        if requirements is not None:
            tier.requirements.set(requirements)
    return tier


# --- checks -----------------------------------------------------------------------------------------------


def expiry_for(requirement: ClearanceRequirement, completed_on: date | None, expires_on: date | None) -> date | None:
    """The expiry a check gets: the one given, else completion + the requirement's valid days, else none."""
    if expires_on is not None or completed_on is None or requirement.valid_days is None:
        return expires_on
    return completed_on + timedelta(days=requirement.valid_days)


def _check_check(check: ClearanceCheck, *, today: date) -> None:
    req = check.requirement
    if check.completed_on and check.completed_on > today:
        raise DomainError(COMPLETED_IN_FUTURE, field="completed_on")
    if req.applies_to == AppliesTo.ORGANIZATION and check.person_id:
        raise DomainError(ORG_ITEM_FOR_PERSON.format(name=req.name), field="requirement")
    if req.applies_to == AppliesTo.PERSON and not check.person_id:
        raise DomainError(PERSON_ITEM_FOR_ORG.format(name=req.name), field="person")
    if check.person_id and check.person.partner_id != check.partner_id:
        raise DomainError(PERSON_OF_OTHER_PARTNER.format(person=check.person.full_name, partner=check.partner),
                          field="person")
    check.expires_on = expiry_for(req, check.completed_on, check.expires_on)
    if check.expires_on and check.completed_on and check.expires_on < check.completed_on:
        raise DomainError(EXPIRES_BEFORE_COMPLETED, field="expires_on")


def _verification(check: ClearanceCheck, verified: bool | None, acting_user, *, changed: bool) -> None:
    staff = _is_staff(acting_user, ClearanceCheck)
    if verified and not staff:
        raise NotPermitted(ONLY_STAFF_VERIFY)
    if not staff:
        if changed:
            check.verified_by = None  # a partner's own change is not verified until staff look again
    elif verified is True:
        check.verified_by = acting_user
    elif verified is False:
        check.verified_by = None


def check_create(*, partner: Partner, person: PartnerPerson | None = None, data: dict[str, Any],
                 verified: bool = False, acting_user, today: date | None = None) -> ClearanceCheck:
    """Record a dated check of one requirement for a person (of `partner`) or for the organization."""
    check = ClearanceCheck(partner=partner, person=person, **_only(data, CHECK_FIELDS))
    if check.requirement_id is None:
        raise DomainError("Say which requirement was checked.", field="requirement")
    ensure_can_add(acting_user, ClearanceCheck, check)
    _check_check(check, today=today or date.today())
    _verification(check, verified, acting_user, changed=True)
    return save_clean(check, acting_user=acting_user)


def check_update(*, check: ClearanceCheck, data: dict[str, Any], verified: bool | None = None,
                 acting_user, today: date | None = None) -> ClearanceCheck:
    """Change a check (its partner stays; a person item may move to another person of the same partner)."""
    ensure_can(acting_user, "change", check)
    data = dict(data)
    if "person" in data:
        check.person = data.pop("person")
    before = {f: getattr(check, f) for f in ("requirement_id", "completed_on", "expires_on", "reference", "person_id")}
    changes = _only(data, CHECK_FIELDS)
    if "completed_on" in changes and "expires_on" not in changes:
        changes["expires_on"] = None  # recompute from the new completion date
    for name, value in changes.items():
        setattr(check, name, value)
    _check_check(check, today=today or date.today())
    after = {f: getattr(check, f) for f in before}
    _verification(check, verified, acting_user, changed=after != before)
    if not ClearanceCheck.objects.all().permits_add(acting_user, check):
        raise NotPermitted(NOT_PERMITTED.format(action="change", model=ClearanceCheck._meta.verbose_name))
    return save_clean(check, acting_user=acting_user)


def check_delete(*, check: ClearanceCheck, acting_user) -> None:
    delete_record(check, acting_user=acting_user)


# --- campus approvals -------------------------------------------------------------------------------------


def approval_request(*, person: PartnerPerson, school, note: str = "", acting_user) -> CampusApproval:
    """Ask the school's principal to approve a person on campus. A partner user asks for their own people
    at schools where their organization has an open agreement; partnerships staff for anyone anywhere."""
    staff = _is_staff(acting_user, CampusApproval)
    mine = role_of(acting_user) == Role.PARTNER and person.partner_id in partner_ids_for(acting_user)
    if not (staff or mine):
        raise NotPermitted(NOT_PERMITTED.format(action="add", model=CampusApproval._meta.verbose_name))
    if not person.works_on_campus:
        raise DomainError(NOT_ON_CAMPUS.format(person=person.full_name), field="person")
    if not staff and not person.partner.agreements.filter(school=school, status__in=OPEN_AGREEMENTS).exists():
        raise DomainError(NO_AGREEMENT.format(partner=person.partner, school=school), field="school")
    existing = CampusApproval.objects.filter(person=person, school=school).first()
    if existing is not None:
        raise DomainError(ALREADY_REQUESTED.format(person=person.full_name, school=school,
                                                   status=existing.get_status_display()), field="school")
    approval = CampusApproval(person=person, school=school, status=ApprovalStatus.PENDING, note=note)
    return save_clean(approval, acting_user=acting_user, reason="requested")


def approval_decide(*, approval: CampusApproval, status: str, note: str = "",
                    required_tier: ClearanceTier | None = None, acting_user,
                    today: date | None = None) -> CampusApproval:
    """The principal (or an admin or partnerships staff) approves or denies, with a note and optionally a
    tier required at this campus."""
    if status not in (ApprovalStatus.APPROVED, ApprovalStatus.DENIED):
        raise DomainError(BAD_DECISION, field="status")
    if required_tier is not None and not isinstance(required_tier, ClearanceTier):
        raise DomainError(PERSON_ITEM_TIER, field="required_tier")
    return update_record(approval, data={
        "status": status, "note": note, "required_tier": required_tier, "decided_by": acting_user,
        "decided_on": today or date.today()}, acting_user=acting_user, reason=str(status))
