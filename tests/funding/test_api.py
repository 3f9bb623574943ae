"""Funding API per persona: funding sources, scenarios (+ the network picture by tier) and allocations, read
scoped as on the pages; finance staff create, compute, adopt and copy scenarios; an adopted scenario is locked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from equitable.funding.models import Allocation, Scenario
from tests.equity.test_pages import finance_user
from tests.funding.test_pages import B_MARK, _scenario, build_money

pytestmark = pytest.mark.django_db

SOURCES = "/api/v1/funding-sources/"
SCENARIOS = "/api/v1/scenarios/"
ALLOCATIONS = "/api/v1/allocations/"


@pytest.fixture
def money(personas):
    return build_money(personas)


@pytest.fixture
def finance_api(personas):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=finance_user())
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _all(client, url, **params) -> list[dict]:
    response = client.get(url, {"limit": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_anonymous_gets_401(money, api_for):
    client = api_for("anonymous")
    for url in (SOURCES, SCENARIOS, ALLOCATIONS, f"{SCENARIOS}{money.even.pk}/", f"{SCENARIOS}{money.even.pk}/tiers/"):
        assert client.get(url).status_code == 401
    assert client.post(SCENARIOS, {}).status_code == 401


@pytest.mark.parametrize(("who", "names"), [
    ("admin", {"Even 2025-26", "Equitable 2025-26", "Draft idea"}),
    ("staff_ops", {"Even 2025-26", "Equitable 2025-26", "Draft idea"}),
    ("director", {"Even 2025-26", "Equitable 2025-26"}),
    ("principal_a", {"Even 2025-26", "Equitable 2025-26"}),
    ("board", {"Even 2025-26", "Equitable 2025-26"}),
    ("partner", set()),
])
def test_scenarios_are_scoped(money, api_for, who, names):
    assert {s["name"] for s in _all(api_for(who), SCENARIOS)} == names


def test_scenario_detail_carries_metrics_draws_and_adoption(money, api_for):
    data = api_for("board").get(f"{SCENARIOS}{money.equitable.pk}/").json()
    assert data["status"] == "adopted" and data["adopted_by"] == "Admin"
    assert data["metrics"]["tier_ratio"] == 2.4966 and data["pool"] == 500000.0
    assert {d["source_name"]: d["amount"] for d in data["draws"]} == {"Watts Fund": 300000.0,
                                                                        "Title I set-aside": 200000.0}
    assert api_for("board").get(f"{SCENARIOS}{money.draft.pk}/").status_code == 404
    assert api_for("partner").get(f"{SCENARIOS}{money.even.pk}/").status_code == 404


def test_scenario_filters(money, api_for):
    client = api_for("staff_ops")
    assert {s["name"] for s in _all(client, SCENARIOS, status="computed")} == {"Draft idea"}
    assert {s["name"] for s in _all(client, SCENARIOS, method="tiered")} == {"Equitable 2025-26"}
    assert client.get(SCENARIOS, {"status": "nope"}).status_code == 400


@pytest.mark.parametrize(("who", "schools"), [
    ("staff_ops", {"19647330000011", "19647330000022", "19647330000044", "19647330000055"}),
    ("director", {"19647330000011"}), ("principal_a", {"19647330000011"}), ("principal_b", {"19647330000022"}),
    ("board", set()), ("partner", set()),
])
def test_allocations_are_scoped(money, api_for, who, schools):
    rows = _all(api_for(who), ALLOCATIONS, scenario=money.equitable.pk)
    assert {r["school"] for r in rows} == schools


def test_principals_read_adopted_rows_only(personas, money, api_for):
    client = api_for("principal_a")
    assert _all(client, ALLOCATIONS, scenario=money.draft.pk) == []
    draft_a = Allocation.objects.get(scenario=money.draft, school=personas.school_a)
    assert client.get(f"{ALLOCATIONS}{draft_a.pk}/").status_code == 404
    mine = Allocation.objects.get(scenario=money.equitable, school=personas.school_a)
    data = client.get(f"{ALLOCATIONS}{mine.pk}/").json()
    assert (data["amount"], data["per_pupil"], data["even_amount"], data["difference_from_even"],
            data["need_tier"]) == (312345.0, 780.86, 200000.0, 112345.0, 1)
    assert data["lcff_supplemental"] == 1085000.0
    body = client.get(ALLOCATIONS, {"limit": 1000}).content.decode()
    assert B_MARK.replace(",", "") not in body


def test_tiers_give_the_network_picture(money, api_for):
    board = api_for("board").get(f"{SCENARIOS}{money.equitable.pk}/tiers/").json()
    assert [t["tier"] for t in board] == [1, 4]
    assert board[0]["schools"] == 3 and board[0]["amount"] == 832345.0 and board[0]["suppressed"] is False
    assert board[1] == {"tier": 4, "label": "Low", "schools": 1, "suppressed": True, "students": None, "amount": None,
                        "per_pupil": None, "even_per_pupil": None, "lcff": None}
    staff = api_for("staff_ops").get(f"{SCENARIOS}{money.equitable.pk}/tiers/").json()
    assert staff[1]["amount"] == 187655.0 and staff[1]["suppressed"] is False
    assert api_for("partner").get(f"{SCENARIOS}{money.equitable.pk}/tiers/").status_code == 404


def test_sources(money, api_for):
    assert {s["name"] for s in _all(api_for("board"), SOURCES)} == {"Watts Fund", "Title I set-aside"}
    assert [s["name"] for s in _all(api_for("staff_ops"), SOURCES, kind="public")] == ["Title I set-aside"]
    assert _all(api_for("partner"), SOURCES) == []


def test_list_query_counts_are_pinned(personas, money, api_for, django_assert_max_num_queries):
    client = api_for("staff_ops")
    client.get(SCENARIOS)
    client.get(ALLOCATIONS)
    with django_assert_max_num_queries(8) as scenarios_before:
        client.get(SCENARIOS, {"limit": 1000})
    with django_assert_max_num_queries(8) as allocations_before:
        client.get(ALLOCATIONS, {"limit": 1000})
    for n in range(6):
        _scenario(personas, f"Extra {n}", "even_school", status="computed", draws=[(money.philanthropy, Decimal(1))],
                  rows=[(personas.school_a, 400, None, None, "1", "1", None, None)])
    with django_assert_max_num_queries(len(scenarios_before.captured_queries)):
        client.get(SCENARIOS, {"limit": 1000})
    with django_assert_max_num_queries(len(allocations_before.captured_queries)):
        client.get(ALLOCATIONS, {"limit": 1000})


# --- Writes: finance staff only, through the services ---------------------------------------------------------


def _new(personas, money, **extra) -> dict:
    return {"name": "API even", "school_year": personas.year.name, "method": "even_school",
            "sources": [{"source": money.philanthropy.pk, "amount": "100000"}], **extra}


@pytest.mark.parametrize("who", ["staff_ops", "director", "principal_a", "board", "partner"])
def test_others_may_not_write(personas, money, api_for, who):
    client = api_for(who)
    assert client.post(SCENARIOS, _new(personas, money), format="json").status_code == 403
    expected = 404 if who == "partner" else 403  # partners do not even see the scenario
    draft_visible = who == "staff_ops"
    target = money.draft if draft_visible else money.equitable
    assert client.post(f"{SCENARIOS}{target.pk}/compute/").status_code == (403 if draft_visible else expected)
    assert client.post(f"{SCENARIOS}{target.pk}/adopt/").status_code == (403 if draft_visible else expected)
    assert client.post(f"{SCENARIOS}{target.pk}/copy/", {"name": "Mine"}).status_code == (
        403 if draft_visible else expected)
    assert not Scenario.objects.filter(name__in=["API even", "Mine"]).exists()
    money.draft.refresh_from_db()
    assert money.draft.status == "computed"


def test_finance_creates_computes_adopts_and_the_scenario_locks(personas, money, finance_api):
    pytest.importorskip("equitable.funding.allocation")
    response = finance_api.post(SCENARIOS, _new(personas, money), format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "draft" and created["pool"] == 100000.0
    computed = finance_api.post(f"{SCENARIOS}{created['id']}/compute/")
    assert computed.status_code == 200 and computed.json()["status"] == "computed"
    assert "gini_per_pupil" in computed.json()["metrics"]
    rows = _all(finance_api, ALLOCATIONS, scenario=created["id"])
    assert {r["amount"] for r in rows} == {25000.0} and len(rows) == 4
    adopted = finance_api.post(f"{SCENARIOS}{created['id']}/adopt/")
    assert adopted.status_code == 200 and adopted.json()["status"] == "adopted"
    assert adopted.json()["adopted_by"] == "Fin"
    again = finance_api.post(f"{SCENARIOS}{created['id']}/compute/")
    assert again.status_code == 400 and "is locked" in str(again.json())
    copy = finance_api.post(f"{SCENARIOS}{created['id']}/copy/", {"name": "API even v2"}, format="json")
    assert copy.status_code == 201 and copy.json()["status"] == "draft" and copy.json()["method"] == "even_school"


def test_admin_may_not_change_an_adopted_scenario_either(money, api_for):
    response = api_for("admin").post(f"{SCENARIOS}{money.equitable.pk}/compute/")
    assert response.status_code == 400 and "is locked" in str(response.json())
    response = api_for("admin").post(f"{SCENARIOS}{money.equitable.pk}/adopt/")
    assert response.status_code == 400


def test_write_errors_are_400_with_messages(personas, money, finance_api):
    response = finance_api.post(SCENARIOS, _new(personas, money, method="nope"), format="json")
    assert response.status_code == 400 and "method" in response.json()
    response = finance_api.post(SCENARIOS, _new(personas, money, parameters={"colour": 1}), format="json")
    assert response.status_code == 400 and "Unknown parameter" in str(response.json())
    response = finance_api.post(SCENARIOS, _new(personas, money, sources=[{"source": 99999, "amount": 1}]),
                                format="json")
    assert response.status_code == 400
    response = finance_api.post(SCENARIOS, _new(personas, money, name="Even 2025-26"), format="json")
    assert response.status_code == 400 and "name" in response.json()
    infeasible = finance_api.post(SCENARIOS, _new(personas, money, name="Floors", method="proportional",
                                                  need_model=money.need.seni.pk, parameters={"floor": 80000}),
                                  format="json")
    assert infeasible.status_code == 201
    response = finance_api.post(f"{SCENARIOS}{infeasible.json()['id']}/compute/")
    assert response.status_code == 400 and "floor" in str(response.json()).lower()
    response = finance_api.post(f"{SCENARIOS}{money.draft.pk}/adopt/")
    assert response.status_code == 200  # a computed draft may be adopted
    uncomputed = finance_api.post(f"{SCENARIOS}{infeasible.json()['id']}/adopt/")
    assert uncomputed.status_code == 400 and "before adopting it" in str(uncomputed.json())
