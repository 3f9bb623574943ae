"""Funding API under /api/v1/: funding sources, allocation scenarios (with their metrics and the network
picture by need tier) and allocations per school. Reads go through `restrict(request.user, "view")` and the
same FilterSets as the pages; finance staff (and network admins) create scenarios, compute, adopt and copy
them through `funding.services`. An adopted scenario is locked: compute answers 400 with the reason."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from equitable.core.api import SCOPE_NOTE, HistoryMixin, RestrictedReadOnlyViewSet, ScopedPrimaryKeyField
from equitable.core.exceptions import NotPermitted
from equitable.equity.models import NeedModel
from equitable.funding import queries, services
from equitable.funding.filters import AllocationFilterSet, FundingSourceFilterSet, ScenarioFilterSet
from equitable.funding.models import Allocation, FundingSource, Method, Scenario, ScenarioSource
from equitable.network.models import SchoolYear

DECIMAL = {"coerce_to_string": False}


class FundingSourceSerializer(serializers.ModelSerializer):
    """A funding source: philanthropic or public, restricted to a purpose or not, its amount and year."""

    school_year = serializers.SlugRelatedField(slug_field="name", read_only=True, help_text=_("e.g. 2025-26."))

    class Meta:
        model = FundingSource
        fields = ["id", "name", "kind", "restricted_to", "amount", "school_year", "is_demo", "updated_at"]
        read_only_fields = fields
        extra_kwargs = {"amount": DECIMAL}


class DrawSerializer(serializers.ModelSerializer):
    source_name = serializers.CharField(source="source.name", read_only=True)
    kind = serializers.CharField(source="source.kind", read_only=True)

    class Meta:
        model = ScenarioSource
        fields = ["source", "source_name", "kind", "amount"]
        read_only_fields = fields
        extra_kwargs = {"amount": DECIMAL}


class DrawInputSerializer(serializers.Serializer):
    source = ScopedPrimaryKeyField(queryset=FundingSource.objects.all(), help_text=_("The funding source's id."))
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, coerce_to_string=False)


class ScenarioSerializer(serializers.ModelSerializer):
    """An allocation scenario: its pool drawn from sources, its method and parameters, its status (draft,
    computed, adopted = locked) and, once computed, its metrics (Gini of per-pupil amounts, per-pupil ratio
    of the highest- to the lowest-need tier, share of the pool to the highest-need tier, correlation of need
    with per-pupil dollars)."""

    school_year = serializers.SlugRelatedField(slug_field="name", read_only=True)
    adopted_by = serializers.SerializerMethodField()
    draws = DrawSerializer(source="sources", many=True, read_only=True)
    metrics = serializers.DictField(read_only=True)
    parameters = serializers.DictField(read_only=True)

    class Meta:
        model = Scenario
        fields = ["id", "name", "school_year", "need_model", "method", "parameters", "previous", "pool", "remainder",
                  "metrics", "status", "adopted_at", "adopted_by", "draws", "description", "is_demo", "created_at",
                  "updated_at"]
        read_only_fields = fields
        extra_kwargs = {"pool": DECIMAL, "remainder": DECIMAL}

    def get_adopted_by(self, obj) -> str | None:
        user = obj.adopted_by
        return (user.get_full_name() or user.username) if user else None


class ScenarioCreateSerializer(serializers.Serializer):
    """A new draft scenario. `sources`: the amounts drawn from funding sources (of the scenario's year);
    `parameters`: the method's options (tier_rates, weights, need_multiplier, floor, cap, minimum_grant,
    hold_harmless, spend_exactly, monotone_per_pupil, …)."""

    name = serializers.CharField(max_length=200)
    school_year = serializers.SlugRelatedField(slug_field="name", queryset=SchoolYear.objects.all())
    method = serializers.ChoiceField(choices=Method.choices)
    need_model = ScopedPrimaryKeyField(queryset=NeedModel.objects.all(), required=False, allow_null=True)
    previous = ScopedPrimaryKeyField(queryset=Scenario.objects.all(), required=False, allow_null=True)
    parameters = serializers.DictField(required=False, default=dict)
    sources = DrawInputSerializer(many=True, required=False, default=list)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class TierSerializer(serializers.Serializer):
    tier = serializers.IntegerField(allow_null=True, help_text=_("1 = Highest need … 5 = Lowest."))
    label = serializers.CharField()
    schools = serializers.IntegerField()
    suppressed = serializers.BooleanField(help_text=_("True when the tier has too few schools to show its figures "
                                                      "to this caller (they are null)."))
    students = serializers.IntegerField(source="shown_students", allow_null=True)
    amount = serializers.DecimalField(source="shown_amount", max_digits=14, decimal_places=2, coerce_to_string=False,
                                      allow_null=True)
    per_pupil = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False, allow_null=True)
    even_per_pupil = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False,
                                              allow_null=True)
    lcff = serializers.DecimalField(source="shown_lcff", max_digits=14, decimal_places=2, coerce_to_string=False,
                                    allow_null=True,
                                    help_text=_("LCFF supplemental + concentration estimate of the tier's schools."))


class AllocationSerializer(serializers.ModelSerializer):
    """One school's amount in one scenario, with what it was computed from and the LCFF estimate beside it."""

    school = serializers.SlugRelatedField(slug_field="cds_code", read_only=True, help_text=_("The school's CDS code."))
    school_name = serializers.CharField(source="school.name", read_only=True)
    difference_from_even = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True,
                                                    coerce_to_string=False)

    class Meta:
        model = Allocation
        fields = ["id", "scenario", "school", "school_name", "enrollment", "need_score", "need_tier", "amount",
                  "per_pupil", "even_amount", "difference_from_even", "lcff_supplemental", "lcff_concentration"]
        read_only_fields = fields
        extra_kwargs = {name: DECIMAL for name in ("need_score", "amount", "per_pupil", "even_amount",
                                                   "lcff_supplemental", "lcff_concentration")}


class CopySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text=_("The new version's name."))


class FundingSourceViewSet(RestrictedReadOnlyViewSet):
    __doc__ = ("Funding sources, philanthropic and public. Filter by `kind`, `school_year` and `restricted`. Every "
               "internal persona and board viewers read them. " + SCOPE_NOTE)
    queryset = FundingSource.objects.select_related("school_year")
    serializer_class = FundingSourceSerializer
    filterset_class = FundingSourceFilterSet


class ScenarioViewSet(HistoryMixin, mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    __doc__ = ("Allocation scenarios. Home-office staff read all; principals, senior directors and board viewers "
               "read adopted scenarios; partner users none. Filter by `status`, `method` and `school_year`. "
               + SCOPE_NOTE + " Finance staff and network admins create scenarios (POST) and compute, adopt and "
               "copy them; others get 403. An adopted scenario is locked: computing it again answers 400.")
    queryset = Scenario.objects.select_related("school_year", "adopted_by").prefetch_related("sources__source")
    serializer_class = ScenarioSerializer
    filterset_class = ScenarioFilterSet

    def get_serializer_class(self):
        if self.action == "create":
            return ScenarioCreateSerializer
        return super().get_serializer_class()

    @extend_schema(request=ScenarioCreateSerializer, responses={201: ScenarioSerializer})
    def create(self, request, *args, **kwargs):
        if not queries.may_edit_funding(request.user):
            raise NotPermitted(str(_("Only finance staff and network admins create scenarios.")))
        incoming = ScenarioCreateSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        draws = {d["source"]: d["amount"] for d in data.pop("sources")}
        scenario = services.scenario_create(**data, sources=draws, acting_user=request.user)
        return Response(ScenarioSerializer(self._fresh(scenario)).data, status=201)

    def _fresh(self, scenario):
        return self.get_queryset().get(pk=scenario.pk)

    def _changeable(self):
        scenario = self.get_object()
        if not queries.may_edit_funding(self.request.user):
            raise NotPermitted(str(_("Only finance staff and network admins change scenarios.")))
        return scenario

    @extend_schema(request=None, responses={200: ScenarioSerializer}, filters=False,
                   description="Compute the scenario's allocation (finance staff and network admins). An adopted "
                               "scenario is locked (400); infeasible options answer 400 naming the constraints.")
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def compute(self, request, *args, **kwargs):
        scenario = services.scenario_compute(scenario=self._changeable(), acting_user=request.user)
        return Response(ScenarioSerializer(self._fresh(scenario)).data)

    @extend_schema(request=None, responses={200: ScenarioSerializer}, filters=False,
                   description="Adopt a computed scenario: it is locked from then on (finance staff and admins).")
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def adopt(self, request, *args, **kwargs):
        scenario = services.scenario_adopt(scenario=self._changeable(), acting_user=request.user)
        return Response(ScenarioSerializer(self._fresh(scenario)).data)

    @extend_schema(request=CopySerializer, responses={201: ScenarioSerializer}, filters=False,
                   description="A new version: a draft copy of this scenario (adopted or not).")
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def copy(self, request, *args, **kwargs):
        scenario = self._changeable()
        incoming = CopySerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        copy = services.scenario_copy(scenario=scenario, name=incoming.validated_data["name"],
                                      acting_user=request.user)
        return Response(ScenarioSerializer(self._fresh(copy)).data, status=201)

    @extend_schema(responses={200: TierSerializer(many=True)}, filters=False,
                   description="The network picture of a scenario: schools, students, amounts and per-pupil "
                               "figures by need tier (no school named). Whoever may see the scenario reads it; outside "
                               "the home office a tier of fewer than 3 schools shows only its count.")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def tiers(self, request, *args, **kwargs):
        scenario = self.get_object()
        figures = queries.tier_figures(scenario, suppress=not queries.sees_every_school(request.user))
        return Response(TierSerializer(figures, many=True).data)


class AllocationViewSet(RestrictedReadOnlyViewSet):
    __doc__ = ("Per-school amounts of scenarios. Filter by `scenario` (id), `school` (CDS code) and `need_tier`. "
               "Home-office staff read all; principals and senior directors their own schools' rows in adopted "
               "scenarios; board viewers none (they read `scenarios/{id}/tiers/`). " + SCOPE_NOTE)
    queryset = Allocation.objects.select_related("school")
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilterSet


def register(router) -> None:
    router.register("funding-sources", FundingSourceViewSet, basename="fundingsource")
    router.register("scenarios", ScenarioViewSet, basename="scenario")
    router.register("allocations", AllocationViewSet, basename="allocation")
