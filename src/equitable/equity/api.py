"""Need API under /api/v1/: indicators, indicator values, need models (with their weights) and the scores a
computed model gives each school. Reads go through `restrict(request.user, "view")` and the same FilterSets
as the pages; finance staff (and network admins) create need models and compute them through
`equity.services`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from equitable.core.api import SCOPE_NOTE, HistoryMixin, RestrictedReadOnlyViewSet, ServiceModelSerializer
from equitable.core.exceptions import NotPermitted
from equitable.equity import queries, services
from equitable.equity.filters import (
    IndicatorFilterSet,
    IndicatorValueFilterSet,
    NeedModelFilterSet,
    NeedScoreFilterSet,
)
from equitable.equity.models import Indicator, IndicatorValue, NeedModel, NeedScore, NeedWeight
from equitable.network.models import SchoolYear

DECIMAL = {"coerce_to_string": False}


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator of need: its family, direction (higher = more need, or less), unit and source."""

    class Meta:
        model = Indicator
        fields = ["code", "name", "family", "higher_is_more_need", "unit", "source", "derivation", "is_demo",
                  "updated_at"]
        read_only_fields = fields


class IndicatorValueSerializer(serializers.ModelSerializer):
    """One indicator's value for one school in one school year."""

    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=_("The indicator's code."))
    school = serializers.SlugRelatedField(slug_field="cds_code", read_only=True, help_text=_("The school's CDS code."))
    school_year = serializers.SlugRelatedField(slug_field="name", read_only=True, help_text=_("e.g. 2025-26."))

    class Meta:
        model = IndicatorValue
        fields = ["id", "indicator", "school", "school_year", "value", "note", "is_demo", "updated_at"]
        read_only_fields = fields
        extra_kwargs = {"value": DECIMAL}


class NeedWeightSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = NeedWeight
        fields = ["indicator", "weight"]
        read_only_fields = fields
        extra_kwargs = {"weight": DECIMAL}


class NeedModelSerializer(ServiceModelSerializer):
    """A need model: a weight per indicator, a normalization, a missing-data rule and tiers (quintiles when
    `cut_points` is empty, else four ascending score cut points). To create one, give `weights` as
    indicator code → weight (≥ 0)."""

    school_year = serializers.SlugRelatedField(slug_field="name", queryset=SchoolYear.objects.all(),
                                               help_text=_("The school year's name, e.g. 2025-26."))
    weights = serializers.DictField(child=serializers.DecimalField(max_digits=8, decimal_places=4, min_value=0,
                                                                   coerce_to_string=False),
                                    write_only=True, help_text=_("Indicator code → weight (0 or more)."))
    indicator_weights = NeedWeightSerializer(source="weights", many=True, read_only=True)
    cut_points = serializers.ListField(child=serializers.FloatField(), required=False, max_length=4,
                                       help_text=_("Empty for quintiles; else four ascending scores."))

    class Meta:
        model = NeedModel
        fields = ["id", "name", "school_year", "normalization", "missing_rule", "cut_points", "description",
                  "weights", "indicator_weights", "computed_at", "is_demo", "created_at", "updated_at"]
        read_only_fields = ["computed_at", "is_demo", "created_at", "updated_at"]


class NeedScoreSerializer(serializers.ModelSerializer):
    """What a need model gives one school: score, rank (1 = highest need), tier (1 = Highest … 5 = Lowest)
    and per-indicator contributions (indicator code → weight share × normalized value; they sum to the
    score)."""

    school = serializers.SlugRelatedField(slug_field="cds_code", read_only=True, help_text=_("The school's CDS code."))
    school_name = serializers.CharField(source="school.name", read_only=True)
    contributions = serializers.DictField(child=serializers.FloatField(), read_only=True)
    missing = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = NeedScore
        fields = ["id", "need_model", "school", "school_name", "score", "rank", "tier", "tier_name",
                  "contributions", "missing", "excluded"]
        read_only_fields = fields
        extra_kwargs = {"score": DECIMAL}


class IndicatorViewSet(RestrictedReadOnlyViewSet):
    __doc__ = ("The registry of need indicators, by code. Filter by `family`, `derivation` or search `q`. Every "
               "internal persona and board viewers read them; partner users get an empty list. " + SCOPE_NOTE)
    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    lookup_field = "code"


class IndicatorValueViewSet(RestrictedReadOnlyViewSet):
    __doc__ = ("Indicator values per school and school year. Filter by `indicator` (code), `school` (CDS code), "
               "`school_year` (name) and `family`. Values follow the school's scope: staff read all, a principal "
               "their school, a senior director their caseload; board and partner users none. " + SCOPE_NOTE)
    queryset = IndicatorValue.objects.select_related("indicator", "school", "school_year")
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilterSet


class NeedModelViewSet(HistoryMixin, mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    __doc__ = ("Need models with their weights. Every internal persona and board viewers read them. " + SCOPE_NOTE
               + " Finance staff and network admins create them (POST, with `weights`) and compute them "
               "(POST `compute/`); others get 403.")
    queryset = NeedModel.objects.select_related("school_year").prefetch_related(queries.weights_prefetch())
    serializer_class = NeedModelSerializer
    filterset_class = NeedModelFilterSet

    def create(self, request, *args, **kwargs):
        if not queries.may_edit_need(request.user):
            raise NotPermitted(str(_("Only finance staff and network admins create need models.")))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        weights = data.pop("weights")
        data.setdefault("cut_points", [])
        serializer.instance = services.need_model_create(data=data, weights=weights, acting_user=self.request.user)

    @extend_schema(request=None, responses={200: NeedScoreSerializer(many=True)}, filters=False,
                   description="Compute the model: every network school's score, rank, tier and contributions. "
                               "Finance staff and network admins only.")
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def compute(self, request, *args, **kwargs):
        need_model = self.get_object()
        scores = services.need_model_compute(need_model=need_model, acting_user=request.user)
        scores = NeedScore.objects.filter(pk__in=[s.pk for s in scores]).select_related("school").order_by(
            "rank", "school__name")
        return Response(NeedScoreSerializer(scores, many=True).data, status=status.HTTP_200_OK)


class NeedScoreViewSet(RestrictedReadOnlyViewSet):
    __doc__ = ("Scores of computed need models per school. Filter by `need_model` (id), `school` (CDS code) and "
               "`tier`. Scores follow the school's scope: staff read all, a principal their school, a senior "
               "director their caseload; board viewers none (they read aggregates on the pages). " + SCOPE_NOTE)
    queryset = NeedScore.objects.select_related("school")
    serializer_class = NeedScoreSerializer
    filterset_class = NeedScoreFilterSet


def register(router) -> None:
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("indicator-values", IndicatorValueViewSet, basename="indicatorvalue")
    router.register("need-models", NeedModelViewSet, basename="needmodel")
    router.register("need-scores", NeedScoreViewSet, basename="needscore")
