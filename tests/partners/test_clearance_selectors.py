"""The clearance selectors other parts rely on: the expiring table (CLI), partner summaries, person
clearance, and the scoped expiring list."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from equitable.partners.models import CampusApproval, ClearanceCheck
from equitable.partners.selectors import clearance as sel
from tests.partners.world import TODAY

pytestmark = pytest.mark.django_db


def test_expiring_table_lists_xp_insurance_and_yc_expired(world):
    headers, rows = sel.expiring_table(days=30, school=None, partner=None, on=TODAY)
    assert headers == ["partner", "person", "item", "expires_on", "days_left", "status", "schools"]
    assert rows == [
        ["Yellow Cab Counseling", "", "Insurance certificate", (TODAY - timedelta(days=35)).isoformat(), -35,
         "expired", world.p.school_b.name],
        ["Xochi Arts Project", "", "Insurance certificate", (TODAY + timedelta(days=25)).isoformat(), 25,
         "expiring", world.p.school_a.name],
    ]


def test_expiring_table_days_and_filters(world):
    _, rows = sel.expiring_table(days=10, school=None, partner=None, on=TODAY)
    assert [r[0] for r in rows] == ["Yellow Cab Counseling"]
    _, rows = sel.expiring_table(days=30, school=world.p.school_a.cds_code, partner=None, on=TODAY)
    assert [r[0] for r in rows] == ["Xochi Arts Project"]
    _, rows = sel.expiring_table(days=30, school=None, partner="yellow cab counseling", on=TODAY)
    assert [r[0] for r in rows] == ["Yellow Cab Counseling"]


def test_expiring_table_person_item_lists_approved_schools(world):
    # Ari's TB clearance expires in 2 years; looking 3 years ahead it is listed, with school A.
    _, rows = sel.expiring_table(days=3 * 365, school=None, partner="Xochi Arts Project", on=TODAY)
    tb = [r for r in rows if r[2] == "TB clearance" and r[1] == "Ari Artist"]
    assert tb and tb[0][6] == world.p.school_a.name and tb[0][5] == "expiring"


def test_expiring_table_person_awaiting_approval_lists_that_school_denied_does_not(world):
    # The counselor's request at school B awaits the principal: a lapse there would block it, so B is affected.
    _, rows = sel.expiring_table(days=5 * 365, school=None, partner="Yellow Cab Counseling", on=TODAY)
    tb = [r for r in rows if r[2] == "TB clearance" and r[1]]
    assert tb and tb[0][6] == world.p.school_b.name
    world.approval_counselor_b.status = "denied"
    world.approval_counselor_b.save()
    _, rows = sel.expiring_table(days=5 * 365, school=None, partner="Yellow Cab Counseling", on=TODAY)
    assert [r[6] for r in rows if r[2] == "TB clearance" and r[1]] == [""]


def test_expiring_table_a_renewed_item_is_not_listed(world):
    ClearanceCheck.objects.create(requirement=world.insurance, partner=world.yc, completed_on=TODAY,
                                  expires_on=TODAY + timedelta(days=365))
    _, rows = sel.expiring_table(days=30, school=None, partner=None, on=TODAY)
    assert [r[0] for r in rows] == ["Xochi Arts Project"]


@pytest.mark.parametrize("kwargs, message", [
    ({"school": "00000000000000"}, "No school with CDS code '00000000000000'."),
    ({"partner": "Nobody"}, "No partner organization named 'Nobody'."),
    ({"days": -1}, "The number of days must be between 0 and 3660."),
])
def test_expiring_table_bad_input(world, kwargs, message):
    args = {"days": 30, "school": None, "partner": None, "on": TODAY, **kwargs}
    with pytest.raises(sel.ExpiringInputError) as exc:
        sel.expiring_table(**args)
    assert str(exc.value) == message


def test_cli_expiring_csv(world):
    buf = io.StringIO()
    call_command("partners", "expiring", "--days", "30", "--format", "csv", stdout=buf)
    lines = buf.getvalue().strip().splitlines()
    assert lines[0] == "partner,person,item,expires_on,days_left,status,schools"
    assert lines[1].startswith("Yellow Cab Counseling,,Insurance certificate,") and ",-35,expired," in lines[1]
    assert lines[2].startswith("Xochi Arts Project,,Insurance certificate,") and ",25,expiring," in lines[2]
    assert len(lines) == 3


@pytest.mark.parametrize("args", [("--school", "99999999999999"), ("--partner", "Nobody"), ("--days", "-3"),
                                  ("--on", "yesterday")])
def test_cli_expiring_bad_input(world, args):
    with pytest.raises(CommandError) as exc:
        call_command("partners", "expiring", *args, "--format", "csv", stdout=io.StringIO())
    assert exc.value.returncode == 2


def test_partner_summary(world):
    summary = sel.partner_clearance_summary([world.xp.pk, world.yc.pk], on=TODAY)
    assert summary == {world.xp.pk: "expiring", world.yc.pk: "not cleared"}
    # After the insurance runs out, xp is not cleared either.
    assert sel.partner_clearance_summary([world.xp.pk], on=TODAY + timedelta(days=26)) == {
        world.xp.pk: "not cleared"}
    ClearanceCheck.objects.create(requirement=world.insurance, partner=world.xp, completed_on=TODAY,
                                  expires_on=TODAY + timedelta(days=365))
    assert sel.partner_clearance_summary([world.xp.pk], on=TODAY) == {world.xp.pk: "cleared"}


def test_partner_summary_counts_approved_people(world):
    ClearanceCheck.objects.create(requirement=world.insurance, partner=world.xp, completed_on=TODAY,
                                  expires_on=TODAY + timedelta(days=365))
    # Nico (Tier III, no fingerprints) approved at school B: xp is no longer cleared.
    CampusApproval.objects.create(person=world.xp_new, school=world.p.school_b, status="approved")
    assert sel.partner_clearance_summary([world.xp.pk], on=TODAY) == {world.xp.pk: "not cleared"}


def test_person_cleared(world):
    assert sel.person_cleared(world.xp_artist, world.p.school_a, on=TODAY)
    assert not sel.person_cleared(world.xp_artist, world.p.school_b, on=TODAY)  # never approved there
    assert not sel.person_cleared(world.yc_counselor, world.p.school_b, on=TODAY)  # pending; insurance expired
    status = sel.person_status(world.yc_counselor, world.p.school_b, on=TODAY)
    assert status.reason == f"Expired: Insurance certificate on {(TODAY - timedelta(days=35)).isoformat()}"
    # Past the insurance expiry, Ari is not cleared any more.
    assert not sel.person_cleared(world.xp_artist, world.p.school_a, on=TODAY + timedelta(days=26))


def test_required_tier_at_campus_raises_the_bar(world):
    world.approval_artist_a.required_tier = world.tier3
    world.approval_artist_a.save()
    status = sel.person_status(world.xp_artist, world.p.school_a, on=TODAY)
    assert not status.cleared and status.reason == "Missing: Fingerprinting"


def test_expiring_for_scopes(world):
    staff = sel.expiring_for(world.staff_partnerships, days=30, on=TODAY)
    assert {r.partner for r in staff} == {"Xochi Arts Project", "Yellow Cab Counseling"}
    assert {r.partner for r in sel.expiring_for(world.p.partner, days=30, on=TODAY)} == {"Xochi Arts Project"}
    assert {r.partner for r in sel.expiring_for(world.partner_b_user, days=30, on=TODAY)} == {
        "Yellow Cab Counseling"}
    assert {r.partner for r in sel.expiring_for(world.p.principal_a, days=30, on=TODAY)} == {"Xochi Arts Project"}
    assert {r.partner for r in sel.expiring_for(world.p.principal_b, days=30, on=TODAY)} == {
        "Yellow Cab Counseling"}
    assert sel.expiring_for(world.p.board, days=30, on=TODAY) == []
