"""FilterSets of the directory and of school needs: each serves the list page, its export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from equitable.network.models import Community, School, SchoolYear
from equitable.partners.models import (
    AssessmentStatus,
    ClearanceTier,
    ContactRole,
    FocusArea,
    Language,
    NeedsAssessment,
    Partner,
    PartnerKind,
    PartnerPerson,
    PartnerStatus,
    Priority,
    SchoolNeed,
)


def language_q(code: str, field: str = "languages") -> Q:
    """Rows whose comma-separated codes (as the services store them, e.g. “en,es”) include `code`."""
    return (Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code},"}) | Q(**{f"{field}__endswith": f",{code}"})
            | Q(**{f"{field}__contains": f",{code},"}))


class PartnerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=PartnerKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PartnerStatus.choices)
    focus_area = django_filters.ModelChoiceFilter(label=_("Focus area"), queryset=FocusArea.objects.all(),
                                                  field_name="focus_areas", to_field_name="slug", distinct=True)
    community = django_filters.ModelChoiceFilter(label=_("Community served"), queryset=Community.objects.all(),
                                                 field_name="communities", to_field_name="slug", distinct=True)
    language = django_filters.ChoiceFilter(label=_("Language"), choices=Language.choices, method="by_language")

    class Meta:
        model = Partner
        fields = ["q", "kind", "status", "focus_area", "community", "language"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset

    def by_language(self, queryset, name, value):
        return queryset.filter(language_q(value)) if value else queryset


class PartnerPersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    partner = django_filters.NumberFilter(label=_("Partner id"), field_name="partner_id")
    contact_role = django_filters.ChoiceFilter(label=_("Contact role"), choices=ContactRole.choices)
    works_on_campus = django_filters.BooleanFilter(label=_("Works on campus"))
    tier = django_filters.ModelChoiceFilter(label=_("Clearance tier"), queryset=ClearanceTier.objects.all(),
                                            to_field_name="name")

    class Meta:
        model = PartnerPerson
        fields = ["q", "partner", "contact_role", "works_on_campus", "tier"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(first_name__icontains=value) | Q(last_name__icontains=value)
                               | Q(email__icontains=value) | Q(partner__name__icontains=value))


class FocusAreaFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = FocusArea
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value)) if value else queryset


class NeedsAssessmentFilterSet(django_filters.FilterSet):
    school_year = django_filters.ModelChoiceFilter(label=_("School year"), queryset=SchoolYear.objects.all(),
                                                   to_field_name="name")
    school = django_filters.ModelChoiceFilter(label=_("School"), queryset=School.objects.all(),
                                              to_field_name="cds_code", method="by_school")
    community = django_filters.ModelChoiceFilter(label=_("Community"), queryset=Community.objects.all(),
                                                 field_name="school__community", to_field_name="slug")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssessmentStatus.choices)

    class Meta:
        model = NeedsAssessment
        fields = ["school_year", "school", "community", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None:  # the school choices are the schools the user may see
            self.filters["school"].queryset = School.objects.restrict(user, "view")

    def by_school(self, queryset, name, value):
        return queryset.filter(school=value) if value else queryset


class SchoolNeedFilterSet(django_filters.FilterSet):
    assessment = django_filters.NumberFilter(label=_("Needs assessment id"), field_name="assessment_id")
    school = django_filters.CharFilter(label=_("School CDS code"), field_name="assessment__school__cds_code")
    school_year = django_filters.CharFilter(label=_("School year"), field_name="assessment__school_year__name")
    focus_area = django_filters.CharFilter(label=_("Focus area code"), field_name="focus_area__slug")
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=Priority.choices)

    class Meta:
        model = SchoolNeed
        fields = ["assessment", "school", "school_year", "focus_area", "priority"]
