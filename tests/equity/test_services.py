"""Need services: indicators, values, need models, computing and comparing — who may and who may not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.models import User
from equitable.equity import selectors, services
from equitable.equity.models import Indicator, IndicatorValue, NeedModel, NeedScore

pytestmark = pytest.mark.django_db

NOT_FINANCE = ["staff_ops", "staff_academic", "director", "principal_a", "principal_b", "partner", "board"]


@pytest.fixture
def finance(personas):
    return User.objects.create(username="finance", role="staff", area="finance")


def _indicator(code: str, *, higher: bool = True) -> Indicator:
    return Indicator.objects.create(code=code, name=code, family="student", higher_is_more_need=higher)


@pytest.fixture
def need_data(personas, finance):
    """Two indicators: school A needier on both (more EL, lower ELA)."""
    el, ela = _indicator("el-pct"), _indicator("ela-dfs", higher=False)
    for indicator, a, b in ((el, 37.5, 20), (ela, -60, -20)):
        for school, value in ((personas.school_a, a), (personas.school_b, b)):
            services.indicator_value_set(indicator=indicator, school=school, school_year=personas.year, value=value,
                                         acting_user=finance)
    return el, ela


def _model(personas, user, name="Need", weights=None):
    return services.need_model_create(data={"name": name, "school_year": personas.year},
                                      weights=weights or {"el-pct": 1, "ela-dfs": 1}, acting_user=user)


def test_finance_and_admin_create_indicators(personas, finance):
    made = services.indicator_create(data={"code": "asthma", "name": "Asthma", "family": "community"},
                                     acting_user=finance)
    assert made.history.get().history_user == finance
    services.indicator_update(indicator=made, data={"unit": "per 10,000"}, acting_user=personas.admin)
    assert Indicator.objects.get(code="asthma").unit == "per 10,000"


@pytest.mark.parametrize("name", NOT_FINANCE)
def test_others_may_not_write_need_data(personas, need_data, finance, name):
    user = personas.user(name)
    with pytest.raises(NotPermitted):
        services.indicator_create(data={"code": "x", "name": "X", "family": "community"}, acting_user=user)
    with pytest.raises(NotPermitted):
        services.indicator_value_set(indicator=need_data[0], school=personas.school_a, school_year=personas.year,
                                     value=1, acting_user=user)
    with pytest.raises(NotPermitted):
        _model(personas, user)
    model = _model(personas, finance, name=f"by finance for {name}")
    with pytest.raises(NotPermitted):
        services.need_model_compute(need_model=model, acting_user=user)
    with pytest.raises(NotPermitted):
        services.need_model_update(need_model=model, weights={"el-pct": 2}, acting_user=user)
    assert not model.scores.exists() and model.computed_at is None


def test_indicator_value_set_creates_updates_and_leaves_unchanged(personas, need_data, finance):
    el = need_data[0]
    value = IndicatorValue.objects.get(indicator=el, school=personas.school_a)
    assert value.value == Decimal("37.5")
    again, outcome = services.indicator_value_upsert(indicator=el, school=personas.school_a,
                                                     school_year=personas.year, value="37.50", acting_user=finance)
    assert outcome == "unchanged" and again.history.count() == 1
    services.indicator_value_set(indicator=el, school=personas.school_a, school_year=personas.year, value=40,
                                 note="corrected", acting_user=finance)
    value.refresh_from_db()
    assert (value.value, value.note, value.history.count()) == (Decimal("40"), "corrected", 2)
    with pytest.raises(DomainError, match="not a number"):
        services.indicator_value_set(indicator=el, school=personas.school_a, school_year=personas.year,
                                     value="lots", acting_user=finance)


def test_need_model_weights_are_checked(personas, need_data, finance):
    with pytest.raises(DomainError, match="at least one indicator"):
        _model(personas, finance, weights={"el-pct": 0})
    with pytest.raises(DomainError, match="0 or more"):
        _model(personas, finance, weights={"el-pct": -1})
    with pytest.raises(DomainError, match="Unknown indicator"):
        _model(personas, finance, weights={"nope": 1})
    assert not NeedModel.objects.exists()
    model = _model(personas, finance)
    services.need_model_update(need_model=model, weights={"el-pct": 3}, acting_user=finance)
    assert dict(model.weights.values_list("indicator__code", "weight")) == {"el-pct": Decimal("3")}
    with pytest.raises(DomainError, match="cut points"):
        services.need_model_update(need_model=model, data={"cut_points": [80, 60]}, acting_user=finance)


def test_compute_stores_scores_ranks_tiers_and_contributions(personas, need_data, finance):
    model = _model(personas, finance)
    scores = services.need_model_compute(need_model=model, acting_user=finance)
    assert len(scores) == 2  # school C left the network before 2025-26
    a = NeedScore.objects.get(need_model=model, school=personas.school_a)
    b = NeedScore.objects.get(need_model=model, school=personas.school_b)
    assert (a.rank, b.rank) == (1, 2)
    assert a.score == Decimal("100") and b.score == Decimal("0")
    assert a.tier < b.tier and a.tier_name  # quintiles of two schools
    assert set(a.contributions) == {"el-pct", "ela-dfs"}
    assert sum(a.contributions.values()) == pytest.approx(float(a.score), abs=1e-3)
    model.refresh_from_db()
    assert model.computed_at is not None
    history_before = a.history.count()
    services.need_model_compute(need_model=model, acting_user=finance)
    a.refresh_from_db()
    assert a.history.count() == history_before  # nothing changed: nothing written


def test_missing_values_are_reweighted_never_zero(personas, need_data, finance):
    IndicatorValue.objects.filter(school=personas.school_b, indicator__code="ela-dfs").delete()
    model = _model(personas, finance)
    services.need_model_compute(need_model=model, acting_user=finance)
    b = NeedScore.objects.get(need_model=model, school=personas.school_b)
    assert b.missing == ["ela-dfs"]
    assert set(b.contributions) == {"el-pct"}


def test_compare_two_models(personas, need_data, finance):
    first = _model(personas, finance, name="EL only", weights={"el-pct": 1})
    IndicatorValue.objects.filter(school=personas.school_b, indicator__code="el-pct").update(value=50)
    second = _model(personas, finance, name="ELA only", weights={"ela-dfs": 1})
    for model in (first, second):
        services.need_model_compute(need_model=model, acting_user=finance)
    rows = selectors.need_models_compare(a=first, b=second, user=finance)
    by_school = {row.school: row for row in rows}
    assert by_school[personas.school_b].rank_shift == -1  # needier under "EL only", less so under "ELA only"
    assert by_school[personas.school_a].rank_shift == 1
    assert by_school[personas.school_a].tier_changed
    # a principal sees only their own school's row; board members see none
    assert [r.school for r in selectors.need_models_compare(a=first, b=second, user=personas.principal_a)] == [
        personas.school_a]
    assert selectors.need_models_compare(a=first, b=second, user=personas.board) == []


def test_scores_visible_by_persona(personas, need_data, finance):
    model = _model(personas, finance)
    services.need_model_compute(need_model=model, acting_user=finance)
    assert selectors.need_scores_for(personas.staff_ops, model).count() == 2
    assert list(selectors.need_scores_for(personas.principal_b, model).values_list("school", flat=True)) == [
        personas.school_b.pk]
    assert selectors.need_scores_for(personas.partner, model).count() == 0
    assert selectors.need_scores_for(personas.board, model).count() == 0
    assert selectors.need_models_for(personas.board).count() == 1
