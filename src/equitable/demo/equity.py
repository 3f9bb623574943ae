"""Demo need and funding data for the current year (2025-26): indicators in the four families with values
for the 19 member schools, the need model "Network need index 2025-26" (computed), three funding sources and
two adopted scenarios — an even split and an equitable split in which the highest-need (Watts) schools get
2.5 times the per-pupil amount of the lowest-need schools.

Where the values come from:
- student need (unduplicated, English learner, foster, homeless, disability shares): derived from the
  demo's synthetic enrollment (`equity.derive.enrollment_values`);
- academic and climate (ELA and math distance from standard, chronic absenteeism, suspension, graduation):
  derived from the demo's fictional outcomes of 2024-25 (`equity.derive.outcome_values`);
- community: asthma emergency visits per 10,000 by ZIP are real public figures — the population-weighted
  mean of CalEnviroScreen 4.0's SB 535 disadvantaged-community tracts in each ZIP (OEHHA), typed in below
  as a small table; gun injuries per 10,000 are FICTIONAL demo figures, labelled as such.

Every row is `is_demo=True` where the model has the flag, written through `sync.Sync` (deterministic and
idempotent: a second load writes nothing). Timestamps of computing and adoption are fixed demo dates.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from equitable.demo.generate import CURRENT_START_YEAR, school_year_name
from equitable.demo.sync import Sync
from equitable.equity.derive import (
    CES_INDICATORS,
    ENROLLMENT_INDICATORS,
    OUTCOME_INDICATORS,
    IndicatorDef,
    community_values_by_zip,
    enrollment_values,
    outcome_values,
)
from equitable.equity.models import (
    Derivation,
    Family,
    Indicator,
    IndicatorValue,
    NeedModel,
    NeedScore,
    NeedWeight,
)
from equitable.equity.selectors import network_schools
from equitable.equity.services import need_score_rows
from equitable.funding.models import (
    Allocation,
    FundingSource,
    Method,
    Scenario,
    ScenarioSource,
    SourceKind,
    Status,
)

YEAR_NAME = school_year_name(CURRENT_START_YEAR)
NEED_MODEL_NAME = f"Network need index {YEAR_NAME}"
EVEN_NAME = f"Even split {YEAR_NAME}"
EQUITABLE_NAME = f"Equitable split {YEAR_NAME}"
COMPUTED_AT = datetime(CURRENT_START_YEAR, 8, 1, 16, 0, tzinfo=UTC)
ADOPTED_AT = datetime(CURRENT_START_YEAR, 8, 8, 17, 0, tzinfo=UTC)
DEMO_NOTE = "(demo)"

# Asthma ED visits per 10,000 (age-adjusted), population-weighted mean over the ZIP's SB 535 tracts in
# CalEnviroScreen 4.0 — public facts, computed with equity.derive.read_calenviroscreen from the OEHHA file.
ASTHMA_BY_ZIP: dict[str, Decimal] = {
    "90002": Decimal("95.93"), "90059": Decimal("109.04"), "90003": Decimal("110.96"), "90011": Decimal("69.48"),
    "90061": Decimal("123.06"), "90044": Decimal("101.08"), "90033": Decimal("69.49"), "90023": Decimal("64.88"),
    "90017": Decimal("69.15"),
}
# Gun injuries per 10,000 residents near campus: FICTIONAL demo figures (no real data behind them).
GUN_INJURIES_BY_ZIP: dict[str, Decimal] = {
    "90002": Decimal("11.4"), "90059": Decimal("12.6"), "90003": Decimal("9.1"), "90061": Decimal("8.7"),
    "90044": Decimal("7.9"), "90011": Decimal("4.6"), "90033": Decimal("3.2"), "90023": Decimal("2.9"),
    "90017": Decimal("2.4"),
}
GUN_INJURIES = IndicatorDef("gun-injuries-per-10k", "Gun injuries near campus (fictional demo figures)",
                            Family.COMMUNITY, True, "per 10,000",
                            "Demo: fictional figures by ZIP, not real data", Derivation.ENTERED)
ASTHMA = CES_INDICATORS["Asthma"]

# The need model's weights (SENI-like: student need, academic and community families).
WEIGHTS: dict[str, Decimal] = {
    "unduplicated-pct": Decimal("1"), "el-pct": Decimal("1"), "foster-pct": Decimal("0.5"),
    "homeless-pct": Decimal("0.5"), "swd-pct": Decimal("0.5"),
    "ela-dfs": Decimal("1"), "math-dfs": Decimal("1"), "chronic-pct": Decimal("0.75"),
    "graduation-pct": Decimal("0.75"), "suspension-pct": Decimal("0.75"),
    "asthma-ed-per-10k": Decimal("1.5"), "gun-injuries-per-10k": Decimal("2"),
}
TIER_RATES = [2.5, 2.0, 1.6, 1.3, 1.0]  # per-pupil rate of tiers 1 (Highest) … 5 (Lowest), relative

SOURCES = (
    {"name": f"Demo Family Foundation unrestricted gift {YEAR_NAME}", "kind": SourceKind.PHILANTHROPIC,
     "restricted_to": "", "amount": Decimal("3000000.00")},
    {"name": f"Arts education grant {YEAR_NAME}", "kind": SourceKind.PHILANTHROPIC,
     "restricted_to": "Arts education (Arts Leads, materials, partners)", "amount": Decimal("600000.00")},
    {"name": f"District co-funding {YEAR_NAME}", "kind": SourceKind.PUBLIC, "restricted_to": "",
     "amount": Decimal("1500000.00")},
)
# Each adopted scenario draws its own share: together they never draw more than a source holds.
SCENARIOS = (
    {"name": EVEN_NAME, "method": Method.EVEN_PUPIL, "parameters": {},
     "description": "Arts grant and part of the district co-funding, the same amount per pupil everywhere (demo).",
     "draws": {f"Arts education grant {YEAR_NAME}": Decimal("600000.00"),
               f"District co-funding {YEAR_NAME}": Decimal("900000.00")}},
    {"name": EQUITABLE_NAME, "method": Method.TIERED, "parameters": {"tier_rates": TIER_RATES},
     "description": "The unrestricted gift and the rest of the district co-funding at a per-pupil rate that rises "
                    "with need tier: Highest-need schools get 2.5 times the rate of Lowest-need schools (demo).",
     "draws": {f"Demo Family Foundation unrestricted gift {YEAR_NAME}": Decimal("3000000.00"),
               f"District co-funding {YEAR_NAME}": Decimal("600000.00")}},
)


def _indicator_rows() -> list[dict]:
    definitions = [*ENROLLMENT_INDICATORS, *OUTCOME_INDICATORS, ASTHMA, GUN_INJURIES]
    return [d.data(is_demo=True) for d in definitions]


def load_demo_equity(sync: Sync, state: dict) -> None:
    """A step of `load_demo_network` (after outcomes): need data, need model, sources and scenarios."""
    year = state["years"][CURRENT_START_YEAR]
    indicators = {code: obj for (code,), obj in sync.apply(Indicator, ("code",), _indicator_rows()).items()}

    schools = list(network_schools(year).filter(is_demo=True))
    values = {**enrollment_values(year, schools), **outcome_values(year, schools)}
    values[ASTHMA.code] = community_values_by_zip(ASTHMA_BY_ZIP, schools)
    values[GUN_INJURIES.code] = community_values_by_zip(GUN_INJURIES_BY_ZIP, schools)
    rows = []
    for code, by_school in values.items():
        note = DEMO_NOTE if code == GUN_INJURIES.code else ""
        for school_id, value in sorted(by_school.items()):
            rows.append({"indicator_id": indicators[code].pk, "school_id": school_id, "school_year_id": year.pk,
                         "value": Decimal(value).quantize(Decimal("0.0001")), "note": note, "is_demo": True})
    sync.apply(IndicatorValue, ("indicator_id", "school_id", "school_year_id"), rows)

    need_model = sync.apply(NeedModel, ("name", "school_year_id"), [{
        "name": NEED_MODEL_NAME, "school_year_id": year.pk, "normalization": "percentile", "missing_rule": "reweight",
        "cut_points": [], "computed_at": COMPUTED_AT, "is_demo": True,
        "description": "SENI-style: percentile ranks (ties averaged), weights re-spread over the indicators a "
                       "school has, need tiers by quintile (demo).",
    }])[(NEED_MODEL_NAME, year.pk)]
    sync.apply(NeedWeight, ("need_model_id", "indicator_id"), [
        {"need_model_id": need_model.pk, "indicator_id": indicators[code].pk, "weight": weight}
        for code, weight in WEIGHTS.items()])
    sync.apply(NeedScore, ("need_model_id", "school_id"), need_score_rows(need_model))

    sources = sync.apply(FundingSource, ("name", "school_year_id"), [
        {**row, "school_year_id": year.pk, "is_demo": True} for row in SOURCES])
    source_ids = {name: obj.pk for (name, _year), obj in sources.items()}
    _load_scenarios(sync, year, need_model, source_ids)


def _load_scenarios(sync: Sync, year, need_model: NeedModel, source_ids: dict[str, int]) -> None:
    from equitable.funding.services import scenario_plan

    for spec in SCENARIOS:
        pool = sum(spec["draws"].values(), Decimal(0))
        draft = Scenario(name=spec["name"], school_year=year, need_model=need_model, method=spec["method"],
                         parameters=spec["parameters"])
        plan = scenario_plan(draft, pool=pool)
        scenario = sync.apply(Scenario, ("name",), [{
            "name": spec["name"], "school_year_id": year.pk, "need_model_id": need_model.pk, "method": spec["method"],
            "parameters": spec["parameters"], "previous_id": None, "pool": plan.pool, "remainder": plan.remainder,
            "metrics": plan.metrics, "status": Status.ADOPTED, "adopted_at": ADOPTED_AT, "adopted_by_id": None,
            "description": spec["description"], "is_demo": True,
        }])[(spec["name"],)]
        sync.apply(ScenarioSource, ("scenario_id", "source_id"), [
            {"scenario_id": scenario.pk, "source_id": source_ids[name], "amount": amount}
            for name, amount in spec["draws"].items()])
        sync.apply(Allocation, ("scenario_id", "school_id"), [
            {"scenario_id": scenario.pk, **row} for row in plan.rows])
