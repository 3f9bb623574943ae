"""One FilterSet per model: it serves the need pages, their CSV/XLSX exports and the API alike."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from equitable.equity.models import Derivation, Family, Indicator, IndicatorValue, NeedModel, NeedScore
from equitable.equity.queries import TIER_CHOICES


class IndicatorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    family = django_filters.ChoiceFilter(label=_("Family"), choices=Family.choices)
    derivation = django_filters.ChoiceFilter(label=_("How values arrive"), choices=Derivation.choices)

    class Meta:
        model = Indicator
        fields = ["q", "family", "derivation"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(source__icontains=value))


class IndicatorValueFilterSet(django_filters.FilterSet):
    indicator = django_filters.CharFilter(label=_("Indicator code"), field_name="indicator__code", max_length=40)
    school = django_filters.CharFilter(label=_("School CDS code"), field_name="school__cds_code", max_length=14)
    school_year = django_filters.CharFilter(label=_("School year"), field_name="school_year__name", max_length=20)
    family = django_filters.ChoiceFilter(label=_("Family"), field_name="indicator__family", choices=Family.choices)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "school", "school_year", "family"]


class NeedModelFilterSet(django_filters.FilterSet):
    school_year = django_filters.CharFilter(label=_("School year"), field_name="school_year__name", max_length=20)
    computed = django_filters.BooleanFilter(label=_("Computed"), field_name="computed_at", lookup_expr="isnull",
                                            exclude=True)

    class Meta:
        model = NeedModel
        fields = ["school_year", "computed"]


class NeedScoreFilterSet(django_filters.FilterSet):
    need_model = django_filters.NumberFilter(label=_("Need model id"), field_name="need_model_id", min_value=1)
    school = django_filters.CharFilter(label=_("School CDS code"), field_name="school__cds_code", max_length=14)
    tier = django_filters.ChoiceFilter(label=_("Need tier"), choices=TIER_CHOICES)

    class Meta:
        model = NeedScore
        fields = ["need_model", "school", "tier"]
