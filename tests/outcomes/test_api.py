"""Outcomes API per persona: outcome values (read, scoped, filtered, suppressed) and goals (read; write for
academic staff and admins through the services)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from equitable.outcomes.models import Goal, OutcomeValue
from tests.outcomes.test_selectors import SCHOOL_B_MARK, build_outcomes

pytestmark = pytest.mark.django_db

OUTCOMES = "/api/v1/outcomes/"
GOALS = "/api/v1/goals/"


@pytest.fixture
def outcomes(personas):
    return build_outcomes(personas)


def _all(client, url, **params) -> list[dict]:
    response = client.get(url, {"limit": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_anonymous_gets_401(personas, outcomes, api_for):
    assert api_for("anonymous").get(OUTCOMES).status_code == 401
    assert api_for("anonymous").get(GOALS).status_code == 401
    assert api_for("anonymous").get(f"{OUTCOMES}{outcomes.a_ela.pk}/").status_code == 401


@pytest.mark.parametrize(("who", "school_cds"), [
    ("admin", {"19647330000011", "19647330000022"}),
    ("staff_ops", {"19647330000011", "19647330000022"}),
    ("director", {"19647330000011"}),
    ("principal_a", {"19647330000011"}),
    ("principal_b", {"19647330000022"}),
    ("board", set()),
])
def test_outcome_list_is_scoped(personas, outcomes, api_for, who, school_cds):
    rows = _all(api_for(who), OUTCOMES)
    assert {r["cds"] for r in rows if r["entity_type"] == "school"} == school_cds
    assert {"network", "district", "state"} <= {r["entity_type"] for r in rows}
    aggregates = OutcomeValue.objects.exclude(entity_type="school").count()
    assert sum(1 for r in rows if r["entity_type"] != "school") == aggregates


def test_partner_sees_nothing(personas, outcomes, api_for):
    client = api_for("partner")
    assert _all(client, OUTCOMES) == []
    assert _all(client, GOALS) == []
    assert client.get(f"{OUTCOMES}{outcomes.network_ela.pk}/").status_code == 404


def test_principal_a_cannot_reach_school_b_rows(personas, outcomes, api_for):
    client = api_for("principal_a")
    assert client.get(f"{OUTCOMES}{outcomes.b_ela.pk}/").status_code == 404
    assert _all(client, OUTCOMES, cds=personas.school_b.cds_code) == []
    assert str(SCHOOL_B_MARK) not in client.get(OUTCOMES, {"limit": 1000}).content.decode()
    mine = client.get(f"{OUTCOMES}{outcomes.a_ela.pk}/").json()
    assert mine["school"] == personas.school_a.cds_code
    assert (mine["value"], mine["status_level"], mine["change_level"], mine["color"], mine["box"]) == (
        -40.0, 2, 4, 3, 190)
    assert mine["school_year"] == "2024-25" and mine["suppressed"] is False


def test_board_reads_aggregates_only(personas, outcomes, api_for):
    client = api_for("board")
    assert client.get(f"{OUTCOMES}{outcomes.a_ela.pk}/").status_code == 404
    assert client.get(f"{OUTCOMES}{outcomes.network_ela.pk}/").status_code == 200
    assert _all(client, OUTCOMES, entity_type="school") == []


def test_small_groups_are_suppressed(personas, outcomes, api_for):
    row = api_for("admin").get(f"{OUTCOMES}{outcomes.a_el_small.pk}/").json()
    assert row["suppressed"] is True
    assert row["value"] is None and row["denominator"] is None and row["change"] is None
    assert row["student_group"] == "EL"


def test_outcome_filters(personas, outcomes, api_for):
    client = api_for("admin")
    assert {r["indicator"] for r in _all(client, OUTCOMES, indicator="CHRO")} == {"CHRO"}
    assert {r["year"] for r in _all(client, OUTCOMES, year=2024)} == {2024}
    assert {r["entity_type"] for r in _all(client, OUTCOMES, entity_type="network")} == {"network"}
    state = _all(client, OUTCOMES, cds="00000000000000", indicator="ELA", student_group="ALL")
    assert [r["year"] for r in state] == [2025, 2024, 2023]
    assert {r["student_group"] for r in _all(client, OUTCOMES, student_group="HI")} == {"HI"}
    assert client.get(OUTCOMES, {"indicator": "NOPE"}).status_code == 400
    assert client.get(OUTCOMES, {"year": "soon"}).status_code == 400


def test_outcome_list_query_count_is_pinned(personas, outcomes, api_for, django_assert_num_queries):
    client = api_for("principal_a")
    client.get(OUTCOMES)
    with django_assert_num_queries(4):
        first = client.get(OUTCOMES, {"limit": 1000})
    for year in range(2010, 2020):
        OutcomeValue.objects.create(indicator="ELA", year=year, entity_type="school", cds=personas.school_a.cds_code,
                                    school=personas.school_a, student_group="ALL", value=Decimal("1"),
                                    denominator=100, source="demo")
    with django_assert_num_queries(4):
        second = client.get(OUTCOMES, {"limit": 1000})
    assert second.json()["count"] == first.json()["count"] + 10


# --- Goals ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "names"), [
    ("admin", {"ELA North Star", "Fewer absences", "Bravo reading"}),
    ("staff_talent", {"ELA North Star", "Fewer absences", "Bravo reading"}),
    ("principal_a", {"ELA North Star", "Fewer absences"}),
    ("principal_b", {"ELA North Star", "Fewer absences", "Bravo reading"}),
    ("board", {"ELA North Star", "Fewer absences"}),
    ("partner", set()),
])
def test_goal_list_is_scoped(personas, outcomes, api_for, who, names):
    assert {g["name"] for g in _all(api_for(who), GOALS)} == names


def test_goal_retrieve_outside_scope_is_404(personas, outcomes, api_for):
    assert api_for("principal_a").get(f"{GOALS}{outcomes.goal_b.pk}/").status_code == 404
    assert api_for("board").get(f"{GOALS}{outcomes.goal_b.pk}/").status_code == 404
    body = api_for("principal_b").get(f"{GOALS}{outcomes.goal_b.pk}/").json()
    assert body["school"] == personas.school_b.cds_code and body["target_value"] == 90.0


NEW_GOAL = {"name": "Graduation", "indicator": "GRAD", "student_group": "ALL", "school": None,
            "baseline_year": 2024, "baseline_value": 80, "target_year": 2030, "target_value": 92}


def test_academic_staff_create_and_update_goals(personas, outcomes, api_for):
    client = api_for("staff_academic")
    created = client.post(GOALS, NEW_GOAL, format="json")
    assert created.status_code == 201, created.content
    goal = Goal.objects.get(name="Graduation")
    assert goal.history.first().history_user == personas.staff_academic
    school_goal = client.post(GOALS, {**NEW_GOAL, "name": "Alpha grad", "school": personas.school_a.cds_code},
                              format="json")
    assert school_goal.status_code == 201
    updated = client.patch(f"{GOALS}{goal.pk}/", {"target_value": 95}, format="json")
    assert updated.status_code == 200 and updated.json()["target_value"] == 95.0
    bad = client.patch(f"{GOALS}{goal.pk}/", {"target_year": 2020}, format="json")
    assert bad.status_code == 400 and "target_year" in bad.json()
    history = client.get(f"{GOALS}{goal.pk}/history/")
    assert history.status_code == 200 and len(history.json()) == 2


@pytest.mark.parametrize("who", ["staff_ops", "director", "principal_a", "board"])
def test_others_may_not_write_goals(personas, outcomes, api_for, who):
    client = api_for(who)
    assert client.post(GOALS, NEW_GOAL, format="json").status_code == 403
    assert client.patch(f"{GOALS}{outcomes.goal_network.pk}/", {"target_value": 0}, format="json").status_code == 403
    assert client.delete(f"{GOALS}{outcomes.goal_network.pk}/").status_code == 403
    assert not Goal.objects.filter(name="Graduation").exists()
    outcomes.goal_network.refresh_from_db()
    assert outcomes.goal_network.target_value == Decimal("-20")


def test_outcomes_are_read_only(personas, outcomes, api_for):
    client = api_for("admin")
    assert client.post(OUTCOMES, {}, format="json").status_code == 405
    assert client.delete(f"{OUTCOMES}{outcomes.a_ela.pk}/").status_code == 405
