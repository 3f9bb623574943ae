"""Demo need and funding data: indicators of four families with values, a computed need model, sources and
two adopted scenarios in which the highest-need Watts schools get 2–3× the per-pupil amount of the
lowest-need schools."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from equitable.demo.equity import EQUITABLE_NAME, EVEN_NAME, NEED_MODEL_NAME
from equitable.equity.models import Indicator, IndicatorValue, NeedModel, NeedScore
from equitable.funding.models import Allocation, FundingSource, Scenario, ScenarioSource
from equitable.funding.selectors import source_lines

pytestmark = pytest.mark.django_db


def test_indicators_in_four_families_with_values(demo):
    assert set(Indicator.objects.values_list("family", flat=True)) == {"student", "academic", "climate", "community"}
    assert not Indicator.objects.filter(is_demo=False).exists()
    current = demo.current_year
    values = IndicatorValue.objects.filter(school_year__name=current)
    assert values.count() > 19 * 9 and not values.filter(is_demo=False).exists()
    for code in ("unduplicated-pct", "el-pct", "ela-dfs", "math-dfs", "suspension-pct", "asthma-ed-per-10k",
                 "gun-injuries-per-10k"):
        assert values.filter(indicator__code=code).count() == 19, code
    assert values.filter(indicator__code="graduation-pct").count() == 4  # the high schools
    watts = values.get(indicator__code="asthma-ed-per-10k", school__name="Grape Street Elementary")
    assert watts.value == Decimal("109.04")  # CalEnviroScreen 4.0, ZIP 90059
    gun = Indicator.objects.get(code="gun-injuries-per-10k")
    assert "fictional" in gun.name and "fictional" in gun.source

    # the need model, computed
    model = NeedModel.objects.get(name=NEED_MODEL_NAME)
    assert (model.normalization, model.missing_rule, model.cut_points) == ("percentile", "reweight", [])
    assert model.computed_at is not None and model.weights.count() == 12
    scores = NeedScore.objects.filter(need_model=model)
    assert scores.count() == 19
    assert sorted(scores.values_list("rank", flat=True)) == list(range(1, 20))
    assert set(scores.values_list("tier_name", flat=True)) == {"Highest", "High", "Moderate", "Low", "Lowest"}
    top = scores.order_by("rank").select_related("school__community")[:4]
    assert any(s.school.community.name == "Watts" for s in top)


def test_two_adopted_scenarios_equitable_not_even(demo, demo_user):
    even, fair = Scenario.objects.get(name=EVEN_NAME), Scenario.objects.get(name=EQUITABLE_NAME)
    assert even.status == fair.status == "adopted" and even.is_demo and fair.is_demo
    for scenario in (even, fair):
        total = scenario.allocations.aggregate(n=Sum("amount"))["n"]
        assert abs(total - scenario.pool) <= Decimal("0.10") and scenario.allocations.count() == 19
    assert len(set(even.allocations.values_list("per_pupil", flat=True))) == 1
    rows = list(fair.allocations.select_related("school__community"))
    lowest = min(a.per_pupil for a in rows)
    watts_top = max(a.per_pupil for a in rows if a.school.community.name == "Watts")
    assert 2 <= watts_top / lowest <= 3
    highest_need_watts = min((a for a in rows if a.school.community.name == "Watts"), key=lambda a: a.need_tier)
    assert highest_need_watts.need_tier == 1 and highest_need_watts.per_pupil == watts_top
    assert fair.metrics["tier_ratio"] == pytest.approx(2.5)
    assert all(a.lcff_supplemental and a.lcff_concentration for a in rows)

    # sources are not overdrawn by the two adopted scenarios
    assert FundingSource.objects.count() == 3
    assert set(FundingSource.objects.values_list("kind", flat=True)) == {"philanthropic", "public"}
    for line in source_lines(demo_user("admin")):
        assert line.available >= 0, line.source
    assert ScenarioSource.objects.count() == 4

    # personas see their part
    principal = demo_user("principal")
    assert set(Allocation.objects.restrict(principal, "view").values_list("school__name", flat=True)) == {
        "Grape Street Elementary"}
    assert Scenario.objects.restrict(demo_user("board"), "view").count() == 2
    assert not Allocation.objects.restrict(demo_user("board"), "view").exists()
    assert not Scenario.objects.restrict(demo_user("admin"), "change").exclude(status="adopted").exists()
    # (a second load writing nothing is checked for every model in test_demo_network)
