"""Row-level scoping: `Model.objects.restrict(user, action)` is the one gate to records.

Pages, exports, the API and services all read through `restrict`, so they can never disagree on
who sees what. Each model's queryset implements `scope(user, action)` and returns the rows that
user may act on; the default lets only network admins through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from equitable.core.roles import ACTIONS, Role

if TYPE_CHECKING:  # pragma: no cover
    from equitable.core.models import User


def role_of(user) -> str | None:
    """The user's role, or None for anonymous and inactive users (who reach nothing)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role


def staff_may_edit(user: User, areas: tuple[str, ...]) -> bool:
    """Home-office staff edit the records of their own area of practice."""
    return role_of(user) == Role.STAFF and bool(user.area) and user.area in areas


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows how to narrow itself to what a user may see or change."""

    def restrict(self, user, action: str = "view"):
        if action not in ACTIONS:
            raise ValueError(f"Unknown action {action!r}; expected one of {sorted(ACTIONS)}.")
        role = role_of(user)
        if role is None:
            return self.none()
        if role == Role.ADMIN:
            return self
        return self.scope(user, action, role)

    def scope(self, user, action: str, role: str):
        """Rows a non-admin user may act on. Override per model; default: none."""
        return self.none()

    def permits_add(self, user, instance) -> bool:
        """May `user` add this new (unsaved) row?"""
        role = role_of(user)
        if role is None:
            return False
        if role == Role.ADMIN:
            return True
        return self.add_allowed(user, role, instance)

    def add_allowed(self, user, role: str, instance) -> bool:
        """Override per model; default: only network admins add."""
        return False


def can(user, action: str, obj: models.Model) -> bool:
    """True when `user` may perform `action` on this very record."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()
