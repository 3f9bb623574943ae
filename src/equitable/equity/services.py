"""Writes to need data: indicators, their values per school and year, need models with their weights,
and the scores a computed need model gives each school.

Every function is keyword-only and takes the acting user; permission is checked through `restrict`
(finance staff and network admins edit need data), records are validated with full_clean() and saved
atomically with an audit record. `acting_user=None` is the system (the command line without --user,
the demo): it is recorded as "system" and not permission-checked; views always pass the request's user.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from equitable.core.audit import attribute_to
from equitable.core.exceptions import DomainError
from equitable.core.imports import CREATED, UNCHANGED, UPDATED
from equitable.core.services import (
    create_record,
    delete_record,
    ensure_can,
    ensure_can_add,
    save_clean,
    update_record,
)
from equitable.equity.models import Indicator, IndicatorValue, NeedModel, NeedScore, NeedWeight
from equitable.network.models import School, SchoolYear

VALUE_PLACES = Decimal("0.0001")

NO_WEIGHTS = "Give the need model at least one indicator with a weight above zero."
NO_SCHOOLS = "No school is in the network in {year}; there is nothing to score."
UNKNOWN_INDICATOR = "Unknown indicator {code!r}."


def as_value(value: Any) -> Decimal:
    """A stored indicator value: a finite number, to 4 decimal places."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(f"{value!r} is not a number.", field="value") from None
    if not number.is_finite():
        raise DomainError(f"{value!r} is not a number.", field="value")
    return number.quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)


def _create(model, data: dict[str, Any], acting_user):
    if acting_user is None:
        return save_clean(model(**data), acting_user=None)
    return create_record(model, data=data, acting_user=acting_user)


def _update(instance, data: dict[str, Any], acting_user):
    if acting_user is None:
        for name, value in data.items():
            setattr(instance, name, value)
        return save_clean(instance, acting_user=None)
    return update_record(instance, data=data, acting_user=acting_user)


# --- indicators -------------------------------------------------------------------------------------

def indicator_create(*, data: dict[str, Any], acting_user) -> Indicator:
    return create_record(Indicator, data=data, acting_user=acting_user)


def indicator_update(*, indicator: Indicator, data: dict[str, Any], acting_user) -> Indicator:
    return update_record(indicator, data=data, acting_user=acting_user)


def indicator_delete(*, indicator: Indicator, acting_user) -> None:
    delete_record(indicator, acting_user=acting_user)


def indicator_ensure(*, data: dict[str, Any], acting_user) -> Indicator:
    """The indicator with `data["code"]`, created with `data` when missing (an existing one is kept as is:
    its name, direction or unit may have been edited on purpose)."""
    existing = Indicator.objects.filter(code=data["code"]).first()
    if existing is not None:
        return existing
    return _create(Indicator, data, acting_user)


# --- indicator values -------------------------------------------------------------------------------

def indicator_value_upsert(*, indicator: Indicator, school: School, school_year: SchoolYear, value: Any,
                           note: str | None = None, acting_user) -> tuple[IndicatorValue, str]:
    """Set one school's value of an indicator in a year; returns the row and CREATED, UPDATED or UNCHANGED
    (an unchanged value writes nothing). `note=None` keeps an existing note."""
    number = as_value(value)
    existing = IndicatorValue.objects.filter(indicator=indicator, school=school, school_year=school_year).first()
    if existing is None:
        data = {"indicator": indicator, "school": school, "school_year": school_year, "value": number,
                "note": note or "", "is_demo": False}
        return _create(IndicatorValue, data, acting_user), CREATED
    changes: dict[str, Any] = {}
    if existing.value != number:
        changes["value"] = number
    if note is not None and existing.note != note:
        changes["note"] = note
    if not changes:
        if acting_user is not None:
            ensure_can(acting_user, "change", existing)
        return existing, UNCHANGED
    return _update(existing, changes, acting_user), UPDATED


def indicator_value_set(*, indicator: Indicator, school: School, school_year: SchoolYear, value: Any,
                        note: str | None = None, acting_user) -> IndicatorValue:
    """Enter one school's value of an indicator in a year (creates it or changes it)."""
    return indicator_value_upsert(indicator=indicator, school=school, school_year=school_year, value=value,
                                  note=note, acting_user=acting_user)[0]


def indicator_value_delete(*, indicator_value: IndicatorValue, acting_user) -> None:
    delete_record(indicator_value, acting_user=acting_user)


# --- need models ------------------------------------------------------------------------------------

def _indicator(key: Indicator | str | int) -> Indicator:
    if isinstance(key, Indicator):
        return key
    found = Indicator.objects.filter(code=key).first() if isinstance(key, str) else Indicator.objects.filter(
        pk=key).first()
    if found is None:
        raise DomainError(UNKNOWN_INDICATOR.format(code=key), field="weights")
    return found


def _set_weights(need_model: NeedModel, weights: Mapping[Indicator | str, Any], acting_user) -> None:
    wanted: dict[int, tuple[Indicator, Decimal]] = {}
    for key, weight in weights.items():
        indicator = _indicator(key)
        try:
            number = Decimal(str(weight))
        except InvalidOperation:
            raise DomainError(f"The weight of {indicator.code} is not a number: {weight!r}.", field="weights") from None
        if not number.is_finite() or number < 0:
            raise DomainError(f"The weight of {indicator.code} must be 0 or more.", field="weights")
        wanted[indicator.pk] = (indicator, number.quantize(VALUE_PLACES, rounding=ROUND_HALF_UP))
    if not any(weight > 0 for _indicator_obj, weight in wanted.values()):
        raise DomainError(NO_WEIGHTS, field="weights")
    existing = {w.indicator_id: w for w in need_model.weights.all()}
    for indicator_id, weight in existing.items():
        if indicator_id not in wanted:
            if acting_user is None:
                attribute_to(weight, None, "weight removed")
                weight.delete()
            else:
                delete_record(weight, acting_user=acting_user)
    for indicator_id, (indicator, number) in wanted.items():
        row = existing.get(indicator_id)
        if row is None:
            _create(NeedWeight, {"need_model": need_model, "indicator": indicator, "weight": number}, acting_user)
        elif row.weight != number:
            _update(row, {"weight": number}, acting_user)


def need_model_create(*, data: dict[str, Any], weights: Mapping[Indicator | str, Any], acting_user) -> NeedModel:
    """A need model with a weight per indicator (`weights`: indicator or its code → weight ≥ 0)."""
    with transaction.atomic():
        need_model = _create(NeedModel, data, acting_user)
        _set_weights(need_model, weights, acting_user)
    return need_model


def need_model_update(*, need_model: NeedModel, data: dict[str, Any] | None = None,
                      weights: Mapping[Indicator | str, Any] | None = None, acting_user) -> NeedModel:
    """Change a need model's settings and/or replace its weights. Its scores stay until it is computed again."""
    if acting_user is not None:
        ensure_can(acting_user, "change", need_model)
    with transaction.atomic():
        if data:
            need_model = _update(need_model, data, acting_user)
        if weights is not None:
            _set_weights(need_model, weights, acting_user)
    return need_model


def need_model_delete(*, need_model: NeedModel, acting_user) -> None:
    delete_record(need_model, acting_user=acting_user)


def _quantized(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(float(value))).quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)


def need_score_rows(need_model: NeedModel) -> list[dict[str, Any]]:
    """Run the need-index engine on a model's current values; the NeedScore rows (dicts of attnames) it
    gives, one per school in the network that year. Raises DomainError with the engine's message."""
    from equitable.equity.need_index import NeedIndexError, compute_need
    from equitable.equity.selectors import need_model_input

    if not need_model.weights.filter(weight__gt=0).exists():
        raise DomainError(NO_WEIGHTS, field="weights")
    gathered = need_model_input(need_model)
    if not gathered.schools:
        raise DomainError(NO_SCHOOLS.format(year=need_model.school_year))
    try:
        result = compute_need(gathered.need_input)
    except NeedIndexError as exc:
        raise DomainError(str(exc)) from None
    rows = []
    for school, need in zip(gathered.schools, result.schools, strict=True):
        rows.append({
            "need_model_id": need_model.pk, "school_id": school.pk, "score": _quantized(need.score),
            "rank": need.rank, "tier": need.tier, "tier_name": need.tier_name or "",
            "contributions": {code: round(float(v), 4) for code, v in sorted(need.contributions.items())},
            "missing": sorted(need.missing), "excluded": bool(need.excluded),
        })
    return rows


def need_model_compute(*, need_model: NeedModel, acting_user) -> list[NeedScore]:
    """Compute a need model: every network school's score, rank, tier and per-indicator contributions,
    stored as NeedScore rows (upserted; scores of schools no longer in the network are removed)."""
    if acting_user is not None:
        ensure_can(acting_user, "change", need_model)
    rows = need_score_rows(need_model)
    scores: list[NeedScore] = []
    with transaction.atomic():
        existing = {s.school_id: s for s in need_model.scores.all()}
        for row in rows:
            values = {k: v for k, v in row.items() if k not in ("need_model_id", "school_id")}
            score = existing.pop(row["school_id"], None)
            if score is None:
                score = NeedScore(need_model=need_model, school_id=row["school_id"], **values)
                if acting_user is not None:
                    ensure_can_add(acting_user, NeedScore, score)
                save_clean(score, acting_user=acting_user, reason="need model computed")
            elif any(getattr(score, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(score, name, value)
                save_clean(score, acting_user=acting_user, reason="need model computed")
            scores.append(score)
        for stale in existing.values():
            attribute_to(stale, acting_user, "need model computed: school no longer in the network")
            stale.delete()
        need_model.computed_at = timezone.now()
        save_clean(need_model, acting_user=acting_user, reason="need model computed")
    return scores
