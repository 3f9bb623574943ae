"""Writes to outcomes: goals (audited, permission-checked) and computed network aggregates."""

from __future__ import annotations

from typing import Any

from equitable.core.services import create_record, delete_record, update_record
from equitable.outcomes.models import Goal


def goal_create(*, data: dict[str, Any], acting_user) -> Goal:
    return create_record(Goal, data=data, acting_user=acting_user)


def goal_update(*, goal: Goal, data: dict[str, Any], acting_user) -> Goal:
    return update_record(goal, data=data, acting_user=acting_user)


def goal_delete(*, goal: Goal, acting_user) -> None:
    delete_record(goal, acting_user=acting_user)
