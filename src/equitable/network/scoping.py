"""Who reaches which registry records: the querysets behind `Model.objects.restrict(user, action)`.

- network admins: everything (handled in core);
- home-office staff: view everything; change records of their own area of practice;
- senior directors: their caseload's schools in full;
- principals: their own school's records, and edit its staff and enrollment;
- partner users and board viewers: no school records (board viewers see network aggregates only).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from equitable.core.permissions import RestrictedQuerySet, staff_may_edit
from equitable.core.roles import Area, Role

SCOPE_CACHE = "_equitable_school_scope"


def active_q(prefix: str = "", today: date | None = None) -> Q:
    """Rows whose [start_date, end_date] covers today (open ends count as covering)."""
    today = today or date.today()
    return (Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__lte": today})) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


def school_ids_for(user) -> frozenset[int]:
    """The schools a principal leads or a senior director's caseload covers (cached per request)."""
    cached = getattr(user, SCOPE_CACHE, None)
    if cached is not None:
        return cached
    from equitable.network.models import Caseload, StaffAssignment

    ids: set[int] = set()
    if user.role == Role.PRINCIPAL:
        ids = set(
            StaffAssignment.objects.filter(active_q(), person__user=user).values_list("school_id", flat=True)
        )
    elif user.role == Role.DIRECTOR:
        principals = Caseload.objects.filter(active_q(), director__user=user).values_list("principal_id", flat=True)
        ids = set(
            StaffAssignment.objects.filter(active_q(), person_id__in=list(principals), role="principal").values_list(
                "school_id", flat=True
            )
        )
    result = frozenset(ids)
    setattr(user, SCOPE_CACHE, result)
    return result


def forget_scope(user) -> None:
    if hasattr(user, SCOPE_CACHE):
        delattr(user, SCOPE_CACHE)


def _edit_areas(model) -> tuple[str, ...]:
    return getattr(model, "edit_areas", (Area.OPERATIONS,))


class SchoolQuerySet(RestrictedQuerySet):
    def scope(self, user, action, role):
        if action == "view":
            if role == Role.STAFF:
                return self
            if role in (Role.PRINCIPAL, Role.DIRECTOR):
                return self.filter(id__in=school_ids_for(user))
            return self.none()
        if staff_may_edit(user, _edit_areas(self.model)):
            return self
        return self.none()

    def add_allowed(self, user, role, instance):
        return staff_may_edit(user, _edit_areas(self.model))

    def members(self):
        return self.filter(membership="member")


class SchoolRecordQuerySet(RestrictedQuerySet):
    """Records that belong to one school (enrollment, staff assignments, …): `scope_path` names it."""

    def _in_schools(self, ids):
        return self.filter(**{f"{self.model.scope_path}__in": ids})

    def scope(self, user, action, role):
        if action == "view":
            if role == Role.STAFF:
                return self
            if role in (Role.PRINCIPAL, Role.DIRECTOR):
                return self._in_schools(school_ids_for(user))
            return self.none()
        if staff_may_edit(user, _edit_areas(self.model)):
            return self
        if role == Role.PRINCIPAL and getattr(self.model, "principal_may_edit", False):
            return self._in_schools(school_ids_for(user))
        return self.none()

    def add_allowed(self, user, role, instance):
        if staff_may_edit(user, _edit_areas(self.model)):
            return True
        school_id = getattr(instance, f"{self.model.scope_path}_id", None)
        return (
            role == Role.PRINCIPAL
            and getattr(self.model, "principal_may_edit", False)
            and school_id in school_ids_for(user)
        )


class ReferenceQuerySet(RestrictedQuerySet):
    """Shared reference records (communities, feeder patterns, school years, departments).

    Every internal persona reads them; board viewers read those marked `board_may_view`
    (communities, school years) as the frame of network aggregates. Staff of the model's area edit.
    """

    def scope(self, user, action, role):
        if action == "view":
            if role in (Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL):
                return self
            if role == Role.BOARD and getattr(self.model, "board_may_view", False):
                return self
            return self.none()
        if staff_may_edit(user, _edit_areas(self.model)):
            return self
        return self.none()

    def add_allowed(self, user, role, instance):
        return staff_may_edit(user, _edit_areas(self.model))


class PersonQuerySet(RestrictedQuerySet):
    def scope(self, user, action, role):
        own = Q(user=user)
        if action == "view":
            if role == Role.STAFF:
                return self
            if role in (Role.PRINCIPAL, Role.DIRECTOR):
                at_my_schools = Q(assignments__school_id__in=school_ids_for(user))
                return self.filter(Q(department__isnull=False) | at_my_schools | own).distinct()
            return self.filter(own)
        if staff_may_edit(user, _edit_areas(self.model)):
            return self
        if role == Role.PRINCIPAL:
            ids = school_ids_for(user)
            return self.filter(department__isnull=True, assignments__school_id__in=ids).distinct()
        return self.none()

    def add_allowed(self, user, role, instance):
        if staff_may_edit(user, _edit_areas(self.model)):
            return True
        return role == Role.PRINCIPAL and instance.department_id is None


class CaseloadQuerySet(RestrictedQuerySet):
    def scope(self, user, action, role):
        if action == "view":
            if role == Role.STAFF:
                return self
            if role == Role.DIRECTOR:
                return self.filter(director__user=user)
            if role == Role.PRINCIPAL:
                return self.filter(principal__user=user)
            return self.none()
        if staff_may_edit(user, _edit_areas(self.model)):
            return self
        return self.none()

    def add_allowed(self, user, role, instance):
        return staff_may_edit(user, _edit_areas(self.model))
