"""One FilterSet per model: it serves the funding pages, their CSV/XLSX exports and the API alike."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from equitable.equity.queries import TIER_CHOICES
from equitable.funding.models import Allocation, FundingSource, Method, Scenario, SourceKind, Status


class FundingSourceFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SourceKind.choices)
    school_year = django_filters.CharFilter(label=_("School year"), field_name="school_year__name", max_length=20)
    restricted = django_filters.BooleanFilter(label=_("Restricted to a purpose"), method="filter_restricted")

    class Meta:
        model = FundingSource
        fields = ["kind", "school_year", "restricted"]

    def filter_restricted(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(restricted_to="") if value else queryset.filter(restricted_to="")


class ScenarioFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    method = django_filters.ChoiceFilter(label=_("Method"), choices=Method.choices)
    school_year = django_filters.CharFilter(label=_("School year"), field_name="school_year__name", max_length=20)

    class Meta:
        model = Scenario
        fields = ["status", "method", "school_year"]


class AllocationFilterSet(django_filters.FilterSet):
    scenario = django_filters.NumberFilter(label=_("Scenario id"), field_name="scenario_id", min_value=1)
    school = django_filters.CharFilter(label=_("School CDS code"), field_name="school__cds_code", max_length=14)
    need_tier = django_filters.ChoiceFilter(label=_("Need tier"), choices=TIER_CHOICES)

    class Meta:
        model = Allocation
        fields = ["scenario", "school", "need_tier"]
