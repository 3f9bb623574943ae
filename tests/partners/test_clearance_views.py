"""Clearance pages for each persona who may and may not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from equitable.partners.models import CampusApproval, ClearanceCheck, ClearanceRequirement, ClearanceTier
from tests.partners.world import TODAY

pytestmark = pytest.mark.django_db

READERS = ["admin", "staff_partnerships", "staff_ops", "principal_a", "principal_b", "director", "partner",
           "partner_b"]


@pytest.mark.parametrize("name", ["clearance", "expiring", "requirement_list", "tier_list", "approval_list"])
def test_pages_open_for_readers_and_not_board(world, client_as, name):
    url = reverse(f"partners:{name}")
    for who in READERS:
        assert client_as(who).get(url).status_code == 200, who
    assert client_as("board").get(url).status_code == 403


def test_overview_per_persona(world, client_as):
    page = client_as("staff_partnerships").get(reverse("partners:clearance")).content.decode()
    assert "Xochi Arts Project" in page and "Yellow Cab Counseling" in page
    assert "Ari Artist" in page and "Cora Counselor" in page
    partner = client_as("partner").get(reverse("partners:clearance")).content.decode()
    assert "Xochi Arts Project" in partner and "Yellow Cab" not in partner and "Cora" not in partner
    principal_a = client_as("principal_a").get(reverse("partners:clearance")).content.decode()
    assert "Ari Artist" in principal_a and "Cora" not in principal_a and "Nico" not in principal_a
    principal_b = client_as("principal_b").get(reverse("partners:clearance")).content.decode()
    assert "Cora Counselor" in principal_b and "Ari" not in principal_b


def test_partner_page_scoping(world, client_as):
    xp = reverse("partners:clearance_partner", args=[world.xp.pk])
    yc = reverse("partners:clearance_partner", args=[world.yc.pk])
    body = client_as("partner").get(xp).content.decode()
    assert "Insurance certificate" in body and "expiring" in body and "Nico Newhire" in body
    assert client_as("partner").get(yc).status_code == 404
    assert client_as("partner_b").get(xp).status_code == 404
    assert client_as("staff_ops").get(yc).status_code == 200
    assert client_as("principal_b").get(yc).status_code == 200
    assert client_as("principal_b").get(xp).status_code == 404
    assert client_as("board").get(xp).status_code == 403


def test_expiring_page_and_export(world, client_as):
    body = client_as("staff_partnerships").get(reverse("partners:expiring")).content.decode()
    assert "Yellow Cab Counseling" in body and "Xochi Arts Project" in body
    csv = client_as("staff_partnerships").get(reverse("partners:expiring") + "?days=30&export=csv").content.decode()
    lines = csv.strip().splitlines()
    assert lines[0].strip() == "partner,person,item,expires_on,days_left,status,schools"
    assert "Yellow Cab Counseling" in lines[1] and "Xochi Arts Project" in lines[2]
    short = client_as("staff_partnerships").get(reverse("partners:expiring") + "?days=10&export=csv")
    assert "Xochi Arts Project" not in short.content.decode()
    by_school = client_as("staff_partnerships").get(
        reverse("partners:expiring") + f"?school={world.p.school_a.pk}&export=csv").content.decode()
    assert "Xochi Arts Project" in by_school and "Yellow Cab" not in by_school
    by_partner = client_as("staff_partnerships").get(
        reverse("partners:expiring") + f"?partner={world.yc.pk}&export=csv").content.decode()
    assert "Xochi Arts Project" not in by_partner and "Yellow Cab" in by_partner
    partner = client_as("partner").get(reverse("partners:expiring") + "?export=csv").content.decode()
    assert "Xochi" in partner and "Yellow Cab" not in partner
    principal_b = client_as("principal_b").get(reverse("partners:expiring") + "?export=csv").content.decode()
    assert "Yellow Cab" in principal_b and "Xochi" not in principal_b
    assert client_as("staff_partnerships").get(reverse("partners:expiring") + "?days=-4").status_code == 400
    assert client_as("board").get(reverse("partners:expiring") + "?export=csv").status_code == 403


def test_requirement_and_tier_pages(world, client_as):
    staff = client_as("staff_partnerships")
    response = staff.post(reverse("partners:requirement_add"), {"name": "Mandated reporter training",
                                                                "applies_to": "person", "valid_days": "365"})
    assert response.status_code == 302
    req = ClearanceRequirement.objects.get(name="Mandated reporter training")
    assert staff.get(reverse("partners:requirement_edit", args=[req.pk])).status_code == 200
    response = staff.post(reverse("partners:tier_add"), {"name": "Tier IV", "rank": "2",
                                                         "requirements": [world.megan.pk]})
    assert response.status_code == 400 and "Another tier already has rank 2." in response.content.decode()
    response = staff.post(reverse("partners:tier_edit", args=[world.tier1.pk]),
                          {"name": "Tier I", "rank": "1", "requirements": [world.megan.pk, req.pk],
                           "allows": "One-day events"})
    assert response.status_code == 302
    assert set(ClearanceTier.objects.get(pk=world.tier1.pk).requirements.all()) == {world.megan, req}
    csv = staff.get(reverse("partners:tier_list") + "?export=csv").content.decode()
    assert "Tier III" in csv
    for who in ("partner", "principal_a", "staff_ops"):
        client = client_as(who)
        assert client.get(reverse("partners:requirement_add")).status_code == 403
        assert client.get(reverse("partners:tier_edit", args=[world.tier1.pk])).status_code == 403
        assert "requirement_add" not in client.get(reverse("partners:requirement_list")).content.decode()


def test_check_add_and_edit_pages(world, client_as):
    partner = client_as("partner")
    url = reverse("partners:check_add", args=[world.xp.pk])
    assert partner.get(url + f"?person={world.xp_new.pk}").status_code == 200
    response = partner.post(url, {"person": world.xp_new.pk, "requirement": world.fingerprints.pk,
                                  "completed_on": TODAY.isoformat(), "verified": "on"})
    assert response.status_code == 302
    check = ClearanceCheck.objects.get(person=world.xp_new, requirement=world.fingerprints)
    assert check.verified_by is None
    response = partner.post(url, {"person": world.xp_new.pk, "requirement": world.insurance.pk,
                                  "completed_on": TODAY.isoformat()})
    assert response.status_code == 400 and "is an organization item" in response.content.decode()
    response = partner.post(url, {"requirement": world.insurance.pk,
                                  "completed_on": (TODAY + timedelta(days=3)).isoformat()})
    assert response.status_code == 400 and "A check cannot be completed in the future." in response.content.decode()
    assert partner.get(reverse("partners:check_add", args=[world.yc.pk])).status_code == 404
    yc_check = world.yc.checks.first()
    assert partner.get(reverse("partners:check_edit", args=[yc_check.pk])).status_code == 404
    assert client_as("principal_b").get(reverse("partners:check_edit", args=[yc_check.pk])).status_code == 403
    assert client_as("principal_b").get(reverse("partners:check_add", args=[world.yc.pk])).status_code == 403
    staff = client_as("staff_partnerships")
    response = staff.post(reverse("partners:check_edit", args=[check.pk]),
                          {"person": world.xp_new.pk, "requirement": world.fingerprints.pk,
                           "completed_on": TODAY.isoformat(), "reference": "LS-1", "verified": "on"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.verified_by == world.staff_partnerships and check.reference == "LS-1"


def test_approval_request_and_decide_pages(world, client_as):
    partner = client_as("partner")
    url = reverse("partners:approval_request", args=[world.xp_new.pk])
    form = partner.get(url).content.decode()
    assert world.p.school_a.name in form and world.p.school_b.name not in form
    assert partner.post(url, {"school": world.p.school_a.pk}).status_code == 302
    approval = CampusApproval.objects.get(person=world.xp_new, school=world.p.school_a)
    assert partner.get(reverse("partners:approval_request", args=[world.yc_counselor.pk])).status_code == 404
    assert client_as("principal_a").get(url).status_code == 403
    # principal_a sees the request with Nico's status, and decides it.
    listing = client_as("principal_a").get(reverse("partners:approval_list")).content.decode()
    assert "Nico Newhire" in listing and "Missing: Fingerprinting" in listing
    decide = reverse("partners:approval_decide", args=[approval.pk])
    assert client_as("principal_b").get(decide).status_code == 404
    assert partner.get(decide).status_code == 403
    assert client_as("director").get(decide).status_code == 403
    response = client_as("principal_a").post(decide, {"status": "denied", "note": "Not this year"})
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.status == "denied" and approval.decided_by == world.p.principal_a
    b_decide = reverse("partners:approval_decide", args=[world.approval_counselor_b.pk])
    assert client_as("principal_a").post(b_decide, {"status": "approved"}).status_code == 404
    assert client_as("staff_partnerships").post(b_decide, {"status": "approved",
                                                           "required_tier": world.tier3.pk}).status_code == 302
