"""Funding services: sources, scenarios (compute, adopt, copy), the lock on adopted scenarios, overdrawn
sources, infeasible options — and who may and who may not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.models import User
from equitable.equity import services as equity
from equitable.equity.models import Indicator
from equitable.funding import services
from equitable.funding.models import Allocation, FundingSource, Scenario
from equitable.funding.selectors import scenario_allocation_rows, source_lines

pytestmark = pytest.mark.django_db

NOT_FINANCE = ["staff_ops", "staff_academic", "director", "principal_a", "principal_b", "partner", "board"]


@pytest.fixture
def finance(personas):
    return User.objects.create(username="finance", role="staff", area="finance")


@pytest.fixture
def need_model(personas, finance):
    """School A is needier than school B."""
    indicator = Indicator.objects.create(code="el-pct", name="English learners", family="student")
    for school, value in ((personas.school_a, 37.5), (personas.school_b, 20)):
        equity.indicator_value_set(indicator=indicator, school=school, school_year=personas.year, value=value,
                                   acting_user=finance)
    model = equity.need_model_create(data={"name": "Need", "school_year": personas.year}, weights={"el-pct": 1},
                                     acting_user=finance)
    equity.need_model_compute(need_model=model, acting_user=finance)
    model.refresh_from_db()
    return model


@pytest.fixture
def gift(personas, finance):
    return services.funding_source_create(data={"name": "Gift", "kind": "philanthropic", "amount": Decimal("100000"),
                                                "school_year": personas.year}, acting_user=finance)


def _scenario(personas, finance, gift, *, name="Even", method="even_pupil", amount=100000, need_model=None,
              parameters=None):
    return services.scenario_create(name=name, school_year=personas.year, method=method, parameters=parameters,
                                    sources={gift: amount}, need_model=need_model, previous=None, acting_user=finance)


def test_even_per_pupil(personas, finance, gift):
    scenario = services.scenario_compute(scenario=_scenario(personas, finance, gift), acting_user=finance)
    assert scenario.status == "computed" and scenario.pool == Decimal("100000")
    rows = {a.school: a for a in scenario.allocations.all()}
    assert set(rows) == {personas.school_a, personas.school_b}  # school C left the network before 2025-26
    assert rows[personas.school_a].amount == Decimal("40000") and rows[personas.school_b].amount == Decimal("60000")
    assert rows[personas.school_a].per_pupil == rows[personas.school_b].per_pupil == Decimal("100")
    assert rows[personas.school_a].lcff_supplemental > 0  # UPP 95 %: concentration too
    assert rows[personas.school_a].lcff_concentration > 0
    assert scenario.metrics["gini_per_pupil"] == pytest.approx(0)
    assert scenario_allocation_rows("Even") == [
        {"id": "19647330000011", "amount": 40000.0, "per_pupil": 100.0},
        {"id": "19647330000022", "amount": 60000.0, "per_pupil": 100.0}]


def test_tiered_needs_a_computed_need_model(personas, finance, gift, need_model):
    scenario = _scenario(personas, finance, gift, method="tiered", parameters={"tier_rates": [3, 2.5, 2, 1.5, 1]})
    with pytest.raises(DomainError, match="choose a need model"):
        services.scenario_compute(scenario=scenario, acting_user=finance)
    services.scenario_update(scenario=scenario, data={"need_model": need_model}, acting_user=finance)
    services.scenario_compute(scenario=scenario, acting_user=finance)
    a = Allocation.objects.get(scenario=scenario, school=personas.school_a)
    b = Allocation.objects.get(scenario=scenario, school=personas.school_b)
    assert a.per_pupil > b.per_pupil and a.amount + b.amount == Decimal("100000")
    assert a.need_tier < b.need_tier and a.need_score == Decimal("100")


def test_bad_parameters_are_refused(personas, finance, gift):
    with pytest.raises(DomainError, match="Unknown parameter"):
        _scenario(personas, finance, gift, parameters={"tier_rate": [1]})
    with pytest.raises(DomainError, match="five rates"):
        _scenario(personas, finance, gift, parameters={"tier_rates": [1, 2]})
    assert not Scenario.objects.exists()


def test_infeasible_options_give_a_clear_error(personas, finance, gift, need_model):
    scenario = _scenario(personas, finance, gift, method="proportional", need_model=need_model,
                         parameters={"floor": 60000})
    with pytest.raises(DomainError) as exc:
        services.scenario_compute(scenario=scenario, acting_user=finance)
    assert "floor" in exc.value.message.lower()
    scenario.refresh_from_db()
    assert scenario.status == "draft" and not scenario.allocations.exists()


def test_a_z_score_need_model_orders_schools_but_is_no_share_of_need(personas, finance, gift, need_model):
    equity.need_model_update(need_model=need_model, data={"normalization": "zscore"}, acting_user=finance)
    equity.need_model_compute(need_model=need_model, acting_user=finance)
    for method in ("proportional", "maxmin"):
        scenario = _scenario(personas, finance, gift, name=method, method=method, need_model=need_model)
        with pytest.raises(DomainError, match="gives z-scores, which can be negative"):
            services.scenario_compute(scenario=scenario, acting_user=finance)
    # monotone per-pupil only needs the order: school A (needier) never gets less per pupil than B
    scenario = _scenario(personas, finance, gift, name="monotone", method="even_school", need_model=need_model,
                         parameters={"monotone_per_pupil": True})
    services.scenario_compute(scenario=scenario, acting_user=finance)
    a = Allocation.objects.get(scenario=scenario, school=personas.school_a)
    b = Allocation.objects.get(scenario=scenario, school=personas.school_b)
    assert a.per_pupil >= b.per_pupil and a.amount + b.amount == Decimal("100000")


def test_adopted_scenario_is_locked(personas, finance, gift):
    scenario = _scenario(personas, finance, gift)
    with pytest.raises(DomainError, match="before adopting"):
        services.scenario_adopt(scenario=scenario, acting_user=finance)
    services.scenario_compute(scenario=scenario, acting_user=finance)
    services.scenario_adopt(scenario=scenario, acting_user=finance)
    scenario.refresh_from_db()
    assert scenario.status == "adopted" and scenario.adopted_by == finance and scenario.adopted_at
    for attempt in (lambda: services.scenario_compute(scenario=scenario, acting_user=finance),
                    lambda: services.scenario_update(scenario=scenario, data={"description": "x"}, acting_user=finance),
                    lambda: services.scenario_delete(scenario=scenario, acting_user=finance),
                    lambda: services.scenario_adopt(scenario=scenario, acting_user=finance)):
        with pytest.raises(DomainError, match="is locked; copy it"):
            attempt()
    assert not Scenario.objects.restrict(finance, "change").exists()
    assert not Allocation.objects.restrict(finance, "change").exists()
    with pytest.raises(DomainError, match="is locked"):  # the services hold admins to the lock too
        services.scenario_update(scenario=scenario, data={"description": "x"}, acting_user=personas.admin)
    assert scenario.allocations.count() == 2


def test_a_new_version_is_a_copy_and_sources_are_not_overdrawn(personas, finance, gift):
    first = services.scenario_compute(scenario=_scenario(personas, finance, gift, amount=70000), acting_user=finance)
    services.scenario_adopt(scenario=first, acting_user=finance)
    copy = services.scenario_copy(scenario=first, name="Even v2", acting_user=finance)
    assert copy.status == "draft" and copy.method == first.method
    assert dict(copy.sources.values_list("source__name", "amount")) == {"Gift": Decimal("70000")}
    with pytest.raises(DomainError) as exc:
        services.scenario_compute(scenario=copy, acting_user=finance)
    assert exc.value.message == ("Scenario 'Even v2' draws $70,000 from 'Gift', but only $30,000 of its $100,000 "
                                 "is left after the adopted scenarios' draws.")
    services.scenario_update(scenario=copy, sources={gift: 30000}, acting_user=finance)
    services.scenario_compute(scenario=copy, acting_user=finance)
    services.scenario_adopt(scenario=copy, acting_user=finance)
    (line,) = source_lines(finance)
    assert line.drawn_by_adopted == Decimal("100000") and line.available == 0
    with pytest.raises(DomainError, match="adopted scenarios already drew"):
        services.funding_source_update(source=gift, data={"amount": Decimal("90000")}, acting_user=finance)
    with pytest.raises(DomainError, match="cannot be deleted"):
        services.funding_source_delete(source=gift, acting_user=finance)


def test_draw_must_match_the_year_and_the_amount(personas, finance, gift):
    with pytest.raises(DomainError, match="only \\$100,000"):
        _scenario(personas, finance, gift, amount=150000)
    assert not Scenario.objects.exists()


def test_hold_harmless_against_the_previous_adopted_scenario(personas, finance, gift, need_model):
    first = services.scenario_compute(scenario=_scenario(personas, finance, gift, amount=50000), acting_user=finance)
    with pytest.raises(DomainError, match="must be an adopted scenario"):
        services.scenario_create(name="Next", school_year=personas.year, method="proportional", sources={gift: 50000},
                                 need_model=need_model, previous=first, acting_user=finance)
    services.scenario_adopt(scenario=first, acting_user=finance)
    nxt = services.scenario_create(name="Next", school_year=personas.year, method="proportional",
                                   parameters={"hold_harmless": 0.9, "need_multiplier": 3}, sources={gift: 50000},
                                   need_model=need_model, previous=first, acting_user=finance)
    services.scenario_compute(scenario=nxt, acting_user=finance)
    prior_b = first.allocations.get(school=personas.school_b).amount
    assert nxt.allocations.get(school=personas.school_b).amount >= prior_b * Decimal("0.9") - Decimal("0.01")


@pytest.mark.parametrize("name", NOT_FINANCE)
def test_others_may_not_write_funding(personas, finance, gift, name):
    user = personas.user(name)
    with pytest.raises(NotPermitted):
        services.funding_source_create(data={"name": "X", "kind": "public", "amount": 1, "school_year": personas.year},
                                       acting_user=user)
    with pytest.raises(NotPermitted):
        services.funding_source_update(source=gift, data={"amount": 1}, acting_user=user)
    with pytest.raises(NotPermitted):
        _scenario(personas, user, gift, name=f"by {name}")
    scenario = _scenario(personas, finance, gift)
    for attempt in (lambda: services.scenario_compute(scenario=scenario, acting_user=user),
                    lambda: services.scenario_update(scenario=scenario, data={"description": "x"}, acting_user=user),
                    lambda: services.scenario_delete(scenario=scenario, acting_user=user),
                    lambda: services.scenario_copy(scenario=scenario, name="copy", acting_user=user)):
        with pytest.raises(NotPermitted):
            attempt()
    services.scenario_compute(scenario=scenario, acting_user=finance)
    with pytest.raises(NotPermitted):
        services.scenario_adopt(scenario=scenario, acting_user=user)
    assert Scenario.objects.get().status == "computed" and FundingSource.objects.get().amount == Decimal("100000")


def test_who_sees_allocations(personas, finance, gift):
    scenario = services.scenario_compute(scenario=_scenario(personas, finance, gift), acting_user=finance)
    assert not Scenario.objects.restrict(personas.principal_a, "view").exists()  # not adopted yet
    services.scenario_adopt(scenario=scenario, acting_user=personas.admin)
    seen = Allocation.objects.restrict(personas.principal_a, "view")
    assert list(seen.values_list("school", flat=True)) == [personas.school_a.pk]
    assert Scenario.objects.restrict(personas.board, "view").count() == 1
    assert not Allocation.objects.restrict(personas.board, "view").exists()
    assert not Allocation.objects.restrict(personas.partner, "view").exists()


def test_unknown_scenario_for_the_command_line(personas):
    with pytest.raises(DomainError, match="No scenario is named 'Nope'"):
        scenario_allocation_rows("Nope")


def test_stored_amounts_are_whole_cents_adding_up_to_the_pool(personas, finance, gift):
    # $100,000.01 split evenly per school: one school gets the odd cent, and the stored total is the pool exactly.
    gift.amount = Decimal("100000.01")
    gift.save()
    scenario = services.scenario_compute(
        scenario=_scenario(personas, finance, gift, method="even_school", amount=Decimal("100000.01")),
        acting_user=finance)
    amounts = sorted(a.amount for a in scenario.allocations.all())
    assert amounts == [Decimal("50000.00"), Decimal("50000.01")]
    assert sum(amounts) == scenario.pool == Decimal("100000.01")
