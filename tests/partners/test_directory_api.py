"""Directory and school-needs API per persona: partners/organizations, people, focus-areas, needs-assessments
and needs — read scoped as on the pages; partnerships staff write; a partner user writes their own
organization's profile and people only."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from equitable.partners.models import FocusArea, NeedsAssessment, Partner, PartnerPerson, SchoolNeed

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/partners/organizations/"
PEOPLE = "/api/v1/partners/people/"
AREAS = "/api/v1/partners/focus-areas/"
ASSESSMENTS = "/api/v1/partners/needs-assessments/"
NEEDS = "/api/v1/partners/needs/"


@pytest.fixture
def api_as(world, api_for):
    extra = {"staff_partnerships": world.staff_partnerships, "partner_b": world.partner_b_user}

    def make(name):
        if name not in extra:
            return api_for(name)
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=extra[name])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def _all(client, url, **params):
    response = client.get(url, {"limit": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_anonymous_gets_401(world, api_for):
    for url in (ORGS, PEOPLE, AREAS, ASSESSMENTS, NEEDS, f"{ORGS}{world.xp.pk}/"):
        assert api_for("anonymous").get(url).status_code == 401


@pytest.mark.parametrize(("who", "orgs", "assessments"), [
    ("admin", {"Xochi Arts Project", "Yellow Cab Counseling"}, {"Alpha Elementary", "Bravo Middle"}),
    ("staff_ops", {"Xochi Arts Project", "Yellow Cab Counseling"}, {"Alpha Elementary", "Bravo Middle"}),
    ("director", {"Xochi Arts Project", "Yellow Cab Counseling"}, {"Alpha Elementary"}),
    ("principal_b", {"Xochi Arts Project", "Yellow Cab Counseling"}, {"Bravo Middle"}),
    ("partner", {"Xochi Arts Project"}, set()),
    ("partner_b", {"Yellow Cab Counseling"}, set()),
    ("board", set(), set()),
])
def test_reads_are_scoped(world, api_as, who, orgs, assessments):
    client = api_as(who)
    assert {o["name"] for o in _all(client, ORGS)} == orgs
    assert {a["school_name"] for a in _all(client, ASSESSMENTS)} == assessments
    assert len(_all(client, AREAS)) == 5  # the taxonomy is public to everyone signed in


def test_partner_user_reaches_only_their_organization(world, api_as):
    client = api_as("partner")
    assert client.get(f"{ORGS}{world.xp.pk}/").status_code == 200
    assert client.get(f"{ORGS}{world.yc.pk}/").status_code == 404
    assert client.patch(f"{ORGS}{world.yc.pk}/", {"phone": "1"}, format="json").status_code == 404
    assert client.get(f"{PEOPLE}{world.yc_counselor.pk}/").status_code == 404
    assert {p["last_name"] for p in _all(client, PEOPLE)} == {"Portal", "Artist", "Newhire"}
    assert client.get(f"{ASSESSMENTS}{world.assessment_a.pk}/").status_code == 404
    # their own profile, but not the status
    ok = client.patch(f"{ORGS}{world.xp.pk}/", {"phone": "555-0100", "languages": "ES, en"}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["languages"] == "es,en"
    denied = client.patch(f"{ORGS}{world.xp.pk}/", {"status": "inactive"}, format="json")
    assert denied.status_code == 403
    assert client.post(ORGS, {"name": "Mine Too", "kind": "arts"}, format="json").status_code == 403
    # their own people
    created = client.post(PEOPLE, {"partner": world.xp.pk, "first_name": "Vi", "last_name": "Volunteer",
                                   "works_on_campus": True, "tier": "Tier I"}, format="json")
    assert created.status_code == 201, created.content
    other = client.post(PEOPLE, {"partner": world.yc.pk, "first_name": "X", "last_name": "Y"}, format="json")
    assert other.status_code == 400 and "partner" in other.json()


def test_organization_detail_and_filters(world, api_as):
    client = api_as("staff_ops")
    data = client.get(f"{ORGS}{world.xp.pk}/").json()
    assert sorted(data["focus_areas"]) == ["after-school", "arts"]
    assert data["communities"] == ["watts"] and data["languages"] == "en,es" and data["capacity_schools"] == 3
    assert {o["name"] for o in _all(client, ORGS, focus_area="mental-health")} == {"Yellow Cab Counseling"}
    assert {o["name"] for o in _all(client, ORGS, language="es")} == {"Xochi Arts Project"}
    assert client.get(ORGS, {"kind": "spaceships"}).status_code == 400
    history = client.get(f"{ORGS}{world.xp.pk}/history/")
    assert history.status_code == 200


def test_staff_write_organizations(world, api_as):
    client = api_as("staff_partnerships")
    response = client.post(ORGS, {"name": "Zeta Tutors", "kind": "tutoring", "focus_areas": ["tutoring"],
                                  "communities": ["watts", "boyle-heights"], "languages": "en,ko"}, format="json")
    assert response.status_code == 201, response.content
    zeta = Partner.objects.get(name="Zeta Tutors")
    assert {c.slug for c in zeta.communities.all()} == {"watts", "boyle-heights"}
    bad = client.post(ORGS, {"name": "ZETA TUTORS", "kind": "tutoring", "languages": "en,klingon"}, format="json")
    assert bad.status_code == 400
    assert client.post(ORGS, {"name": "Q", "kind": "arts", "languages": "tlh"}, format="json").json() == {
        "languages": ["Unknown language code(s): tlh. Use codes such as ar, asl, en, es, hy, ko, tl, vi, zh."]}
    assert client.post(ORGS, {"name": "Q", "kind": "arts", "focus_areas": ["nope"]},
                       format="json").status_code == 400
    patched = client.patch(f"{ORGS}{zeta.pk}/", {"status": "inactive", "focus_areas": []}, format="json")
    assert patched.status_code == 200 and patched.json()["focus_areas"] == []
    assert client.delete(f"{ORGS}{zeta.pk}/").status_code == 204
    blocked = client.delete(f"{ORGS}{world.xp.pk}/")  # it has agreements
    assert blocked.status_code == 400


@pytest.mark.parametrize("who", ["staff_ops", "principal_a", "director", "board"])
def test_others_may_not_write_organizations(world, api_as, who):
    client = api_as(who)
    assert client.post(ORGS, {"name": "Nope", "kind": "arts"}, format="json").status_code == 403
    expected = 404 if who == "board" else 403
    assert client.patch(f"{ORGS}{world.xp.pk}/", {"phone": "1"}, format="json").status_code == expected
    assert client.post(AREAS, {"slug": "food", "name": "Food"}, format="json").status_code == 403


def test_people_rules_through_the_api(world, api_as):
    client = api_as("staff_partnerships")
    bad = client.post(PEOPLE, {"partner": world.xp.pk, "first_name": "P", "last_name": "Q",
                               "is_primary_contact": True}, format="json")
    assert bad.status_code == 400 and bad.json() == {"contact_role": ["A primary contact must have a contact role."]}
    assert api_as("principal_a").post(PEOPLE, {"partner": world.xp.pk, "first_name": "P", "last_name": "Q"},
                                      format="json").status_code == 403
    assert {p["last_name"] for p in _all(api_as("principal_b"), PEOPLE)} == {"Portal", "Counselor"}
    assert {p["last_name"] for p in _all(api_as("principal_a"), PEOPLE)} == {"Portal", "Counselor", "Artist"}
    moved = client.patch(f"{PEOPLE}{world.xp_artist.pk}/", {"partner": world.yc.pk}, format="json")
    assert moved.status_code == 400


def test_focus_areas_api(world, api_as):
    client = api_as("staff_partnerships")
    assert client.post(AREAS, {"slug": "food", "name": "Food"}, format="json").status_code == 201
    assert client.post(AREAS, {"slug": "food-2", "name": "FOOD"}, format="json").status_code == 400
    assert client.get(f"{AREAS}arts/").json()["name"] == "Arts"
    assert client.patch(f"{AREAS}food/", {"description": "Pantries"}, format="json").status_code == 200
    assert FocusArea.objects.get(slug="food").description == "Pantries"


def test_needs_api(world, api_as):
    principal = api_as("principal_a")
    data = principal.get(f"{ASSESSMENTS}{world.assessment_a.pk}/").json()
    assert {n["focus_area"] for n in data["needs"]} == {"arts", "mental-health"}
    assert principal.get(f"{ASSESSMENTS}{world.assessment_b.pk}/").status_code == 404
    created = principal.post(ASSESSMENTS, {"school": world.p.school_a.cds_code, "school_year": "2024-25",
                                           "languages": "en"}, format="json")
    assert created.status_code == 201, created.content
    other = principal.post(ASSESSMENTS, {"school": world.p.school_b.cds_code, "school_year": "2024-25"},
                           format="json")
    assert other.status_code == 400 and "school" in other.json()
    duplicate = api_as("staff_partnerships").post(ASSESSMENTS, {"school": world.p.school_a.cds_code,
                                                                "school_year": "2025-26"}, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json() == {"school_year": ["Alpha Elementary already has a needs assessment for 2025-26."]}
    need = principal.post(NEEDS, {"assessment": created.json()["id"], "focus_area": "tutoring", "priority": 1},
                          format="json")
    assert need.status_code == 201 and need.json()["school"] == world.p.school_a.cds_code
    assert principal.post(NEEDS, {"assessment": world.assessment_b.pk, "focus_area": "arts", "priority": 1},
                          format="json").status_code == 400
    assert {n["focus_area"] for n in _all(principal, NEEDS, school_year="2025-26")} == {"arts", "mental-health"}
    assert api_as("director").patch(f"{NEEDS}{world.need_a_arts.pk}/", {"priority": 3},
                                    format="json").status_code == 403
    assert api_as("partner").get(f"{NEEDS}{world.need_a_arts.pk}/").status_code == 404
    assert principal.delete(f"{NEEDS}{need.json()['id']}/").status_code == 204
    assert not SchoolNeed.objects.filter(pk=need.json()["id"]).exists()
    assert NeedsAssessment.objects.filter(school_year__name="2024-25").count() == 1
    assert PartnerPerson.objects.count() == 4
