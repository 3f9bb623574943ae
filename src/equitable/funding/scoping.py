"""Who reaches funding records: finance staff edit; home-office staff read all; principals and directors
read adopted scenarios and their own schools' allocations; board viewers read scenarios and sources (the
network picture) but no school's row; partner users nothing."""

from __future__ import annotations

from equitable.core.permissions import RestrictedQuerySet, staff_may_edit
from equitable.core.roles import Role
from equitable.network.scoping import school_ids_for


def _areas(model):
    return getattr(model, "edit_areas", ())


class FundingReferenceQuerySet(RestrictedQuerySet):
    def scope(self, user, action, role):
        if action == "view":
            return self if role in (Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL, Role.BOARD) else self.none()
        return self if staff_may_edit(user, _areas(self.model)) else self.none()

    def add_allowed(self, user, role, instance):
        return staff_may_edit(user, _areas(self.model))


class ScenarioQuerySet(RestrictedQuerySet):
    def scope(self, user, action, role):
        if action == "view":
            if role == Role.STAFF:
                return self
            if role in (Role.DIRECTOR, Role.PRINCIPAL, Role.BOARD):
                return self.filter(status="adopted")
            return self.none()
        if staff_may_edit(user, _areas(self.model)):
            return self.exclude(status="adopted") if action in ("change", "delete") else self
        return self.none()

    def add_allowed(self, user, role, instance):
        return staff_may_edit(user, _areas(self.model))


class AllocationQuerySet(RestrictedQuerySet):
    def scope(self, user, action, role):
        if action == "view":
            if role == Role.STAFF:
                return self
            if role in (Role.PRINCIPAL, Role.DIRECTOR):
                return self.filter(scenario__status="adopted", school_id__in=school_ids_for(user))
            return self.none()
        if staff_may_edit(user, _areas(self.model)):
            return self.exclude(scenario__status="adopted")
        return self.none()

    def add_allowed(self, user, role, instance):
        return staff_may_edit(user, _areas(self.model))
