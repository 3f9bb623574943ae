"""Need API per persona: indicators, indicator values, need models (+ weights) and need scores, read scoped as
on the pages; finance staff create and compute need models."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from equitable.equity.models import IndicatorValue, NeedModel, NeedScore
from tests.equity.test_pages import build_need, finance_user

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/indicators/"
VALUES = "/api/v1/indicator-values/"
MODELS = "/api/v1/need-models/"
SCORES = "/api/v1/need-scores/"
A, B = "19647330000011", "19647330000022"


@pytest.fixture
def need(personas):
    return build_need(personas)


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


def test_anonymous_gets_401(need, api_for):
    for url in (INDICATORS, VALUES, MODELS, SCORES, f"{INDICATORS}undup/", f"{MODELS}{need.seni.pk}/"):
        assert api_for("anonymous").get(url).status_code == 401


@pytest.mark.parametrize(("who", "count"), [("admin", 3), ("staff_ops", 3), ("director", 3), ("principal_a", 3),
                                            ("board", 3), ("partner", 0)])
def test_indicators_for_every_internal_persona_and_board(need, api_for, who, count):
    assert len(_all(api_for(who), INDICATORS)) == count


def test_indicator_by_code_and_filters(need, api_for):
    client = api_for("principal_b")
    ela = client.get(f"{INDICATORS}ela/").json()
    assert ela["higher_is_more_need"] is False and ela["family"] == "academic" and ela["unit"] == "points"
    assert [i["code"] for i in _all(client, INDICATORS, family="community")] == ["asthma"]
    assert [i["code"] for i in _all(client, INDICATORS, q="dashboard")] == ["ela"]
    assert api_for("partner").get(f"{INDICATORS}ela/").status_code == 404


@pytest.mark.parametrize(("who", "schools"), [
    ("admin", {A, B}), ("staff_talent", {A, B}), ("director", {A}), ("principal_a", {A}), ("principal_b", {B}),
    ("board", set()), ("partner", set()),
])
def test_indicator_values_are_scoped(need, api_for, who, schools):
    assert {v["school"] for v in _all(api_for(who), VALUES)} == schools


def test_indicator_value_fields_and_filters(need, api_for):
    client = api_for("staff_ops")
    rows = _all(client, VALUES, indicator="undup", school_year="2024-25")
    assert [(r["school"], r["value"], r["school_year"]) for r in rows] == [(A, 94.1, "2024-25")]
    assert {r["indicator"] for r in _all(client, VALUES, family="academic")} == {"ela"}
    b_value = IndicatorValue.objects.get(indicator=need.asthma, school__cds_code=B)
    assert api_for("principal_a").get(f"{VALUES}{b_value.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["admin", "staff_ops", "director", "principal_a", "board"])
def test_need_models_with_weights(need, api_for, who):
    models = {m["name"]: m for m in _all(api_for(who), MODELS)}
    assert set(models) == {"SENI-style", "Community-heavy"}
    seni = models["SENI-style"]
    assert {w["indicator"]: w["weight"] for w in seni["indicator_weights"]} == {"undup": 2.0, "asthma": 1.0,
                                                                                 "ela": 1.0}
    assert models["Community-heavy"]["cut_points"] == [20, 40, 60, 80]
    assert "weights" not in seni  # write-only


def test_need_models_partner_nothing(need, api_for):
    assert _all(api_for("partner"), MODELS) == []


@pytest.mark.parametrize(("who", "schools"), [
    ("staff_ops", {A, B}), ("director", {A}), ("principal_a", {A}), ("principal_b", {B}), ("board", set()),
    ("partner", set()),
])
def test_need_scores_are_scoped(need, api_for, who, schools):
    rows = _all(api_for(who), SCORES, need_model=need.seni.pk)
    assert {r["school"] for r in rows} == schools


def test_need_score_explains_itself(need, api_for):
    row = api_for("principal_a").get(f"{SCORES}{need.score_a.pk}/").json()
    assert (row["score"], row["rank"], row["tier"], row["tier_name"]) == (100.0, 1, 1, "Highest")
    assert row["contributions"] == {"undup": 66.6667, "ela": 33.3333} and row["missing"] == ["asthma"]
    assert api_for("principal_a").get(f"{SCORES}{need.score_b.pk}/").status_code == 404
    assert api_for("board").get(f"{SCORES}{need.score_a.pk}/").status_code == 404
    low = _all(api_for("staff_ops"), SCORES, tier="4")
    assert {(r["need_model"], r["school"]) for r in low} == {(need.seni.pk, B), (need.community.pk, A)}


def test_list_query_counts_are_pinned(personas, need, api_for, django_assert_max_num_queries):
    client = api_for("staff_ops")
    for url in (MODELS, SCORES, VALUES):
        client.get(url)
        with django_assert_max_num_queries(8) as before:
            client.get(url, {"limit": 1000})
        for n in range(5):
            model = NeedModel.objects.create(name=f"{url} {n}", school_year=personas.year)
            model.weights.create(indicator=need.undup, weight=Decimal(1))
            NeedScore.objects.create(need_model=model, school=personas.school_a, score=1, rank=1, tier=1)
        with django_assert_max_num_queries(len(before.captured_queries)):
            client.get(url, {"limit": 1000})


@pytest.mark.parametrize("who", ["staff_ops", "director", "principal_a", "board", "partner"])
def test_only_finance_writes(personas, need, api_for, who):
    client = api_for(who)
    body = {"name": "Mine", "school_year": personas.year.name, "weights": {"undup": 1}}
    assert client.post(MODELS, body, format="json").status_code == 403
    expected = 404 if who == "partner" else 403
    assert client.post(f"{MODELS}{need.seni.pk}/compute/").status_code == expected
    assert not NeedModel.objects.filter(name="Mine").exists()


def test_finance_creates_and_computes_a_need_model(personas, need, finance_api):
    pytest.importorskip("equitable.equity.need_index")
    response = finance_api.post(MODELS, {"name": "API model", "school_year": personas.year.name,
                                         "normalization": "minmax", "weights": {"undup": 1, "ela": "1.5"}},
                                format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert {w["indicator"]: w["weight"] for w in created["indicator_weights"]} == {"undup": 1.0, "ela": 1.5}
    assert created["computed_at"] is None
    scores = finance_api.post(f"{MODELS}{created['id']}/compute/")
    assert scores.status_code == 200
    assert [(s["school"], s["rank"]) for s in scores.json()] == [(A, 1), (B, 2)]
    assert finance_api.get(f"{MODELS}{created['id']}/").json()["computed_at"] is not None
    history = finance_api.get(f"{MODELS}{created['id']}/history/")
    assert history.status_code == 200 and history.json()


def test_need_model_write_errors(personas, need, finance_api):
    response = finance_api.post(MODELS, {"name": "No weights", "school_year": personas.year.name,
                                         "weights": {"undup": 0}}, format="json")
    assert response.status_code == 400 and "at least one indicator" in str(response.json())
    response = finance_api.post(MODELS, {"name": "Bad code", "school_year": personas.year.name,
                                         "weights": {"nope": 1}}, format="json")
    assert response.status_code == 400 and "nope" in str(response.json())
    response = finance_api.post(MODELS, {"name": "Cuts", "school_year": personas.year.name,
                                         "cut_points": [50, 40, 30, 20], "weights": {"undup": 1}}, format="json")
    assert response.status_code == 400 and "cut_points" in response.json()
    assert not NeedModel.objects.filter(name__in=["No weights", "Bad code", "Cuts"]).exists()
