"""Matching API: `GET /api/v1/partners/matches/?school=<id or CDS code>&year=2025-26` — the ranked partner
suggestions for one school with their scores, parts and reasons (read-only, scoped as the page)."""

from __future__ import annotations

from django.utils.translation import gettext as _t
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from equitable.core.api import EquitableAutoSchema, ErrorSerializer, api_exception_for
from equitable.partners.selectors import matching as selectors


class SuggestionSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    partner_id = serializers.IntegerField()
    partner = serializers.CharField(help_text="The partner organization's name.")
    score = serializers.FloatField(help_text="0–1: the weighted sum of the parts below.")
    focus_fit = serializers.FloatField(help_text="Priority-weighted share of the school's needs the partner covers.")
    community = serializers.FloatField(help_text="1 when the partner serves the school's community.")
    language = serializers.FloatField(help_text="Share of the families' languages the partner works in.")
    capacity = serializers.FloatField(help_text="Room for more schools (1 when already working at the school).")
    capacity_left = serializers.IntegerField(allow_null=True, help_text="Schools it can still take; null: not stated.")
    clearance = serializers.ChoiceField(choices=["cleared", "expiring", "not cleared"])
    past_results = serializers.FloatField(allow_null=True, help_text="0–1, null when nothing is recorded.")
    already_here = serializers.BooleanField()
    covered_need_ids = serializers.ListField(child=serializers.IntegerField())
    reasons = serializers.ListField(child=serializers.CharField(), help_text="The reasons in plain words.")


class SchoolMatchesSerializer(serializers.Serializer):
    school = serializers.CharField(help_text="The school's CDS code.")
    school_name = serializers.CharField()
    school_year = serializers.CharField()
    suggestions = SuggestionSerializer(many=True)


def _suggestion(rank, s) -> dict:
    return {"rank": rank, "partner_id": s.partner_id, "partner": s.partner, "score": round(s.score, 4),
            "focus_fit": round(s.focus_fit, 4), "community": s.community, "language": round(s.language, 4),
            "capacity": round(s.capacity, 4), "capacity_left": s.capacity_left, "clearance": s.clearance,
            "past_results": None if s.past_results is None else round(s.past_results, 4),
            "already_here": s.already_here, "covered_need_ids": list(s.covered_need_ids), "reasons": list(s.reasons)}


class MatchViewSet(viewsets.GenericViewSet):
    """Ranked partner suggestions for one school, best first, with the reasons. Home-office staff and admins
    ask for any school; a principal or senior director for their own schools (another school answers 404);
    partner and board users get 403. A school without a needs assessment for the year answers 404."""

    schema = EquitableAutoSchema()
    serializer_class = SchoolMatchesSerializer
    pagination_class = None
    filter_backends: list = []

    def handle_exception(self, exc):
        return super().handle_exception(api_exception_for(exc))

    @extend_schema(
        parameters=[
            OpenApiParameter("school", OpenApiTypes.STR, required=True,
                             description="The school's id or its 14-digit CDS code."),
            OpenApiParameter("year", OpenApiTypes.STR, description="School year, e.g. 2025-26 (default: current)."),
            OpenApiParameter("limit", OpenApiTypes.INT, description="At most this many suggestions."),
        ],
        responses={
            200: SchoolMatchesSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such school within the caller's scope, or it has "
                                                              "no needs assessment for the year."),
        },
    )
    def list(self, request, *args, **kwargs):
        if not selectors.may_read_school_matches(request.user):
            raise exceptions.PermissionDenied(_t("Partner suggestions are for home-office staff and school leaders."))
        key = request.query_params.get("school", "").strip()
        if not key:
            raise exceptions.ValidationError({"school": [_t("Name the school by its id or CDS code.")]})
        limit = request.query_params.get("limit")
        if limit is not None:
            if not limit.isdigit() or int(limit) < 1:
                raise exceptions.ValidationError({"limit": [_t("The limit must be a whole number of at least 1.")]})
            limit = int(limit)
        school = selectors.visible_school(request.user, key)
        if school is None:
            raise exceptions.NotFound(_t("No school “%(key)s” that you may see.") % {"key": key})
        try:
            year = selectors.resolve_year(request.query_params.get("year") or None)
        except selectors.MatchInputError as exc:
            raise exceptions.ValidationError({"year": [str(exc)]}) from None
        matches = selectors.school_matches(school, year, limit=limit)
        if matches.assessment is None:
            raise exceptions.NotFound(selectors.NO_ASSESSMENT.format(school=school.name, year=year.name))
        data = {"school": school.cds_code, "school_name": school.name, "school_year": year.name,
                "suggestions": [_suggestion(i, s) for i, s in enumerate(matches.suggestions, start=1)]}
        return Response(SchoolMatchesSerializer(data).data)


def register(router) -> None:
    router.register("partners/matches", MatchViewSet, basename="partners-match")
