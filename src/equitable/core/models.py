"""Accounts, and the base every domain model builds on: restricted querysets and audit history."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from equitable.core.permissions import RestrictedQuerySet
from equitable.core.roles import Area, Role


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.BOARD)
    area = models.CharField(
        _("area of practice"),
        max_length=16,
        choices=Area.choices,
        blank=True,
        help_text=_("For home-office staff: the area whose records they may edit."),
    )
    is_demo = models.BooleanField(_("demo account"), default=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_network_admin(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.ADMIN)


class DomainModel(models.Model):
    """Abstract base of every domain record: timestamps, row-level scoping and audit history.

    Subclasses set a queryset class derived from RestrictedQuerySet that implements `scope()`.
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(inherit=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True
