"""Reads of the audit log: recent changes across every audited model (django-simple-history records).

Every model that keeps history (all domain models, and user accounts) is found through
simple-history's registry, so a new app's records appear here without touching this file.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from simple_history.models import registered_models

from equitable.core.audit import CHANGE_TYPES

EXPORT_LIMIT = 10_000


@dataclass(frozen=True)
class AuditRow:
    when: datetime
    model_key: str
    model_label: str
    object_id: int | None
    object_label: str
    object_url: str
    who: str
    change: str
    reason: str


def model_key(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def audited_models() -> list[type[models.Model]]:
    """Concrete models that keep a history, ordered by app then name."""
    found = {m for m in registered_models.values() if not m._meta.abstract}
    found = {apps.get_model(m._meta.app_label, m._meta.model_name) for m in found}
    return sorted(found, key=lambda m: (m._meta.app_label, str(m._meta.verbose_name)))


def model_label(model: type[models.Model]) -> str:
    app = apps.get_app_config(model._meta.app_label)
    return f"{app.verbose_name} · {str(model._meta.verbose_name).capitalize()}"


def model_choices() -> list[tuple[str, str]]:
    return [(model_key(m), model_label(m)) for m in audited_models()]


# Pages of records (where one exists), keyed by model; they take the historical record.
URLS: dict[str, Callable] = {
    "network.school": lambda r: reverse("network:school_detail", args=[r.cds_code]),
    "network.community": lambda r: reverse("network:community_detail", args=[r.slug]),
    "network.feederpattern": lambda r: reverse("network:feederpattern_detail", args=[r.id]),
    "network.person": lambda r: reverse("network:person_detail", args=[r.id]),
    "network.enrollment": lambda r: reverse("network:school_detail", args=[r.school.cds_code]) if r.school else "",
    "network.staffassignment": lambda r: reverse("network:school_detail", args=[r.school.cds_code]) if r.school else "",
}


def _relations(history_model) -> list[str]:
    return [
        f.name for f in history_model._meta.fields
        if f.many_to_one and f.name not in ("history_user", "history_relation")
    ]


def _object_label(model, record, relations: list[str]) -> str:
    """The record as it was, named like the live object (str()), without extra queries."""
    values = {}
    for field in model._meta.concrete_fields:
        if hasattr(record, field.attname):
            values[field.attname] = getattr(record, field.attname)
    instance = model(**values)
    for name in relations:
        related = getattr(record, name, None)
        if related is None and values.get(f"{name}_id") is not None:
            return f"{str(model._meta.verbose_name).capitalize()} #{values.get(model._meta.pk.attname)}"
        if related is not None:
            setattr(instance, name, related)
    try:
        return str(instance)
    except Exception:  # a name that needs something no longer there
        return f"{str(model._meta.verbose_name).capitalize()} #{values.get(model._meta.pk.attname)}"


def _rows_for(model, *, user_id: int | None, change: str, since: date | None, until: date | None,
              limit: int) -> tuple[Iterable[AuditRow], int]:
    manager = getattr(model._meta, "simple_history_manager_attribute", "history")
    history_model = getattr(model, manager).model
    relations = _relations(history_model)
    queryset = history_model.objects.all()
    if user_id is not None:
        queryset = queryset.filter(history_user_id=user_id)
    if change:
        queryset = queryset.filter(history_type=change)
    zone = timezone.get_current_timezone()
    if since:
        queryset = queryset.filter(history_date__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        queryset = queryset.filter(history_date__lte=datetime.combine(until, time.max, tzinfo=zone))
    count = queryset.count()
    key, label = model_key(model), model_label(model)
    url_of = URLS.get(key)
    rows = []
    records = queryset.select_related("history_user", *relations).order_by("-history_date", "-history_id")[:limit]
    for record in records:
        user = record.history_user
        url = ""
        if url_of is not None and record.history_type != "-":
            try:
                url = url_of(record) or ""
            except (NoReverseMatch, AttributeError, models.ObjectDoesNotExist):
                url = ""
        rows.append(AuditRow(
            when=record.history_date,
            model_key=key,
            model_label=label,
            object_id=getattr(record, model._meta.pk.attname, None),
            object_label=_object_label(model, record, relations),
            object_url=url,
            who=(user.get_full_name() or user.username) if user else "system",
            change=CHANGE_TYPES.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
        ))
    return rows, count


def audit_entries(*, model: str = "", user_id: int | None = None, change: str = "", since: date | None = None,
                  until: date | None = None, offset: int = 0, limit: int = 50) -> tuple[list[AuditRow], int]:
    """Changes across audited models, newest first: the rows [offset, offset+limit) and the total count."""
    chosen = [m for m in audited_models() if not model or model_key(m) == model]
    streams, total = [], 0
    for item in chosen:
        rows, count = _rows_for(item, user_id=user_id, change=change, since=since, until=until,
                                limit=offset + limit)
        streams.append(rows)
        total += count
    merged = heapq.merge(*streams, key=lambda row: row.when, reverse=True)
    out = []
    for index, row in enumerate(merged):
        if index >= offset + limit:
            break
        if index >= offset:
            out.append(row)
    return out, total
