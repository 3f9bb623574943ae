"""Outcomes API under /api/v1/: outcome values (read only) and goals (read; academic staff and admins write
through `outcomes.services`). Reads go through `restrict(request.user, "view")` and the same FilterSets as
the pages. Rows of fewer than 11 students come back suppressed (`suppressed: true`, figures null), as on
the pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from equitable.core.api import (
    SCOPE_NOTE,
    HistoryMixin,
    NaturalKeyField,
    RestrictedModelViewSet,
    RestrictedReadOnlyViewSet,
    ServiceModelSerializer,
)
from equitable.network.models import School
from equitable.outcomes import services
from equitable.outcomes.codes import STUDENT_GROUPS
from equitable.outcomes.filters import GoalFilterSet, OutcomeValueFilterSet
from equitable.outcomes.models import Goal, OutcomeValue
from equitable.outcomes.selectors import is_suppressed

SUPPRESSED_FIELDS = ("value", "denominator", "numerator", "change", "color", "status_level", "change_level",
                     "box", "prior_value", "prior_denominator")


class OutcomeValueSerializer(serializers.ModelSerializer):
    """One value of an indicator for an entity (school, district, county, state or the network), school year
    and student group, with the Dashboard's levels and color."""

    school = serializers.SlugRelatedField(slug_field="cds_code", read_only=True, allow_null=True,
                                          help_text=_("The registry school's CDS code (school rows of the network)."))
    school_year = serializers.CharField(read_only=True, help_text=_("The school year, e.g. 2024-25."))
    suppressed = serializers.SerializerMethodField(
        help_text=_("True when fewer than 11 students were counted: the figures are withheld (null)."))

    class Meta:
        model = OutcomeValue
        fields = ["id", "indicator", "year", "school_year", "entity_type", "cds", "entity_name", "school",
                  "student_group", "value", "denominator", "numerator", "prior_value", "prior_denominator",
                  "change", "status_level", "change_level", "color", "box", "suppressed", "flags", "source",
                  "comparison_only", "is_demo", "updated_at"]
        read_only_fields = fields
        extra_kwargs = {name: {"coerce_to_string": False} for name in ("value", "prior_value", "change")}

    def get_suppressed(self, obj) -> bool:
        return is_suppressed(obj.denominator)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if is_suppressed(instance.denominator):
            for name in SUPPRESSED_FIELDS:
                data[name] = None
        return data

    def get_fields(self):
        fields = super().get_fields()
        for name in SUPPRESSED_FIELDS:  # null when suppressed
            fields[name].allow_null = True
        return fields


class GoalSerializer(ServiceModelSerializer):
    """A goal: a target value of an indicator for a student group by a year, for the network (no school) or
    one school (CDS code)."""

    school = NaturalKeyField(scoped=True, slug_field="cds_code", queryset=School.objects.all(), allow_null=True,
                             required=False, help_text=_("The school's CDS code; null for a network goal."))
    student_group = serializers.ChoiceField(choices=list(STUDENT_GROUPS), default="ALL",
                                            help_text=_("California student group code, e.g. ALL, HI, EL."))

    class Meta:
        model = Goal
        fields = ["id", "name", "indicator", "student_group", "school", "baseline_year", "baseline_value",
                  "target_year", "target_value", "description", "is_demo", "created_at", "updated_at"]
        read_only_fields = ["is_demo", "created_at", "updated_at"]
        extra_kwargs = {"baseline_value": {"coerce_to_string": False}, "target_value": {"coerce_to_string": False}}


class OutcomeValueViewSet(RestrictedReadOnlyViewSet):
    __doc__ = (
        "Outcome values by indicator, entity, school year (`year` = spring year) and student group. Filter by "
        "`indicator`, `year`, `entity_type`, `cds` and `student_group`. School rows follow the school's scope "
        "(a principal their school, a senior director their caseload, staff all); district, state and network "
        "rows are aggregates every persona except partner users reads; board members read aggregates only. "
        "Rows of fewer than 11 students are suppressed. " + SCOPE_NOTE
    )
    queryset = OutcomeValue.objects.select_related("school")
    serializer_class = OutcomeValueSerializer
    filterset_class = OutcomeValueFilterSet


class GoalViewSet(HistoryMixin, RestrictedModelViewSet):
    __doc__ = (
        "Goals of the network (no school) and of schools (CDS code). Network goals are read by every persona "
        "except partner users; school goals like the school itself. " + SCOPE_NOTE
        + " Network admins and academic staff add, change and delete goals; others get 403."
    )
    queryset = Goal.objects.select_related("school")
    serializer_class = GoalSerializer
    filterset_class = GoalFilterSet

    def create_record(self, data):
        return services.goal_create(data=data, acting_user=self.request.user)

    def update_record(self, instance, data):
        return services.goal_update(goal=instance, data=data, acting_user=self.request.user)

    def delete_record(self, instance):
        services.goal_delete(goal=instance, acting_user=self.request.user)


def register(router) -> None:
    router.register("outcomes", OutcomeValueViewSet, basename="outcome")
    router.register("goals", GoalViewSet, basename="goal")
