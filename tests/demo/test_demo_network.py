"""The demo network: its shape, its data validate, loading twice changes nothing, personas' scopes."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.db.models import Sum
from django.test import Client

from equitable.core.models import User
from equitable.core.roles import Role
from equitable.demo import people, schools
from equitable.demo.names import FIRST_NAMES, LAST_NAMES, fictional_name
from equitable.demo.network import load_demo_network
from equitable.network.models import (
    Caseload,
    Community,
    Department,
    Enrollment,
    FeederLink,
    FeederPattern,
    Network,
    Person,
    School,
    SchoolYear,
    StaffAssignment,
)

pytestmark = pytest.mark.django_db


def test_nineteen_member_schools_about_14200_students(demo):
    assert demo.member_schools == 19
    assert 13_800 <= demo.students <= 14_600
    current = SchoolYear.objects.get(is_current=True)
    assert current.name == "2025-26" == demo.current_year
    members = School.objects.filter(network=demo.network, membership="member")
    assert members.count() == 19
    total = Enrollment.objects.filter(school__in=members, school_year=current).aggregate(n=Sum("total"))["n"]
    assert total == demo.students
    assert sorted(SchoolYear.objects.values_list("name", flat=True)) == [
        "2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]
    network = Network.objects.get()
    assert (network.name, network.district_name, network.district_code) == (
        "Partnership Demo Network", "Los Angeles Unified", "1964733")
    by_community = Counter(members.values_list("community__name", flat=True))
    assert by_community == {"Watts": 7, "South LA": 7, "Boyle Heights": 5}
    zips = dict(Community.objects.values_list("name", "zip_codes"))
    assert zips == {"Watts": "90002,90059", "South LA": "90003,90011,90044,90037",
                    "Boyle Heights": "90023,90033,90063"}


def test_schools_carry_directory_facts(demo):
    grape = School.objects.get(name="Grape Street Elementary")
    assert grape.cds_code == "19647336017362"
    assert (grape.street, grape.zip_code, grape.grades) == ("1940 East 111th Street", "90059", "K–5")
    assert str(grape.latitude) == "33.934247" and grape.join_route == "district"
    jordan = School.objects.get(cds_code="19647331934454")
    assert (jordan.name, jordan.level, jordan.community.name) == ("Jordan High", "high", "Watts")


def test_former_member_keeps_its_history(demo):
    former = School.objects.get(membership="former")
    assert former.name == "John H. Liechty Middle" and former.left_on == date(2022, 6, 30)
    assert list(former.enrollments.values_list("school_year__name", flat=True)) == ["2021-22"]
    assert former.history.count() == 1
    principal = former.staff.get()
    assert principal.end_date == former.left_on


def test_every_record_validates_and_is_demo(demo):
    for model in (Network, Community, School, FeederPattern, FeederLink, SchoolYear, Enrollment, Department, Person,
                  StaffAssignment, Caseload):
        for obj in model.objects.all():
            obj.full_clean()
    assert Enrollment.objects.count() == 19 * 5 + 1
    assert not School.objects.filter(is_demo=False).exists()
    assert not Person.objects.filter(is_demo=False).exists()
    assert not Network.objects.filter(is_demo=False).exists()
    assert not User.objects.filter(is_demo=False).exists()


def test_enrollment_is_realistic(demo):
    current = SchoolYear.objects.get(is_current=True)
    for row in Enrollment.objects.filter(school_year=current).select_related("school", "school__community"):
        school, groups = row.school, row.by_group
        assert sum(row.by_grade.values()) == row.total
        assert len(row.by_grade) == school.grade_high - school.grade_low + 1
        assert 0.85 <= groups["SED"] / row.total <= 0.95
        assert 0.20 <= groups["EL"] / row.total <= 0.40
        assert groups["HI"] > row.total / 2
        assert groups["SED"] <= row.unduplicated <= row.total
        if school.community.name == "Watts":
            assert groups["AA"] / row.total > 0.15
        else:
            assert groups["AA"] / row.total < 0.12
    for school in School.objects.filter(membership="member"):
        totals = list(school.enrollments.order_by("school_year__start_date").values_list("total", flat=True))
        assert totals[0] > totals[-1], f"{school} should decline slightly over five years"
        assert totals[-1] / totals[0] > 0.8


def test_feeder_patterns(demo):
    jordan_family = FeederPattern.objects.get(name="Jordan family (Watts)")
    stages = {link.school.name: link.stage for link in jordan_family.links.select_related("school")}
    assert stages["Grape Street Elementary"] == 1
    assert stages["Edwin Markham Middle"] == 2
    assert stages["Jordan High"] == 3
    sunrise = School.objects.get(name="Sunrise Elementary")
    assert sunrise.feeder_patterns.count() == 2  # feeds Hollenbeck → Roosevelt and Stevenson → Mendez
    assert FeederPattern.objects.count() == len(schools.FEEDER_PATTERNS)


def test_home_office_and_school_staff(demo):
    assert set(Department.objects.values_list("name", flat=True)) == {
        "Academics", "School Culture", "Family Engagement", "Community Partnerships", "Operations", "Talent",
        "Advocacy", "Finance", "Arts"}
    directors = Person.objects.filter(title__startswith="Senior Director")
    assert directors.count() == 4
    for director in directors:
        assert 4 <= director.caseload.count() <= 5
    assert Caseload.objects.values("principal").distinct().count() == 19
    for school in School.objects.filter(membership="member"):
        roles = Counter(school.staff.values_list("role", flat=True))
        assert roles["principal"] == 1 and roles["assistant_principal"] >= 1 and roles["ilt_member"] >= 3
        assert roles["arts_lead"] == roles["family_engagement_lead"] == roles["office_manager"] == 1
        pathways = set(school.staff.filter(role="teacher_leader").values_list("pathway", flat=True))
        assert pathways == {"instruction", "culture", "family", "arts"}
    # fictional people, labelled as demo data, at addresses that cannot reach anyone
    for person in Person.objects.all():
        assert person.title.endswith("(demo)")
        assert person.email.endswith("@demo.equitable.example")
    full_names = list(Person.objects.values_list("first_name", "last_name"))
    assert len(full_names) == len(set(full_names))


def test_fictional_names_are_distinct():
    names = {fictional_name(n) for n in range(len(FIRST_NAMES) * len(LAST_NAMES))}
    assert len(names) == len(FIRST_NAMES) * len(LAST_NAMES)


def _counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def test_second_load_changes_nothing(demo):
    before = _counts()
    assert any(label.endswith(".HistoricalSchool") for label in before)  # history tables are counted too
    updated_before = {label: set(apps.get_model(label)._base_manager.values_list("updated_at", flat=True))
                      for label in ("network.School", "network.Enrollment", "network.Person")}
    again = load_demo_network()
    assert not again.changed_anything
    assert _counts() == before
    for label, stamps in updated_before.items():
        assert set(apps.get_model(label)._base_manager.values_list("updated_at", flat=True)) == stamps


def test_history_is_attributed_to_system(demo):
    from equitable.core.audit import history_for

    grape = School.objects.get(name="Grape Street Elementary")
    (entry,) = history_for(grape)
    assert entry.who == "system" and entry.change == "created" and "demo" in entry.reason


def test_a_changed_record_is_restored_with_one_history_record(demo):
    grape = School.objects.get(name="Grape Street Elementary")
    School.objects.filter(pk=grape.pk).update(street="changed by hand")
    result = load_demo_network()
    assert dict(result.sync.updated) == {"network.School": 1} and not result.sync.created
    grape.refresh_from_db()
    assert grape.street == "1940 East 111th Street" and grape.history.count() == 2


# --- personas ----------------------------------------------------------------------------------

def test_principal_sees_exactly_grape_street(demo, demo_user):
    principal = demo_user("principal")
    assert principal.role == Role.PRINCIPAL and principal.person.assignments.get().role == "principal"
    visible = School.objects.restrict(principal, "view")
    assert list(visible.values_list("name", flat=True)) == ["Grape Street Elementary"]
    assert set(Enrollment.objects.restrict(principal, "view").values_list("school__name", flat=True)) == {
        "Grape Street Elementary"}
    # may edit own school's enrollment, not another's
    assert Enrollment.objects.restrict(principal, "change").count() == 5
    assert not Enrollment.objects.restrict(principal, "change").exclude(school__name="Grape Street Elementary").exists()


def test_principal2_sees_only_roosevelt(demo, demo_user):
    visible = School.objects.restrict(demo_user("principal2"), "view")
    assert list(visible.values_list("name", flat=True)) == ["Theodore Roosevelt Senior High"]


def test_director_sees_caseload_of_four_or_five(demo, demo_user):
    director = demo_user("director")
    visible = set(School.objects.restrict(director, "view").values_list("name", flat=True))
    assert 4 <= len(visible) <= 5
    assert "Grape Street Elementary" in visible
    assert "Theodore Roosevelt Senior High" not in visible
    assert Caseload.objects.restrict(director, "view").count() == len(visible)
    assert Enrollment.objects.restrict(director, "change").count() == 0


@pytest.mark.parametrize("username", ["board", "partner"])
def test_board_and_partner_see_no_school_rows(demo, demo_user, username):
    user = demo_user(username)
    assert School.objects.restrict(user, "view").count() == 0
    assert Enrollment.objects.restrict(user, "view").count() == 0
    assert StaffAssignment.objects.restrict(user, "view").count() == 0
    assert list(Person.objects.restrict(user, "view")) == [user.person]


@pytest.mark.parametrize("username", ["admin", "ops", "talent"])
def test_admin_and_home_office_see_every_school(demo, demo_user, username):
    assert School.objects.restrict(demo_user(username), "view").count() == 20


def test_home_office_edits_own_area_only(demo, demo_user):
    ops, talent = demo_user("ops"), demo_user("talent")
    assert Enrollment.objects.restrict(ops, "change").count() == Enrollment.objects.count()
    assert Enrollment.objects.restrict(talent, "change").count() == 0
    assert StaffAssignment.objects.restrict(talent, "change").count() == StaffAssignment.objects.count()
    assert StaffAssignment.objects.restrict(ops, "change").count() == 0


def test_every_login_works_and_is_linked(demo):
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(s.username for s in people.LOGINS)
    for spec in people.LOGINS:
        user = authenticate(username=spec.username, password=people.DEMO_PASSWORD)
        assert user is not None and user.role == spec.role and user.is_demo
        assert user.person.first_name == user.first_name
    assert authenticate(username="admin", password="wrong") is None
    client = Client()
    assert client.login(username="principal", password=people.DEMO_PASSWORD)
    assert client.get("/").status_code == 200


def test_a_real_account_is_never_overwritten(db):
    real = User(username="admin", role=Role.ADMIN, email="it@example.org")
    real.set_password("a-real-password-123")
    real.save()
    result = load_demo_network()
    assert result.skipped_users == ["admin"]
    real.refresh_from_db()
    assert real.check_password("a-real-password-123") and not real.is_demo
    assert not Person.objects.filter(user=real).exists()
