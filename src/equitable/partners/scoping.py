"""Who reaches community-partner records (the querysets behind `Model.objects.restrict(user, action)`).

- network admins: everything (handled in core);
- home-office staff: read everything; partnerships staff edit;
- principals and senior directors: the partner directory (organizations and their contacts), and for
  their own schools: needs assessments, agreements (which principals approve or decline), campus
  approvals (which principals decide), the clearance of the people and organizations working there,
  convenings held there or network-wide, and the measures of their schools' agreements;
- partner users: their own organization only — its profile, its people and their clearance checks, its
  agreements (read) and their measures, its survey responses, its convenings; nothing of other partners,
  and of schools only what their agreements name;
- board viewers: the reference lists only (the network picture comes from aggregates).
"""

from __future__ import annotations

from django.db.models import Q

from equitable.core.permissions import RestrictedQuerySet, staff_may_edit
from equitable.core.roles import Role
from equitable.network.scoping import school_ids_for

PARTNER_CACHE = "_equitable_partner_scope"
SCHOOL_ROLES = (Role.PRINCIPAL, Role.DIRECTOR)


def partner_ids_for(user) -> frozenset[int]:
    """The partner organizations a partner user belongs to (cached on the user object per request)."""
    cached = getattr(user, PARTNER_CACHE, None)
    if cached is not None:
        return cached
    from equitable.partners.models import PartnerPerson

    ids: frozenset[int] = frozenset()
    if getattr(user, "role", None) == Role.PARTNER and user.pk:
        ids = frozenset(PartnerPerson.objects.filter(user=user).values_list("partner_id", flat=True))
    setattr(user, PARTNER_CACHE, ids)
    return ids


def forget_partner_scope(user) -> None:
    if hasattr(user, PARTNER_CACHE):
        delattr(user, PARTNER_CACHE)


def _areas(model) -> tuple[str, ...]:
    return getattr(model, "edit_areas", ())


def partnerships_staff(user, model) -> bool:
    return staff_may_edit(user, _areas(model))


class ReferenceQuerySet(RestrictedQuerySet):
    """Focus areas, clearance requirements and tiers: everyone signed in reads; partnerships staff edit."""

    def scope(self, user, action, role):
        if action == "view":
            return self
        return self if partnerships_staff(user, self.model) else self.none()

    def add_allowed(self, user, role, instance):
        return partnerships_staff(user, self.model)


class PartnerQuerySet(RestrictedQuerySet):
    def scope(self, user, action, role):
        if partnerships_staff(user, self.model):
            return self
        if role == Role.PARTNER:
            if action in ("view", "change"):
                return self.filter(pk__in=partner_ids_for(user))
            return self.none()
        if action == "view" and role in (Role.STAFF, *SCHOOL_ROLES):
            return self
        return self.none()

    def add_allowed(self, user, role, instance):
        return partnerships_staff(user, self.model)


class PartnerPersonQuerySet(RestrictedQuerySet):
    """Contacts are part of the directory; a person's clearance is seen by the schools they work at."""

    def scope(self, user, action, role):
        if partnerships_staff(user, self.model):
            return self
        if role == Role.PARTNER:
            return self.filter(partner_id__in=partner_ids_for(user))
        if action != "view":
            return self.none()
        if role == Role.STAFF:
            return self
        if role in SCHOOL_ROLES:
            return self.filter(~Q(contact_role="") | Q(approvals__school_id__in=school_ids_for(user))).distinct()
        return self.none()

    def add_allowed(self, user, role, instance):
        if partnerships_staff(user, self.model):
            return True
        return role == Role.PARTNER and instance.partner_id in partner_ids_for(user)


class ClearanceCheckQuerySet(RestrictedQuerySet):
    def scope(self, user, action, role):
        if partnerships_staff(user, self.model):
            return self
        if role == Role.PARTNER:
            return self.filter(partner_id__in=partner_ids_for(user))
        if action != "view":
            return self.none()
        if role == Role.STAFF:
            return self
        if role in SCHOOL_ROLES:
            schools = school_ids_for(user)
            return self.filter(
                Q(person__approvals__school_id__in=schools)
                | Q(person__isnull=True, partner__agreements__school_id__in=schools)
            ).distinct()
        return self.none()

    def add_allowed(self, user, role, instance):
        if partnerships_staff(user, self.model):
            return True
        return role == Role.PARTNER and instance.partner_id in partner_ids_for(user)


class NeedsQuerySet(RestrictedQuerySet):
    """Needs assessments and their needs: the school's own, edited by its principal and partnerships staff."""

    def _school_filter(self, schools):
        return self.filter(**{f"{self.model.scope_path}_id__in": schools})

    def scope(self, user, action, role):
        if partnerships_staff(user, self.model):
            return self
        if role == Role.STAFF and action == "view":
            return self
        if role == Role.PRINCIPAL or (role == Role.DIRECTOR and action == "view"):
            return self._school_filter(school_ids_for(user))
        return self.none()

    def add_allowed(self, user, role, instance):
        if partnerships_staff(user, self.model):
            return True
        if role != Role.PRINCIPAL:
            return False
        school_id = instance.school_id if hasattr(instance, "school_id") else getattr(
            instance.assessment, "school_id", None)
        return school_id in school_ids_for(user)


class AgreementQuerySet(RestrictedQuerySet):
    """Agreements: partnerships staff draft and edit; the school's principal edits and decides; the
    partner reads its own."""

    def scope(self, user, action, role):
        if partnerships_staff(user, self.model):
            return self
        if role == Role.PARTNER:
            return self.filter(partner_id__in=partner_ids_for(user)) if action == "view" else self.none()
        if role == Role.STAFF:
            return self if action == "view" else self.none()
        if role == Role.PRINCIPAL or (role == Role.DIRECTOR and action == "view"):
            return self.filter(school_id__in=school_ids_for(user))
        return self.none()

    def add_allowed(self, user, role, instance):
        if partnerships_staff(user, self.model):
            return True
        return role == Role.PRINCIPAL and instance.school_id in school_ids_for(user)


class PartnerChildQuerySet(RestrictedQuerySet):
    """Rows that belong to a partner and (for some) a school: campus approvals, convening attendance,
    survey responses, measures. Models set `partner_path`, optionally `scope_path` (the school), and
    `principal_edits` / `partner_edits` to say whether principals (their schools) and partner users
    (their organization) may change them."""

    def _by_partner(self, user):
        return self.filter(**{f"{self.model.partner_path}_id__in": partner_ids_for(user)})

    def _by_school(self, user):
        path = getattr(self.model, "scope_path", None)
        if not path:
            return self.none()
        return self.filter(**{f"{path}_id__in": school_ids_for(user)})

    def scope(self, user, action, role):
        if partnerships_staff(user, self.model):
            return self
        if role == Role.PARTNER:
            if action == "view" or getattr(self.model, "partner_edits", False):
                return self._by_partner(user)
            return self.none()
        if role == Role.STAFF:
            return self if action == "view" else self.none()
        if role in SCHOOL_ROLES:
            if action == "view" or (role == Role.PRINCIPAL and getattr(self.model, "principal_edits", False)):
                return self._by_school(user)
        return self.none()

    def add_allowed(self, user, role, instance):
        if partnerships_staff(user, self.model):
            return True
        if role == Role.PARTNER and getattr(self.model, "partner_edits", False):
            partner_id = _resolve(instance, self.model.partner_path)
            return partner_id in partner_ids_for(user)
        if role == Role.PRINCIPAL and getattr(self.model, "principal_edits", False):
            path = getattr(self.model, "scope_path", None)
            return bool(path) and _resolve(instance, path) in school_ids_for(user)
        return False


def _resolve(instance, path: str):
    """The id at the end of a `a__b__c` path on an unsaved instance (None when a link is missing)."""
    obj = instance
    parts = path.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return getattr(obj, f"{parts[-1]}_id", None)


class ConveningQuerySet(RestrictedQuerySet):
    """Convenings: network-wide ones are seen by every school leader and partner; one at a school by its
    leaders and the partners invited or working there."""

    def scope(self, user, action, role):
        if partnerships_staff(user, self.model):
            return self
        if action != "view":
            return self.none()
        if role == Role.STAFF:
            return self
        if role in SCHOOL_ROLES:
            return self.filter(Q(school__isnull=True) | Q(school_id__in=school_ids_for(user)))
        if role == Role.PARTNER:
            partners = partner_ids_for(user)
            return self.filter(
                Q(school__isnull=True) | Q(attendance__partner_id__in=partners)
                | Q(school__partner_agreements__partner_id__in=partners)
            ).distinct()
        return self.none()

    def add_allowed(self, user, role, instance):
        return partnerships_staff(user, self.model)
