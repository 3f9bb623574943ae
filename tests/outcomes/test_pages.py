"""Outcomes pages per persona: a school's Dashboard, the network dashboard, goals; their exports."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from equitable.outcomes.models import Goal, OutcomeValue
from tests.outcomes.test_selectors import SCHOOL_B_MARK, build_outcomes

pytestmark = pytest.mark.django_db

SCHOOL_READERS_A = ["admin", "staff_ops", "staff_academic", "director", "principal_a"]
NOT_SCHOOL_A = ["principal_b", "partner", "board"]


@pytest.fixture
def outcomes(personas):
    return build_outcomes(personas)


def school_url(personas, school="school_a"):
    return reverse("outcomes:school", args=[getattr(personas, school).cds_code])


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- A school's outcomes page --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", SCHOOL_READERS_A)
def test_school_page_for_those_who_may_see_the_school(personas, outcomes, client_for, who):
    response = client_for(who).get(school_url(personas))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="indicator-ELA"' in html and 'data-testid="indicator-CHRO"' in html
    assert str(SCHOOL_B_MARK) not in html


@pytest.mark.parametrize("who", NOT_SCHOOL_A)
def test_school_page_is_not_found_for_those_who_may_not(personas, outcomes, client_for, who):
    assert client_for(who).get(school_url(personas)).status_code == 404
    assert client_for(who).get(school_url(personas) + "?export=csv").status_code == 404


def test_school_page_anonymous_goes_to_login(personas, outcomes, client_for):
    response = client_for("anonymous").get(school_url(personas))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_principal_a_cannot_open_school_b(personas, outcomes, client_for):
    client = client_for("principal_a")
    assert client.get(school_url(personas, "school_b")).status_code == 404
    assert client.get(school_url(personas, "school_b") + "?export=xlsx").status_code == 404
    assert client_for("principal_b").get(school_url(personas, "school_b")).status_code == 200


def test_school_page_shows_levels_grid_chart_and_suppressed_groups(personas, outcomes, client_for):
    html = client_for("principal_a").get(school_url(personas)).content.decode()
    assert 'data-testid="status-ELA">Low<' in html
    assert 'data-testid="change-ELA">Increased<' in html
    assert 'data-testid="color-ELA">Yellow<' in html
    assert 'data-testid="status-CHRO">Very High<' in html
    assert 'data-testid="change-CHRO">Declined Significantly<' in html
    # the highlighted grid cell: status 2, change 4, yellow (3)
    cell = html.split('data-testid="grid-cell-ELA"')[0].rsplit("<span", 1)[1]
    assert 'data-status="2"' in cell and 'data-change="4"' in cell and 'data-color="3"' in cell
    assert html.count('data-testid="grid-cell-ELA"') == 1
    assert "dash-c3 selected" in cell
    assert "<svg" in html and "Alpha Elementary" in html
    el_row = html.split('data-testid="group-ELA-EL"')[1].split("</tr>")[0]
    assert "*" in el_row and "-99.9" not in el_row
    assert "-45.5" in html.split('data-testid="group-ELA-HI"')[1].split("</tr>")[0]
    assert "<script>" not in html


def test_school_page_empty_state(personas, client_for):
    response = client_for("admin").get(school_url(personas, "school_c"))
    assert response.status_code == 200
    assert 'data-testid="no-outcomes"' in response.content.decode()


def test_school_group_export_suppresses_small_groups(personas, outcomes, client_for):
    response = client_for("principal_a").get(school_url(personas) + "?export=csv")
    assert response.status_code == 200
    rows = _csv(response)
    assert rows[0][:3] == ["Indicator", "School year", "Student group"]
    by_group = {(r[0].split(" ")[0], r[2]): r for r in rows[1:]}
    el = next(r for r in rows[1:] if r[2] == "English learners")
    assert el[3] == "*" and el[4] == "*" and el[5] == "*"
    assert any(r[2] == "Hispanic" and r[3] == "-45.5" for r in rows[1:])
    assert str(SCHOOL_B_MARK) not in response.content.decode()
    assert by_group
    xlsx = client_for("principal_a").get(school_url(personas) + "?export=xlsx&indicator=CHRO")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_school_profile_links_to_outcomes(personas, client_for):
    html = client_for("principal_a").get(reverse("network:school_detail", args=[personas.school_a.cds_code]))
    assert school_url(personas) in html.content.decode()


# --- The network dashboard -----------------------------------------------------------------------------------


DASHBOARD = "/outcomes/"


@pytest.mark.parametrize("who", ["admin", "staff_ops", "staff_academic", "director", "principal_a", "principal_b",
                                 "board"])
def test_dashboard_for_readers(personas, outcomes, client_for, who):
    response = client_for(who).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="trend-ELA"' in html and 'data-testid="growth-ELA"' in html
    assert 'data-testid="gap-ELA-HI"' in html


def test_dashboard_partner_is_refused_and_anonymous_goes_to_login(personas, outcomes, client_for):
    assert client_for("partner").get(DASHBOARD).status_code == 403
    assert client_for("partner").get(DASHBOARD + "?export=csv").status_code == 403
    response = client_for("anonymous").get(DASHBOARD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_dashboard_board_sees_aggregates_only(personas, outcomes, client_for):
    client = client_for("board")
    html = client.get(DASHBOARD).content.decode()
    assert 'data-testid="aggregates-only"' in html
    assert personas.school_a.name not in html and personas.school_b.name not in html
    assert client.get(DASHBOARD + "?table=schools&export=csv").status_code == 403
    trend = client.get(DASHBOARD + "?table=trend&export=csv")
    assert trend.status_code == 200 and personas.school_a.name not in trend.content.decode()


def test_dashboard_school_table_is_scoped(personas, outcomes, client_for):
    html = client_for("principal_a").get(DASHBOARD).content.decode()
    assert f'data-testid="school-{personas.school_a.cds_code}"' in html
    assert f'data-testid="school-{personas.school_b.cds_code}"' not in html
    assert str(SCHOOL_B_MARK) not in html
    export = client_for("principal_a").get(DASHBOARD + "?table=schools&export=csv")
    body = export.content.decode("utf-8-sig")
    assert personas.school_a.name in body and personas.school_b.name not in body
    admin = client_for("admin").get(DASHBOARD).content.decode()
    assert f'data-testid="school-{personas.school_b.cds_code}"' in admin


def test_dashboard_exports(personas, outcomes, client_for):
    client = client_for("staff_academic")
    trend = _csv(client.get(DASHBOARD + "?table=trend&export=csv"))
    assert trend[0] == ["Indicator", "School year", "Network", "District", "State", "Network − district",
                        "Network − state"]
    assert ["2024-25", "-41.00", "-20.00", "-8.10", "-21.00", "-32.90"] in [r[1:] for r in trend[1:]]
    gaps = _csv(client.get(DASHBOARD + "?table=gaps&export=csv"))
    swd = next(r for r in gaps if r[3] == "Students with disabilities")
    assert swd[4:] == ["*", "*", "*"]
    assert client.get(DASHBOARD + "?table=gaps&export=xlsx").content[:2] == b"PK"


def test_dashboard_without_network_rows_says_so(personas, outcomes, client_for):
    OutcomeValue.objects.filter(entity_type="network").delete()
    html = client_for("admin").get(DASHBOARD).content.decode()
    assert 'data-testid="no-network-rows"' in html


def test_dashboard_with_no_outcomes_at_all(personas, client_for):
    html = client_for("board").get(DASHBOARD).content.decode()
    assert 'data-testid="no-outcomes"' in html


def test_navigation_shows_outcomes_to_board_not_partner(personas, client_for):
    assert reverse("outcomes:goal_list") in client_for("board").get("/").content.decode()
    assert reverse("outcomes:goal_list") not in client_for("partner").get("/").content.decode()


# --- Goals ---------------------------------------------------------------------------------------------------


GOALS = "/outcomes/goals/"


@pytest.mark.parametrize(("who", "sees_b"), [("admin", True), ("staff_ops", True), ("staff_academic", True),
                                             ("director", False), ("principal_a", False), ("principal_b", True),
                                             ("board", False)])
def test_goal_list_per_persona(personas, outcomes, client_for, who, sees_b):
    response = client_for(who).get(GOALS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ELA North Star" in html and "Fewer absences" in html
    assert ("Bravo reading" in html) is sees_b


def test_goal_list_refuses_partner_and_sends_anonymous_to_login(personas, outcomes, client_for):
    assert client_for("partner").get(GOALS).status_code == 403
    assert client_for("anonymous").get(GOALS).status_code == 302


def test_goal_list_shows_progress_and_exports_it(personas, outcomes, client_for):
    client = client_for("board")
    html = client.get(GOALS).content.decode()
    assert 'data-testid="on-track"' in html and 'data-testid="off-track"' in html
    assert "47.5%" in html and "60.0%" in html
    rows = _csv(client.get(GOALS + "?export=csv"))
    header = rows[0]
    north = dict(zip(header, next(r for r in rows if r[0] == "ELA North Star"), strict=True))
    assert north["Percent of the way"] == "47.5" and north["On track"] == "no"
    assert north["Latest actual"] == "-41.00 (2024-25)"
    absences = dict(zip(header, next(r for r in rows if r[0] == "Fewer absences"), strict=True))
    assert absences["On track"] == "yes" and absences["Scope"] == "Network"
    assert "Bravo reading" not in client.get(GOALS + "?export=csv").content.decode()


def test_goal_add_and_edit_links_only_for_academic_staff_and_admins(personas, outcomes, client_for):
    for who in ("admin", "staff_academic"):
        html = client_for(who).get(GOALS).content.decode()
        assert reverse("outcomes:goal_add") in html
        assert reverse("outcomes:goal_edit", args=[outcomes.goal_network.pk]) in html
    for who in ("staff_ops", "director", "principal_a", "board"):
        html = client_for(who).get(GOALS).content.decode()
        assert reverse("outcomes:goal_add") not in html
        assert reverse("outcomes:goal_edit", args=[outcomes.goal_network.pk]) not in html


GOAL_DATA = {"name": "Math for all", "indicator": "MATH", "student_group": "ALL", "school": "",
             "baseline_year": "2024", "baseline_value": "-80", "target_year": "2030", "target_value": "-20",
             "description": ""}


def test_academic_staff_add_a_goal(personas, outcomes, client_for):
    response = client_for("staff_academic").post(reverse("outcomes:goal_add"), GOAL_DATA)
    assert response.status_code == 302
    goal = Goal.objects.get(name="Math for all")
    assert goal.school is None and goal.target_value == Decimal("-20")
    assert goal.history.first().history_user == personas.staff_academic


@pytest.mark.parametrize("who", ["staff_ops", "director", "principal_a", "board", "partner"])
def test_others_may_not_add_or_edit_goals(personas, outcomes, client_for, who):
    client = client_for(who)
    assert client.get(reverse("outcomes:goal_add")).status_code == 403
    assert client.post(reverse("outcomes:goal_add"), GOAL_DATA).status_code == 403
    edit = reverse("outcomes:goal_edit", args=[outcomes.goal_network.pk])
    assert client.post(edit, {**GOAL_DATA, "name": "Hijacked"}).status_code in (403, 404)
    assert not Goal.objects.filter(name__in=["Math for all", "Hijacked"]).exists()


def test_goal_edit_shows_validation_errors_and_saves(personas, outcomes, client_for):
    client = client_for("staff_academic")
    url = reverse("outcomes:goal_edit", args=[outcomes.goal_network.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {**GOAL_DATA, "name": "ELA North Star", "indicator": "ELA", "target_year": "2020"})
    assert bad.status_code == 200
    assert "The target year must come after the baseline year." in bad.content.decode()
    outcomes.goal_network.refresh_from_db()
    assert outcomes.goal_network.target_year == 2027
    ok = client.post(url, {**GOAL_DATA, "name": "ELA North Star", "indicator": "ELA", "target_value": "-10"})
    assert ok.status_code == 302
    outcomes.goal_network.refresh_from_db()
    assert outcomes.goal_network.target_value == Decimal("-10")


def test_goal_school_choices_are_scoped(personas, outcomes, client_for):
    html = client_for("staff_academic").get(reverse("outcomes:goal_add")).content.decode()
    assert personas.school_b.name in html


def test_goal_list_query_count_does_not_grow(personas, outcomes, client_for, django_assert_num_queries):
    client = client_for("staff_academic")
    client.get(GOALS)  # warm the session and caches
    with django_assert_num_queries(5):
        client.get(GOALS)
    for index in range(6):
        Goal.objects.create(name=f"Extra {index}", indicator="ELA", school=personas.school_a, baseline_year=2023,
                            baseline_value=Decimal("-60"), target_year=2027, target_value=Decimal("-20"))
    with django_assert_num_queries(5):
        client.get(GOALS)


def test_dashboard_query_count_does_not_grow_with_schools_or_years(personas, outcomes, client_for,
                                                                   django_assert_num_queries):
    client = client_for("staff_ops")
    client.get(DASHBOARD)
    with django_assert_num_queries(6):
        client.get(DASHBOARD)
    for year in (2021, 2022):
        for school in (personas.school_a, personas.school_b):
            OutcomeValue.objects.create(indicator="MATH", year=year, entity_type="school", cds=school.cds_code,
                                        school=school, value=Decimal("-30"), denominator=200, source="demo")
        OutcomeValue.objects.create(indicator="MATH", year=year, entity_type="network", cds="",
                                    value=Decimal("-30"), denominator=200, source="computed")
    with django_assert_num_queries(6):
        client.get(DASHBOARD)
