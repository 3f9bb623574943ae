"""Idempotent loading of generated records: upsert by natural key, write only what differs.

A second load of the same data finds every row already equal and writes nothing, so it adds no rows
and no history records. New rows are bulk-created together with their history; changed rows are saved
one by one (each save records its history). History is attributed to nobody ("system") with a reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import models
from simple_history.utils import bulk_create_with_history

REASON = "Demo data loaded by `equitable demo` (fictional people)"


class Sync:
    """Upserts rows of one model after another; counts what it created and changed."""

    def __init__(self, *, validate: bool = True, reason: str = REASON, batch_size: int = 500):
        self.validate = validate
        self.reason = reason
        self.batch_size = batch_size
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)

    def apply(
        self, model: type[models.Model], key: tuple[str, ...], rows: Iterable[dict[str, Any]]
    ) -> dict[tuple, models.Model]:
        """Make the rows exist with exactly these values; return every row's object by its key.

        `rows` are dicts of field attnames (`school_id`, not `school`) to values; `key` names the
        attnames that identify a row (its natural key).
        """
        rows = list(rows)
        if not rows:
            return {}
        fields = {f.attname: f for f in model._meta.concrete_fields}
        label = model._meta.label
        existing = self._existing(model, key, rows)
        result: dict[tuple, models.Model] = {}
        to_create: list[models.Model] = []
        for row in rows:
            row_key = tuple(row[k] for k in key)
            obj = existing.get(row_key)
            if obj is None:
                obj = model(**row)
                if self.validate:
                    self._clean(obj)
                to_create.append(obj)
            else:
                differing = [name for name, value in row.items()
                             if fields[name].to_python(value) != getattr(obj, name)]
                if differing:
                    for name in differing:
                        setattr(obj, name, row[name])
                    if self.validate:
                        self._clean(obj)
                    obj._change_reason = self.reason
                    obj.save()
                    self.updated[label] += 1
            result[row_key] = obj
        if to_create:
            created = bulk_create_with_history(to_create, model, batch_size=self.batch_size,
                                               default_change_reason=self.reason)
            self.created[label] += len(created)
            for obj in created:
                result[tuple(getattr(obj, k) for k in key)] = obj
        return result

    @staticmethod
    def _clean(obj: models.Model) -> None:
        """Field and model validation without a query per row: the database itself enforces foreign
        keys and unique constraints, and rows are matched by natural key, so duplicates cannot arise."""
        relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        obj.clean_fields(exclude=relations)
        obj.clean()

    @staticmethod
    def _existing(model, key, rows) -> dict[tuple, models.Model]:
        first = key[0]
        values = sorted({row[first] for row in rows}, key=str)
        found: dict[tuple, models.Model] = {}
        for start in range(0, len(values), 500):
            chunk = values[start:start + 500]
            for obj in model._default_manager.filter(**{f"{first}__in": chunk}):
                found[tuple(getattr(obj, k) for k in key)] = obj
        return found
