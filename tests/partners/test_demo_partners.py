"""The demo's community partners: loads, is idempotent, ~60 partners, expiring and expired clearance, the
partner login linked to a partner with agreements at 2–3 schools, the partnerships login."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from equitable.core.models import User
from equitable.core.roles import Area, Role
from equitable.demo.network import load_demo_network
from equitable.network.models import School
from equitable.partners.models import (
    Agreement,
    AgreementStatus,
    CampusApproval,
    ClearanceCheck,
    ClearanceTier,
    Convening,
    ConveningAttendance,
    FocusArea,
    Measure,
    NeedsAssessment,
    Partner,
    PartnerPerson,
    PartnerSurvey,
)
from equitable.partners.selectors import agreements as selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return load_demo_network()


def test_partners_taxonomy_and_tiers(demo):
    assert 55 <= Partner.objects.count() <= 65
    assert not Partner.objects.filter(is_demo=False).exists()
    assert all("demo" in p.description.lower() for p in Partner.objects.all())
    slugs = set(FocusArea.objects.values_list("slug", flat=True))
    assert {"arts", "mental-health", "physical-health", "after-school", "tutoring", "college-access",
            "family-services", "legal", "food"} <= slugs
    for community in ("Watts", "South LA", "Boyle Heights"):
        assert Partner.objects.filter(communities__name=community).count() >= 15, community
    tiers = {t.name: sorted(r.name for r in t.requirements.all()) for t in ClearanceTier.objects.all()}
    assert tiers == {"Tier I": ["Sex-offender registry check"],
                     "Tier II": ["Sex-offender registry check", "TB clearance"],
                     "Tier III": ["Fingerprinting", "Sex-offender registry check", "TB clearance"]}
    assert PartnerPerson.objects.filter(works_on_campus=True).count() > 60
    assert PartnerPerson.objects.exclude(contact_role="").count() >= 120


def test_needs_for_every_member_school(demo):
    members = School.objects.filter(membership="member")
    assert members.count() == 19
    for school in members:
        assessment = NeedsAssessment.objects.get(school=school, school_year__name="2025-26")
        assert 3 <= assessment.needs.count() <= 6, school.name


def test_agreements_chains_and_kinds(demo):
    agreements = Agreement.objects.all()
    assert agreements.filter(year_round=True).exists() and agreements.filter(year_round=False).exists()
    assert agreements.filter(status=AgreementStatus.PENDING).exists()
    assert agreements.filter(status=AgreementStatus.DECLINED).exists()
    staff = User.objects.get(username="partnerships")
    rows = selectors.relationships_for(staff)
    lasted = {r.years_lasted for r in rows}
    assert {2, 3, 4, 5} <= lasted
    summary = selectors.relationship_summary()
    assert summary.year_round > 0 and summary.relationships > summary.year_round
    # Every renewal points at an agreement of the same school and partner.
    for a in agreements.filter(renews__isnull=False).select_related("renews"):
        assert (a.renews.school_id, a.renews.partner_id) == (a.school_id, a.partner_id)
        assert a.renews.end_date < a.start_date


def test_expiring_and_expired_clearance(demo):
    today = date.today()
    soon = ClearanceCheck.objects.filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=30))
    expired = ClearanceCheck.objects.filter(expires_on__lt=today)
    assert soon.filter(person__isnull=True).exists() and soon.filter(person__isnull=False).exists()
    assert expired.filter(person__isnull=True).exists() and expired.filter(person__isnull=False).exists()
    assert CampusApproval.objects.filter(status="approved").count() > 50
    assert CampusApproval.objects.filter(status="pending").exists()
    from equitable.partners.selectors.clearance import expiring_table

    headers, table = expiring_table(days=30)
    assert {row[5] for row in table} == {"expired", "expiring"}


def test_convenings_surveys_measures(demo):
    for name in ("2023-24", "2024-25", "2025-26"):
        kinds = set(Convening.objects.filter(school_year__name=name).values_list("kind", flat=True))
        assert kinds == {"boy", "moy", "eoy"}
    assert ConveningAttendance.objects.filter(attended=True).count() > 100
    assert PartnerSurvey.objects.filter(school_year__name="2025-26").count() > 20
    assert set(Measure.objects.values_list("kind", flat=True)) == {"how_much", "how_well", "better_off"}


def test_logins(demo):
    partner_user = User.objects.get(username="partner")
    person = PartnerPerson.objects.get(user=partner_user)
    schools = set(Agreement.objects.filter(partner=person.partner).values_list("school_id", flat=True))
    assert 2 <= len(schools) <= 3
    assert Agreement.objects.filter(partner=person.partner, school__name="Grape Street Elementary",
                                    status=AgreementStatus.PENDING).exists()
    staff = User.objects.get(username="partnerships")
    assert (staff.role, staff.area) == (Role.STAFF, Area.PARTNERSHIPS)
    assert staff.person.department.name == "Community Partnerships"


def test_second_load_writes_nothing(demo):
    again = load_demo_network()
    assert not again.sync.changed_anything, (dict(again.sync.created), dict(again.sync.updated))


def test_demo_pages_render_for_the_demo_logins(demo, client):
    from django.urls import reverse

    grape = Agreement.objects.filter(school__name="Grape Street Elementary", renews__isnull=False).first()
    pages = {
        "partnerships": [reverse("partners:agreement_list"), reverse("partners:relationships"),
                         reverse("partners:convening_list"), reverse("partners:survey_list"),
                         reverse("partners:agreement_detail", args=[grape.pk])],
        "principal": [reverse("partners:agreement_detail", args=[grape.pk]), reverse("partners:relationships")],
        "partner": [reverse("partners:portal"), reverse("partners:agreement_list")],
        "board": [reverse("partners:relationships")],
    }
    for username, urls in pages.items():
        client.force_login(User.objects.get(username=username))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url)
    client.force_login(User.objects.get(username="principal2"))
    assert client.get(reverse("partners:agreement_detail", args=[grape.pk])).status_code == 404
    client.force_login(User.objects.get(username="partner"))
    body = client.get(reverse("partners:portal")).content.decode()
    assert "Jacaranda Arts Collective" in body and 'data-testid="expiring"' in body
