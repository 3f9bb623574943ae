"""Matching pages and API per persona: a school's suggestions (staff, admin, its principal and senior
director; others 404/403), the network assignment (staff and admins), accepting a pair (partnerships staff),
CSV exports, and `GET /api/v1/partners/matches/`."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from equitable.partners.models import Agreement
from equitable.partners.selectors.matching import ASSIGNMENT_HEADERS, MATCH_HEADERS

pytestmark = pytest.mark.django_db

API = "/api/v1/partners/matches/"


def school_url(world, school=None):
    return reverse("partners:match_school", args=[(school or world.p.school_a).pk])


@pytest.mark.parametrize("who", ["admin", "staff_ops", "staff_partnerships", "principal_a", "director"])
def test_school_suggestions_page_for_those_who_may(world, client_as, who):
    response = client_as(who).get(school_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="suggestion-{world.xp.pk}"' in html
    assert "Covers Arts (high priority)" in html
    assert "<meter" in html


@pytest.mark.parametrize(("who", "status"), [("principal_b", 404), ("partner", 403), ("partner_b", 403),
                                             ("board", 403)])
def test_school_suggestions_page_for_those_who_may_not(world, client_as, who, status):
    assert client_as(who).get(school_url(world)).status_code == status


def test_anonymous_is_sent_to_login(world, client_as):
    from django.test import Client

    response = Client().get(school_url(world))
    assert response.status_code in (302, 403)


def test_school_page_without_assessment_and_unknown_year(world, client_as):
    client = client_as("staff_partnerships")
    response = client.get(reverse("partners:match_school", args=[world.p.school_c.pk]))
    assert response.status_code == 200
    assert 'data-testid="no-assessment"' in response.content.decode()
    assert client.get(school_url(world), {"year": "2024-25"}).status_code == 200


def test_school_page_csv_export(world, client_as):
    response = client_as("principal_a").get(school_url(world), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == MATCH_HEADERS
    assert rows[1][1] == "Xochi Arts Project"


@pytest.mark.parametrize("who", ["admin", "staff_ops", "staff_partnerships"])
def test_network_page_for_staff(world, client_as, who):
    world.yc.capacity_schools = 3  # room for school A's mental-health need
    world.yc.save()
    response = client_as(who).get(reverse("partners:match"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="assignment"' in html
    # only partnerships staff and admins get accept buttons
    assert ("match/accept/" in html) == (who != "staff_ops")


@pytest.mark.parametrize("who", ["principal_a", "director", "partner", "board"])
def test_network_page_forbidden(world, client_as, who):
    assert client_as(who).get(reverse("partners:match")).status_code == 403


def test_network_csv_export(world, client_as):
    response = client_as("staff_ops").get(reverse("partners:match"), {"export": "csv", "year": "2025-26"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ASSIGNMENT_HEADERS
    assert ["Alpha Elementary", world.p.school_a.cds_code, "Arts", "High", "Xochi Arts Project"] == rows[1][:5]


def test_accept_from_the_page_creates_one_draft(world, client_as):
    world.yc.capacity_schools = 3
    world.yc.save()
    client = client_as("staff_partnerships")
    html = client.get(reverse("partners:match")).content.decode()
    assert f'data-testid="accept-{world.need_a_mental.pk}"' in html
    before = Agreement.objects.count()
    payload = {"school": world.p.school_a.pk, "partner": world.yc.pk, "needs": [world.need_a_mental.pk],
               "year": "2025-26"}
    response = client.post(reverse("partners:match_accept"), payload)
    assert response.status_code == 302
    assert Agreement.objects.count() == before + 1
    draft = Agreement.objects.latest("pk")
    assert draft.status == "draft" and draft.partner == world.yc and draft.school == world.p.school_a
    assert draft.history.first().history_user == world.staff_partnerships
    html = client.get(reverse("partners:match")).content.decode()
    assert f'data-testid="accept-{world.need_a_mental.pk}"' not in html
    assert "Accepted (draft agreement)" in html
    # accepting again changes nothing and says why
    response = client.post(reverse("partners:match_accept"), payload, follow=True)
    assert Agreement.objects.count() == before + 1
    assert "already has an agreement" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("staff_ops", 403), ("principal_a", 403), ("partner", 403),
                                             ("board", 403)])
def test_accept_forbidden(world, client_as, who, status):
    payload = {"school": world.p.school_a.pk, "partner": world.yc.pk, "needs": [world.need_a_mental.pk]}
    before = Agreement.objects.count()
    assert client_as(who).post(reverse("partners:match_accept"), payload).status_code == status
    assert Agreement.objects.count() == before


def test_accept_needs_post(world, client_as):
    assert client_as("staff_partnerships").get(reverse("partners:match_accept")).status_code == 405


# --- API ------------------------------------------------------------------------------------------------


def api(world, name):
    from rest_framework.test import APIClient

    users = {"staff_partnerships": world.staff_partnerships, "partner_b": world.partner_b_user}
    client = APIClient()
    client.force_authenticate(users.get(name) or world.p.user(name))
    return client


@pytest.mark.parametrize("who", ["admin", "staff_ops", "principal_a", "director"])
def test_api_suggestions(world, who):
    for key in (world.p.school_a.pk, world.p.school_a.cds_code):
        response = api(world, who).get(API, {"school": key})
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["school"] == world.p.school_a.cds_code and body["school_year"] == "2025-26"
        first = body["suggestions"][0]
        assert first["rank"] == 1 and first["partner"] == "Xochi Arts Project"
        assert "Covers Arts (high priority)" in first["reasons"]


@pytest.mark.parametrize(("who", "status"), [("principal_b", 404), ("partner", 403), ("partner_b", 403),
                                             ("board", 403)])
def test_api_scoped(world, who, status):
    assert api(world, who).get(API, {"school": world.p.school_a.cds_code}).status_code == status


def test_api_errors(world):
    client = api(world, "staff_partnerships")
    assert client.get(API).status_code == 400
    assert client.get(API, {"school": world.p.school_a.pk, "year": "1999-00"}).status_code == 400
    assert client.get(API, {"school": world.p.school_a.pk, "limit": "0"}).status_code == 400
    assert client.get(API, {"school": world.p.school_c.pk}).status_code == 404
    assert client.get(API, {"school": "nope"}).status_code == 404
    assert len(client.get(API, {"school": world.p.school_a.pk, "limit": 1}).json()["suggestions"]) == 1


def test_api_anonymous(world):
    from rest_framework.test import APIClient

    assert APIClient().get(API, {"school": world.p.school_a.pk}).status_code == 401


def test_api_is_read_only(world):
    assert api(world, "admin").post(API, {"school": world.p.school_a.pk}).status_code == 405
