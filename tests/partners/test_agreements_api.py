"""The agreements, convenings, measures and surveys API per persona."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from equitable.partners.models import Agreement, AgreementStatus, Measure

AGREEMENTS = "/api/v1/partners/agreements/"
CONVENINGS = "/api/v1/partners/convenings/"
MEASURES = "/api/v1/partners/measures/"
SURVEYS = "/api/v1/partners/surveys/"


@pytest.fixture
def api_as(world, personas):
    users = {"staff_partnerships": world.staff_partnerships, "partner_b": world.partner_b_user}

    def make(name):
        client = APIClient()
        client.force_authenticate(users.get(name) or personas.user(name))
        return client

    return make


def _ids(client, url, **params):
    response = client.get(url, {"limit": 1000, **params})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_gets_401(world):
    assert APIClient().get(AGREEMENTS).status_code == 401


def test_agreement_reads_are_scoped(world, api_as):
    everything = {world.agreement_a_prev.pk, world.agreement_a.pk, world.agreement_b.pk}
    assert _ids(api_as("staff_ops"), AGREEMENTS) == everything
    assert _ids(api_as("partner"), AGREEMENTS) == {world.agreement_a_prev.pk, world.agreement_a.pk}
    assert _ids(api_as("partner_b"), AGREEMENTS) == {world.agreement_b.pk}
    assert _ids(api_as("principal_b"), AGREEMENTS) == {world.agreement_b.pk}
    assert _ids(api_as("board"), AGREEMENTS) == set()
    assert api_as("partner").get(f"{AGREEMENTS}{world.agreement_b.pk}/").status_code == 404
    assert _ids(api_as("staff_ops"), AGREEMENTS, year_round="true") == {world.agreement_a_prev.pk,
                                                                         world.agreement_a.pk}


def _new(world, **changes):
    return {"partner": world.xp.pk, "school": world.p.school_a.pk, "title": "Printmaking", "programs": "Linocuts",
            "start_date": "2025-09-01", "end_date": "2026-06-05", "year_round": True, "focus_areas": ["arts"],
            "needs": [world.need_a_arts.pk], **changes}


def test_staff_create_update_and_workflow(world, api_as):
    client = api_as("staff_partnerships")
    response = client.post(AGREEMENTS, _new(world), format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "draft" and response.json()["focus_areas"] == ["arts"]
    response = client.patch(f"{AGREEMENTS}{pk}/", {"students_served": 40}, format="json")
    assert response.status_code == 200 and response.json()["students_served"] == 40
    assert client.post(f"{AGREEMENTS}{pk}/submit/").json()["status"] == "pending"
    assert client.post(f"{AGREEMENTS}{pk}/decide/", {"approve": True}, format="json").status_code == 403
    response = api_as("principal_a").post(f"{AGREEMENTS}{pk}/decide/", {"approve": True}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "active"
    response = client.patch(f"{AGREEMENTS}{pk}/", {"title": "Changed"}, format="json")
    assert response.status_code == 400 and "Renew it" in str(response.json())
    response = client.post(f"{AGREEMENTS}{pk}/renew/")
    assert response.status_code == 201 and response.json()["renews"] == pk
    response = client.post(f"{AGREEMENTS}{pk}/end/", {"end_date": "2026-04-01"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "ended"


def test_create_errors_are_400_with_fields(world, api_as):
    client = api_as("staff_partnerships")
    response = client.post(AGREEMENTS, _new(world, end_date="2025-08-01"), format="json")
    assert response.status_code == 400 and "end_date" in response.json()
    response = client.post(AGREEMENTS, _new(world, needs=[world.need_b_mental.pk]), format="json")
    assert response.status_code == 400 and "needs" in response.json()


def test_partner_and_principal_b_may_not_write(world, api_as):
    partner = api_as("partner")
    assert partner.post(AGREEMENTS, _new(world), format="json").status_code == 403
    assert partner.patch(f"{AGREEMENTS}{world.agreement_a.pk}/", {"title": "x"}, format="json").status_code == 403
    assert partner.post(f"{AGREEMENTS}{world.agreement_a.pk}/renew/").status_code == 403
    assert partner.post(f"{AGREEMENTS}{world.agreement_b.pk}/decide/", {"approve": True},
                        format="json").status_code == 404
    principal_b = api_as("principal_b")
    assert principal_b.post(AGREEMENTS, _new(world, needs=[]), format="json").status_code == 400  # school not theirs
    assert principal_b.post(f"{AGREEMENTS}{world.agreement_a.pk}/decide/", {"approve": True},
                            format="json").status_code == 404
    response = principal_b.post(f"{AGREEMENTS}{world.agreement_b.pk}/decide/", {"approve": False}, format="json")
    assert response.status_code == 400
    assert Agreement.objects.get(pk=world.agreement_b.pk).status == AgreementStatus.PENDING


def test_measures_partner_patches_actual(world, api_as):
    assert _ids(api_as("partner_b"), MEASURES) == set()
    assert api_as("partner_b").patch(f"{MEASURES}{world.measure_a.pk}/", {"actual": 1},
                                     format="json").status_code == 404
    partner = api_as("partner")
    response = partner.patch(f"{MEASURES}{world.measure_a.pk}/", {"actual": 118}, format="json")
    assert response.status_code == 200 and response.json()["actual"] == 118
    assert partner.patch(f"{MEASURES}{world.measure_a.pk}/", {"target": 1}, format="json").status_code == 403
    assert api_as("principal_a").patch(f"{MEASURES}{world.measure_a.pk}/", {"actual": 1},
                                       format="json").status_code == 403
    response = api_as("staff_partnerships").post(MEASURES, {
        "agreement": world.agreement_a.pk, "school_year": "2025-26", "kind": "better_off",
        "name": "Students reporting they belong", "unit": "%", "target": 75}, format="json")
    assert response.status_code == 201, response.content
    assert partner.post(MEASURES, {"agreement": world.agreement_a.pk, "school_year": "2025-26", "kind": "how_much",
                                   "name": "x"}, format="json").status_code == 403
    assert Measure.objects.filter(agreement=world.agreement_a).count() == 3


def test_convenings_and_surveys(world, api_as):
    assert _ids(api_as("partner"), CONVENINGS) == {world.convening_network.pk}
    assert _ids(api_as("partner_b"), CONVENINGS) == {world.convening_network.pk, world.convening_b.pk}
    rows = api_as("partner").get(f"{CONVENINGS}{world.convening_network.pk}/").json()["attendance"]
    assert [r["partner_name"] for r in rows] == ["Xochi Arts Project"]
    assert api_as("principal_a").post(CONVENINGS, {"kind": "boy", "title": "x", "school_year": "2025-26",
                                                   "held_on": "2025-09-01"}, format="json").status_code == 403
    assert api_as("staff_partnerships").post(CONVENINGS, {"kind": "boy", "title": "Meet & greet",
                                                          "school_year": "2025-26", "held_on": "2025-09-01",
                                                          "school": world.p.school_a.pk},
                                             format="json").status_code == 201
    assert _ids(api_as("partner"), SURVEYS) == {world.survey_xp.pk}
    assert len(_ids(api_as("staff_ops"), SURVEYS)) == 2
    assert _ids(api_as("principal_a"), SURVEYS) == set()
    response = api_as("partner").post(SURVEYS, {"partner": world.xp.pk, "school_year": "2025-26", "overall": 3},
                                      format="json")
    assert response.status_code == 201 and response.json()["id"] == world.survey_xp.pk
    response = api_as("partner").post(SURVEYS, {"partner": world.yc.pk, "school_year": "2025-26", "overall": 1},
                                      format="json")
    assert response.status_code == 400  # another partner is not one the caller may see
