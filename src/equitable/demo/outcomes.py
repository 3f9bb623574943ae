"""Demo outcomes: five years of fictional Dashboard values for the demo network's 19 member schools,
Los Angeles Unified and the state as comparisons, the network aggregates, and a few goals.

Years: the spring years 2021 … 2025 (school years 2020-21 … 2024-25), the five most recent years with
results (2025 is the latest Dashboard). The real state published no Dashboard for 2020-21 and only
status levels for 2021-22; the demo does not mimic that: every year has values, levels and colours,
so the trend charts have five points. A 2019-20 value is generated only as the prior of 2021.

What is generated (all fictional, `is_demo=True`, `source="demo"`; nothing here is a real result):
- indicators by school level: ELA and math distance from standard (high schools with the grade-11
  cut points, `hscutpoints=Y`), chronic absenteeism (K-8 schools), graduation and college/career
  (high schools), suspension (by school type ES/MS/HS; LAUSD and the state use the unified "UD"
  table) and English learner progress;
- student groups ALL, HI, AA, EL, SED, SWD, FOS, HOM and WH, with denominators scaled from synthetic
  enrollment, so White, foster, homeless (and, in Boyle Heights, Black) students are often fewer than
  11 at a school: those rows carry their denominator and no value, as the state's files do;
- a trajectory per school: the Watts elementaries and a few others improve steadily, most schools stay
  flat, three decline (see GROWING and DECLINING);
- status level, change level, colour and box from the Dashboard engine (`outcomes.dashboard`), so
  every row is consistent with the state's rules;
- network rows from `network_aggregates_compute` (source "computed"), and four goals, among them the
  North Star (college completion 60% by 2039), measured by the college/career indicator, the
  closest measure the state publishes every year.

Deterministic (every draw comes from `random.Random` seeded with the entity, indicator, group and year)
and idempotent: rows are upserted by their natural key and only rows that differ are written.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from equitable.demo import schools
from equitable.demo.generate import enrollment_figures, yearly_totals
from equitable.demo.sync import Sync
from equitable.network.codes import Level, level_for_span
from equitable.outcomes.codes import STATE_CDS, EntityType, Source
from equitable.outcomes.dashboard import rate, round_tenth
from equitable.outcomes.models import Goal, OutcomeImport, OutcomeValue
from equitable.outcomes.services import dashboard_levels, network_aggregates_compute, outcome_values_upsert

YEARS = tuple(range(2021, 2026))  # spring years: 2020-21 … 2024-25
PRIOR_ONLY_YEAR = 2020  # generated only as the prior of 2021
GROUPS = ("ALL", "HI", "AA", "EL", "SED", "SWD", "FOS", "HOM", "WH")
ELPI_GROUPS = ("ALL", "HI", "AA", "SED", "SWD", "FOS", "HOM")  # English learners' progress, by group
DISTRICT_CDS = "19647330000000"
DISTRICT_NAME = "Los Angeles Unified"
STATE_NAME = "State of California"
BATCH_KIND = "demo"
BATCH_FILE = "equitable demo (fictional outcomes)"

GROWING = frozenset({"grape", "99th", "107th", "joyner", "ritter", "markham", "huerta", "santee", "stevenson"})
DECLINING = frozenset({"carver", "hollenbeck", "jordan"})


def trajectory(key: str) -> str:
    return "growing" if key in GROWING else "declining" if key in DECLINING else "flat"


@dataclass(frozen=True)
class Plan:
    """How one indicator's demo values are drawn."""

    code: str
    is_rate: bool
    noise: float  # yearly noise of a school's ALL value (± uniform)
    step: dict[str, float]  # change per year by trajectory (value units, signed)
    offset: dict[str, float]  # student group's distance from ALL (value units, signed)
    base: dict[str, tuple[float, float]]  # 2019-20 ALL value range by school level
    floor: float = -250.0
    ceiling: float = 150.0


PLANS: tuple[Plan, ...] = (
    Plan("ELA", False, 2.5, {"growing": 7.5, "flat": 0.0, "declining": -4.5},
         {"HI": 0, "AA": -18, "EL": -32, "SED": -4, "SWD": -68, "FOS": -45, "HOM": -28, "WH": 9},
         {Level.ELEMENTARY: (-66, -42), Level.MIDDLE: (-75, -52), Level.HIGH: (-55, -28)}),
    Plan("MATH", False, 2.5, {"growing": 6.0, "flat": 0.0, "declining": -4.0},
         {"HI": 0, "AA": -22, "EL": -28, "SED": -4, "SWD": -72, "FOS": -50, "HOM": -30, "WH": 10},
         {Level.ELEMENTARY: (-88, -62), Level.MIDDLE: (-122, -96), Level.HIGH: (-150, -122)}),
    Plan("CHRO", True, 1.2, {"growing": -3.4, "flat": 0.0, "declining": 1.8},
         {"HI": 0, "AA": 9, "EL": -2, "SED": 1, "SWD": 7, "FOS": 10, "HOM": 13, "WH": -2},
         {Level.ELEMENTARY: (22, 33), Level.MIDDLE: (24, 34)}, floor=1.0, ceiling=90.0),
    Plan("SUSP", True, 0.25, {"growing": -0.35, "flat": 0.0, "declining": 0.5},
         {"HI": -0.1, "AA": 2.6, "EL": -0.3, "SED": 0.1, "SWD": 1.8, "FOS": 3.5, "HOM": 1.2, "WH": 0},
         {Level.ELEMENTARY: (0.4, 1.6), Level.MIDDLE: (2.2, 5.0), Level.HIGH: (1.6, 4.0)}, floor=0.0, ceiling=40.0),
    Plan("GRAD", True, 1.0, {"growing": 2.2, "flat": 0.0, "declining": -1.6},
         {"HI": 0.3, "AA": -5, "EL": -9, "SED": -1, "SWD": -14, "FOS": -18, "HOM": -10, "WH": 2},
         {Level.HIGH: (78, 87)}, floor=30.0, ceiling=99.5),
    Plan("CCI", True, 1.2, {"growing": 4.5, "flat": 0.2, "declining": -2.5},
         {"HI": 0.3, "AA": -8, "EL": -18, "SED": -2, "SWD": -25, "FOS": -20, "HOM": -12, "WH": 3},
         {Level.HIGH: (28, 41)}, floor=2.0, ceiling=95.0),
    Plan("ELPI", True, 1.5, {"growing": 3.0, "flat": 0.0, "declining": -2.5},
         {"HI": 0, "AA": -4, "SED": -1, "SWD": -12, "FOS": -9, "HOM": -6},
         {Level.ELEMENTARY: (40, 50), Level.MIDDLE: (36, 46), Level.HIGH: (34, 44)}, floor=5.0, ceiling=95.0),
)
PLAN = {plan.code: plan for plan in PLANS}
SUSPENSION_TYPE = {Level.ELEMENTARY: "ES", Level.MIDDLE: "MS", Level.HIGH: "HS"}

# Comparison entities: ALL value in 2019-20 and change per year; group shares of enrollment.
COMPARISON_TRENDS: dict[str, dict[str, tuple[float, float]]] = {
    "district": {"ELA": (-30.0, 3.2), "MATH": (-66.0, 3.0), "CHRO": (24.0, -1.4), "SUSP": (1.1, -0.02),
                 "GRAD": (83.5, 0.8), "CCI": (39.0, 1.6), "ELPI": (44.0, 1.2)},
    "state": {"ELA": (-14.0, 1.3), "MATH": (-45.0, 1.4), "CHRO": (20.5, -0.9), "SUSP": (3.3, -0.05),
              "GRAD": (85.8, 0.4), "CCI": (42.0, 0.9), "ELPI": (47.5, 0.5)},
}
COMPARISON_SHARES: dict[str, dict[str, float]] = {
    "district": {"HI": 0.74, "AA": 0.075, "EL": 0.19, "SED": 0.83, "SWD": 0.15, "FOS": 0.008, "HOM": 0.035,
                 "WH": 0.10},
    "state": {"HI": 0.56, "AA": 0.05, "EL": 0.19, "SED": 0.63, "SWD": 0.14, "FOS": 0.005, "HOM": 0.04, "WH": 0.20},
}
COMPARISON_ENROLLMENT = {"district": (445_000, 0.03), "state": (6_050_000, 0.012)}  # 2019-20 and yearly decline
COMPARISON_SHARE_OF_ENROLLMENT = {"ELA": 0.45, "MATH": 0.45, "CHRO": 0.70, "SUSP": 1.03, "GRAD": 0.075,
                                  "CCI": 0.075, "ELPI": 0.16}


def _tested_share(low: int, high: int) -> float:
    """Share of a school's students who take the state tests (grades 3-8 and 11)."""
    tested = sum(1 for g in range(low, high + 1) if 3 <= g <= 8 or g == 11)
    return 0.96 * tested / (high - low + 1)


def school_indicators(level: str, grade_high: int) -> tuple[str, ...]:
    codes = ["ELA", "MATH"]
    if grade_high <= 8:
        codes.append("CHRO")
    if level == Level.HIGH:
        codes += ["GRAD", "CCI"]
    return (*codes, "SUSP", "ELPI")


def _figure(plan: Plan, raw: float, denominator: int) -> tuple[Decimal | None, int | None]:
    """The published value (to 0.1) and numerator of a drawn value; nothing below 11 students."""
    if denominator < 11:
        return None, None
    raw = min(max(raw, plan.floor), plan.ceiling)
    if plan.is_rate:
        numerator = min(max(round(raw * denominator / 100), 0), denominator)
        return round_tenth(rate(numerator, denominator)), numerator
    return round_tenth(f"{raw:.4f}"), None


@dataclass(frozen=True)
class Entity:
    entity_type: str
    cds: str
    name: str
    school_id: int | None
    level: str
    grade_low: int
    grade_high: int
    trajectory: str


def _group_counts_school(spec: schools.SchoolSpec, years: tuple[int, ...]) -> dict[int, dict[str, int]]:
    """Synthetic enrollment by student group for each spring year (scaled like the registry's)."""
    starts = [year - 1 for year in years]
    totals = yearly_totals(spec.students, starts, seed=f"demo-outcomes:{spec.cds_code}")
    counts = {}
    for year in years:
        figures = enrollment_figures(totals[year - 1], spec.grade_low, spec.grade_high, spec.community or "",
                                     seed=f"demo-outcomes:{spec.cds_code}:{year}")
        counts[year] = {"ALL": figures.total, **figures.by_group}
    return counts


def _group_counts_comparison(kind: str, years: tuple[int, ...]) -> dict[int, dict[str, int]]:
    first, decline = COMPARISON_ENROLLMENT[kind]
    counts = {}
    for year in years:
        total = round(first * (1 - decline) ** (year - PRIOR_ONLY_YEAR))
        counts[year] = {"ALL": total, **{g: round(total * s) for g, s in COMPARISON_SHARES[kind].items()}}
    return counts


def _denominator(plan: Plan, entity: Entity, group: str, counts: dict[str, int]) -> int:
    if entity.entity_type != EntityType.SCHOOL:
        return round(counts.get(group, 0) * COMPARISON_SHARE_OF_ENROLLMENT[plan.code])
    n = counts.get(group, 0)
    if plan.code in ("ELA", "MATH"):
        return round(n * _tested_share(entity.grade_low, entity.grade_high))
    if plan.code in ("GRAD", "CCI"):
        return round(n * 0.24)
    if plan.code == "ELPI":  # English learners with two years of ELPAC scores, by group
        learners = counts.get("EL", 0) * 0.85
        return round(learners if group == "ALL" else learners * n / max(counts["ALL"], 1))
    return round(n * 1.03)  # cumulative enrollment: chronic absenteeism, suspension


def _series(plan: Plan, entity: Entity, counts_by_year: dict[int, dict[str, int]]) -> dict[str, dict[int, tuple]]:
    """For each group, {year: (value, denominator, numerator)} for 2020 … 2025."""
    years = (PRIOR_ONLY_YEAR, *YEARS)
    if entity.entity_type == EntityType.SCHOOL:
        rng = random.Random(f"demo-outcomes:{entity.cds}:{plan.code}")
        low, high = plan.base[entity.level]
        start = rng.uniform(low, high)
        step = plan.step[entity.trajectory] * rng.uniform(0.8, 1.2) + rng.uniform(-0.3, 0.3) * plan.noise
        noise = plan.noise
    else:
        start, step = COMPARISON_TRENDS[entity.entity_type][plan.code]
        rng = random.Random(f"demo-outcomes:{entity.cds}:{plan.code}")
        noise = plan.noise / 6
    groups = ELPI_GROUPS if plan.code == "ELPI" else GROUPS
    series: dict[str, dict[int, tuple]] = {}
    for group in groups:
        gap = plan.offset.get(group, 0.0) if group != "ALL" else 0.0
        gap += 0 if group == "ALL" else rng.uniform(-0.6, 0.6) * plan.noise * 2
        per_year = {}
        for t, year in enumerate(years):
            denominator = _denominator(plan, entity, group, counts_by_year[year])
            if denominator <= 0:
                continue
            draw = random.Random(f"demo-outcomes:{entity.cds}:{plan.code}:{group}:{year}")
            spread = noise * (1 if group == "ALL" else min(3.0, max(1.0, math.sqrt(200 / denominator))))
            raw = start + step * t + gap + draw.uniform(-spread, spread)
            value, numerator = _figure(plan, raw, denominator)
            per_year[year] = (value, denominator, numerator)
        series[group] = per_year
    return series


def _flags(plan: Plan, entity: Entity, value: Decimal | None, denominator: int) -> dict[str, Any]:
    flags: dict[str, Any] = {}
    if plan.code in ("ELA", "MATH"):
        flags["hscutpoints"] = "Y" if entity.entity_type == EntityType.SCHOOL and entity.level == Level.HIGH else "N"
    if plan.code == "SUSP":
        flags["type"] = SUSPENSION_TYPE[entity.level] if entity.entity_type == EntityType.SCHOOL else "UD"
    if plan.code in ("CHRO", "GRAD", "SUSP", "CCI") and value is not None:
        flags["smalldenom"] = "Y" if denominator < 150 else "N"
    return flags


def entity_rows(entity: Entity, codes: tuple[str, ...], counts_by_year: dict[int, dict[str, int]]) -> list[dict]:
    """The outcome rows (dicts of attnames) of one entity for the demo years."""
    rows = []
    for code in codes:
        plan = PLAN[code]
        for group, per_year in _series(plan, entity, counts_by_year).items():
            for year in YEARS:
                if year not in per_year:
                    continue
                value, denominator, numerator = per_year[year]
                prior_value, prior_denominator, _ = per_year.get(year - 1, (None, None, None))
                change = None if value is None or prior_value is None else value - prior_value
                flags = _flags(plan, entity, value, denominator)
                row = {
                    "indicator": code, "year": year, "entity_type": entity.entity_type, "cds": entity.cds,
                    "entity_name": entity.name, "school_id": entity.school_id, "student_group": group,
                    "value": value, "denominator": denominator, "numerator": numerator,
                    "prior_value": prior_value, "prior_denominator": prior_denominator, "change": change,
                    "flags": flags, "source": Source.DEMO, "comparison_only": False, "is_demo": True,
                }
                row.update(dashboard_levels(
                    indicator=code, entity_type=entity.entity_type, student_group=group, value=value,
                    denominator=denominator, prior_value=prior_value, prior_denominator=prior_denominator,
                    change=change, flags=flags))
                rows.append(row)
    return rows


def demo_outcome_rows(school_ids: dict[str, int]) -> list[dict]:
    """Every demo row of the member schools (by school key → id), LA Unified and the state."""
    rows = []
    years = (PRIOR_ONLY_YEAR, *YEARS)
    for spec in schools.SCHOOLS:
        if spec.left_on:
            continue  # the former member's results are not part of the demo
        level = level_for_span(spec.grade_low, spec.grade_high)
        entity = Entity(EntityType.SCHOOL, spec.cds_code, spec.name, school_ids[spec.key], level, spec.grade_low,
                        spec.grade_high, trajectory(spec.key))
        rows += entity_rows(entity, school_indicators(level, spec.grade_high), _group_counts_school(spec, years))
    for kind, cds, name in (("district", DISTRICT_CDS, DISTRICT_NAME), ("state", STATE_CDS, STATE_NAME)):
        entity = Entity(kind, cds, name, None, "", 0, 12, "")
        rows += entity_rows(entity, tuple(PLAN), _group_counts_comparison(kind, years))
    return rows


def _goal_rows(state: dict, baselines: dict[tuple, Decimal]) -> list[dict]:
    first = YEARS[0]
    tag = "(demo)"

    def goal(name, indicator, school_key, baseline_key, target_year, target, description):
        return {"name": name, "indicator": indicator, "student_group": "ALL",
                "school_id": state["schools"][school_key].pk if school_key else None, "baseline_year": first,
                "baseline_value": baselines[baseline_key], "target_year": target_year,
                "target_value": Decimal(target), "description": f"{description} {tag}", "is_demo": True}

    return [
        goal("North Star: 60% college completion by 2039", "CCI", None, ("network", "CCI"), 2039, "60.00",
             "The network's North Star is college completion: 60% of its students complete college by 2039. "
             "The state publishes no college completion figure per school, so progress is measured by the "
             "College/Career Indicator (percent of the graduating cohort prepared), the closest yearly proxy."),
        goal("Network: chronic absenteeism under 15% by 2027", "CHRO", None, ("network", "CHRO"), 2027, "15.00",
             "K-8 chronic absenteeism across the network's elementary and middle schools."),
        goal("Grape Street: ELA at standard by 2027", "ELA", schools.GRAPE_STREET, ("grape", "ELA"), 2027, "0.00",
             "All students at Grape Street Elementary reach, on average, the Level 3 standard in ELA "
             "(distance from standard 0)."),
        goal("Jordan High: 90% graduation by 2028", "GRAD", "jordan", ("jordan", "GRAD"), 2028, "90.00",
             "Four- and five-year graduation rate of Jordan High."),
    ]


def _count(sync: Sync, label: str, created: int, updated: int) -> None:
    """Add to the load's counters (only what happened: an empty counter means "nothing changed")."""
    if created:
        sync.created[label] += created
    if updated:
        sync.updated[label] += updated


def load_demo_outcomes(sync: Sync, state: dict) -> None:
    """A step of `load_demo_network`: demo outcome rows, network aggregates and goals."""
    school_ids = {key: school.pk for key, school in state["schools"].items()}
    rows = demo_outcome_rows(school_ids)
    label = OutcomeValue._meta.label
    batch = sync.apply(OutcomeImport, ("kind", "file_name"), [{
        "kind": BATCH_KIND, "file_name": BATCH_FILE, "indicator": "", "year": None, "rows_read": len(rows),
        "rows_written": len(rows), "rows_skipped": 0, "imported_by_id": None}])[(BATCH_KIND, BATCH_FILE)]
    existing = OutcomeValue.objects.filter(source=Source.DEMO, entity_type__in=[
        EntityType.SCHOOL, EntityType.DISTRICT, EntityType.STATE])
    counts = outcome_values_upsert(rows=rows, existing=existing, batch=batch)
    _count(sync, label, counts.created, counts.updated)

    network = state["network"]
    for year in YEARS:
        before = OutcomeValue.objects.filter(entity_type=EntityType.NETWORK, year=year).count()
        written = network_aggregates_compute(year=year, network=network)
        if written:
            created = max(OutcomeValue.objects.filter(entity_type=EntityType.NETWORK, year=year).count() - before, 0)
            _count(sync, label, created, written - created)

    wanted = [("network", "CCI"), ("network", "CHRO"), ("grape", "ELA"), ("jordan", "GRAD")]
    baselines: dict[tuple, Decimal] = {}
    query = Q()
    for who, code in wanted:
        where = Q(entity_type=EntityType.NETWORK) if who == "network" else Q(school_id=school_ids[who])
        query |= where & Q(indicator=code)
    for row in OutcomeValue.objects.filter(query, year=YEARS[0], student_group="ALL").values(
            "indicator", "entity_type", "school_id", "value"):
        who = "network" if row["entity_type"] == EntityType.NETWORK else next(
            k for k, pk in school_ids.items() if pk == row["school_id"])
        baselines[(who, row["indicator"])] = row["value"]
    sync.apply(Goal, ("name",), _goal_rows(state, baselines))
