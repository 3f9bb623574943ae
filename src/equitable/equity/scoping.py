"""Who reaches need records: indicator definitions and need models are network reference data (every
internal persona and board viewers read them; finance staff edit); values and scores per school follow
the school's scope, and board viewers see none of them (aggregates only)."""

from __future__ import annotations

from equitable.core.permissions import RestrictedQuerySet, staff_may_edit
from equitable.core.roles import Role
from equitable.network.scoping import school_ids_for


def _areas(model):
    return getattr(model, "edit_areas", ())


class NeedReferenceQuerySet(RestrictedQuerySet):
    def scope(self, user, action, role):
        if action == "view":
            if role in (Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL, Role.BOARD):
                return self
            return self.none()
        return self if staff_may_edit(user, _areas(self.model)) else self.none()

    def add_allowed(self, user, role, instance):
        return staff_may_edit(user, _areas(self.model))


class NeedRecordQuerySet(RestrictedQuerySet):
    def scope(self, user, action, role):
        if action == "view":
            if role == Role.STAFF:
                return self
            if role in (Role.PRINCIPAL, Role.DIRECTOR):
                return self.filter(**{f"{self.model.scope_path}_id__in": school_ids_for(user)})
            return self.none()
        return self if staff_may_edit(user, _areas(self.model)) else self.none()

    def add_allowed(self, user, role, instance):
        return staff_may_edit(user, _areas(self.model))
