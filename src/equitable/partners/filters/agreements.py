"""FilterSets of agreements, convenings and measures: they serve the list pages, their exports and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from equitable.partners.models import (
    Agreement,
    AgreementStatus,
    Convening,
    ConveningKind,
    Measure,
    MeasureKind,
    PartnerSurvey,
)


class AgreementFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=100)
    school = django_filters.NumberFilter(label=_("School id"), field_name="school_id", min_value=1)
    partner = django_filters.NumberFilter(label=_("Partner id"), field_name="partner_id", min_value=1)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AgreementStatus.choices)
    year_round = django_filters.BooleanFilter(label=_("Year-round"))
    year = django_filters.CharFilter(label=_("School year (e.g. 2025-26)"), method="filter_year", max_length=7)

    class Meta:
        model = Agreement
        fields = ["q", "school", "partner", "status", "year_round", "year"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(partner__name__icontains=value)
                               | Q(school__name__icontains=value) | Q(programs__icontains=value))

    def filter_year(self, queryset, name, value):
        from equitable.network.models import SchoolYear

        year = SchoolYear.objects.filter(name=value.strip()).first()
        if year is None:
            return queryset.none()
        return queryset.filter(start_date__lte=year.end_date, end_date__gte=year.start_date)


class ConveningFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ConveningKind.choices)
    school_year = django_filters.CharFilter(label=_("School year"), field_name="school_year__name", max_length=7)
    school = django_filters.NumberFilter(label=_("School id"), field_name="school_id", min_value=1)

    class Meta:
        model = Convening
        fields = ["kind", "school_year", "school"]


class MeasureFilterSet(django_filters.FilterSet):
    agreement = django_filters.NumberFilter(label=_("Agreement id"), field_name="agreement_id", min_value=1)
    school_year = django_filters.CharFilter(label=_("School year"), field_name="school_year__name", max_length=7)
    kind = django_filters.ChoiceFilter(label=_("Question"), choices=MeasureKind.choices)

    class Meta:
        model = Measure
        fields = ["agreement", "school_year", "kind"]


class SurveyFilterSet(django_filters.FilterSet):
    school_year = django_filters.CharFilter(label=_("School year"), field_name="school_year__name", max_length=7)
    partner = django_filters.NumberFilter(label=_("Partner id"), field_name="partner_id", min_value=1)

    class Meta:
        model = PartnerSurvey
        fields = ["school_year", "partner"]
