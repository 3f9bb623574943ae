"""The partner portal: only partner users; only their own organization; uploads previewed then confirmed."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equitable.partners.models import PartnerPerson, PartnerSurvey

PORTAL = reverse("partners:portal")


@pytest.mark.parametrize("name", ["admin", "staff_partnerships", "principal_a", "director", "board"])
def test_only_partner_users_open_the_portal(world, client_as, name):
    assert client_as(name).get(PORTAL).status_code == 403
    assert client_as(name).get(reverse("partners:portal_upload")).status_code == 403
    assert client_as(name).get(reverse("partners:portal_survey")).status_code == 403


def test_portal_shows_own_organization_only(world, client_as):
    response = client_as("partner").get(PORTAL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="partner-name">Xochi Arts Project<' in body
    assert "Ari Artist" in body and "Nico Newhire" in body and "Visual arts residency" in body
    assert "Students enrolled" in body and f'data-testid="update-measure-{world.measure_a.pk}"' in body
    # Nothing of the other partner.
    assert "Yellow Cab" not in body and "Cora Counselor" not in body and "Counseling groups" not in body
    # The insurance certificate expiring within 30 days is listed.
    assert 'data-testid="expiring"' in body and "Insurance certificate" in body


def test_portal_of_the_other_partner(world, client_as):
    body = client_as("partner_b").get(PORTAL).content.decode()
    assert "Yellow Cab Counseling" in body and "Xochi" not in body and "Ari Artist" not in body
    # Its expired insurance shows as expired.
    assert "expired" in body


def test_partner_user_without_organization(world, client_as, personas):
    from equitable.core.roles import Role
    from tests.personas import _user

    lone = _user("lone_partner", Role.PARTNER)
    from django.test import Client

    client = Client()
    client.force_login(lone)
    response = client.get(PORTAL)
    assert response.status_code == 200 and 'data-testid="not-linked"' in response.content.decode()


def test_partner_cannot_reach_other_partners_records(world, client_as):
    client = client_as("partner")
    assert client.get(reverse("partners:agreement_detail", args=[world.agreement_b.pk])).status_code == 404
    assert client.get(reverse("partners:convening_detail", args=[world.convening_b.pk])).status_code == 404
    yc_measure_free = reverse("partners:measure_edit", args=[world.measure_a.pk])
    assert client_as("partner_b").get(yc_measure_free).status_code == 404


def test_survey_answered_and_changed(world, client_as):
    client = client_as("partner_b")
    url = reverse("partners:portal_survey")
    assert client.get(url).status_code == 200
    response = client.post(url, {"overall": "4", "communication": "5", "school_fit": "", "clearance_support": "2",
                                 "principal_relationship": "4", "will_continue": "true", "comments": "Thanks"})
    assert response.status_code == 302
    survey = PartnerSurvey.objects.get(partner=world.yc, school_year=world.p.year)
    assert survey.overall == 4 and survey.clearance_support == 2 and survey.comments == "Thanks"
    assert PartnerSurvey.objects.filter(partner=world.yc).count() == 1
    response = client.post(url, {"overall": "9"})
    assert response.status_code == 400


def _csv(text: str, name="people.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_upload_people_preview_then_confirm(world, client_as):
    client = client_as("partner")
    upload = reverse("partners:portal_upload")
    response = client.post(upload, {"kind": "partner-people", "file": _csv(
        "partner,first_name,last_name,email,works_on_campus\n"
        "Xochi Arts Project,Lu,Linocut,lu@xochi.example.org,yes\n")})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="import-preview"' in body and not PartnerPerson.objects.filter(last_name="Linocut").exists()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', body).group(1)
    response = client.post(reverse("partners:portal_upload_confirm"), {"token": token})
    assert response.status_code == 302
    assert PartnerPerson.objects.get(last_name="Linocut").partner == world.xp
    # The token is single-use.
    response = client.post(reverse("partners:portal_upload_confirm"), {"token": token})
    assert response.status_code == 302 and response.url == upload


def test_upload_naming_another_partner_writes_nothing(world, client_as):
    response = client_as("partner").post(reverse("partners:portal_upload"), {"kind": "partner-people", "file": _csv(
        "partner,first_name,last_name\n"
        "Xochi Arts Project,Ok,Row\n"
        "Yellow Cab Counseling,Sneaky,Row\n")})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="import-errors"' in body and "Yellow Cab Counseling" in body
    assert not PartnerPerson.objects.filter(last_name="Row").exists()


def test_malformed_upload_reports_errors(world, client_as):
    response = client_as("partner").post(reverse("partners:portal_upload"), {"kind": "partner-people",
                                                                              "file": _csv("who,what\nx,y\n")})
    assert response.status_code == 400
    assert "missing column" in response.content.decode()
    response = client_as("partner").post(reverse("partners:portal_upload"), {
        "kind": "partner-people", "file": _csv("a", name="people.pdf")})
    assert response.status_code == 400


def test_upload_confirm_rejects_foreign_tokens(world, client_as):
    response = client_as("partner").post(reverse("partners:portal_upload_confirm"), {"token": "0" * 32})
    assert response.status_code == 302


def test_upload_clearance_checks_for_own_people_only(world, client_as):
    from equitable.partners.models import ClearanceCheck

    client = client_as("partner")
    response = client.post(reverse("partners:portal_upload"), {"kind": "clearance-checks", "file": _csv(
        "partner,person,requirement,completed_on,expires_on,reference\n"
        "Xochi Arts Project,Nico Newhire,Fingerprinting,2026-01-10,,LS-1\n", name="checks.csv")})
    assert response.status_code == 200, response.content.decode()[:2000]
    token = re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)
    assert client.post(reverse("partners:portal_upload_confirm"), {"token": token}).status_code == 302
    assert ClearanceCheck.objects.filter(person=world.xp_new, requirement=world.fingerprints).exists()
    before = ClearanceCheck.objects.count()
    response = client.post(reverse("partners:portal_upload"), {"kind": "clearance-checks", "file": _csv(
        "partner,person,requirement,completed_on\n"
        "Yellow Cab Counseling,Cora Counselor,Fingerprinting,2026-01-10\n", name="checks.csv")})
    assert response.status_code == 400 and 'data-testid="import-errors"' in response.content.decode()
    assert ClearanceCheck.objects.count() == before
