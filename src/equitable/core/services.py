"""Generic write helpers every domain service builds on: permission check, full_clean, atomic save,
audit attribution. Domain services stay keyword-only and typed: `<entity>_<action>(*, …, acting_user)`."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from equitable.core.audit import attribute_to
from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.permissions import can

M = TypeVar("M", bound=models.Model)

NOT_PERMITTED = "You may not {action} this {model}."


def ensure_can(user, action: str, obj: models.Model) -> None:
    if not can(user, action, obj):
        raise NotPermitted(NOT_PERMITTED.format(action=action, model=obj._meta.verbose_name))


def ensure_can_add(user, model: type[models.Model], instance: models.Model) -> None:
    """Adding is decided by the model's queryset (`permits_add`), which may look at the new row's school."""
    if not model._default_manager.all().permits_add(user, instance):
        raise NotPermitted(NOT_PERMITTED.format(action="add", model=model._meta.verbose_name))


def validation_to_domain(exc: ValidationError) -> DomainError:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        message = "; ".join(
            f"{'' if f == '__all__' else f + ': '}{m}" for f, errs in exc.message_dict.items() for m in errs
        )
        error = DomainError(message, field=None if field == "__all__" else field)
        error.validation = exc
        return error
    error = DomainError("; ".join(exc.messages))
    error.validation = exc
    return error


def save_clean(instance: M, *, acting_user, reason: str = "") -> M:
    """full_clean() then save inside a transaction, attributed to `acting_user` in the audit trail."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise validation_to_domain(exc) from None
    attribute_to(instance, acting_user, reason)
    with transaction.atomic():
        instance.save()
    return instance


def create_record(model: type[M], *, data: dict[str, Any], acting_user, reason: str = "") -> M:
    instance = model(**data)
    ensure_can_add(acting_user, model, instance)
    return save_clean(instance, acting_user=acting_user, reason=reason)


def update_record(instance: M, *, data: dict[str, Any], acting_user, reason: str = "") -> M:
    ensure_can(acting_user, "change", instance)
    for name, value in data.items():
        setattr(instance, name, value)
    # The record after the change must still be one the user may hold (e.g. a principal cannot move
    # a record to another school, or turn school staff into home-office staff).
    if not type(instance)._default_manager.all().permits_add(acting_user, instance):
        raise NotPermitted(NOT_PERMITTED.format(action="change", model=instance._meta.verbose_name))
    return save_clean(instance, acting_user=acting_user, reason=reason)


def delete_record(instance: models.Model, *, acting_user, reason: str = "") -> None:
    ensure_can(acting_user, "delete", instance)
    attribute_to(instance, acting_user, reason)
    try:
        with transaction.atomic():
            instance.delete()
    except models.ProtectedError as exc:
        blockers = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
        raise DomainError(
            f"This {instance._meta.verbose_name} cannot be deleted while {', '.join(blockers)} refer to it."
        ) from None
