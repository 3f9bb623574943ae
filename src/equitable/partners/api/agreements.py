"""Agreements and the year-round relationship in the API (/api/v1/partners/…): agreements (read per scope;
partnerships staff and principals create and change drafts; submit, decide — the school's principal or an
admin —, end and renew actions), convenings, RBA measures (partner users PATCH `actual` and `notes`) and the
annual partner survey. Reads go through `restrict(request.user, "view")`; writes through
`partners.services.agreements`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from equitable.core.api import (
    SCOPE_NOTE,
    HistoryMixin,
    RestrictedModelViewSet,
    RestrictedReadOnlyViewSet,
    ScopedPrimaryKeyField,
    ServiceModelSerializer,
)
from equitable.core.exceptions import NotPermitted
from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.network.models import School, SchoolYear
from equitable.partners.filters.agreements import (
    AgreementFilterSet,
    ConveningFilterSet,
    MeasureFilterSet,
    SurveyFilterSet,
)
from equitable.partners.models import (
    Agreement,
    Convening,
    ConveningAttendance,
    FocusArea,
    Measure,
    Partner,
    PartnerSurvey,
    SchoolNeed,
)
from equitable.partners.scoping import partnerships_staff
from equitable.partners.services import agreements as services

DECIMAL = {"coerce_to_string": False}


class AgreementSerializer(ServiceModelSerializer):
    """A school–partner agreement: programs, focus areas, needs addressed, access, staffing, safety,
    facilities, cost and who pays, students, dates, year-round or term-limited, status and the decision."""

    partner = ScopedPrimaryKeyField(queryset=Partner.objects.all())
    school = ScopedPrimaryKeyField(queryset=School.objects.all())
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True)
    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, queryset=FocusArea.objects.all(),
                                               required=False)
    needs = ScopedPrimaryKeyField(queryset=SchoolNeed.objects.all(), many=True, required=False)
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = ["id", "partner", "partner_name", "school", "school_name", "title", "programs", "focus_areas",
                  "needs", "access_days", "access_hours", "staffing", "safety", "facilities", "annual_cost", "paid_by",
                  "cost_notes", "students_served", "start_date", "end_date", "year_round", "status", "decided_by",
                  "decided_at", "decision_note", "renews", "is_demo", "created_at", "updated_at"]
        read_only_fields = ["status", "decided_by", "decided_at", "decision_note", "renews", "is_demo", "created_at",
                            "updated_at"]
        extra_kwargs = {"annual_cost": DECIMAL}

    def get_decided_by(self, obj) -> str | None:
        user = obj.decided_by
        return (user.get_full_name() or user.username) if user else None


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text=_("true approves, false declines."))
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                 help_text=_("Required when declining."))


class EndSerializer(serializers.Serializer):
    end_date = serializers.DateField(required=False, allow_null=True, default=None)


def _split(data: dict):
    data = dict(data)
    focus = data.pop("focus_areas", None)
    needs = data.pop("needs", None)
    partner = data.pop("partner", None)
    school = data.pop("school", None)
    return partner, school, focus, needs, data


class AgreementViewSet(HistoryMixin, RestrictedModelViewSet):
    __doc__ = ("School–partner agreements. Filter by `school`, `partner` (ids), `status`, `year_round`, `year` "
               "(e.g. 2025-26) and `q`. Home-office staff read all; principals and senior directors their schools'; "
               "partner users their organization's; board viewers none. " + SCOPE_NOTE + " Partnerships staff (and "
               "a school's principal, for their school) create drafts and change drafts, pending and declined "
               "agreements; approved agreements are not edited (renew or end them). `decide` is for the school's "
               "principal or a network admin.")
    queryset = Agreement.objects.select_related("partner", "school", "decided_by").prefetch_related(
        "focus_areas", "needs")
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        role = role_of(request.user)
        if role not in (Role.ADMIN, Role.PRINCIPAL) and not partnerships_staff(request.user, Agreement):
            raise NotPermitted(str(_("Partnerships staff and principals draft agreements.")))
        return super().create(request, *args, **kwargs)

    def create_record(self, data):
        partner, school, focus, needs, terms = _split(data)
        return services.agreement_create(partner=partner, school=school, data=terms, focus_areas=focus or (),
                                         needs=needs or (), acting_user=self.request.user)

    def update_record(self, instance, data):
        partner, school, focus, needs, terms = _split(data)
        if (partner and partner != instance.partner) or (school and school != instance.school):
            raise NotPermitted(str(_("An agreement's partner and school cannot change; draft a new agreement.")))
        return services.agreement_update(agreement=instance, data=terms, focus_areas=focus, needs=needs,
                                         acting_user=self.request.user)

    def _fresh(self, agreement):
        return Response(AgreementSerializer(self.get_queryset().get(pk=agreement.pk),
                                            context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: AgreementSerializer}, filters=False,
                   description="Send a draft (or declined) agreement to the principal for approval.")
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def submit(self, request, *args, **kwargs):
        return self._fresh(services.agreement_submit(agreement=self.get_object(), acting_user=request.user))

    @extend_schema(request=DecisionSerializer, responses={200: AgreementSerializer}, filters=False,
                   description="Approve or decline a pending agreement (the school's principal or a network admin; "
                               "others 403). Declining needs a note.")
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def decide(self, request, *args, **kwargs):
        agreement = self.get_object()
        incoming = DecisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return self._fresh(services.agreement_decide(agreement=agreement, approve=incoming.validated_data["approve"],
                                                     note=incoming.validated_data["note"], acting_user=request.user))

    @extend_schema(request=EndSerializer, responses={200: AgreementSerializer}, filters=False,
                   description="End an approved agreement (on `end_date`, default today or its planned end).")
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def end(self, request, *args, **kwargs):
        agreement = self.get_object()
        incoming = EndSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return self._fresh(services.agreement_end(agreement=agreement, on=incoming.validated_data["end_date"],
                                                  acting_user=request.user))

    @extend_schema(request=None, responses={201: AgreementSerializer}, filters=False,
                   description="Renew an approved or ended agreement: a new draft with the same terms for the next "
                               "year, whose `renews` is this agreement (one renewal per agreement).")
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def renew(self, request, *args, **kwargs):
        renewal = services.agreement_renew(agreement=self.get_object(), acting_user=request.user)
        response = self._fresh(renewal)
        response.status_code = 201
        return response


class AttendanceSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = ConveningAttendance
        fields = ["partner", "partner_name", "attended", "people"]
        read_only_fields = fields


class ConveningSerializer(ServiceModelSerializer):
    """A partner convening (BOY meet & greet, MOY all-hands, EOY celebration, other), at a school or
    network-wide, with the attendance the caller may see."""

    school_year = serializers.SlugRelatedField(slug_field="name", queryset=SchoolYear.objects.all())
    school = ScopedPrimaryKeyField(queryset=School.objects.all(), required=False, allow_null=True)
    attendance = serializers.SerializerMethodField()

    class Meta:
        model = Convening
        fields = ["id", "kind", "title", "school_year", "school", "community", "held_on", "location", "notes",
                  "attendance", "is_demo"]
        read_only_fields = ["is_demo"]

    def get_attendance(self, obj) -> list[dict]:
        request = self.context.get("request")
        rows = ConveningAttendance.objects.restrict(getattr(request, "user", None), "view").filter(convening=obj)
        return AttendanceSerializer(rows.select_related("partner"), many=True).data


class ConveningViewSet(HistoryMixin, RestrictedModelViewSet):
    __doc__ = ("Partner convenings. Filter by `kind`, `school_year` and `school`. " + SCOPE_NOTE +
               " Partnerships staff create and change them.")
    queryset = Convening.objects.select_related("school_year", "school", "community")
    serializer_class = ConveningSerializer
    filterset_class = ConveningFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create_record(self, data):
        return services.convening_create(data=data, acting_user=self.request.user)

    def update_record(self, instance, data):
        return services.convening_update(convening=instance, data=data, acting_user=self.request.user)


class MeasureSerializer(ServiceModelSerializer):
    """A Results-Based Accountability measure of one agreement in one school year: the question it answers
    (how much / how well / better off), the target and the actual."""

    agreement = ScopedPrimaryKeyField(queryset=Agreement.objects.all())
    school_year = serializers.SlugRelatedField(slug_field="name", queryset=SchoolYear.objects.all())

    class Meta:
        model = Measure
        fields = ["id", "agreement", "school_year", "kind", "name", "unit", "higher_is_better", "target", "actual",
                  "notes", "is_demo", "updated_at"]
        read_only_fields = ["is_demo", "updated_at"]
        extra_kwargs = {"target": DECIMAL, "actual": DECIMAL}


class MeasureViewSet(HistoryMixin, RestrictedModelViewSet):
    __doc__ = ("RBA measures of agreements. Filter by `agreement`, `school_year` and `kind`. " + SCOPE_NOTE +
               " Partnerships staff add and change measures; a partner user PATCHes `actual` and `notes` of their "
               "own agreements' measures (other fields answer 403).")
    queryset = Measure.objects.select_related("agreement", "school_year")
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create_record(self, data):
        data = dict(data)
        agreement = data.pop("agreement")
        return services.measure_create(agreement=agreement, data=data, acting_user=self.request.user)

    def update_record(self, instance, data):
        data = dict(data)
        agreement = data.pop("agreement", None)
        if agreement is not None and agreement.pk != instance.agreement_id:
            raise NotPermitted(str(_("A measure cannot move to another agreement.")))
        return services.measure_update(measure=instance, data=data, acting_user=self.request.user)


class SurveySerializer(ServiceModelSerializer):
    """A partner's annual survey response (ratings 1–5)."""

    partner = ScopedPrimaryKeyField(queryset=Partner.objects.all())
    school_year = serializers.SlugRelatedField(slug_field="name", queryset=SchoolYear.objects.all())

    class Meta:
        model = PartnerSurvey
        fields = ["id", "partner", "school_year", "submitted_on", "overall", "communication", "school_fit",
                  "clearance_support", "principal_relationship", "will_continue", "comments", "is_demo"]
        read_only_fields = ["submitted_on", "is_demo"]


class SurveyViewSet(mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    __doc__ = ("Annual partner survey responses. Filter by `school_year` and `partner`. Home-office staff read "
               "all; partner users their own organization's. " + SCOPE_NOTE + " A partner user POSTs their "
               "organization's response for the current school year (a second POST changes it).")
    queryset = PartnerSurvey.objects.select_related("partner", "school_year")
    serializer_class = SurveySerializer
    filterset_class = SurveyFilterSet

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partner = data.pop("partner")
        year = data.pop("school_year")
        serializer.instance = services.survey_submit(partner=partner, school_year=year, data=data,
                                                     acting_user=self.request.user)


def register(router) -> None:
    router.register("partners/agreements", AgreementViewSet, basename="partners-agreement")
    router.register("partners/convenings", ConveningViewSet, basename="partners-convening")
    router.register("partners/measures", MeasureViewSet, basename="partners-measure")
    router.register("partners/surveys", SurveyViewSet, basename="partners-survey")
