"""One FilterSet per model: it serves the list page, its CSV/XLSX export and the API alike."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from equitable.network.codes import Level, Membership, StaffRole
from equitable.network.models import (
    Community,
    Enrollment,
    FeederPattern,
    Person,
    School,
    SchoolYear,
    StaffAssignment,
)


class SchoolFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    community = django_filters.ModelChoiceFilter(
        label=_("Community"), queryset=Community.objects.all(), field_name="community", to_field_name="slug"
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices)
    membership = django_filters.ChoiceFilter(label=_("Membership"), choices=Membership.choices)
    feeder_pattern = django_filters.ModelChoiceFilter(
        label=_("Feeder pattern"), queryset=FeederPattern.objects.all(), field_name="feeder_patterns"
    )

    class Meta:
        model = School
        fields = ["q", "community", "level", "membership", "feeder_pattern"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(cds_code__startswith=value) | Q(zip_code__startswith=value))


class EnrollmentFilterSet(django_filters.FilterSet):
    school = django_filters.CharFilter(label=_("School CDS code"), field_name="school__cds_code")
    school_year = django_filters.CharFilter(label=_("School year"), field_name="school_year__name")

    class Meta:
        model = Enrollment
        fields = ["school", "school_year"]


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    department = django_filters.CharFilter(label=_("Department"), field_name="department__name")
    role = django_filters.ChoiceFilter(label=_("School role"), choices=StaffRole.choices, field_name="assignments__role",
                                       distinct=True)
    school = django_filters.CharFilter(label=_("School CDS code"), field_name="assignments__school__cds_code",
                                       distinct=True)

    class Meta:
        model = Person
        fields = ["q", "department", "role", "school"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(first_name__icontains=value) | Q(last_name__icontains=value) | Q(email__icontains=value)
            | Q(title__icontains=value)
        )


class StaffAssignmentFilterSet(django_filters.FilterSet):
    school = django_filters.CharFilter(label=_("School CDS code"), field_name="school__cds_code")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=StaffRole.choices)

    class Meta:
        model = StaffAssignment
        fields = ["school", "role"]


class SchoolYearFilterSet(django_filters.FilterSet):
    class Meta:
        model = SchoolYear
        fields = ["is_current"]
