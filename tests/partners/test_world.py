"""The shared partner world builds, and scoping gives each persona what the module docstring promises."""

from __future__ import annotations

import pytest

from equitable.partners.models import Agreement, ClearanceCheck, Partner, PartnerPerson, SchoolNeed

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(str(o.pk) for o in qs)


def test_partner_user_sees_only_their_organization(world):
    user = world.p.partner
    assert list(Partner.objects.restrict(user)) == [world.xp]
    assert set(PartnerPerson.objects.restrict(user)) == {world.xp_contact, world.xp_artist, world.xp_new}
    assert {c.partner_id for c in ClearanceCheck.objects.restrict(user)} == {world.xp.pk}
    assert set(Agreement.objects.restrict(user)) == {world.agreement_a, world.agreement_a_prev}
    assert not Agreement.objects.restrict(user, "change").exists()
    assert not SchoolNeed.objects.restrict(user).exists()


def test_principal_sees_own_school_and_directory(world):
    user = world.p.principal_a
    assert set(Partner.objects.restrict(user)) == {world.xp, world.yc}
    assert set(Agreement.objects.restrict(user)) == {world.agreement_a, world.agreement_a_prev}
    assert set(SchoolNeed.objects.restrict(user)) == {world.need_a_arts, world.need_a_mental}
    # contacts of every partner, and the people working at school A
    assert set(PartnerPerson.objects.restrict(user)) == {world.xp_contact, world.xp_artist, world.yc_counselor}
    assert not Partner.objects.restrict(user, "change").exists()


def test_board_sees_no_partner_records(world):
    assert not Partner.objects.restrict(world.p.board).exists()
    assert not Agreement.objects.restrict(world.p.board).exists()


def test_partnerships_staff_edit_and_other_staff_read(world):
    assert Partner.objects.restrict(world.staff_partnerships, "change").count() == 2
    assert Partner.objects.restrict(world.p.staff_ops).count() == 2
    assert not Partner.objects.restrict(world.p.staff_ops, "change").exists()


@pytest.mark.parametrize("persona,target", [("partner", "/partners/portal/"), ("board", "/partners/relationships/"),
                                            ("principal_a", "/partners/directory/"),
                                            ("staff_ops", "/partners/directory/")])
def test_partners_start_page_sends_each_persona_to_their_place(world, client_as, persona, target):
    response = client_as(persona).get("/partners/")
    assert response.status_code == 302 and response["Location"] == target
