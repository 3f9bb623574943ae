"""Need pages per persona: need models (scores, tiers, contributions), a school's drill-down, two models side by
side, the indicator registry and values with their exports, and the finance forms (create, edit, compute)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from equitable.core.models import User
from equitable.core.roles import Area, Role
from equitable.equity.models import Indicator, IndicatorValue, NeedModel, NeedScore, NeedWeight
from equitable.network.models import SchoolYear

pytestmark = pytest.mark.django_db

MODELS = "/need/"
INDICATORS = "/need/indicators/"
VALUES = "/need/values/"

# Readers of need models (reference data); school rows follow the school's scope; board sees aggregates only.
MODEL_READERS = ["admin", "staff_ops", "staff_academic", "director", "principal_a", "principal_b", "board"]


@dataclass
class NeedData:
    undup: Indicator
    asthma: Indicator
    ela: Indicator
    seni: NeedModel
    community: NeedModel
    score_a: NeedScore
    score_b: NeedScore
    prior_year: SchoolYear


def build_need(personas) -> NeedData:
    """Three indicators, their values for schools A and B, and two computed need models written as stored
    results (so the pages are tested apart from the engine): under "SENI-style" school A is Highest need and
    B Low; under "Community-heavy" they swap."""
    year = personas.year
    prior = SchoolYear.objects.create(name="2024-25", start_date=date(2024, 8, 14), end_date=date(2025, 6, 11))
    undup = Indicator.objects.create(code="undup", name="Unduplicated pupils", family="student", unit="%",
                                     source="CDE Census Day enrollment", derivation="enrollment")
    asthma = Indicator.objects.create(code="asthma", name="Asthma emergency visits", family="community",
                                      unit="per 10,000", source="CalEnviroScreen 4.0", derivation="community")
    ela = Indicator.objects.create(code="ela", name="ELA distance from standard", family="academic",
                                   higher_is_more_need=False, unit="points", source="California School Dashboard")
    a, b = personas.school_a, personas.school_b
    for indicator, school, value in [(undup, a, "95.0"), (undup, b, "93.3"), (asthma, b, "88.2"),
                                     (ela, a, "-80.5"), (ela, b, "-45.5")]:
        IndicatorValue.objects.create(indicator=indicator, school=school, school_year=year, value=Decimal(value))
    IndicatorValue.objects.create(indicator=undup, school=a, school_year=prior, value=Decimal("94.1"))
    seni = NeedModel.objects.create(name="SENI-style", school_year=year, normalization="percentile",
                                    missing_rule="reweight", computed_at=datetime(2025, 9, 1, tzinfo=UTC))
    for indicator, weight in [(undup, "2"), (asthma, "1"), (ela, "1")]:
        NeedWeight.objects.create(need_model=seni, indicator=indicator, weight=Decimal(weight))
    # A misses asthma: re-weighted over undup (2/3) and ela (1/3); both at the top → 100.
    score_a = NeedScore.objects.create(need_model=seni, school=a, score=Decimal("100"), rank=1, tier=1,
                                       tier_name="Highest", contributions={"undup": 66.6667, "ela": 33.3333},
                                       missing=["asthma"])
    score_b = NeedScore.objects.create(need_model=seni, school=b, score=Decimal("25"), rank=2, tier=4,
                                       tier_name="Low", contributions={"undup": 0.0, "asthma": 25.0, "ela": 0.0})
    community = NeedModel.objects.create(name="Community-heavy", school_year=year, cut_points=[20, 40, 60, 80],
                                         computed_at=datetime(2025, 9, 2, tzinfo=UTC))
    NeedWeight.objects.create(need_model=community, indicator=asthma, weight=Decimal("3"))
    NeedWeight.objects.create(need_model=community, indicator=undup, weight=Decimal("1"))
    NeedScore.objects.create(need_model=community, school=a, score=Decimal("35"), rank=2, tier=4, tier_name="Low",
                             contributions={"undup": 35.0}, missing=["asthma"])
    NeedScore.objects.create(need_model=community, school=b, score=Decimal("75"), rank=1, tier=2, tier_name="High",
                             contributions={"undup": 0.0, "asthma": 75.0})
    return NeedData(undup=undup, asthma=asthma, ela=ela, seni=seni, community=community, score_a=score_a,
                    score_b=score_b, prior_year=prior)


def finance_user(username: str = "finance") -> User:
    return User.objects.create(username=username, role=Role.STAFF, area=Area.FINANCE, first_name="Fin")


@pytest.fixture
def need(personas):
    return build_need(personas)


@pytest.fixture
def finance_client(personas, client):
    client.force_login(finance_user())
    return client


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def model_url(model, *rest) -> str:
    return reverse("equity:model_detail", args=[model.pk]) + "".join(rest)


# --- The list of need models ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", MODEL_READERS)
def test_model_list_for_readers(need, client_for, who):
    html = client_for(who).get(MODELS).content.decode()
    assert "SENI-style" in html and "Community-heavy" in html
    assert ('data-testid="add"' in html) is (who == "admin")  # finance staff and admins create need models


def test_model_list_refuses_partner_and_sends_anonymous_to_login(need, client_for):
    assert client_for("partner").get(MODELS).status_code == 403
    response = client_for("anonymous").get(MODELS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_model_list_finance_may_add_and_export(need, finance_client):
    html = finance_client.get(MODELS).content.decode()
    assert 'data-testid="add"' in html and reverse("equity:model_add") in html
    rows = _csv(finance_client.get(MODELS + "?export=csv"))
    assert rows[0][:2] == ["Need model", "School year"]
    assert {r[0] for r in rows[1:]} == {"SENI-style", "Community-heavy"}
    assert finance_client.get(MODELS + "?export=xlsx").content[:2] == b"PK"


def test_model_list_query_count_is_pinned(need, client_for, django_assert_max_num_queries, personas):
    client = client_for("staff_ops")
    client.get(MODELS)
    with django_assert_max_num_queries(8) as first:
        client.get(MODELS)
    for n in range(8):
        extra = NeedModel.objects.create(name=f"Extra {n}", school_year=personas.year)
        NeedWeight.objects.create(need_model=extra, indicator=need.undup, weight=Decimal(1))
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(MODELS)


# --- A need model's page -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "sees_a", "sees_b"), [
    ("admin", True, True), ("staff_ops", True, True), ("director", True, False), ("principal_a", True, False),
    ("principal_b", False, True),
])
def test_model_page_rows_follow_the_school_scope(personas, need, client_for, who, sees_a, sees_b):
    html = client_for(who).get(model_url(need.seni)).content.decode()
    assert 'data-testid="weight-undup"' in html and 'data-testid="tier-counts"' in html
    assert (f'data-testid="score-{personas.school_a.cds_code}"' in html) is sees_a
    assert (f'data-testid="score-{personas.school_b.cds_code}"' in html) is sees_b
    assert ('data-testid="compute"' in html) is (who == "admin")


def test_model_page_shows_scores_tiers_and_contribution_bars(personas, need, client_for):
    html = client_for("staff_ops").get(model_url(need.seni)).content.decode()
    row_a = html.split(f'data-testid="score-{personas.school_a.cds_code}"')[1].split("</tr>")[0]
    assert "Highest" in row_a and "100.0" in row_a and "missing: asthma" in row_a
    assert 'class="stack"' in row_a and "width:66.67%" in row_a and "width:33.33%" in row_a
    row_b = html.split(f'data-testid="score-{personas.school_b.cds_code}"')[1].split("</tr>")[0]
    assert "Low" in row_b and "width:25.00%" in row_b
    assert reverse("equity:model_school", args=[need.seni.pk, personas.school_a.cds_code]) in row_a
    assert "<script>" not in html


def test_model_page_board_sees_the_tier_picture_only(personas, need, client_for):
    client = client_for("board")
    response = client.get(model_url(need.seni))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="aggregates-only"' in html
    assert personas.school_a.name not in html and personas.school_b.name not in html
    counts = html.split('data-testid="tier-counts"')[1].split("</section>")[0]
    assert counts.count('<div class="figure">1</div>') == 2
    assert client.get(model_url(need.seni, "?export=csv")).status_code == 403
    school = reverse("equity:model_school", args=[need.seni.pk, personas.school_a.cds_code])
    assert client.get(school).status_code == 404


def test_model_page_partner_refused_and_unknown_model_404(need, client_for):
    assert client_for("partner").get(model_url(need.seni)).status_code == 403
    assert client_for("staff_ops").get(reverse("equity:model_detail", args=[99999])).status_code == 404


def test_model_scores_export_is_scoped(personas, need, client_for):
    rows = _csv(client_for("principal_a").get(model_url(need.seni, "?export=csv")))
    assert rows[0][:5] == ["School", "CDS code", "Score", "Rank", "Need tier"]
    assert "undup contribution" in rows[0]
    assert [r[0] for r in rows[1:]] == [personas.school_a.name]
    assert rows[1][4] == "Highest" and rows[1][5] == "asthma"
    all_rows = _csv(client_for("staff_talent").get(model_url(need.seni, "?export=csv")))
    assert len(all_rows) == 3
    assert client_for("staff_talent").get(model_url(need.seni, "?export=xlsx")).content[:2] == b"PK"


# --- A school's drill-down: why is it Highest need? ---------------------------------------------------------


def test_school_drilldown_explains_the_tier(personas, need, client_for):
    url = reverse("equity:model_school", args=[need.seni.pk, personas.school_a.cds_code])
    html = client_for("principal_a").get(url).content.decode()
    why = html.split('data-testid="why"')[1].split("</p>")[0]
    assert "ranks 1 of 2" in why and "<strong>Highest</strong>" in why
    undup = html.split('data-testid="line-undup"')[1].split("</tr>")[0]
    # value 95 %, normalized 100, weight 2, share 67 % (re-weighted over the two present), contribution 66.7
    assert "95 %" in undup and "100.0" in undup and ">2<" in undup and "67%" in undup and "66.7" in undup
    asthma = html.split('data-testid="line-asthma"')[1].split("</tr>")[0]
    assert "missing" in asthma
    ela = html.split('data-testid="line-ela"')[1].split("</tr>")[0]
    assert "-80.5" in ela and "lower = more need" in ela and "33%" in ela


def test_school_drilldown_is_scoped(personas, need, client_for):
    url_b = reverse("equity:model_school", args=[need.seni.pk, personas.school_b.cds_code])
    assert client_for("principal_a").get(url_b).status_code == 404
    assert client_for("director").get(url_b).status_code == 404
    assert client_for("principal_b").get(url_b).status_code == 200
    assert client_for("staff_ops").get(url_b).status_code == 200
    assert client_for("partner").get(url_b).status_code == 403


# --- Two models side by side ---------------------------------------------------------------------------------


def test_compare_shows_rank_shifts_and_tier_changes(personas, need, client_for):
    url = reverse("equity:model_compare", args=[need.seni.pk]) + f"?other={need.community.pk}"
    html = client_for("staff_academic").get(url).content.decode()
    assert "2 schools change tier." in html
    row_a = html.split(f'data-testid="shift-{personas.school_a.cds_code}"')[1].split("</tr>")[0]
    assert "Highest" in row_a and "Low" in row_a and ">-1<" in row_a
    row_b = html.split(f'data-testid="shift-{personas.school_b.cds_code}"')[1].split("</tr>")[0]
    assert ">+1<" in row_b
    rows = _csv(client_for("staff_academic").get(url + "&export=csv"))
    assert rows[0][-2:] == ["Rank shift", "Tier changed"]
    assert [r[-2:] for r in rows[1:]] == [["-1", "yes"], ["1", "yes"]]


def test_compare_is_scoped_and_board_refused(personas, need, client_for):
    url = reverse("equity:model_compare", args=[need.seni.pk]) + f"?other={need.community.pk}"
    html = client_for("principal_b").get(url).content.decode()
    assert personas.school_b.name in html and personas.school_a.name not in html
    assert client_for("board").get(url).status_code == 403
    assert client_for("partner").get(url).status_code == 403


# --- The indicator registry and values -----------------------------------------------------------------------


@pytest.mark.parametrize("who", MODEL_READERS)
def test_indicator_registry_for_readers(need, client_for, who):
    html = client_for(who).get(INDICATORS).content.decode()
    assert "Asthma emergency visits" in html and "CalEnviroScreen 4.0" in html and "lower = more need" in html
    assert (f'{VALUES}?indicator=asthma' in html) is (who != "board")  # board viewers read no school's values


def test_indicator_registry_filters_and_export(need, client_for):
    client = client_for("staff_ops")
    html = client.get(INDICATORS + "?family=community").content.decode()
    assert "Asthma emergency visits" in html and "Unduplicated pupils" not in html
    rows = _csv(client.get(INDICATORS + "?export=csv"))
    assert rows[0][:6] == ["Indicator", "Code", "Family", "Direction", "Unit", "Source"]
    assert ["ELA distance from standard", "ela", "Academic", "lower = more need", "points",
            "California School Dashboard"] in rows
    assert client_for("partner").get(INDICATORS).status_code == 403


@pytest.mark.parametrize(("who", "schools"), [
    ("staff_talent", {"Alpha Elementary", "Bravo Middle"}), ("director", {"Alpha Elementary"}),
    ("principal_a", {"Alpha Elementary"}), ("principal_b", {"Bravo Middle"}),
])
def test_indicator_values_are_scoped_with_exports(need, client_for, who, schools):
    rows = _csv(client_for(who).get(VALUES + "?export=csv&columns=school&columns=code&columns=value"))
    assert rows[0] == ["School", "Code", "Value"]
    assert {r[0] for r in rows[1:]} == schools


def test_indicator_values_by_year_and_indicator(need, client_for):
    client = client_for("staff_ops")
    rows = _csv(client.get(VALUES + "?export=csv&indicator=undup&school_year=2024-25"))
    assert len(rows) == 2 and "94.1000" in rows[1]
    assert client.get(VALUES + "?export=xlsx&indicator=undup").content[:2] == b"PK"
    html = client.get(VALUES + "?indicator=ela").content.decode()
    assert "-80.5" in html and "93.3" not in html


def test_indicator_values_refused_to_board_and_partner(need, client_for):
    assert client_for("board").get(VALUES).status_code == 403
    assert client_for("partner").get(VALUES).status_code == 403


def test_values_list_query_count_is_pinned(personas, need, client_for, django_assert_max_num_queries):
    client = client_for("staff_ops")
    client.get(VALUES)
    with django_assert_max_num_queries(8) as first:
        client.get(VALUES)
    for n in range(10):
        year = SchoolYear.objects.create(name=f"20{10 + n}-{11 + n}", start_date=date(2010 + n, 8, 1),
                                         end_date=date(2011 + n, 6, 1))
        IndicatorValue.objects.create(indicator=need.ela, school=personas.school_a, school_year=year, value=1)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(VALUES)


# --- Finance forms: create, edit, compute --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff_ops", "staff_academic", "director", "principal_a", "board", "partner"])
def test_only_finance_may_create_edit_or_compute(need, client_for, who):
    client = client_for(who)
    assert client.get(reverse("equity:model_add")).status_code == 403
    assert client.post(reverse("equity:model_add"), {"name": "X"}).status_code == 403
    refused = 404 if who == "partner" else 403  # a partner may not even see the model
    assert client.get(reverse("equity:model_edit", args=[need.seni.pk])).status_code == refused
    assert client.post(reverse("equity:model_compute", args=[need.seni.pk])).status_code == refused
    assert not NeedModel.objects.filter(name="X").exists()


def test_finance_creates_a_need_model_with_weights(personas, need, finance_client):
    html = finance_client.get(reverse("equity:model_add")).content.decode()
    assert 'name="weight_undup"' in html and "Unduplicated pupils" in html
    response = finance_client.post(reverse("equity:model_add"), {
        "name": "Student need only", "school_year": personas.year.pk, "normalization": "zscore",
        "missing_rule": "median", "cut_points": "", "weight_undup": "3", "weight_ela": "1", "weight_asthma": "",
    })
    model = NeedModel.objects.get(name="Student need only")
    assert response.status_code == 302 and response["Location"] == model_url(model)
    assert {w.indicator.code: w.weight for w in model.weights.all()} == {"undup": Decimal(3), "ela": Decimal(1)}
    assert model.normalization == "zscore" and model.cut_points == []


def test_model_form_errors_are_clear(personas, need, finance_client):
    response = finance_client.post(reverse("equity:model_add"), {
        "name": "No weights", "school_year": personas.year.pk, "normalization": "percentile",
        "missing_rule": "reweight", "cut_points": "10, 5, 30, 40",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give four ascending numbers" in html
    response = finance_client.post(reverse("equity:model_add"), {
        "name": "No weights", "school_year": personas.year.pk, "normalization": "percentile",
        "missing_rule": "reweight", "cut_points": "",
    })
    assert "Give the need model at least one indicator with a weight above zero." in response.content.decode()
    response = finance_client.post(reverse("equity:model_add"), {
        "name": "SENI-style", "school_year": personas.year.pk, "normalization": "percentile",
        "missing_rule": "reweight", "weight_undup": "1",
    })
    assert response.status_code == 200 and 'data-testid="form-errors"' in response.content.decode()
    assert NeedModel.objects.filter(name__in=["No weights"]).count() == 0


def test_finance_edits_weights_and_computes(personas, need, finance_client):
    pytest.importorskip("equitable.equity.need_index")
    url = reverse("equity:model_edit", args=[need.seni.pk])
    html = finance_client.get(url).content.decode()
    assert 'value="2.0000"' in html or 'value="2"' in html
    response = finance_client.post(url, {
        "name": "SENI-style", "school_year": personas.year.pk, "normalization": "percentile",
        "missing_rule": "reweight", "cut_points": "", "weight_undup": "1", "weight_ela": "1",
    })
    assert response.status_code == 302
    assert set(need.seni.weights.values_list("indicator__code", flat=True)) == {"undup", "ela"}
    page = finance_client.get(model_url(need.seni)).content.decode()
    assert 'data-testid="compute"' in page and 'data-testid="edit"' in page
    response = finance_client.post(reverse("equity:model_compute", args=[need.seni.pk]), follow=True)
    html = response.content.decode()
    assert "schools scored" in html
    a = NeedScore.objects.get(need_model=need.seni, school=personas.school_a)
    b = NeedScore.objects.get(need_model=need.seni, school=personas.school_b)
    assert a.rank == 1 and b.rank == 2  # A is needier on both: more unduplicated pupils, lower ELA
    assert set(a.contributions) == {"undup", "ela"}


def test_compute_error_is_shown_not_raised(personas, need, finance_client):
    empty = NeedModel.objects.create(name="Empty", school_year=personas.year)
    response = finance_client.post(reverse("equity:model_compute", args=[empty.pk]), follow=True)
    assert response.status_code == 200
    assert "could not be computed" in response.content.decode()
