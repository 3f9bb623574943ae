"""Audit trail: who changed what, when, with before/after values (django-simple-history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models

CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    change: str
    reason: str
    changes: list[FieldChange]


def attribute_to(instance: models.Model, user, reason: str = "") -> None:
    """Mark the next save/delete of `instance` as done by `user` (services call this)."""
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user
    if reason:
        instance._change_reason = reason


def _display(record, field_name: str, value) -> str:
    if value is None or value == "":
        return "—"
    try:
        field = record.instance_type._meta.get_field(field_name)
    except Exception:
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value} (deleted)"
    return str(value)


def history_for(instance: models.Model, *, limit: int = 200) -> list[HistoryEntry]:
    """The change history of one record, newest first, each entry with its field diffs."""
    records = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries: list[HistoryEntry] = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[FieldChange] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                if change.field in {"updated_at", "created_at"}:
                    continue
                changes.append(
                    FieldChange(
                        change.field,
                        str(getattr(field, "verbose_name", change.field)),
                        _display(record, change.field, change.old),
                        _display(record, change.field, change.new),
                    )
                )
        elif record.history_type == "+":
            for field in record.instance_type._meta.concrete_fields:
                if field.name in {"id", "created_at", "updated_at"}:
                    continue
                value = getattr(record, field.attname, None)
                if value in (None, ""):
                    continue
                changes.append(FieldChange(field.name, str(field.verbose_name), "—", _display(record, field.name, value)))
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "system",
                change=CHANGE_TYPES.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
