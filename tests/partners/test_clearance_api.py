"""Clearance API per persona: requirements and tiers (read), checks (scoped; staff and the org's partner user
write), campus approvals (scoped; principals decide their school's), the expiring list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from equitable.partners.models import ClearanceCheck
from tests.partners.world import TODAY

pytestmark = pytest.mark.django_db

BASE = "/api/v1/partners/"


@pytest.fixture
def api(world):
    extra = {"staff_partnerships": world.staff_partnerships, "partner_b": world.partner_b_user}

    def make(name):
        client = APIClient()
        client.force_authenticate(extra.get(name) or getattr(world.p, name))
        return client

    return make


def results(response):
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def test_requirements_and_tiers_read(world, api):
    names = {r["name"] for r in results(api("partner").get(BASE + "clearance-requirements/"))}
    assert "TB clearance" in names and "Insurance certificate" in names
    tiers = results(api("principal_a").get(BASE + "clearance-tiers/"))
    assert [t["name"] for t in tiers] == ["Tier I", "Tier II", "Tier III"]
    assert tiers[2]["requirements"] == ["Fingerprinting", "Sex-offender registry check", "TB clearance"] or set(
        tiers[2]["requirements"]) == {"Fingerprinting", "Sex-offender registry check", "TB clearance"}
    assert api("partner").post(BASE + "clearance-tiers/", {"name": "x", "rank": 9}).status_code == 405
    assert APIClient().get(BASE + "clearance-tiers/").status_code in (401, 403)


def test_checks_scoped(world, api):
    yc_check = world.yc.checks.first()
    mine = results(api("partner").get(BASE + "clearance-checks/", {"limit": 100}))
    assert mine and {c["partner"] for c in mine} == {world.xp.pk}
    assert api("partner").get(BASE + f"clearance-checks/{yc_check.pk}/").status_code == 404
    assert api("partner_b").get(BASE + f"clearance-checks/{yc_check.pk}/").status_code == 200
    assert results(api("board").get(BASE + "clearance-checks/")) == []
    staff = results(api("staff_ops").get(BASE + "clearance-checks/", {"limit": 100}))
    assert {c["partner"] for c in staff} == {world.xp.pk, world.yc.pk}
    pa = results(api("principal_a").get(BASE + "clearance-checks/", {"limit": 100}))
    assert {c["partner"] for c in pa} == {world.xp.pk}
    assert api("principal_a").get(BASE + f"clearance-checks/{yc_check.pk}/").status_code == 404


def test_check_create_and_update(world, api):
    body = {"partner": world.xp.pk, "person": world.xp_new.pk, "requirement": world.fingerprints.pk,
            "completed_on": TODAY.isoformat(), "verified": True}
    response = api("partner").post(BASE + "clearance-checks/", body, format="json")
    assert response.status_code == 403  # a partner user cannot mark verified
    body["verified"] = None
    response = api("partner").post(BASE + "clearance-checks/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["verified_by"] is None
    pk = response.json()["id"]
    response = api("staff_partnerships").patch(BASE + f"clearance-checks/{pk}/", {"verified": True}, format="json")
    assert response.status_code == 200 and response.json()["verified_by"]
    # Rules come back as 400 with the field.
    response = api("partner").post(BASE + "clearance-checks/", {
        "partner": world.xp.pk, "person": world.xp_new.pk, "requirement": world.tb.pk,
        "completed_on": (TODAY + timedelta(days=2)).isoformat()}, format="json")
    assert response.status_code == 400 and response.json() == {"completed_on": ["A check cannot be completed in the "
                                                                                "future."]}
    # Another organization: partner not visible (400), and its check not reachable (404).
    response = api("partner").post(BASE + "clearance-checks/", {
        "partner": world.yc.pk, "requirement": world.insurance.pk, "completed_on": TODAY.isoformat()}, format="json")
    assert response.status_code == 400 and "partner" in response.json()
    yc_check = world.yc.checks.first()
    assert api("partner").patch(BASE + f"clearance-checks/{yc_check.pk}/", {"reference": "x"},
                                format="json").status_code == 404
    assert api("principal_b").patch(BASE + f"clearance-checks/{yc_check.pk}/", {"reference": "x"},
                                    format="json").status_code == 403
    assert api("principal_a").post(BASE + "clearance-checks/", {
        "partner": world.xp.pk, "requirement": world.insurance.pk, "completed_on": TODAY.isoformat()},
        format="json").status_code == 403
    response = api("staff_partnerships").post(BASE + "clearance-checks/", {
        "partner": world.yc.pk, "requirement": world.insurance.pk, "completed_on": TODAY.isoformat(),
        "expires_on": (TODAY + timedelta(days=365)).isoformat()}, format="json")
    assert response.status_code == 201
    assert ClearanceCheck.objects.filter(partner=world.yc, requirement=world.insurance).count() == 2


def test_approvals_scoped_and_decide(world, api):
    a, b = world.approval_artist_a.pk, world.approval_counselor_b.pk
    assert {x["id"] for x in results(api("principal_a").get(BASE + "campus-approvals/"))} == {a}
    listed = results(api("principal_b").get(BASE + "campus-approvals/"))
    assert [x["id"] for x in listed] == [b]
    assert listed[0]["clearance"]["cleared"] is False
    assert listed[0]["clearance"]["expired"] == ["Insurance certificate"]
    assert {x["id"] for x in results(api("partner").get(BASE + "campus-approvals/"))} == {a}
    assert results(api("board").get(BASE + "campus-approvals/")) == []
    assert api("partner").get(BASE + f"campus-approvals/{b}/").status_code == 404
    assert api("principal_b").post(BASE + f"campus-approvals/{a}/decide/", {"status": "denied"}).status_code == 404
    assert api("partner_b").post(BASE + f"campus-approvals/{b}/decide/", {"status": "approved"}).status_code == 403
    assert api("director").post(BASE + f"campus-approvals/{a}/decide/", {"status": "denied"}).status_code == 403
    response = api("principal_b").post(BASE + f"campus-approvals/{b}/decide/",
                                       {"status": "approved", "note": "ok", "required_tier": world.tier3.pk},
                                       format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert response.json()["required_tier"] == "Tier III"
    assert response.json()["clearance"]["missing"] == ["Fingerprinting"]


def test_approval_request_api(world, api):
    body = {"person": world.xp_new.pk, "school": world.p.school_a.cds_code}
    response = api("partner").post(BASE + "campus-approvals/", body, format="json")
    assert response.status_code == 201 and response.json()["status"] == "pending"
    response = api("partner").post(BASE + "campus-approvals/", {"person": world.xp_new.pk,
                                                                "school": world.p.school_b.cds_code}, format="json")
    assert response.status_code == 400 and "school" in response.json()
    response = api("partner_b").post(BASE + "campus-approvals/", body, format="json")
    assert response.status_code == 400  # xp's person is not visible to partner_b
    assert api("principal_a").post(BASE + "campus-approvals/", {"person": world.xp_artist.pk,
                                                                "school": world.p.school_b.cds_code},
                                   format="json").status_code == 403


def test_expiring_api(world, api):
    rows = results(api("staff_partnerships").get(BASE + "expiring/", {"days": 30}))
    assert [(r["partner_name"], r["status"], r["days_left"]) for r in rows] == [
        ("Yellow Cab Counseling", "expired", -35), ("Xochi Arts Project", "expiring", 25)]
    assert [r["partner_name"] for r in results(api("partner").get(BASE + "expiring/"))] == ["Xochi Arts Project"]
    assert [r["partner_name"] for r in results(api("partner_b").get(BASE + "expiring/"))] == [
        "Yellow Cab Counseling"]
    assert [r["partner_name"] for r in results(api("principal_a").get(BASE + "expiring/"))] == [
        "Xochi Arts Project"]
    assert results(api("board").get(BASE + "expiring/")) == []
    assert results(api("staff_ops").get(BASE + "expiring/", {"days": 10})) == [
        r for r in rows if r["partner_name"] == "Yellow Cab Counseling"]
    school_a = results(api("staff_ops").get(BASE + "expiring/", {"school": world.p.school_a.cds_code}))
    assert [r["partner_name"] for r in school_a] == ["Xochi Arts Project"]
    assert api("staff_ops").get(BASE + "expiring/", {"days": -1}).status_code == 400
    assert api("staff_ops").get(BASE + "expiring/", {"school": "00000000000000"}).status_code == 400
