"""One FilterSet per model: it serves the pages, their CSV/XLSX exports and the API alike."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from equitable.outcomes.codes import STUDENT_GROUPS, EntityType, IndicatorCode
from equitable.outcomes.models import Goal, OutcomeValue

GROUP_CHOICES = [(code, f"{code} — {label}") for code, label in STUDENT_GROUPS.items()]


class OutcomeValueFilterSet(django_filters.FilterSet):
    indicator = django_filters.ChoiceFilter(label=_("Indicator"), choices=IndicatorCode.choices)
    year = django_filters.NumberFilter(label=_("Year (spring, e.g. 2025 for 2024-25)"), min_value=1999,
                                       max_value=2100)
    entity_type = django_filters.ChoiceFilter(label=_("Entity type"), choices=EntityType.choices)
    cds = django_filters.CharFilter(label=_("CDS code"), max_length=14)
    student_group = django_filters.ChoiceFilter(label=_("Student group"), choices=GROUP_CHOICES)

    class Meta:
        model = OutcomeValue
        fields = ["indicator", "year", "entity_type", "cds", "student_group"]


class GoalFilterSet(django_filters.FilterSet):
    indicator = django_filters.ChoiceFilter(label=_("Indicator"), choices=IndicatorCode.choices)
    student_group = django_filters.ChoiceFilter(label=_("Student group"), choices=GROUP_CHOICES)
    school = django_filters.CharFilter(label=_("School CDS code"), field_name="school__cds_code", max_length=14)
    scope = django_filters.ChoiceFilter(
        label=_("Scope"), method="filter_scope",
        choices=[("network", _("Network goals")), ("school", _("School goals"))],
    )

    class Meta:
        model = Goal
        fields = ["indicator", "student_group", "school", "scope"]

    def filter_scope(self, queryset, name, value):
        if value == "network":
            return queryset.filter(school__isnull=True)
        if value == "school":
            return queryset.filter(school__isnull=False)
        return queryset
