"""The registry API under /api/v1/: who may list, retrieve, create, change and delete what.

The API must agree with the pages: reads go through restrict(user, "view"), so a persona sees in
the API exactly what `Model.objects.restrict(user, "view")` gives them; a record outside their scope
is absent from lists and answers 404. Writes go through the services (403 when not permitted, 400
with field messages when invalid, nothing written either way).
"""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from equitable.core.models import User
from equitable.network.models import (
    Caseload,
    Community,
    Enrollment,
    FeederLink,
    FeederPattern,
    Person,
    School,
    SchoolYear,
    StaffAssignment,
)
from tests.personas import ALL_PERSONAS

pytestmark = pytest.mark.django_db

API = "/api/v1"
NOT_ANONYMOUS = [p for p in ALL_PERSONAS if p != "anonymous"]
STAFF = ["admin", "staff_ops", "staff_talent", "staff_academic"]
INTERNAL = STAFF + ["director", "principal_a", "principal_b"]


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# ---------------------------------------------------------------------------------------------
# What each persona sees, endpoint by endpoint: (endpoint, natural key of a row, model, key of a model row)
# ---------------------------------------------------------------------------------------------

ENDPOINTS = {
    "schools": (School, "cds_code", lambda o: o.cds_code),
    "communities": (Community, "slug", lambda o: o.slug),
    "feeder-patterns": (FeederPattern, "id", lambda o: o.pk),
    "school-years": (SchoolYear, "name", lambda o: o.name),
    "enrollment": (Enrollment, "id", lambda o: o.pk),
    "people": (Person, "id", lambda o: o.pk),
    "staff-assignments": (StaffAssignment, "id", lambda o: o.pk),
    "caseloads": (Caseload, "id", lambda o: o.pk),
}


def expected_keys(personas, endpoint: str, who: str) -> set:
    """What each persona may see, written out by hand from the scoping rules (not computed by restrict)."""
    p = personas
    a, b, c = p.school_a.cds_code, p.school_b.cds_code, p.school_c.cds_code
    everyone_internal = who in INTERNAL
    if endpoint == "schools":
        return {"admin": {a, b, c}, "staff_ops": {a, b, c}, "staff_talent": {a, b, c}, "staff_academic": {a, b, c},
                "director": {a}, "principal_a": {a}, "principal_b": {b}}.get(who, set())
    if endpoint == "communities":
        return {"watts", "boyle-heights"} if everyone_internal or who == "board" else set()
    if endpoint == "feeder-patterns":
        return {p.pattern.pk} if everyone_internal else set()
    if endpoint == "school-years":
        return {"2025-26"} if everyone_internal or who == "board" else set()
    if endpoint == "enrollment":
        ea, eb = p.enrollment_a.pk, p.enrollment_b.pk
        return {"director": {ea}, "principal_a": {ea}, "principal_b": {eb}}.get(
            who, {ea, eb} if who in STAFF else set())
    if endpoint == "people":
        dana = Person.objects.get(last_name="Director").pk
        ana, ben, tess = p.person_principal_a.pk, p.person_principal_b.pk, p.person_teacher_b.pk
        return {"director": {dana, ana}, "principal_a": {dana, ana}, "principal_b": {dana, ben, tess}}.get(
            who, {dana, ana, ben, tess} if who in STAFF else set())
    if endpoint == "staff-assignments":
        teacher = StaffAssignment.objects.get(role="teacher_leader").pk
        sa, sb = p.assignment_a.pk, p.assignment_b.pk
        return {"director": {sa}, "principal_a": {sa}, "principal_b": {sb, teacher}}.get(
            who, {sa, sb, teacher} if who in STAFF else set())
    if endpoint == "caseloads":
        caseload = Caseload.objects.get().pk
        return {caseload} if who in STAFF + ["director", "principal_a"] else set()
    raise AssertionError(endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_gets_401_on_list_and_detail(personas, api_for, endpoint):
    model, _field, key = ENDPOINTS[endpoint]
    client = api_for("anonymous")
    assert client.get(f"{API}/{endpoint}/").status_code == 401
    some = model.objects.first()
    assert client.get(f"{API}/{endpoint}/{key(some)}/").status_code == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("who", NOT_ANONYMOUS)
def test_each_persona_lists_exactly_their_scope(personas, api_for, endpoint, who):
    _model, field, _key = ENDPOINTS[endpoint]
    rows = results(api_for(who).get(f"{API}/{endpoint}/"))
    assert {row[field] for row in rows} == expected_keys(personas, endpoint, who)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("who", NOT_ANONYMOUS)
def test_each_persona_retrieves_in_scope_and_gets_404_outside(personas, api_for, endpoint, who):
    model, field, key = ENDPOINTS[endpoint]
    client = api_for(who)
    allowed = expected_keys(personas, endpoint, who)
    for obj in model.objects.all():
        response = client.get(f"{API}/{endpoint}/{key(obj)}/")
        if key(obj) in allowed:
            assert response.status_code == 200, (who, obj)
            assert response.json()[field] == key(obj)
        else:
            assert response.status_code == 404, (who, obj, response.status_code)


def test_api_agrees_with_restrict(personas, api_for):
    """The hand-written table above is the same as what restrict() gives: pages and API agree."""
    for endpoint, (model, _field, key) in ENDPOINTS.items():
        for who in NOT_ANONYMOUS:
            scoped = {key(o) for o in model.objects.restrict(personas.user(who), "view")}
            assert scoped == expected_keys(personas, endpoint, who), (endpoint, who)


# ---------------------------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------------------------


def test_token_auth_works_and_bad_token_is_401(personas, api_for):
    assert api_for("admin").get(f"{API}/schools/").status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token-0000000000000000000000")
    response = client.get(f"{API}/schools/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")


def test_inactive_users_token_is_401(personas, api_for):
    client = api_for("staff_ops")
    User.objects.filter(pk=personas.staff_ops.pk).update(is_active=False)
    assert client.get(f"{API}/schools/").status_code == 401


def test_session_auth_works_for_logged_in_users(personas, client_for):
    response = client_for("principal_a").get(f"{API}/schools/")
    assert response.status_code == 200
    assert [s["cds_code"] for s in response.json()["results"]] == [personas.school_a.cds_code]


def test_session_writes_need_csrf(personas):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(personas.staff_ops)
    response = client.patch(f"{API}/schools/{personas.school_a.cds_code}/", {"name": "X"}, format="json")
    assert response.status_code == 403
    assert School.objects.get(pk=personas.school_a.pk).name == "Alpha Elementary"


# ---------------------------------------------------------------------------------------------
# Representation and filters (the same FilterSets as the pages)
# ---------------------------------------------------------------------------------------------


def test_school_representation_uses_natural_keys(personas, api_for):
    data = api_for("admin").get(f"{API}/schools/{personas.school_a.cds_code}/").json()
    assert data["community"] == "watts"
    assert data["network"] == "Test Network"
    assert data["grades"] == "TK–5"
    assert data["grade_low"] == -1 and data["grade_high"] == 5


def test_enrollment_groups_and_grades_are_objects(personas, api_for):
    data = api_for("principal_a").get(f"{API}/enrollment/{personas.enrollment_a.pk}/").json()
    assert data["school"] == personas.school_a.cds_code
    assert data["school_year"] == "2025-26"
    assert data["by_grade"]["TK"] == 40 and sum(data["by_grade"].values()) == 400
    assert data["by_group"] == {"SED": 370, "EL": 150, "FOS": 8, "HI": 300, "AA": 95, "WH": 5}


def test_feeder_pattern_links_are_ordered_by_stage(personas, api_for):
    FeederLink.objects.create(pattern=personas.pattern, school=personas.school_c, stage=3)
    rows = results(api_for("principal_a").get(f"{API}/feeder-patterns/"))
    assert [(link["stage"], link["school"]) for link in rows[0]["links"]] == [
        (1, personas.school_a.cds_code), (2, personas.school_b.cds_code), (3, personas.school_c.cds_code)]
    assert rows[0]["links"][0]["school_name"] == "Alpha Elementary"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("community=watts", {"19647330000011", "19647330000033"}),
        ("level=middle", {"19647330000022"}),
        ("membership=former", {"19647330000033"}),
        ("q=alpha", {"19647330000011"}),
        ("q=9003", {"19647330000022"}),
    ],
)
def test_school_filters_match_the_pages(personas, api_for, query, expected):
    rows = results(api_for("staff_ops").get(f"{API}/schools/?{query}"))
    assert {r["cds_code"] for r in rows} == expected


def test_school_filters_stay_within_scope(personas, api_for):
    assert results(api_for("principal_b").get(f"{API}/schools/?community=watts")) == []


def test_invalid_filter_value_is_400(personas, api_for):
    response = api_for("staff_ops").get(f"{API}/schools/?level=university")
    assert response.status_code == 400
    assert "level" in response.json()


def test_enrollment_filters_by_school_cds_and_year(personas, api_for):
    SchoolYear.objects.create(name="2024-25", start_date=date(2024, 8, 15), end_date=date(2025, 6, 12))
    old = Enrollment.objects.create(school=personas.school_a, school_year=SchoolYear.objects.get(name="2024-25"),
                                    total=390)
    client = api_for("staff_ops")
    rows = results(client.get(f"{API}/enrollment/?school={personas.school_a.cds_code}"))
    assert {r["id"] for r in rows} == {personas.enrollment_a.pk, old.pk}
    rows = results(client.get(f"{API}/enrollment/?school={personas.school_a.cds_code}&school_year=2024-25"))
    assert [r["id"] for r in rows] == [old.pk]
    rows = results(client.get(f"{API}/enrollment/?school_year=2025-26"))
    assert {r["id"] for r in rows} == {personas.enrollment_a.pk, personas.enrollment_b.pk}


def test_people_and_staff_filters(personas, api_for):
    client = api_for("staff_talent")
    rows = results(client.get(f"{API}/people/?school={personas.school_b.cds_code}"))
    assert {r["last_name"] for r in rows} == {"Brooks", "Teacher"}
    rows = results(client.get(f"{API}/people/?department=Academics"))
    assert [r["last_name"] for r in rows] == ["Director"]
    rows = results(client.get(f"{API}/staff-assignments/?role=teacher_leader"))
    assert [r["person_name"] for r in rows] == ["Tess Teacher"]
    assert rows[0]["pathway"] == "arts"


def test_school_years_filter_current(personas, api_for):
    SchoolYear.objects.create(name="2024-25", start_date=date(2024, 8, 15), end_date=date(2025, 6, 12))
    rows = results(api_for("board").get(f"{API}/school-years/?is_current=true"))
    assert [r["name"] for r in rows] == ["2025-26"]


def test_pagination_limit_is_capped(personas, api_for):
    response = api_for("admin").get(f"{API}/schools/?limit=100000000000000000000&offset=99999999999999999999")
    assert response.status_code == 200
    assert response.json()["count"] == 3


# ---------------------------------------------------------------------------------------------
# Writes: schools
# ---------------------------------------------------------------------------------------------

NEW_SCHOOL = {
    "cds_code": "19647330000044", "name": "Delta Elementary", "level": "elementary", "grade_low": 0,
    "grade_high": 5, "community": "boyle-heights", "network": "Test Network", "membership": "member",
    "joined_on": "2024-07-01", "join_route": "expansion", "zip_code": "90033",
}


@pytest.mark.parametrize("who", ["admin", "staff_ops"])
def test_school_create_allowed(personas, api_for, who):
    response = api_for(who).post(f"{API}/schools/", NEW_SCHOOL, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["community"] == "boyle-heights"
    school = School.objects.get(cds_code="19647330000044")
    assert school.community == personas.boyle and school.grade_low == 0
    assert school.history.get().history_user == personas.user(who)


@pytest.mark.parametrize("who", ["staff_talent", "staff_academic", "director", "principal_a", "partner", "board"])
def test_school_create_forbidden(personas, api_for, who):
    response = api_for(who).post(f"{API}/schools/", NEW_SCHOOL, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "You may not add this school."}
    assert not School.objects.filter(cds_code="19647330000044").exists()


def test_school_create_anonymous_is_401(personas, api_for):
    assert api_for("anonymous").post(f"{API}/schools/", NEW_SCHOOL, format="json").status_code == 401
    assert not School.objects.filter(cds_code="19647330000044").exists()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"cds_code": "1964733000004"}, "cds_code",
         "CDS code 1964733000004 has 13 digits; a CDS code has 14 (county 2, district 5, school 7)."),
        ({"cds_code": "19647330000000"}, "cds_code",
         "CDS code 19647330000000 is a district (school part 0000000), not a school."),
        ({"cds_code": "19647330000011"}, "cds_code", "School with this CDS code already exists."),
        ({"joined_on": None}, "joined_on", "A school in the network needs the date it joined."),
        ({"grade_low": 5, "grade_high": 0}, "grade_high", "The highest grade must not be below the lowest grade."),
        ({"zip_code": "9003"}, "zip_code", "A ZIP code is 5 digits, optionally followed by -4 digits."),
        ({"community": "nowhere"}, "community", "No community with slug “nowhere” that you may see."),
        ({"level": "college"}, "level", '"college" is not a valid choice.'),
        ({"latitude": 123}, "latitude", "Ensure this value is less than or equal to 90."),
    ],
)
def test_school_create_bad_input_is_400_and_writes_nothing(personas, api_for, change, field, message):
    before = School.objects.count()
    response = api_for("staff_ops").post(f"{API}/schools/", {**NEW_SCHOOL, **change}, format="json")
    assert response.status_code == 400, response.content
    assert message in response.json()[field]
    assert School.objects.count() == before


def test_school_update_by_operations_staff_is_audited(personas, api_for):
    url = f"{API}/schools/{personas.school_a.cds_code}/"
    response = api_for("staff_ops").patch(url, {"name": "Alpha Academy", "community": "boyle-heights"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Alpha Academy" and response.json()["community"] == "boyle-heights"
    school = School.objects.get(pk=personas.school_a.pk)
    assert school.name == "Alpha Academy" and school.community == personas.boyle
    history = api_for("principal_a").get(f"{url}history/").json()
    assert history[0]["change"] == "changed"
    assert history[0]["who"] == "Staff Ops"
    changes = {c["field"]: (c["before"], c["after"]) for c in history[0]["changes"]}
    assert changes == {"name": ("Alpha Elementary", "Alpha Academy"), "community": ("Watts", "Boyle Heights")}
    assert history[-1]["change"] == "created"


def test_school_full_update_with_put(personas, api_for):
    url = f"{API}/schools/{personas.school_b.cds_code}/"
    body = {**NEW_SCHOOL, "cds_code": personas.school_b.cds_code, "name": "Bravo Magnet", "level": "middle",
            "grade_low": 6, "grade_high": 8}
    response = api_for("admin").put(url, body, format="json")
    assert response.status_code == 200, response.content
    assert School.objects.get(pk=personas.school_b.pk).name == "Bravo Magnet"


def test_school_update_bad_input_is_400_and_changes_nothing(personas, api_for):
    url = f"{API}/schools/{personas.school_a.cds_code}/"
    response = api_for("staff_ops").patch(url, {"name": "Renamed", "mou_end": "2020-01-01"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"mou_end": ["The MOU cannot end before it starts."]}
    assert School.objects.get(pk=personas.school_a.pk).name == "Alpha Elementary"


@pytest.mark.parametrize(
    "who, status",
    [("staff_talent", 403), ("staff_academic", 403), ("director", 403), ("principal_a", 403),
     ("principal_b", 404), ("partner", 404), ("board", 404), ("anonymous", 401)],
)
def test_school_update_forbidden(personas, api_for, who, status):
    url = f"{API}/schools/{personas.school_a.cds_code}/"
    response = api_for(who).patch(url, {"name": "Hijacked"}, format="json")
    assert response.status_code == status
    assert School.objects.get(pk=personas.school_a.pk).name == "Alpha Elementary"


def test_school_delete(personas, api_for):
    url = f"{API}/schools/{personas.school_c.cds_code}/"
    for who, status in [("principal_a", 404), ("staff_talent", 403), ("partner", 404)]:
        assert api_for(who).delete(url).status_code == status
    assert School.objects.filter(pk=personas.school_c.pk).exists()
    assert api_for("staff_ops").delete(url).status_code == 204
    assert not School.objects.filter(pk=personas.school_c.pk).exists()


def test_school_delete_blocked_by_feeder_pattern_is_400(personas, api_for):
    response = api_for("admin").delete(f"{API}/schools/{personas.school_a.cds_code}/")
    assert response.status_code == 400
    assert "cannot be deleted" in response.json()["non_field_errors"][0]
    assert School.objects.filter(pk=personas.school_a.pk).exists()


# ---------------------------------------------------------------------------------------------
# Writes: enrollment
# ---------------------------------------------------------------------------------------------


def test_principal_edits_own_school_enrollment(personas, api_for):
    url = f"{API}/enrollment/{personas.enrollment_a.pk}/"
    grades = {"TK": 40, "K": 60, "1": 60, "2": 60, "3": 60, "4": 60, "5": 70}
    response = api_for("principal_a").patch(url, {"total": 410, "unduplicated": 385, "by_grade": grades},
                                            format="json")
    assert response.status_code == 200, response.content
    enrollment = Enrollment.objects.get(pk=personas.enrollment_a.pk)
    assert enrollment.total == 410 and enrollment.by_grade["5"] == 70
    assert enrollment.history.first().history_user == personas.principal_a


@pytest.mark.parametrize(
    "who, status",
    [("principal_b", 404), ("partner", 404), ("board", 404), ("director", 403), ("staff_talent", 403),
     ("staff_academic", 403), ("anonymous", 401)],
)
def test_enrollment_update_forbidden(personas, api_for, who, status):
    url = f"{API}/enrollment/{personas.enrollment_a.pk}/"
    response = api_for(who).patch(url, {"total": 1, "by_grade": {}}, format="json")
    assert response.status_code == status
    assert Enrollment.objects.get(pk=personas.enrollment_a.pk).total == 400


def test_operations_staff_edit_any_enrollment(personas, api_for):
    url = f"{API}/enrollment/{personas.enrollment_b.pk}/"
    assert api_for("staff_ops").patch(url, {"total": 620}, format="json").status_code == 200
    assert Enrollment.objects.get(pk=personas.enrollment_b.pk).total == 620


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"total": 399}, "by_grade", "Grade counts add up to 400 but the total is 399."),
        ({"by_grade": {"13": 400}}, "by_grade", "Unknown grade(s): 13. Grades are TK, K and 1–12."),
        ({"by_group": {"XX": 3}}, "by_group", "Unknown student group code(s): XX."),
        ({"by_group": {"SED": 401}}, "by_group", "Group(s) SED exceed the total enrollment of 400."),
        ({"unduplicated": 500}, "unduplicated", "Unduplicated pupils cannot exceed the total enrollment."),
        ({"total": -1}, "total", "Ensure this value is greater than or equal to 0."),
        ({"by_grade": {"K": -4}}, "by_grade", "Ensure this value is greater than or equal to 0."),
        ({"by_grade": ["K", 4]}, "by_grade", 'Expected a dictionary of items but got type "list".'),
        ({"school_year": "2031-32"}, "school_year", "No school year with name “2031-32” that you may see."),
    ],
)
def test_enrollment_bad_input_is_400_and_changes_nothing(personas, api_for, change, field, message):
    url = f"{API}/enrollment/{personas.enrollment_a.pk}/"
    response = api_for("principal_a").patch(url, change, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()[field]
    flat = [m for e in (errors.values() if isinstance(errors, dict) else [errors]) for m in e]
    assert message in flat, errors
    fresh = Enrollment.objects.get(pk=personas.enrollment_a.pk)
    assert (fresh.total, fresh.unduplicated, fresh.by_grade, fresh.by_group, fresh.school_year_id) == (
        400, 380, personas.enrollment_a.by_grade, personas.enrollment_a.by_group, personas.year.pk)


def test_principal_adds_enrollment_for_own_school_only(personas, api_for):
    SchoolYear.objects.create(name="2024-25", start_date=date(2024, 8, 15), end_date=date(2025, 6, 12))
    client = api_for("principal_a")
    body = {"school": personas.school_a.cds_code, "school_year": "2024-25", "total": 390,
            "by_group": {"SED": 360, "EL": 140}}
    response = client.post(f"{API}/enrollment/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["by_group"] == {"SED": 360, "EL": 140}
    assert Enrollment.objects.filter(school=personas.school_a, school_year__name="2024-25").exists()
    # School B is outside principal A's scope: its CDS code is unknown to them.
    response = client.post(f"{API}/enrollment/", {**body, "school": personas.school_b.cds_code}, format="json")
    assert response.status_code == 400
    assert response.json() == {"school": [f"No school with CDS code “{personas.school_b.cds_code}” that you may see."]}
    assert not Enrollment.objects.filter(school=personas.school_b, school_year__name="2024-25").exists()


def test_duplicate_enrollment_is_400(personas, api_for):
    body = {"school": personas.school_a.cds_code, "school_year": "2025-26", "total": 1}
    response = api_for("staff_ops").post(f"{API}/enrollment/", body, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert Enrollment.objects.filter(school=personas.school_a).count() == 1


@pytest.mark.parametrize("who", ["staff_talent", "director"])
def test_enrollment_create_forbidden_for_visible_school(personas, api_for, who):
    SchoolYear.objects.create(name="2024-25", start_date=date(2024, 8, 15), end_date=date(2025, 6, 12))
    body = {"school": personas.school_a.cds_code, "school_year": "2024-25", "total": 3}
    response = api_for(who).post(f"{API}/enrollment/", body, format="json")
    assert response.status_code == 403
    assert not Enrollment.objects.filter(school_year__name="2024-25").exists()


@pytest.mark.parametrize("who", ["partner", "board", "principal_b"])
def test_enrollment_create_for_unseen_school_is_400(personas, api_for, who):
    SchoolYear.objects.create(name="2024-25", start_date=date(2024, 8, 15), end_date=date(2025, 6, 12))
    body = {"school": personas.school_a.cds_code, "school_year": "2024-25", "total": 3}
    response = api_for(who).post(f"{API}/enrollment/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["school"]
    assert not Enrollment.objects.filter(school_year__name="2024-25").exists()


def test_enrollment_delete(personas, api_for):
    url = f"{API}/enrollment/{personas.enrollment_b.pk}/"
    assert api_for("principal_a").delete(url).status_code == 404
    assert api_for("staff_talent").delete(url).status_code == 403
    assert api_for("principal_b").delete(url).status_code == 204
    assert not Enrollment.objects.filter(pk=personas.enrollment_b.pk).exists()


# ---------------------------------------------------------------------------------------------
# Writes: people and staff assignments
# ---------------------------------------------------------------------------------------------


def test_talent_staff_add_home_office_person(personas, api_for):
    body = {"first_name": "Olga", "last_name": "Ops", "email": "olga@example.org", "department": "Operations"}
    response = api_for("staff_talent").post(f"{API}/people/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["department"] == "Operations"
    assert Person.objects.get(email="olga@example.org").department.name == "Operations"


def test_principal_adds_school_staff_but_not_home_office_staff(personas, api_for):
    client = api_for("principal_a")
    body = {"first_name": "Paco", "last_name": "Pérez", "title": "Teacher"}
    response = client.post(f"{API}/people/", body, format="json")
    assert response.status_code == 201, response.content
    response = client.post(f"{API}/people/", {**body, "last_name": "Boss", "department": "Academics"}, format="json")
    assert response.status_code == 403
    assert not Person.objects.filter(last_name="Boss").exists()


@pytest.mark.parametrize("who", ["staff_ops", "staff_academic", "director", "partner", "board"])
def test_person_create_forbidden(personas, api_for, who):
    body = {"first_name": "Nope", "last_name": "Nobody"}
    assert api_for(who).post(f"{API}/people/", body, format="json").status_code == 403
    assert not Person.objects.filter(last_name="Nobody").exists()


def test_person_bad_input_is_400(personas, api_for):
    client = api_for("staff_talent")
    response = client.post(f"{API}/people/", {"first_name": "No", "last_name": "Mail", "email": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"email": ["Enter a valid email address."]}
    response = client.post(f"{API}/people/", {"first_name": "", "last_name": "X"}, format="json")
    assert response.status_code == 400 and "first_name" in response.json()
    response = client.post(f"{API}/people/", {"first_name": "A", "last_name": "B", "department": "Magic"},
                           format="json")
    assert response.json() == {"department": ["No department with name “Magic” that you may see."]}
    assert not Person.objects.filter(last_name__in=["Mail", "X", "B"]).exists()


def test_person_update_scope(personas, api_for):
    ana = personas.person_principal_a
    url = f"{API}/people/{ana.pk}/"
    assert api_for("principal_a").patch(url, {"phone": "555-0100"}, format="json").status_code == 200
    assert Person.objects.get(pk=ana.pk).phone == "555-0100"
    assert api_for("principal_b").patch(url, {"phone": "x"}, format="json").status_code == 404
    assert api_for("director").patch(url, {"phone": "x"}, format="json").status_code == 403
    assert api_for("staff_ops").patch(url, {"phone": "x"}, format="json").status_code == 403
    assert api_for("staff_talent").patch(url, {"title": "Principal"}, format="json").status_code == 200
    assert Person.objects.get(pk=ana.pk).phone == "555-0100"


def test_principal_assigns_staff_at_own_school_only(personas, api_for):
    client = api_for("principal_a")
    ana = personas.person_principal_a
    body = {"person": ana.pk, "school": personas.school_a.cds_code, "role": "teacher_leader"}
    response = client.post(f"{API}/staff-assignments/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"pathway": ["A teacher leader has a pathway."]}
    response = client.post(f"{API}/staff-assignments/", {**body, "pathway": "instruction"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["person_name"] == "Ana Alvarez"
    response = client.post(f"{API}/staff-assignments/", {**body, "school": personas.school_b.cds_code,
                                                         "pathway": "instruction"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["school"]
    # Tess teaches at school B: principal A cannot see her, so cannot assign her.
    response = client.post(f"{API}/staff-assignments/", {**body, "person": personas.person_teacher_b.pk,
                                                         "pathway": "arts"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"person": [f"No record with id {personas.person_teacher_b.pk} that you may see."]}
    assert StaffAssignment.objects.filter(school=personas.school_a).count() == 2


def test_principal_adds_a_new_staff_member_with_their_assignment(personas, api_for):
    client = api_for("principal_a")
    body = {"new_person": {"first_name": "Nia", "last_name": "Newhire", "email": "nia@example.org"},
            "school": personas.school_a.cds_code, "role": "teacher_leader", "pathway": "culture"}
    response = client.post(f"{API}/staff-assignments/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["person_name"] == "Nia Newhire"
    assert "new_person" not in response.json()
    nia = Person.objects.get(email="nia@example.org")
    assert nia.department is None and nia.history.get().history_user == personas.principal_a
    # Now on principal A's staff, Nia is within their reach (and still out of principal B's).
    assert client.get(f"{API}/people/{nia.pk}/").status_code == 200
    assert api_for("principal_b").get(f"{API}/people/{nia.pk}/").status_code == 404


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"pathway": ""}, {"pathway": ["A teacher leader has a pathway."]}),
        ({"new_person": {"first_name": "Nia", "last_name": "Newhire", "email": "nope"}},
         {"new_person": {"email": ["Enter a valid email address."]}}),
        ({"new_person": {"first_name": "", "last_name": "Newhire"}},
         {"new_person": {"first_name": ["This field may not be blank."]}}),
        ({"person": "ana"}, {"person": ["Give either the id of a person or a new_person."]}),
        ({"new_person": None}, {"new_person": ["This field may not be null."]}),
    ],
)
def test_new_staff_member_bad_input_writes_neither(personas, api_for, change, expected):
    body = {"new_person": {"first_name": "Nia", "last_name": "Newhire"}, "school": personas.school_a.cds_code,
            "role": "teacher_leader", "pathway": "culture", **change}
    if body.get("person") == "ana":
        body["person"] = personas.person_principal_a.pk
    before = (Person.objects.count(), StaffAssignment.objects.count())
    response = api_for("principal_a").post(f"{API}/staff-assignments/", body, format="json")
    assert response.status_code == 400
    assert response.json() == expected
    assert (Person.objects.count(), StaffAssignment.objects.count()) == before


def test_assignment_needs_a_person(personas, api_for):
    body = {"school": personas.school_a.cds_code, "role": "ilt_member"}
    response = api_for("principal_a").post(f"{API}/staff-assignments/", body, format="json")
    assert response.json() == {"person": ["Give either the id of a person or a new_person."]}


@pytest.mark.parametrize("who, status", [("staff_ops", 403), ("director", 403), ("principal_b", 400),
                                         ("partner", 400), ("board", 400)])
def test_new_staff_member_forbidden(personas, api_for, who, status):
    body = {"new_person": {"first_name": "Nia", "last_name": "Newhire"}, "school": personas.school_a.cds_code,
            "role": "ilt_member"}
    response = api_for(who).post(f"{API}/staff-assignments/", body, format="json")
    assert response.status_code == status
    assert not Person.objects.filter(last_name="Newhire").exists()


def test_new_person_only_when_adding(personas, api_for):
    url = f"{API}/staff-assignments/{personas.assignment_a.pk}/"
    response = api_for("principal_a").patch(url, {"new_person": {"first_name": "A", "last_name": "B"}}, format="json")
    assert response.json() == {"new_person": ["A new person can only be given when adding an assignment."]}


@pytest.mark.parametrize("who, status", [("staff_talent", 201), ("admin", 201), ("staff_ops", 403),
                                         ("director", 403), ("principal_b", 400), ("partner", 400)])
def test_staff_assignment_create_by_persona(personas, api_for, who, status):
    body = {"person": personas.person_principal_a.pk, "school": personas.school_a.cds_code, "role": "ilt_member"}
    response = api_for(who).post(f"{API}/staff-assignments/", body, format="json")
    assert response.status_code == status, response.content
    assert StaffAssignment.objects.filter(role="ilt_member").exists() == (status == 201)


def test_staff_assignment_update_and_delete_scope(personas, api_for):
    url = f"{API}/staff-assignments/{personas.assignment_b.pk}/"
    assert api_for("principal_a").patch(url, {"end_date": "2030-01-01"}, format="json").status_code == 404
    response = api_for("principal_b").patch(url, {"start_date": "2019-07-01", "end_date": "2018-01-01"},
                                            format="json")
    assert response.json() == {"end_date": ["The assignment cannot end before it starts."]}
    assert api_for("principal_b").patch(url, {"end_date": "2030-06-30"}, format="json").status_code == 200
    assert StaffAssignment.objects.get(pk=personas.assignment_b.pk).end_date == date(2030, 6, 30)
    assert api_for("staff_ops").delete(url).status_code == 403
    assert api_for("staff_talent").delete(url).status_code == 204
    assert not StaffAssignment.objects.filter(pk=personas.assignment_b.pk).exists()


# ---------------------------------------------------------------------------------------------
# Read-only endpoints and history
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["communities", "feeder-patterns", "school-years", "caseloads"])
def test_read_only_endpoints_refuse_writes(personas, api_for, endpoint):
    assert api_for("admin").post(f"{API}/{endpoint}/", {}, format="json").status_code == 405


def test_caseload_names_director_and_principal(personas, api_for):
    rows = results(api_for("director").get(f"{API}/caseloads/"))
    assert [(r["director_name"], r["principal_name"]) for r in rows] == [("Dana Director", "Ana Alvarez")]


@pytest.mark.parametrize("who, status", [("admin", 200), ("staff_talent", 200), ("director", 200),
                                         ("principal_a", 200), ("principal_b", 404), ("partner", 404),
                                         ("board", 404), ("anonymous", 401)])
def test_history_visible_like_the_record(personas, api_for, who, status):
    for url in (f"{API}/schools/{personas.school_a.cds_code}/history/",
                f"{API}/enrollment/{personas.enrollment_a.pk}/history/"):
        response = api_for(who).get(url)
        assert response.status_code == status, url
        if status == 200:
            assert response.json()[0]["change"] == "created"


# ---------------------------------------------------------------------------------------------
# Query counts: a list costs the same whatever the number of rows (no N+1)
# ---------------------------------------------------------------------------------------------


def _grow_network(personas, n: int = 12) -> None:
    for i in range(n):
        school = School.objects.create(
            cds_code=f"196473301{i:05d}", name=f"Extra {i}", level="elementary", community=personas.watts,
            network=personas.network, membership="member", joined_on=date(2020, 7, 1))
        Enrollment.objects.create(school=school, school_year=personas.year, total=100 + i)
        person = Person.objects.create(first_name="Extra", last_name=f"Teacher {i}",
                                       department=None if i % 2 else personas.person_principal_a.department)
        StaffAssignment.objects.create(person=person, school=school, role="office_manager")
        StaffAssignment.objects.create(person=person, school=personas.school_a, role="ilt_member")
        FeederLink.objects.create(pattern=personas.pattern, school=school, stage=3)
        pattern = FeederPattern.objects.create(name=f"Pattern {i}", community=personas.boyle)
        FeederLink.objects.create(pattern=pattern, school=school, stage=1)
        Caseload.objects.create(director=Person.objects.get(last_name="Director"), principal=person)


# Token lookup + count + page (+ one prefetch of feeder links); principals and directors pay for
# finding their schools (one query for a principal, two for a director).
LIST_QUERY_BUDGET = {
    "schools": 3, "communities": 3, "feeder-patterns": 4, "school-years": 3, "enrollment": 3, "people": 3,
    "staff-assignments": 3, "caseloads": 3,
}
SCOPE_QUERIES = {"admin": 0, "principal_a": 1, "director": 2}


@pytest.mark.parametrize("who", SCOPE_QUERIES)
@pytest.mark.parametrize("endpoint", LIST_QUERY_BUDGET)
def test_list_query_count_is_pinned(personas, api_for, django_assert_max_num_queries, endpoint, who):
    _grow_network(personas)
    client = api_for(who)
    with django_assert_max_num_queries(LIST_QUERY_BUDGET[endpoint] + SCOPE_QUERIES[who]):
        response = client.get(f"{API}/{endpoint}/")
    assert response.status_code == 200
    if who == "admin":
        assert response.json()["count"] >= 12 or endpoint in {"communities", "school-years"}
