"""The registry's pages: who reaches each page (and who must not), what they see, exports, forms, history, HTMX.

Every page is checked for every persona in ALL_PERSONAS: anonymous is sent to the login page; personas with
no such records get 403 on list pages; a record the persona may not view is a 404 (its existence is not
revealed); a record they may view but not change answers 403 on its forms.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from equitable.network.models import Enrollment, FeederLink, Person, School, SchoolYear, StaffAssignment
from tests.personas import ALL_PERSONAS

pytestmark = pytest.mark.django_db

STAFF = {"admin", "staff_ops", "staff_talent", "staff_academic"}
INTERNAL = STAFF | {"director", "principal_a", "principal_b"}
CDS_A, CDS_B = "19647330000011", "19647330000022"


def expected(ok: set[str], missing: set[str] = frozenset()) -> dict[str, int]:
    """Status per persona: 200 for `ok`, 404 for `missing`, 302 for anonymous, 403 for everyone else."""
    out = {}
    for name in ALL_PERSONAS:
        if name == "anonymous":
            out[name] = 302
        elif name in ok:
            out[name] = 200
        elif name in missing:
            out[name] = 404
        else:
            out[name] = 403
    return out


def matrix(page: str, statuses: dict[str, int]):
    return [pytest.param(page, who, status, id=f"{page}-{who}") for who, status in statuses.items()]


PAGES = {
    "school_list": lambda p: reverse("network:school_list"),
    "school_list_csv": lambda p: reverse("network:school_list") + "?export=csv",
    "school_a": lambda p: reverse("network:school_detail", args=[CDS_A]),
    "school_b": lambda p: reverse("network:school_detail", args=[CDS_B]),
    "school_add": lambda p: reverse("network:school_add"),
    "school_a_edit": lambda p: reverse("network:school_edit", args=[CDS_A]),
    "school_b_edit": lambda p: reverse("network:school_edit", args=[CDS_B]),
    "enrollment_a": lambda p: reverse("network:enrollment_edit", args=[CDS_A, "2025-26"]),
    "enrollment_b": lambda p: reverse("network:enrollment_edit_current", args=[CDS_B]),
    "staff_add_a": lambda p: reverse("network:staff_add", args=[CDS_A]),
    "staff_edit_a": lambda p: reverse("network:staff_edit", args=[p.assignment_a.pk]),
    "staff_edit_b": lambda p: reverse("network:staff_edit", args=[p.assignment_b.pk]),
    "community_list": lambda p: reverse("network:community_list"),
    "community_watts": lambda p: reverse("network:community_detail", args=["watts"]),
    "feeder_list": lambda p: reverse("network:feederpattern_list"),
    "feeder_detail": lambda p: reverse("network:feederpattern_detail", args=[p.pattern.pk]),
    "person_list": lambda p: reverse("network:person_list"),
    "person_list_xlsx": lambda p: reverse("network:person_list") + "?export=xlsx",
    "person_add": lambda p: reverse("network:person_add"),
    "person_ana": lambda p: reverse("network:person_detail", args=[p.person_principal_a.pk]),
    "person_tess": lambda p: reverse("network:person_detail", args=[p.person_teacher_b.pk]),
    "person_dana": lambda p: reverse("network:person_detail", args=[Person.objects.get(last_name="Director").pk]),
    "person_ana_edit": lambda p: reverse("network:person_edit", args=[p.person_principal_a.pk]),
    "person_tess_edit": lambda p: reverse("network:person_edit", args=[p.person_teacher_b.pk]),
}

NO_RECORDS = {"partner", "board"}
CASES = [
    *matrix("school_list", expected(INTERNAL)),
    *matrix("school_list_csv", expected(INTERNAL)),
    *matrix("school_a", expected(STAFF | {"director", "principal_a"}, {"principal_b"} | NO_RECORDS)),
    *matrix("school_b", expected(STAFF | {"principal_b"}, {"director", "principal_a"} | NO_RECORDS)),
    *matrix("school_add", expected({"admin", "staff_ops"})),
    *matrix("school_a_edit", expected({"admin", "staff_ops"}, {"principal_b"} | NO_RECORDS)),
    *matrix("school_b_edit", expected({"admin", "staff_ops"}, {"principal_a", "director"} | NO_RECORDS)),
    *matrix("enrollment_a", expected({"admin", "staff_ops", "principal_a"}, {"principal_b"} | NO_RECORDS)),
    *matrix("enrollment_b", expected({"admin", "staff_ops", "principal_b"}, {"principal_a", "director"} | NO_RECORDS)),
    *matrix("staff_add_a", expected({"admin", "staff_talent", "principal_a"}, {"principal_b"} | NO_RECORDS)),
    *matrix("staff_edit_a", expected({"admin", "staff_talent", "principal_a"}, {"principal_b"} | NO_RECORDS)),
    *matrix("staff_edit_b", expected({"admin", "staff_talent", "principal_b"}, {"principal_a", "director"} | NO_RECORDS)),
    *matrix("community_list", expected(INTERNAL | {"board"})),
    *matrix("community_watts", expected(INTERNAL | {"board"}, {"partner"})),
    *matrix("feeder_list", expected(INTERNAL)),
    *matrix("feeder_detail", expected(INTERNAL, NO_RECORDS)),
    *matrix("person_list", expected(INTERNAL)),
    *matrix("person_list_xlsx", expected(INTERNAL)),
    *matrix("person_add", expected({"admin", "staff_talent"})),
    *matrix("person_ana", expected(STAFF | {"director", "principal_a"}, {"principal_b"} | NO_RECORDS)),
    *matrix("person_tess", expected(STAFF | {"principal_b"}, {"director", "principal_a"} | NO_RECORDS)),
    *matrix("person_dana", expected(INTERNAL, NO_RECORDS)),
    *matrix("person_ana_edit", expected({"admin", "staff_talent", "principal_a"}, {"principal_b"} | NO_RECORDS)),
    *matrix("person_tess_edit", expected({"admin", "staff_talent", "principal_b"}, {"principal_a", "director"} | NO_RECORDS)),
]


@pytest.mark.parametrize(("page", "who", "status"), CASES)
def test_who_reaches_each_page(personas, client_for, page, who, status):
    url = PAGES[page](personas)
    response = client_for(who).get(url)
    assert response.status_code == status, f"{who} on {url}"
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


# Forms answer POSTs the same way as GETs: nobody writes through a door they cannot open.
POST_CASES = [
    ("school_b_edit", "principal_a", 404),
    ("school_a_edit", "principal_a", 403),
    ("school_a_edit", "staff_talent", 403),
    ("school_add", "principal_a", 403),
    ("enrollment_b", "principal_a", 404),
    ("enrollment_a", "director", 403),
    ("staff_edit_b", "principal_a", 404),
    ("staff_add_a", "staff_ops", 403),
    ("person_tess_edit", "principal_a", 404),
    ("person_ana_edit", "director", 403),
    ("person_add", "principal_a", 403),
]


@pytest.mark.parametrize(("page", "who", "status"), POST_CASES)
def test_forbidden_posts_write_nothing(personas, client_for, page, who, status):
    from equitable.network.models import Person as PersonModel

    before = (School.history.count(), Enrollment.history.count(), StaffAssignment.history.count(),
              PersonModel.history.count())
    response = client_for(who).post(PAGES[page](personas), {
        "name": "Hijacked", "cds_code": CDS_B, "level": "middle", "membership": "none", "directory_status": "Active",
        "total": "1", "role": "principal", "first_name": "X", "last_name": "Y",
    })
    assert response.status_code == status
    after = (School.history.count(), Enrollment.history.count(), StaffAssignment.history.count(),
             PersonModel.history.count())
    assert after == before


# --- School list -------------------------------------------------------------------------------------------

def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_school_list_shows_default_columns_and_current_enrollment(personas, client_for):
    response = client_for("staff_ops").get(reverse("network:school_list"))
    html = response.content.decode()
    assert "<html" in html
    for header in ("Name", "Level", "Grades", "Community", "Membership", "Enrollment 2025-26"):
        assert f">{header}<" in html or f">{header} <" in html
    assert "CDS code</a>" not in html
    assert f'href="{reverse("network:school_detail", args=[CDS_A])}"' in html
    assert ">400<" in html and ">600<" in html


def test_principal_list_shows_only_their_school(personas, client_for):
    html = client_for("principal_a").get(reverse("network:school_list")).content.decode()
    assert "Alpha Elementary" in html
    assert "Bravo Middle" not in html and "Charlie High" not in html


@pytest.mark.parametrize(("who", "names"), [
    ("admin", ["Alpha Elementary", "Bravo Middle", "Charlie High"]),
    ("staff_talent", ["Alpha Elementary", "Bravo Middle", "Charlie High"]),
    ("director", ["Alpha Elementary"]),
    ("principal_a", ["Alpha Elementary"]),
    ("principal_b", ["Bravo Middle"]),
])
def test_school_export_contains_only_rows_the_user_may_see(personas, client_for, who, names):
    rows = _csv(client_for(who).get(reverse("network:school_list") + "?export=csv"))
    assert rows[0] == ["Name", "Level", "Grades", "Community", "Membership", "Enrollment 2025-26"]
    assert [row[0] for row in rows[1:]] == names


def test_principal_cannot_filter_their_way_to_another_school(personas, client_for):
    url = reverse("network:school_list") + f"?q={CDS_B}&export=csv"
    rows = _csv(client_for("principal_a").get(url))
    assert rows[1:] == []


def test_export_follows_filters_columns_and_sort_across_all_pages(personas, client_for):
    url = reverse("network:school_list") + "?community=watts&columns=cds_code&columns=name&sort=-name&export=csv"
    rows = _csv(client_for("admin").get(url))
    assert rows == [["CDS code", "Name"], ["19647330000033", "Charlie High"], [CDS_A, "Alpha Elementary"]]


def test_export_includes_every_page(personas, client_for):
    for index in range(60):
        School.objects.create(cds_code=f"1964733{index + 1000000:07d}", name=f"Directory {index:02d}",
                              level="elementary")
    client = client_for("admin")
    page = client.get(reverse("network:school_list")).content.decode()
    assert "Directory 59" not in page  # 50 a page
    rows = _csv(client.get(reverse("network:school_list") + "?export=csv"))
    assert len(rows) == 1 + 63


def test_xlsx_export_is_a_workbook_of_what_is_shown(personas, client_for):
    url = reverse("network:school_list") + "?membership=member&columns=name&columns=enrollment&export=xlsx"
    response = client_for("staff_ops").get(url)
    assert response["Content-Disposition"] == 'attachment; filename="schools.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Name", "Enrollment 2025-26"], ["Alpha Elementary", 400], ["Bravo Middle", 600]]


def test_column_choice_shows_the_chosen_columns_in_order(personas, client_for):
    html = client_for("admin").get(reverse("network:school_list") + "?columns=zip_code&columns=name&columns=bogus")
    html = html.content.decode()
    table = html[html.index('data-testid="school-table"'):]
    assert table.index(">ZIP<") < table.index(">Name ")
    assert ">Level<" not in table
    assert 'value="zip_code" checked' in html and 'value="level" checked' not in html


def test_sorting_by_enrollment(personas, client_for):
    client = client_for("admin")
    rows = _csv(client.get(reverse("network:school_list") + "?sort=-enrollment&export=csv"))
    assert [row[0] for row in rows[1:]] == ["Bravo Middle", "Alpha Elementary", "Charlie High"]
    rows = _csv(client.get(reverse("network:school_list") + "?sort=enrollment&export=csv"))
    assert [row[0] for row in rows[1:]] == ["Alpha Elementary", "Bravo Middle", "Charlie High"]  # no figure: last


def test_filters_and_empty_state(personas, client_for):
    client = client_for("admin")
    html = client.get(reverse("network:school_list") + "?level=high").content.decode()
    assert "Charlie High" in html and "Alpha Elementary" not in html
    html = client.get(reverse("network:school_list") + "?q=no-such-school").content.decode()
    assert "No schools match these filters." in html
    assert 'data-testid="export-csv"' not in html


def test_empty_list_says_so(personas, client_for):
    html = client_for("director").get(reverse("network:school_list"))
    assert html.status_code == 200
    StaffAssignment.objects.filter(person=personas.person_principal_a).delete()
    from equitable.network.scoping import forget_scope

    forget_scope(personas.director)
    html = client_for("director").get(reverse("network:school_list")).content.decode()
    assert "No schools to show yet." in html


def test_htmx_request_gets_only_the_table_region(personas, client_for):
    client = client_for("admin")
    response = client.get(reverse("network:school_list") + "?level=middle", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "<nav id=\"sidenav\"" not in html
    assert html.lstrip().startswith('<div id="list-region"')
    assert "Bravo Middle" in html and "Alpha Elementary" not in html
    assert "HX-Request" in response["Vary"]
    # the export links of the partial carry the same filters
    assert "?level=middle&amp;export=csv" in html
    # a history restore needs the whole page
    restored = client.get(reverse("network:school_list"), HTTP_HX_REQUEST="true",
                          HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restored.content.decode()


def test_sort_and_page_links_swap_the_region(personas, client_for):
    html = client_for("admin").get(reverse("network:school_list")).content.decode()
    assert 'hx-target="#list-region"' in html
    assert 'hx-get="?sort=-name"' in html


def test_add_button_only_for_those_who_may_add(personas, client_for):
    assert 'data-testid="add"' in client_for("staff_ops").get(reverse("network:school_list")).content.decode()
    assert 'data-testid="add"' not in client_for("staff_talent").get(reverse("network:school_list")).content.decode()
    assert 'data-testid="add"' not in client_for("principal_a").get(reverse("network:school_list")).content.decode()


def _many_schools(personas, count: int) -> None:
    for index in range(count):
        school = School.objects.create(cds_code=f"1964733{index + 2000000:07d}", name=f"School {index:02d}",
                                       level="elementary", community=personas.watts)
        Enrollment.objects.create(school=school, school_year=personas.year, total=100 + index)
        FeederLink.objects.create(pattern=personas.pattern, school=school, stage=1)
        person = Person.objects.create(first_name=f"Person{index}", last_name="Many")
        StaffAssignment.objects.create(person=person, school=school, role="ilt_member")


ALL_COLUMNS = "&".join(f"columns={name}" for name in
                       ("name", "cds_code", "community", "feeder_patterns", "enrollment", "membership"))


@pytest.mark.parametrize("who", ["admin", "director"])
def test_school_list_query_count_is_pinned(personas, client_for, django_assert_max_num_queries, who):
    _many_schools(personas, 45)
    client = client_for(who)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("network:school_list") + "?" + ALL_COLUMNS).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("network:school_list") + "?export=csv&" + ALL_COLUMNS).status_code == 200


@pytest.mark.parametrize("who", ["admin", "principal_a"])
def test_people_list_query_count_is_pinned(personas, client_for, django_assert_max_num_queries, who):
    _many_schools(personas, 45)
    client = client_for(who)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("network:person_list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("network:person_list") + "?export=csv").status_code == 200


# --- School profile ----------------------------------------------------------------------------------------

def test_school_profile_shows_the_school(personas, client_for):
    html = client_for("principal_a").get(reverse("network:school_detail", args=[CDS_A])).content.decode()
    for text in ("Alpha Elementary", "Watts", "Alpha → Bravo", "TK–5", "90002", "2016-07-01", "District request",
                 "2021-07-01 – 2026-06-30", "Ana Alvarez", "Principal", "Socioeconomically disadvantaged",
                 'role="tab"', 'id="tab-history"', "<svg"):
        assert text in html, text
    assert 'data-testid="enrollment-total">400<' in html
    # a principal edits enrollment and staff of their school, not the school itself
    assert 'data-testid="edit-enrollment"' in html and 'data-testid="add-staff"' in html
    assert 'data-testid="edit"' not in html


def test_school_profile_counts_are_not_suppressed_inside_the_school(personas, client_for):
    html = client_for("principal_a").get(reverse("network:school_detail", args=[CDS_A])).content.decode()
    assert "<td>Foster youth</td><td class=\"num\">8</td>" in html


def test_school_profile_buttons_follow_permissions(personas, client_for):
    html = client_for("staff_ops").get(reverse("network:school_detail", args=[CDS_A])).content.decode()
    assert 'data-testid="edit"' in html and 'data-testid="edit-enrollment"' in html
    assert 'data-testid="add-staff"' not in html
    html = client_for("director").get(reverse("network:school_detail", args=[CDS_A])).content.decode()
    assert 'data-testid="edit"' not in html and 'data-testid="edit-enrollment"' not in html
    assert 'data-testid="add-staff"' not in html


def test_school_profile_enrollment_over_years(personas, client_for):
    old = SchoolYear.objects.create(name="2024-25", start_date=date(2024, 8, 15), end_date=date(2025, 6, 12))
    Enrollment.objects.create(school=personas.school_a, school_year=old, total=420)
    html = client_for("staff_academic").get(reverse("network:school_detail", args=[CDS_A])).content.decode()
    years = html[html.index('data-testid="years"'):]
    assert years.index("2024-25") < years.index("2025-26")
    assert ">420<" in years


# --- Forms, services and the History tab -------------------------------------------------------------------

def _school_post(school: School, **changes) -> dict:
    data = {
        "cds_code": school.cds_code, "name": school.name, "level": school.level,
        "grade_low": school.grade_low, "grade_high": school.grade_high,
        "community": school.community_id or "", "network": school.network_id or "", "membership": school.membership,
        "joined_on": school.joined_on or "", "join_route": school.join_route, "left_on": school.left_on or "",
        "mou_start": school.mou_start or "", "mou_end": school.mou_end or "", "street": school.street,
        "city": school.city, "zip_code": school.zip_code, "latitude": "", "longitude": "",
        "school_type": school.school_type, "directory_status": school.directory_status,
    }
    data.update(changes)
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_school_edit_appears_in_history_with_before_and_after(personas, client_for):
    client = client_for("staff_ops")
    url = reverse("network:school_edit", args=[CDS_A])
    response = client.post(url, _school_post(personas.school_a, name="Alpha Elementary STEAM Academy", zip_code="90059"))
    assert response.status_code == 302
    assert response["Location"] == reverse("network:school_detail", args=[CDS_A])
    personas.school_a.refresh_from_db()
    assert personas.school_a.name == "Alpha Elementary STEAM Academy"
    html = client.get(response["Location"]).content.decode()
    history = html[html.index('id="tab-history"'):]
    changed = history[history.index("change-changed"):]
    assert "Staff Ops" in changed[:400]
    assert '<td class="before">Alpha Elementary</td><td class="after">Alpha Elementary STEAM Academy</td>' in changed
    assert '<td class="before">90002</td><td class="after">90059</td>' in changed


def test_school_edit_with_bad_data_shows_errors_and_writes_nothing(personas, client_for):
    client = client_for("staff_ops")
    url = reverse("network:school_edit", args=[CDS_A])
    before = School.history.count()
    response = client.post(url, _school_post(personas.school_a, name="Renamed", grade_low=5, grade_high=0,
                                             mou_end="2020-01-01", zip_code="9000"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The highest grade must not be below the lowest grade." in html
    assert "The MOU cannot end before it starts." in html
    assert "A ZIP code is 5 digits" in html
    assert 'data-testid="error-grade_high"' in html and 'data-testid="error-zip_code"' in html
    personas.school_a.refresh_from_db()
    assert personas.school_a.name == "Alpha Elementary"
    assert School.history.count() == before


def test_school_add_rejects_a_bad_cds_code_and_a_duplicate(personas, client_for):
    client = client_for("staff_ops")
    url = reverse("network:school_add")
    base = {"name": "New School", "level": "elementary", "membership": "none", "directory_status": "Active"}
    response = client.post(url, {**base, "cds_code": CDS_A})
    assert response.status_code == 200
    assert 'data-testid="error-cds_code"' in response.content.decode()
    assert School.objects.filter(name="New School").count() == 0
    response = client.post(url, {**base, "cds_code": "19647330000044"})
    assert response.status_code == 302
    school = School.objects.get(cds_code="19647330000044")
    assert school.history.first().history_user == personas.staff_ops


def test_enrollment_edit_assembles_grades_and_groups(personas, client_for):
    client = client_for("principal_a")
    url = reverse("network:enrollment_edit", args=[CDS_A, "2025-26"])
    data = {"total": "410", "unduplicated": "390", "grade_TK": "50", "grade_K": "60", "grade_1": "60",
            "grade_2": "60", "grade_3": "60", "grade_4": "60", "grade_5": "60", "group_SED": "380", "group_HI": "310",
            "group_EL": ""}
    response = client.post(url, data)
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(pk=personas.enrollment_a.pk)
    assert enrollment.total == 410
    assert enrollment.by_grade == {"TK": 50, "K": 60, "1": 60, "2": 60, "3": 60, "4": 60, "5": 60}
    assert enrollment.by_group == {"SED": 380, "HI": 310}
    html = client.get(reverse("network:school_detail", args=[CDS_A])).content.decode()
    history = html[html.index('data-testid="enrollment-history"'):]
    assert '<td class="before">400</td><td class="after">410</td>' in history


def test_enrollment_bad_counts_show_the_models_message_and_write_nothing(personas, client_for):
    client = client_for("staff_ops")
    url = reverse("network:enrollment_edit", args=[CDS_A, "2025-26"])
    before = Enrollment.history.count()
    response = client.post(url, {"total": "400", "unduplicated": "500", "grade_K": "100", "group_SED": "450"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Grade counts add up to 100 but the total is 400." in html
    assert "Unduplicated pupils cannot exceed the total enrollment." in html
    assert "exceed the total enrollment of 400" in html
    assert Enrollment.history.count() == before
    assert Enrollment.objects.get(pk=personas.enrollment_a.pk).total == 400


def test_enrollment_negative_count_is_a_form_error(personas, client_for):
    response = client_for("staff_ops").post(reverse("network:enrollment_edit", args=[CDS_A, "2025-26"]),
                                            {"total": "400", "grade_K": "-3"})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()


def test_enrollment_for_a_new_year_is_created(personas, client_for):
    SchoolYear.objects.create(name="2024-25", start_date=date(2024, 8, 15), end_date=date(2025, 6, 12))
    client = client_for("principal_a")
    url = reverse("network:enrollment_edit", args=[CDS_A, "2024-25"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"total": "390", "group_EL": "140"}).status_code == 302
    enrollment = Enrollment.objects.get(school=personas.school_a, school_year__name="2024-25")
    assert (enrollment.total, enrollment.by_group, enrollment.by_grade) == (390, {"EL": 140}, {})
    assert enrollment.history.first().history_user == personas.principal_a


def test_unknown_school_year_is_404(personas, client_for):
    assert client_for("admin").get(reverse("network:enrollment_edit", args=[CDS_A, "1999-00"])).status_code == 404


def test_principal_adds_a_new_staff_member_they_can_then_see(personas, client_for):
    client = client_for("principal_a")
    response = client.post(reverse("network:staff_add", args=[CDS_A]), {
        "new_first_name": "Nora", "new_last_name": "New", "new_email": "nora@example.org",
        "role": "teacher_leader", "pathway": "instruction", "start_date": "2025-08-14",
    })
    assert response.status_code == 302
    nora = Person.objects.get(email="nora@example.org")
    assignment = StaffAssignment.objects.get(person=nora)
    assert (assignment.school, assignment.role, assignment.pathway) == (personas.school_a, "teacher_leader", "instruction")
    assert nora.history.first().history_user == personas.principal_a
    assert client.get(reverse("network:person_detail", args=[nora.pk])).status_code == 200
    html = client.get(reverse("network:school_detail", args=[CDS_A])).content.decode()
    assert "Nora New" in html


def test_staff_add_bad_data_writes_nothing(personas, client_for):
    client = client_for("principal_a")
    url = reverse("network:staff_add", args=[CDS_A])
    people, assignments = Person.objects.count(), StaffAssignment.objects.count()
    # a teacher leader without a pathway: the model's rule comes back on the pathway field
    response = client.post(url, {"new_first_name": "Nora", "new_last_name": "New", "role": "teacher_leader"})
    assert response.status_code == 200
    assert "A teacher leader has a pathway." in response.content.decode()
    # a duplicate email: the person is not written either (all or nothing)
    response = client.post(url, {"new_first_name": "Nora", "new_last_name": "New", "new_email": "tess@example.org",
                                 "role": "ilt_member"})
    assert response.status_code == 200
    assert "Another person already has this email address." in response.content.decode()
    # neither a person nor a new name
    response = client.post(url, {"role": "ilt_member"})
    assert "Choose a person from the directory" in response.content.decode()
    assert (Person.objects.count(), StaffAssignment.objects.count()) == (people, assignments)


def test_principal_cannot_pick_people_they_may_not_see(personas, client_for):
    response = client_for("principal_a").post(reverse("network:staff_add", args=[CDS_A]), {
        "person": personas.person_teacher_b.pk, "role": "ilt_member"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not StaffAssignment.objects.filter(person=personas.person_teacher_b, school=personas.school_a).exists()


def test_staff_edit_sets_an_end_date(personas, client_for):
    client = client_for("staff_talent")
    response = client.post(reverse("network:staff_edit", args=[personas.assignment_b.pk]),
                           {"role": "principal", "start_date": "2019-07-01", "end_date": "2019-06-01"})
    assert "The assignment cannot end before it starts." in response.content.decode()
    response = client.post(reverse("network:staff_edit", args=[personas.assignment_b.pk]),
                           {"role": "principal", "start_date": "2019-07-01", "end_date": "2030-06-30"})
    assert response.status_code == 302
    personas.assignment_b.refresh_from_db()
    assert personas.assignment_b.end_date == date(2030, 6, 30)


def test_person_add_and_edit(personas, client_for):
    client = client_for("staff_talent")
    response = client.post(reverse("network:person_add"), {
        "first_name": "Omar", "last_name": "Ortiz", "title": "Coach", "email": "ana@example.org"})
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in response.content.decode()
    assert not Person.objects.filter(first_name="Omar").exists()
    response = client.post(reverse("network:person_add"), {
        "first_name": "Omar", "last_name": "Ortiz", "title": "Coach", "email": "omar@example.org"})
    assert response.status_code == 302
    omar = Person.objects.get(email="omar@example.org")
    response = client.post(reverse("network:person_edit", args=[omar.pk]), {
        "first_name": "Omar", "last_name": "Ortiz", "title": "Senior Coach", "email": "omar@example.org"})
    assert response.status_code == 302
    html = client.get(reverse("network:person_detail", args=[omar.pk])).content.decode()
    assert '<td class="before">Coach</td><td class="after">Senior Coach</td>' in html


def test_principal_edits_own_record_without_department(personas, client_for):
    client = client_for("principal_a")
    url = reverse("network:person_edit", args=[personas.person_principal_a.pk])
    html = client.get(url).content.decode()
    assert 'name="department"' not in html
    response = client.post(url, {"first_name": "Ana", "last_name": "Alvarez", "email": "ana@example.org",
                                 "phone": "213-555-0101"})
    assert response.status_code == 302
    personas.person_principal_a.refresh_from_db()
    assert personas.person_principal_a.phone == "213-555-0101"


# --- Communities, feeder patterns, people ------------------------------------------------------------------

def test_board_sees_community_aggregates_not_school_rows(personas, client_for):
    html = client_for("board").get(reverse("network:community_detail", args=["watts"])).content.decode()
    assert 'data-testid="n-schools">1<' in html  # Charlie High left the network
    assert 'data-testid="n-students">400<' in html
    assert "<td>Foster youth</td><td class=\"num\">*</td>" in html  # 8 students: suppressed
    assert "<td>White</td><td class=\"num\">*</td>" in html
    assert "Alpha Elementary" not in html and "Charlie High" not in html


def test_community_page_links_only_schools_the_user_may_view(personas, client_for):
    html = client_for("principal_b").get(reverse("network:community_detail", args=["watts"])).content.decode()
    assert "Alpha Elementary" in html and "Charlie High" in html
    assert reverse("network:school_detail", args=[CDS_A]) not in html
    assert ">400<" not in html.split('data-testid="schools"')[1]  # no enrollment of a school they may not view
    html = client_for("principal_a").get(reverse("network:community_detail", args=["watts"])).content.decode()
    assert reverse("network:school_detail", args=[CDS_A]) in html
    assert "Alpha → Bravo" in html


def test_community_list_totals(personas, client_for):
    html = client_for("board").get(reverse("network:community_list")).content.decode()
    assert "Boyle Heights" in html and "Watts" in html
    assert ">600<" in html and ">400<" in html


def test_feeder_pattern_chain(personas, client_for):
    html = client_for("principal_a").get(reverse("network:feederpattern_detail", args=[personas.pattern.pk]))
    html = html.content.decode()
    chain = html[html.index('data-testid="chain"'):]
    assert chain.index("Alpha Elementary") < chain.index('class="arrow"') < chain.index("Bravo Middle")
    assert reverse("network:school_detail", args=[CDS_A]) in chain
    assert reverse("network:school_detail", args=[CDS_B]) not in chain
    assert '<span data-testid="unlinked">Bravo Middle</span>' in chain
    assert 'id="tab-history"' in html


def test_feeder_stage_holds_several_schools(personas, client_for):
    FeederLink.objects.create(pattern=personas.pattern, school=personas.school_c, stage=2)
    html = client_for("admin").get(reverse("network:feederpattern_list")).content.decode()
    chain = html[html.index('data-testid="chain"'):]
    assert chain.count('class="stage"') == 2 and chain.count('class="node"') == 3
    assert "Stage 2" in chain  # a middle and a high school share stage 2


def test_people_directory_scope_and_export(personas, client_for):
    rows = _csv(client_for("principal_a").get(reverse("network:person_list") + "?export=csv"))
    names = [row[0] for row in rows[1:]]
    assert "Ana Alvarez" in names and "Dana Director" in names
    assert "Tess Teacher" not in names and "Ben Brooks" not in names
    rows = _csv(client_for("staff_ops").get(reverse("network:person_list") + "?role=teacher_leader&export=csv"))
    assert rows[0] == ["Name", "Title", "Department", "Schools", "School roles", "Email"]
    assert rows[1:] == [["Tess Teacher", "", "", "Bravo Middle", "Teacher leader", "tess@example.org"]]


def test_people_search_and_htmx(personas, client_for):
    response = client_for("staff_ops").get(reverse("network:person_list") + "?q=dana", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "Dana Director" in html and "Tess Teacher" not in html


def test_person_page_shows_caseload_for_directors(personas, client_for):
    dana = Person.objects.get(last_name="Director")
    html = client_for("director").get(reverse("network:person_detail", args=[dana.pk])).content.decode()
    caseload = html[html.index('data-testid="caseload"'):]
    assert "Ana Alvarez" in caseload and "Alpha Elementary" in caseload
    html = client_for("principal_a").get(reverse("network:person_detail", args=[personas.person_principal_a.pk]))
    html = html.content.decode()
    assert "Supported by" in html and "Dana Director" in html
    assert "Alpha Elementary" in html and 'id="tab-history"' in html
