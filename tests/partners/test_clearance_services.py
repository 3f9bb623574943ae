"""Clearance services: requirement sets, checks and campus approvals, with their rules and permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.partners.models import ClearanceRequirement, ClearanceTier
from equitable.partners.services import clearance as svc
from tests.partners.world import TODAY

pytestmark = pytest.mark.django_db


def test_requirement_and_tier_crud_by_staff(world):
    staff = world.staff_partnerships
    req = svc.requirement_create(data={"name": "Mandated reporter training", "applies_to": "person",
                                       "valid_days": 365}, acting_user=staff)
    tier = svc.tier_create(data={"name": "Tier IV", "rank": 4, "allows": "Overnight trips"},
                           requirements=[world.megan, req], acting_user=staff)
    assert set(tier.requirements.all()) == {world.megan, req}
    svc.tier_update(tier=tier, data={"allows": "Overnight trips; driving"}, requirements=[req], acting_user=staff)
    tier.refresh_from_db()
    assert tier.allows == "Overnight trips; driving" and list(tier.requirements.all()) == [req]
    svc.requirement_update(requirement=req, data={"valid_days": 730}, acting_user=staff)
    assert ClearanceRequirement.objects.get(pk=req.pk).valid_days == 730


def test_tier_rules(world):
    staff = world.staff_partnerships
    with pytest.raises(DomainError) as exc:
        svc.tier_create(data={"name": "Tier Z", "rank": 2}, acting_user=staff)
    assert exc.value.message == svc.RANK_TAKEN.format(rank=2) and exc.value.field == "rank"
    with pytest.raises(DomainError) as exc:
        svc.tier_update(tier=world.tier1, data={}, requirements=[world.insurance], acting_user=staff)
    assert exc.value.message == svc.ORG_ITEM_IN_TIER.format(name="Insurance certificate")
    assert not ClearanceTier.objects.filter(name="Tier Z").exists()


def test_requirement_rules(world):
    staff = world.staff_partnerships
    with pytest.raises(DomainError) as exc:
        svc.requirement_create(data={"name": "X", "applies_to": "person", "required_for_all_partners": True},
                               acting_user=staff)
    assert exc.value.message == svc.PERSON_ITEM_FOR_ALL
    with pytest.raises(DomainError) as exc:
        svc.requirement_update(requirement=world.tb, data={"applies_to": "organization"}, acting_user=staff)
    assert exc.value.message == svc.APPLIES_TO_HAS_CHECKS.format(name="TB clearance")
    lone = svc.requirement_create(data={"name": "Lone", "applies_to": "person"}, acting_user=staff)
    world.tier1.requirements.add(lone)
    with pytest.raises(DomainError) as exc:
        svc.requirement_update(requirement=lone, data={"applies_to": "organization"}, acting_user=staff)
    assert exc.value.message == svc.APPLIES_TO_IN_TIER.format(name="Lone")


@pytest.mark.parametrize("who", ["partner", "principal_a", "staff_ops", "board"])
def test_only_partnerships_staff_configure(world, who):
    user = getattr(world.p, who)
    with pytest.raises(NotPermitted):
        svc.requirement_create(data={"name": "Nope", "applies_to": "person"}, acting_user=user)
    with pytest.raises(NotPermitted):
        svc.tier_update(tier=world.tier1, data={"allows": "x"}, acting_user=user)


def test_check_expiry_is_computed_and_verification(world):
    check = svc.check_create(partner=world.xp, person=world.xp_new,
                             data={"requirement": world.tb, "completed_on": TODAY - timedelta(days=1)},
                             verified=True, acting_user=world.staff_partnerships)
    assert check.expires_on == TODAY - timedelta(days=1) + timedelta(days=4 * 365)
    assert check.verified_by == world.staff_partnerships
    # The partner's own entry is never verified; their change clears an earlier verification.
    mine = svc.check_create(partner=world.xp, person=world.xp_new,
                            data={"requirement": world.fingerprints, "completed_on": TODAY}, acting_user=world.p.partner)
    assert mine.verified_by is None and mine.expires_on is None
    svc.check_update(check=check, data={"reference": "TB-77"}, acting_user=world.p.partner)
    check.refresh_from_db()
    assert check.verified_by is None and check.reference == "TB-77"
    with pytest.raises(NotPermitted) as exc:
        svc.check_update(check=check, data={}, verified=True, acting_user=world.p.partner)
    assert exc.value.message == svc.ONLY_STAFF_VERIFY


@pytest.mark.parametrize("kwargs, message", [
    ({"person": "xp_new", "data": {"requirement": "tb", "completed_on": TODAY + timedelta(days=1)}},
     svc.COMPLETED_IN_FUTURE),
    ({"person": "xp_new", "data": {"requirement": "insurance", "completed_on": TODAY}},
     svc.ORG_ITEM_FOR_PERSON.format(name="Insurance certificate")),
    ({"person": None, "data": {"requirement": "tb", "completed_on": TODAY}},
     svc.PERSON_ITEM_FOR_ORG.format(name="TB clearance")),
    ({"person": "yc_counselor", "data": {"requirement": "tb", "completed_on": TODAY}},
     svc.PERSON_OF_OTHER_PARTNER.format(person="Cora Counselor", partner="Xochi Arts Project")),
    ({"person": None, "data": {"requirement": "insurance", "completed_on": TODAY,
                               "expires_on": TODAY - timedelta(days=1)}}, svc.EXPIRES_BEFORE_COMPLETED),
])
def test_check_rules(world, kwargs, message):
    person = getattr(world, kwargs["person"]) if kwargs["person"] else None
    data = {**kwargs["data"], "requirement": getattr(world, kwargs["data"]["requirement"])}
    with pytest.raises(DomainError) as exc:
        svc.check_create(partner=world.xp, person=person, data=data, acting_user=world.staff_partnerships)
    assert exc.value.message == message


def test_partner_user_cannot_add_to_another_org(world):
    with pytest.raises(NotPermitted):
        svc.check_create(partner=world.yc, person=world.yc_counselor,
                         data={"requirement": world.megan, "completed_on": TODAY}, acting_user=world.p.partner)
    yc_check = world.yc.checks.first()
    with pytest.raises(NotPermitted):
        svc.check_update(check=yc_check, data={"reference": "x"}, acting_user=world.p.partner)
    with pytest.raises(NotPermitted):
        svc.check_create(partner=world.xp, person=world.xp_new,
                         data={"requirement": world.megan, "completed_on": TODAY}, acting_user=world.p.principal_a)


def test_approval_request_rules(world):
    # xp has an open agreement at school A only.
    approval = svc.approval_request(person=world.xp_new, school=world.p.school_a, acting_user=world.p.partner)
    assert approval.status == "pending"
    with pytest.raises(DomainError) as exc:
        svc.approval_request(person=world.xp_new, school=world.p.school_a, acting_user=world.p.partner)
    assert exc.value.message.startswith("An approval for Nico Newhire at")
    with pytest.raises(DomainError) as exc:
        svc.approval_request(person=world.xp_new, school=world.p.school_b, acting_user=world.p.partner)
    assert exc.value.message == svc.NO_AGREEMENT.format(partner=world.xp, school=world.p.school_b)
    # Staff may override the agreement rule.
    svc.approval_request(person=world.xp_new, school=world.p.school_b, acting_user=world.staff_partnerships)
    with pytest.raises(DomainError) as exc:
        svc.approval_request(person=world.xp_contact, school=world.p.school_a, acting_user=world.staff_partnerships)
    assert exc.value.message == svc.NOT_ON_CAMPUS.format(person="Paz Portal")
    for user in (world.partner_b_user, world.p.principal_a, world.p.board):
        with pytest.raises(NotPermitted):
            svc.approval_request(person=world.xp_new, school=world.p.school_a, acting_user=user)


def test_approval_decide(world):
    approval = svc.approval_decide(approval=world.approval_counselor_b, status="approved", note="Welcome",
                                   required_tier=world.tier3, acting_user=world.p.principal_b)
    assert approval.status == "approved" and approval.decided_by == world.p.principal_b
    assert approval.required_tier == world.tier3 and approval.decided_on == TODAY
    with pytest.raises(NotPermitted):
        svc.approval_decide(approval=world.approval_artist_a, status="denied", acting_user=world.p.principal_b)
    for user in (world.p.partner, world.partner_b_user, world.p.director, world.p.board, world.p.staff_ops):
        with pytest.raises(NotPermitted):
            svc.approval_decide(approval=world.approval_counselor_b, status="denied", acting_user=user)
    with pytest.raises(DomainError) as exc:
        svc.approval_decide(approval=world.approval_artist_a, status="maybe", acting_user=world.p.principal_a)
    assert exc.value.message == svc.BAD_DECISION
    svc.approval_decide(approval=world.approval_artist_a, status="denied", acting_user=world.staff_partnerships)
