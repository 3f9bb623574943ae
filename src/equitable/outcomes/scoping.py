"""Who reaches which outcome rows.

- school rows follow the school's scope (a principal their school, a director their caseload, staff
  and admins all; comparison schools outside the network: staff and admins only);
- district, county, state and network rows are public aggregates every persona with an account except
  partner users reads; board viewers read only those (never a school row);
- academic staff edit (imports, goals); network admins do everything.
"""

from __future__ import annotations

from django.db.models import Q

from equitable.core.permissions import RestrictedQuerySet, staff_may_edit
from equitable.core.roles import Role
from equitable.network.scoping import school_ids_for


def _areas(model):
    return getattr(model, "edit_areas", ())


class OutcomeQuerySet(RestrictedQuerySet):
    def scope(self, user, action, role):
        if action == "view":
            aggregate = Q(school__isnull=True) & ~Q(entity_type="school")
            if role == Role.STAFF:
                return self
            if role in (Role.PRINCIPAL, Role.DIRECTOR):
                return self.filter(aggregate | Q(school_id__in=school_ids_for(user)))
            if role == Role.BOARD:
                return self.filter(aggregate)
            return self.none()
        if staff_may_edit(user, _areas(self.model)):
            return self
        return self.none()

    def add_allowed(self, user, role, instance):
        return staff_may_edit(user, _areas(self.model))


class GoalQuerySet(RestrictedQuerySet):
    def scope(self, user, action, role):
        if action == "view":
            if role == Role.STAFF:
                return self
            if role in (Role.PRINCIPAL, Role.DIRECTOR):
                return self.filter(Q(school__isnull=True) | Q(school_id__in=school_ids_for(user)))
            if role == Role.BOARD:
                return self.filter(school__isnull=True)
            return self.none()
        if staff_may_edit(user, _areas(self.model)):
            return self
        return self.none()

    def add_allowed(self, user, role, instance):
        return staff_may_edit(user, _areas(self.model))


class OutcomeImportQuerySet(RestrictedQuerySet):
    """Import records: home-office staff read them; academic staff (and admins) write them."""

    def scope(self, user, action, role):
        if action == "view":
            return self if role == Role.STAFF else self.none()
        return self if staff_may_edit(user, _areas(self.model)) else self.none()

    def add_allowed(self, user, role, instance):
        return staff_may_edit(user, ("academic",))
