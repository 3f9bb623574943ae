"""FilterSets of the clearance lists: they serve the pages, their CSV/XLSX exports and the API alike."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from equitable.partners.models import (
    AppliesTo,
    ApprovalStatus,
    CampusApproval,
    ClearanceCheck,
    ClearanceRequirement,
    ClearanceTier,
)


class RequirementFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains", max_length=100)
    applies_to = django_filters.ChoiceFilter(label=_("Applies to"), choices=AppliesTo.choices)

    class Meta:
        model = ClearanceRequirement
        fields = ["q", "applies_to"]


class TierFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains", max_length=100)

    class Meta:
        model = ClearanceTier
        fields = ["q"]


class CheckFilterSet(django_filters.FilterSet):
    partner = django_filters.NumberFilter(label=_("Partner id"), field_name="partner_id", min_value=1)
    person = django_filters.NumberFilter(label=_("Person id"), field_name="person_id", min_value=1)
    requirement = django_filters.NumberFilter(label=_("Requirement id"), field_name="requirement_id", min_value=1)
    organization_items = django_filters.BooleanFilter(label=_("Organization items only"), field_name="person",
                                                      lookup_expr="isnull")

    class Meta:
        model = ClearanceCheck
        fields = ["partner", "person", "requirement", "organization_items"]


class ApprovalFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ApprovalStatus.choices)
    school = django_filters.CharFilter(label=_("School CDS code"), field_name="school__cds_code", max_length=14)
    partner = django_filters.NumberFilter(label=_("Partner id"), field_name="person__partner_id", min_value=1)
    q = django_filters.CharFilter(label=_("Person"), method="filter_q", max_length=100)

    class Meta:
        model = CampusApproval
        fields = ["status", "school", "partner", "q"]

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(person__first_name__icontains=value) | Q(person__last_name__icontains=value))
