"""Writes to funding: sources, allocation scenarios (create, update, compute, adopt, copy, delete).

Every function is keyword-only and takes the acting user; finance staff and network admins may write.
An adopted scenario is locked: compute, update and delete refuse it with `LOCKED` (and the scoping of
scenarios and allocations already leaves adopted rows out of "change"). A new version is a copy.

Computing a scenario: the pool is the sum of what it draws from its sources; each draw must fit in what
is left of the source after the other adopted scenarios' draws. Each network school of the scenario's
year brings its enrollment, need score and tier (from the need model), prior amount (from `previous`)
and an LCFF estimate (three years of unduplicated pupils); the pure engine `funding.allocation`
allocates; the per-school amounts, metrics and remainder are stored with the inputs they came from.

Method parameters (`Scenario.parameters`, all optional):
  tier_rates [r1..r5] · weights {poverty, english_learners, disabilities} · grade_weights {"K-5", "6-8",
  "9-12"} · need_multiplier · spend_exactly · minimum_grant · monotone_per_pupil · hold_harmless (e.g. 0.9)
  · floor / cap (every school) · floors / caps {CDS code: amount} · base_includes_lcff (min-spread counts
  the LCFF supplemental and concentration estimate as existing dollars) · ada_rate (ADA ÷ enrollment for
  the LCFF estimate).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from equitable.core.audit import attribute_to
from equitable.core.exceptions import DomainError
from equitable.core.services import (
    create_record,
    delete_record,
    ensure_can,
    ensure_can_add,
    save_clean,
    update_record,
)
from equitable.equity.models import NeedModel
from equitable.funding.allocation.cents import round_to_cents
from equitable.funding.models import Allocation, FundingSource, Method, Scenario, ScenarioSource, Status
from equitable.funding.selectors import (
    AllocationFacts,
    SchoolFacts,
    allocation_facts,
    scenario_allocation_rows,
    source_available,
    source_drawn_by_adopted,
)
from equitable.network.models import SchoolYear

__all__ = [
    "funding_source_create", "funding_source_update", "funding_source_delete", "scenario_create",
    "scenario_update", "scenario_delete", "scenario_compute", "scenario_adopt", "scenario_copy", "scenario_plan",
    "scenario_allocation_rows", "LOCKED",
]

CENT = Decimal("0.01")
DEFAULT_ADA_RATE = 0.92  # estimate: average daily attendance ÷ enrollment, when no ADA figures are given
NYC_GRADE_WEIGHTS = {"K-5": 1.00, "6-8": 1.08, "9-12": 1.03}  # DOMAIN.md 2.6
NEED_METHODS = (Method.TIERED, Method.PROPORTIONAL, Method.MAXMIN)

LOCKED = "Scenario {name!r} was adopted on {date} and is locked; copy it to make a new version."
NOT_COMPUTED = "Compute scenario {name!r} before adopting it."
OVERDRAWN = ("Scenario {scenario!r} draws {drawn} from {source!r}, but only {available} of its {amount} is left "
             "after the adopted scenarios' draws.")
SOURCE_YEAR = "Source {source!r} is for {source_year}; scenario {scenario!r} is for {year}."
SOURCE_BELOW_ADOPTED = "Source {source!r} cannot be lowered to {amount}: adopted scenarios already drew {drawn}."
EMPTY_POOL = "Scenario {name!r} draws nothing: give at least one source and an amount above zero."
PREVIOUS_NOT_ADOPTED = "The previous scenario (the hold-harmless baseline) must be an adopted scenario."
NEED_MODEL_REQUIRED = "The method {method!r} allocates by need: choose a need model."
NEED_MODEL_NOT_COMPUTED = "Need model {model!r} has not been computed yet: compute it first."
NEED_MODEL_ZSCORE = ("Need model {model!r} gives z-scores, which can be negative, and the method {method!r} reads "
                     "need as a share of need: choose a percentile or min–max need model.")
NEED_SHARE_METHODS = (Method.PROPORTIONAL, Method.MAXMIN)
NEED_MISSING = "Need model {model!r} has no need score for {schools}; the method {method!r} needs one for every school."
NO_SCHOOLS = "No network school has enrollment in {year}; there is nothing to allocate."
BAD_PARAMETER = "Parameter {name!r}: {problem}"
UNKNOWN_PARAMETERS = "Unknown parameter(s) {names}; known parameters: {known}."


def _money(value) -> str:
    return f"${Decimal(value):,.2f}".replace(".00", "")


def _as_money(value, *, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(f"The {what} is not a number: {value!r}.") from None
    if not number.is_finite() or number < 0:
        raise DomainError(f"The {what} must be 0 or more.")
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def _cents(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


# --- funding sources -------------------------------------------------------------------------------

def funding_source_create(*, data: dict[str, Any], acting_user) -> FundingSource:
    return create_record(FundingSource, data=data, acting_user=acting_user)


def funding_source_update(*, source: FundingSource, data: dict[str, Any], acting_user) -> FundingSource:
    """Change a source; its amount may not drop below what adopted scenarios drew from it, and a source
    adopted scenarios drew from stays in its year."""
    ensure_can(acting_user, "change", source)
    drawn = source_drawn_by_adopted(source)
    if "amount" in data and drawn:
        amount = _as_money(data["amount"], what="amount")
        if amount < drawn:
            raise DomainError(SOURCE_BELOW_ADOPTED.format(source=source.name, amount=_money(amount),
                                                          drawn=_money(drawn)), field="amount")
    year = data.get("school_year")
    if year is not None and drawn and getattr(year, "pk", year) != source.school_year_id:
        raise DomainError(f"Source {source.name!r} stays in {source.school_year}: adopted scenarios drew from it.",
                          field="school_year")
    return update_record(source, data=data, acting_user=acting_user)


def funding_source_delete(*, source: FundingSource, acting_user) -> None:
    delete_record(source, acting_user=acting_user)


# --- scenarios: create, update, delete, copy --------------------------------------------------------

def _ensure_unlocked(scenario: Scenario) -> None:
    if scenario.status == Status.ADOPTED:
        when = timezone.localtime(scenario.adopted_at).date().isoformat() if scenario.adopted_at else "?"
        raise DomainError(LOCKED.format(name=scenario.name, date=when))


def _source(key: FundingSource | int) -> FundingSource:
    if isinstance(key, FundingSource):
        return key
    source = FundingSource.objects.filter(pk=key).first()
    if source is None:
        raise DomainError(f"Unknown funding source {key!r}.", field="sources")
    return source


def _draws(scenario_name: str, school_year: SchoolYear, sources: Mapping[FundingSource | int, Any]
           ) -> list[tuple[FundingSource, Decimal]]:
    draws = []
    for key, amount in sources.items():
        source = _source(key)
        drawn = _as_money(amount, what=f"amount drawn from {source.name}")
        if source.school_year_id != school_year.pk:
            raise DomainError(SOURCE_YEAR.format(source=source.name, source_year=source.school_year,
                                                 scenario=scenario_name, year=school_year), field="sources")
        if drawn > source.amount:
            raise DomainError(OVERDRAWN.format(scenario=scenario_name, drawn=_money(drawn), source=source.name,
                                               available=_money(source.amount), amount=_money(source.amount)),
                              field="sources")
        draws.append((source, drawn))
    return draws


def _check_previous(previous: Scenario | None, scenario: Scenario | None = None) -> None:
    if previous is None:
        return
    if previous.status != Status.ADOPTED or (scenario is not None and previous.pk == scenario.pk):
        raise DomainError(PREVIOUS_NOT_ADOPTED, field="previous")


def _write_draws(scenario: Scenario, draws: list[tuple[FundingSource, Decimal]], acting_user) -> None:
    existing = {d.source_id: d for d in scenario.sources.all()}
    wanted = {source.pk for source, _amount in draws}
    for source_id, draw in existing.items():
        if source_id not in wanted:
            attribute_to(draw, acting_user, "source removed from the scenario")
            draw.delete()
    for source, amount in draws:
        draw = existing.get(source.pk)
        if draw is None:
            draw = ScenarioSource(scenario=scenario, source=source, amount=amount)
            if acting_user is not None:
                ensure_can_add(acting_user, ScenarioSource, draw)
            save_clean(draw, acting_user=acting_user)
        elif draw.amount != amount:
            draw.amount = amount
            save_clean(draw, acting_user=acting_user)


def scenario_create(*, name: str, school_year: SchoolYear, method: str, parameters: dict | None = None,
                    sources: Mapping[FundingSource | int, Any], need_model: NeedModel | None = None,
                    previous: Scenario | None = None, description: str = "", acting_user) -> Scenario:
    """A draft scenario drawing `sources` ({source: amount}) into its pool, allocated by `method`."""
    parameters = dict(parameters or {})
    parse_parameters(parameters)
    _check_previous(previous)
    draws = _draws(name, school_year, sources)
    with transaction.atomic():
        scenario = create_record(Scenario, data={
            "name": name, "school_year": school_year, "method": method, "parameters": parameters,
            "need_model": need_model, "previous": previous, "description": description, "status": Status.DRAFT,
            "pool": sum((d for _s, d in draws), Decimal(0)),
        }, acting_user=acting_user)
        _write_draws(scenario, draws, acting_user)
    return scenario


def _reset_results(scenario: Scenario, acting_user) -> None:
    for allocation in scenario.allocations.all():
        attribute_to(allocation, acting_user, "scenario changed: results cleared")
        allocation.delete()


def scenario_update(*, scenario: Scenario, data: dict[str, Any] | None = None,
                    sources: Mapping[FundingSource | int, Any] | None = None, acting_user) -> Scenario:
    """Change a draft or computed scenario (its settings and/or its draws). Its results are cleared and it
    is a draft again, to be computed anew. An adopted scenario refuses."""
    _ensure_unlocked(scenario)
    ensure_can(acting_user, "change", scenario)
    data = dict(data or {})
    for locked_field in ("status", "adopted_at", "adopted_by", "pool", "remainder", "metrics"):
        data.pop(locked_field, None)
    if "parameters" in data:
        data["parameters"] = dict(data["parameters"] or {})
        parse_parameters(data["parameters"])
    if "previous" in data:
        _check_previous(data["previous"], scenario)
    year = data.get("school_year", scenario.school_year)
    with transaction.atomic():
        if sources is not None:
            draws = _draws(data.get("name", scenario.name), year, sources)
        else:
            current = [(d.source, d.amount) for d in scenario.sources.select_related("source")]
            draws = _draws(data.get("name", scenario.name), year, {s: a for s, a in current})
        _reset_results(scenario, acting_user)
        data.update(status=Status.DRAFT, remainder=Decimal(0), metrics={},
                    pool=sum((d for _s, d in draws), Decimal(0)))
        scenario = update_record(scenario, data=data, acting_user=acting_user)
        _write_draws(scenario, draws, acting_user)
    return scenario


def scenario_delete(*, scenario: Scenario, acting_user) -> None:
    _ensure_unlocked(scenario)
    delete_record(scenario, acting_user=acting_user)


def scenario_copy(*, scenario: Scenario, name: str, acting_user) -> Scenario:
    """A new draft scenario with the settings and draws of `scenario` (adopted or not): a new version."""
    draws = {d.source: d.amount for d in scenario.sources.select_related("source")}
    previous = scenario.previous if scenario.previous_id and scenario.previous.status == Status.ADOPTED else None
    description = scenario.description
    return scenario_create(name=name, school_year=scenario.school_year, method=scenario.method,
                           parameters=dict(scenario.parameters or {}), sources=draws, need_model=scenario.need_model,
                           previous=previous, description=description, acting_user=acting_user)


# --- parameters ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Parameters:
    tier_rates: tuple[float, ...] | None = None
    weights: dict[str, float] | None = None
    grade_weights: dict[str, float] = field(default_factory=lambda: dict(NYC_GRADE_WEIGHTS))
    need_multiplier: float = 1.0
    spend_exactly: bool = True
    minimum_grant: float = 0.0
    monotone_per_pupil: bool = False
    hold_harmless: float | None = None
    floor: float = 0.0
    cap: float | None = None
    floors: dict[str, float] = field(default_factory=dict)
    caps: dict[str, float] = field(default_factory=dict)
    base_includes_lcff: bool = False
    ada_rate: float = DEFAULT_ADA_RATE


KNOWN_PARAMETERS = tuple(Parameters.__dataclass_fields__)


def _number(name: str, value, *, minimum: float | None = 0.0, maximum: float | None = None) -> float:
    if isinstance(value, bool):
        raise DomainError(BAD_PARAMETER.format(name=name, problem="give a number."), field="parameters")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError(BAD_PARAMETER.format(name=name, problem=f"{value!r} is not a number."),
                          field="parameters") from None
    if not math.isfinite(number):
        raise DomainError(BAD_PARAMETER.format(name=name, problem="give a finite number."), field="parameters")
    if minimum is not None and number < minimum:
        raise DomainError(BAD_PARAMETER.format(name=name, problem=f"must be {minimum:g} or more."), field="parameters")
    if maximum is not None and number > maximum:
        raise DomainError(BAD_PARAMETER.format(name=name, problem=f"must be {maximum:g} or less."), field="parameters")
    return number


def _flag(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise DomainError(BAD_PARAMETER.format(name=name, problem="give true or false."), field="parameters")
    return value


def _mapping(name: str, value, keys: tuple[str, ...] | None = None) -> dict[str, float]:
    if not isinstance(value, dict):
        raise DomainError(BAD_PARAMETER.format(name=name, problem="give a mapping of names to numbers."),
                          field="parameters")
    if keys is not None:
        unknown = sorted(set(value) - set(keys))
        if unknown:
            raise DomainError(BAD_PARAMETER.format(name=name, problem=f"unknown key(s) {', '.join(unknown)}; "
                                                   f"expected {', '.join(keys)}."), field="parameters")
    return {str(k): _number(f"{name}.{k}", v) for k, v in value.items()}


def parse_parameters(raw: Mapping[str, Any] | None) -> Parameters:
    """Scenario parameters checked and typed; DomainError naming the parameter otherwise."""
    raw = dict(raw or {})
    unknown = sorted(set(raw) - set(KNOWN_PARAMETERS))
    if unknown:
        raise DomainError(UNKNOWN_PARAMETERS.format(names=", ".join(unknown), known=", ".join(KNOWN_PARAMETERS)),
                          field="parameters")
    values: dict[str, Any] = {}
    if raw.get("tier_rates") is not None:
        rates = raw["tier_rates"]
        if not isinstance(rates, (list, tuple)) or len(rates) != 5:
            raise DomainError(BAD_PARAMETER.format(name="tier_rates", problem="give five rates, tier 1 (Highest) "
                                                   "to tier 5 (Lowest)."), field="parameters")
        values["tier_rates"] = tuple(_number(f"tier_rates[{i + 1}]", r) for i, r in enumerate(rates))
    if raw.get("weights") is not None:
        values["weights"] = _mapping("weights", raw["weights"], ("poverty", "english_learners", "disabilities"))
    if raw.get("grade_weights") is not None:
        values["grade_weights"] = {**NYC_GRADE_WEIGHTS,
                                   **_mapping("grade_weights", raw["grade_weights"], tuple(NYC_GRADE_WEIGHTS))}
    for name in ("need_multiplier", "minimum_grant", "floor"):
        if raw.get(name) is not None:
            values[name] = _number(name, raw[name])
    for name in ("spend_exactly", "monotone_per_pupil", "base_includes_lcff"):
        if raw.get(name) is not None:
            values[name] = _flag(name, raw[name])
    if raw.get("hold_harmless") is not None:
        values["hold_harmless"] = _number("hold_harmless", raw["hold_harmless"], maximum=1.0)
    if raw.get("cap") is not None:
        values["cap"] = _number("cap", raw["cap"])
    for name in ("floors", "caps"):
        if raw.get(name) is not None:
            values[name] = _mapping(name, raw[name])
    if raw.get("ada_rate") is not None:
        values["ada_rate"] = _number("ada_rate", raw["ada_rate"], minimum=0.01, maximum=1.0)
    return Parameters(**values)


# --- computing ---------------------------------------------------------------------------------------------

def _check_draws(scenario: Scenario) -> None:
    for draw in scenario.sources.select_related("source", "source__school_year"):
        source = draw.source
        if source.school_year_id != scenario.school_year_id:
            raise DomainError(SOURCE_YEAR.format(source=source.name, source_year=source.school_year,
                                                 scenario=scenario.name, year=scenario.school_year))
        available = source_available(source, excluding=scenario)
        if draw.amount > available:
            raise DomainError(OVERDRAWN.format(scenario=scenario.name, drawn=_money(draw.amount), source=source.name,
                                               available=_money(max(available, Decimal(0))),
                                               amount=_money(source.amount)))


def _grade_weight(facts: SchoolFacts, weights: dict[str, float]) -> float:
    from equitable.funding.selectors import grade_span

    if not facts.by_grade:
        return 1.0
    total = weighted = 0.0
    for grade, count in facts.by_grade.items():
        span = grade_span(grade)
        key = "9-12" if span == "9-12" else "6-8" if span == "7-8" or grade == "6" else "K-5"
        weighted += count * weights.get(key, 1.0)
        total += count
    return weighted / total if total else 1.0


def _lcff(facts: SchoolFacts, ada_rate: float):
    """The LCFF supplemental and concentration estimate of one school (None without unduplicated counts)."""
    if not facts.unduplicated_years:
        return None
    from equitable.funding.lcff import LcffError, LcffInput, estimate_lcff

    ada = {span: count * ada_rate for span, count in facts.enrollment_by_span().items()}
    try:
        return estimate_lcff(LcffInput(school_id=str(facts.school.pk), ada_by_span=ada,
                                       unduplicated=list(facts.unduplicated_years),
                                       enrollment=list(facts.enrollment_years)))
    except LcffError:
        return None  # the estimate is shown beside the allocation; it never blocks it


@dataclass
class ScenarioPlan:
    """What computing a scenario gives, before it is stored: Allocation rows (dicts of attnames without the
    scenario), the remainder and the metrics."""

    pool: Decimal
    rows: list[dict[str, Any]]
    remainder: Decimal
    metrics: dict[str, Any]


def _round(value):
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    return value


def scenario_plan(scenario: Scenario, *, pool: Decimal | None = None) -> ScenarioPlan:
    """Compute a scenario's allocation without storing it (`pool` overrides the sum of its draws, for a
    scenario whose draws are not saved yet). DomainError with a clear message on any problem, including the
    engine's infeasibility message naming the conflicting constraints."""
    from equitable.funding.allocation import AllocationError, AllocationOptions, SchoolInput, allocate

    params = parse_parameters(scenario.parameters)
    facts: AllocationFacts = allocation_facts(scenario, pool=pool)
    pool = facts.pool
    if pool <= 0:
        raise DomainError(EMPTY_POOL.format(name=scenario.name))
    if not facts.schools:
        raise DomainError(NO_SCHOOLS.format(year=scenario.school_year))
    need_model = scenario.need_model
    uses_need = scenario.method in NEED_METHODS or params.monotone_per_pupil
    if uses_need and need_model is None:
        raise DomainError(NEED_MODEL_REQUIRED.format(method=scenario.method), field="need_model")
    if need_model is not None and need_model.computed_at is None:
        raise DomainError(NEED_MODEL_NOT_COMPUTED.format(model=need_model.name), field="need_model")
    if need_model is not None and scenario.method in NEED_SHARE_METHODS and need_model.normalization == "zscore":
        raise DomainError(NEED_MODEL_ZSCORE.format(model=need_model.name, method=scenario.method),
                          field="need_model")
    if uses_need and facts.without_need:
        names = ", ".join(s.name for s in facts.without_need)
        raise DomainError(NEED_MISSING.format(model=need_model.name, schools=names, method=scenario.method))

    inputs, lcff = [], {}
    for f in facts.schools:
        estimate = _lcff(f, params.ada_rate)
        lcff[f.school.pk] = estimate
        cds = f.school.cds_code
        cap = params.caps.get(cds, params.cap)
        base = 0.0
        if params.base_includes_lcff and estimate is not None:
            base = float(estimate.supplemental) + float(estimate.concentration)
        groups = f.by_group
        inputs.append(SchoolInput(
            school_id=str(f.school.pk), enrollment=f.enrollment,
            need=float(f.need_score) if f.need_score is not None else None, tier=f.need_tier,
            floor=params.floors.get(cds, params.floor), cap=cap,
            prior=float(f.prior) if f.prior is not None else None, base=base,
            grade_weight=_grade_weight(f, params.grade_weights),
            poverty=int(groups.get("SED", 0)), english_learners=int(groups.get("EL", 0)),
            disabilities=int(groups.get("SWD", 0)),
        ))
    options = AllocationOptions(
        method=scenario.method, pool=float(pool), tier_rates=params.tier_rates, weights=params.weights,
        need_multiplier=params.need_multiplier, spend_exactly=params.spend_exactly,
        minimum_grant=params.minimum_grant, monotone_per_pupil=params.monotone_per_pupil,
        hold_harmless=params.hold_harmless, need_scale=100.0,  # need models score 0–100
    )
    try:
        result = allocate(inputs, options)
    except AllocationError as exc:
        raise DomainError(str(exc)) from None

    # Whole cents that add up: the stored amounts sum exactly to what was placed, the even split to the pool.
    placed = pool - _cents(result.remainder)
    amounts = round_to_cents([s.amount for s in result.schools], placed)
    evens = round_to_cents([s.even_amount for s in result.schools], pool)
    rows = []
    for f, amount, even in zip(facts.schools, amounts, evens, strict=True):
        estimate = lcff[f.school.pk]
        rows.append({
            "school_id": f.school.pk, "enrollment": f.enrollment, "need_score": f.need_score,
            "need_tier": f.need_tier, "amount": amount,
            "per_pupil": (amount / f.enrollment).quantize(CENT, rounding=ROUND_HALF_UP) if f.enrollment else amount,
            "even_amount": even,
            "lcff_supplemental": _cents(estimate.supplemental) if estimate is not None else None,
            "lcff_concentration": _cents(estimate.concentration) if estimate is not None else None,
        })
    metrics = {k: _round(v) for k, v in asdict(result.metrics).items()}
    cds_of = {str(f.school.pk): f.school.cds_code for f in facts.schools}
    metrics["dropped"] = [cds_of.get(str(i), str(i)) for i in metrics.get("dropped") or []]
    metrics.update(
        method=result.method, total=_round(result.total), schools=len(rows),
        without_enrollment=[s.name for s in facts.without_enrollment],
        lcff_supplemental_total=_round(sum(float(r["lcff_supplemental"] or 0) for r in rows)),
        lcff_concentration_total=_round(sum(float(r["lcff_concentration"] or 0) for r in rows)),
    )
    return ScenarioPlan(pool=pool, rows=rows, remainder=_cents(result.remainder), metrics=metrics)


def scenario_compute(*, scenario: Scenario, acting_user) -> Scenario:
    """Compute a draft or computed scenario and store its allocation (status "computed")."""
    _ensure_unlocked(scenario)
    if acting_user is not None:
        ensure_can(acting_user, "change", scenario)
    _check_draws(scenario)
    plan = scenario_plan(scenario)
    reason = "scenario computed"
    with transaction.atomic():
        existing = {a.school_id: a for a in scenario.allocations.all()}
        for row in plan.rows:
            allocation = existing.pop(row["school_id"], None)
            values = {k: v for k, v in row.items() if k != "school_id"}
            if allocation is None:
                allocation = Allocation(scenario=scenario, school_id=row["school_id"], **values)
                if acting_user is not None:
                    ensure_can_add(acting_user, Allocation, allocation)
                save_clean(allocation, acting_user=acting_user, reason=reason)
            elif any(getattr(allocation, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(allocation, name, value)
                save_clean(allocation, acting_user=acting_user, reason=reason)
        for stale in existing.values():
            attribute_to(stale, acting_user, reason)
            stale.delete()
        scenario.pool = plan.pool
        scenario.remainder = plan.remainder
        scenario.metrics = plan.metrics
        scenario.status = Status.COMPUTED
        save_clean(scenario, acting_user=acting_user, reason=reason)
    return scenario


def scenario_adopt(*, scenario: Scenario, acting_user) -> Scenario:
    """Adopt a computed scenario: it is locked from now on (audited; a new version is a copy)."""
    _ensure_unlocked(scenario)
    if acting_user is not None:
        ensure_can(acting_user, "change", scenario)
    if scenario.status != Status.COMPUTED or not scenario.allocations.exists():
        raise DomainError(NOT_COMPUTED.format(name=scenario.name))
    _check_draws(scenario)
    scenario.status = Status.ADOPTED
    scenario.adopted_at = timezone.now()
    scenario.adopted_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    return save_clean(scenario, acting_user=acting_user, reason="scenario adopted")
