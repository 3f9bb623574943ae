"""Clearance API under /api/v1/partners/…: requirements and tiers (read), dated checks (read per scope;
partnerships staff and the organization's partner user create and change them through the services),
campus approvals (read per scope; partner users and partnerships staff ask, the school's principal
decides) and the expiring list."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from equitable.core.api import (
    SCOPE_NOTE,
    EquitableAutoSchema,
    HistoryMixin,
    RestrictedReadOnlyViewSet,
    ScopedPrimaryKeyField,
    api_exception_for,
)
from equitable.core.exceptions import NotPermitted
from equitable.core.permissions import role_of
from equitable.network.models import School
from equitable.partners.filters.clearance import (
    ApprovalFilterSet,
    CheckFilterSet,
    RequirementFilterSet,
    TierFilterSet,
)
from equitable.partners.models import (
    ApprovalStatus,
    CampusApproval,
    ClearanceCheck,
    ClearanceRequirement,
    ClearanceTier,
    Partner,
    PartnerPerson,
)
from equitable.partners.selectors import clearance as sel
from equitable.partners.services import clearance as svc


class ClearanceRequirementSerializer(serializers.ModelSerializer):
    """A clearance requirement: what it applies to (a person or the organization), how long a check stays
    valid (null: it does not expire, or the check carries its own expiry) and whether every partner
    organization needs it."""

    tiers = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = ClearanceRequirement
        fields = ["id", "name", "applies_to", "valid_days", "required_for_all_partners", "description", "tiers",
                  "is_demo"]
        read_only_fields = fields


class ClearanceTierSerializer(serializers.ModelSerializer):
    """A clearance tier: its rank (higher = more checks), the person items it needs and the roles it allows."""

    requirements = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = ClearanceTier
        fields = ["id", "name", "rank", "requirements", "allows", "description", "is_demo"]
        read_only_fields = fields


class ClearanceCheckSerializer(serializers.ModelSerializer):
    """A dated check of one requirement for a person (`person` set) or for the organization."""

    requirement_name = serializers.CharField(source="requirement.name", read_only=True)
    verified_by = serializers.SerializerMethodField()

    class Meta:
        model = ClearanceCheck
        fields = ["id", "partner", "person", "requirement", "requirement_name", "completed_on", "expires_on",
                  "reference", "verified_by", "is_demo", "updated_at"]
        read_only_fields = fields

    def get_verified_by(self, obj) -> str | None:
        user = obj.verified_by
        return (user.get_full_name() or user.username) if user else None


class ClearanceCheckWriteSerializer(serializers.Serializer):
    """A new or changed check. `expires_on` empty: counted from `completed_on` by the requirement's valid
    days (or no expiry). `verified` is for partnerships staff only."""

    partner = ScopedPrimaryKeyField(queryset=Partner.objects.all(), help_text=_("The organization's id."))
    person = ScopedPrimaryKeyField(queryset=PartnerPerson.objects.all(), required=False, allow_null=True,
                                   help_text=_("The person's id; empty for an organization item."))
    requirement = serializers.PrimaryKeyRelatedField(queryset=ClearanceRequirement.objects.all())
    completed_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    verified = serializers.BooleanField(required=False, allow_null=True, default=None)


class ClearanceStatusSerializer(serializers.Serializer):
    cleared = serializers.BooleanField()
    reason = serializers.CharField()
    tier = serializers.CharField(source="tier.name", allow_null=True, default=None)
    missing = serializers.SerializerMethodField()
    expired = serializers.SerializerMethodField()
    expiring = serializers.SerializerMethodField()

    def get_missing(self, obj) -> list[str]:
        return [r.name for r in obj.missing]

    def get_expired(self, obj) -> list[str]:
        return [s.requirement.name for s in obj.expired]

    def get_expiring(self, obj) -> list[str]:
        return [s.requirement.name for s in obj.expiring]


class ApprovalSerializer(serializers.ModelSerializer):
    """A principal's approval for one partner person at one school, with the person's clearance there."""

    school = serializers.SlugRelatedField(slug_field="cds_code", read_only=True, help_text=_("The school's CDS code."))
    school_name = serializers.CharField(source="school.name", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    partner = serializers.IntegerField(source="person.partner_id", read_only=True)
    required_tier = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    clearance = serializers.SerializerMethodField()

    class Meta:
        model = CampusApproval
        fields = ["id", "person", "person_name", "partner", "school", "school_name", "status", "required_tier",
                  "decided_on", "note", "clearance", "is_demo"]
        read_only_fields = fields

    @extend_schema_field(ClearanceStatusSerializer)
    def get_clearance(self, obj) -> dict:
        statuses = self.context.get("statuses") or {}
        status = statuses.get(obj.pk)
        if status is None:
            status = sel.approval_rows(None, [obj])[0].status
        return ClearanceStatusSerializer(status).data


class ApprovalRequestSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyField(queryset=PartnerPerson.objects.all(), help_text=_("The person's id."))
    school = serializers.SlugRelatedField(slug_field="cds_code", queryset=School.objects.all(),
                                          help_text=_("The school's CDS code."))
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ApprovalDecisionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[ApprovalStatus.APPROVED, ApprovalStatus.DENIED])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    required_tier = serializers.PrimaryKeyRelatedField(queryset=ClearanceTier.objects.all(), required=False,
                                                       allow_null=True, default=None)


class RequirementViewSet(RestrictedReadOnlyViewSet):
    __doc__ = ("Clearance requirements (configurable per network). Filter by `q` (name) and `applies_to`. "
               + SCOPE_NOTE)
    queryset = ClearanceRequirement.objects.prefetch_related("tiers")
    serializer_class = ClearanceRequirementSerializer
    filterset_class = RequirementFilterSet


class TierViewSet(RestrictedReadOnlyViewSet):
    __doc__ = "Clearance tiers with their requirements. " + SCOPE_NOTE
    queryset = ClearanceTier.objects.prefetch_related("requirements")
    serializer_class = ClearanceTierSerializer
    filterset_class = TierFilterSet


class CheckViewSet(HistoryMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, RestrictedReadOnlyViewSet):
    __doc__ = ("Dated clearance checks. Partnerships staff read all, other home-office staff read; principals "
               "the checks of people and organizations working at their schools; a partner user their own "
               "organization's. Filter by `partner`, `person`, `requirement`, `organization_items`. " + SCOPE_NOTE
               + " Partnerships staff and the organization's partner user create and change checks (others 403); "
               "a partner user's entry is never marked verified.")
    queryset = ClearanceCheck.objects.select_related("requirement", "verified_by")
    serializer_class = ClearanceCheckSerializer
    filterset_class = CheckFilterSet

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return ClearanceCheckWriteSerializer
        return super().get_serializer_class()

    @extend_schema(request=ClearanceCheckWriteSerializer, responses={201: ClearanceCheckSerializer})
    def create(self, request, *args, **kwargs):
        incoming = ClearanceCheckWriteSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        partner, person, verified = data.pop("partner"), data.pop("person", None), data.pop("verified", None)
        check = svc.check_create(partner=partner, person=person, data=data, verified=bool(verified),
                                 acting_user=request.user)
        return Response(ClearanceCheckSerializer(self.get_queryset().get(pk=check.pk)).data, status=201)

    @extend_schema(request=ClearanceCheckWriteSerializer, responses={200: ClearanceCheckSerializer})
    def update(self, request, *args, **kwargs):
        check = self.get_object()
        partial = kwargs.get("partial", False)
        incoming = ClearanceCheckWriteSerializer(data=request.data, partial=partial, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        partner = data.pop("partner", check.partner)
        if partner.pk != check.partner_id:
            raise NotPermitted(str(_("A check cannot move to another organization.")))
        verified = data.pop("verified", None)
        check = svc.check_update(check=check, data=data, verified=verified, acting_user=request.user)
        return Response(ClearanceCheckSerializer(self.get_queryset().get(pk=check.pk)).data)

    @extend_schema(request=ClearanceCheckWriteSerializer, responses={200: ClearanceCheckSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class ApprovalViewSet(HistoryMixin, mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    __doc__ = ("Campus approvals with each person's clearance at that school. Principals and senior directors "
               "read their schools'; partner users their own people's. Filter by `status`, `school` (CDS code), "
               "`partner` and `q`. " + SCOPE_NOTE + " A partner user (their own people, at schools where their "
               "organization has an open agreement) or partnerships staff ask (POST); the school's principal, "
               "partnerships staff or an admin decide (`decide`); others get 403.")
    queryset = CampusApproval.objects.select_related("person", "person__partner", "school", "required_tier")
    serializer_class = ApprovalSerializer
    filterset_class = ApprovalFilterSet

    def get_serializer_class(self):
        if self.action == "create":
            return ApprovalRequestSerializer
        return super().get_serializer_class()

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = sel.approval_rows(request.user, page)
        context = {**self.get_serializer_context(), "statuses": {r.approval.pk: r.status for r in rows}}
        return self.get_paginated_response(ApprovalSerializer(page, many=True, context=context).data)

    @extend_schema(request=ApprovalRequestSerializer, responses={201: ApprovalSerializer})
    def create(self, request, *args, **kwargs):
        incoming = ApprovalRequestSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        approval = svc.approval_request(person=data["person"], school=data["school"], note=data["note"],
                                        acting_user=request.user)
        return Response(ApprovalSerializer(self.get_queryset().get(pk=approval.pk)).data, status=201)

    @extend_schema(request=ApprovalDecisionSerializer, responses={200: ApprovalSerializer}, filters=False,
                   description="Approve or deny (the school's principal, partnerships staff or an admin), with a "
                               "note and optionally a tier required at this campus.")
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def decide(self, request, *args, **kwargs):
        approval = self.get_object()
        incoming = ApprovalDecisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        approval = svc.approval_decide(approval=approval, status=data["status"], note=data["note"],
                                       required_tier=data["required_tier"], acting_user=request.user)
        return Response(ApprovalSerializer(self.get_queryset().get(pk=approval.pk)).data)


class ExpiringItemSerializer(serializers.Serializer):
    partner = serializers.IntegerField(source="partner_id")
    partner_name = serializers.CharField(source="partner")
    person = serializers.IntegerField(source="person_id", allow_null=True)
    person_name = serializers.CharField(source="person")
    requirement = serializers.IntegerField(source="requirement_id")
    item = serializers.CharField()
    expires_on = serializers.DateField()
    days_left = serializers.IntegerField(help_text=_("Negative when already expired."))
    status = serializers.ChoiceField(choices=["expired", "expiring"])
    schools = serializers.ListField(child=serializers.CharField(), help_text=_("The names of the schools affected."))


class ExpiringQueryParamsSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=0, max_value=sel.MAX_DAYS, required=False, default=sel.DEFAULT_DAYS)
    school = serializers.CharField(max_length=14, required=False, allow_blank=True)
    partner = serializers.IntegerField(min_value=1, required=False)
    on = serializers.DateField(required=False)


class ExpiringViewSet(viewsets.ViewSet):
    __doc__ = ("Clearance items that expire within `days` (default 30) or have already expired, per person or "
               "organization, with the schools affected; filter by `school` (CDS code) and `partner` (id). "
               "Staff see all; principals and senior directors their schools' people and partners; a partner user "
               "their own organization; board viewers nothing. " + SCOPE_NOTE)
    schema = EquitableAutoSchema()

    def handle_exception(self, exc):
        return super().handle_exception(api_exception_for(exc))

    @extend_schema(parameters=[
        OpenApiParameter("days", int, description="Look this many days ahead (default 30)."),
        OpenApiParameter("school", str, description="Only items affecting this school (CDS code)."),
        OpenApiParameter("partner", int, description="Only this partner organization (id)."),
        OpenApiParameter("on", date, description="Count from this day instead of today."),
    ], responses={200: ExpiringItemSerializer(many=True)})
    def list(self, request):
        query = ExpiringQueryParamsSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if role_of(request.user) not in sel.CLEARANCE_READERS:
            return Response([])
        school_id = None
        if data.get("school"):
            school_id = School.objects.filter(cds_code=data["school"]).values_list("pk", flat=True).first()
            if school_id is None:
                raise serializers.ValidationError({"school": [sel.UNKNOWN_SCHOOL.format(cds=data["school"])]})
        rows = sel.expiring_for(request.user, days=data["days"], school_id=school_id,
                                partner_id=data.get("partner"), on=data.get("on"))
        return Response(ExpiringItemSerializer(rows, many=True).data)


def register(router) -> None:
    router.register("partners/clearance-requirements", RequirementViewSet, basename="partners-clearance-requirement")
    router.register("partners/clearance-tiers", TierViewSet, basename="partners-clearance-tier")
    router.register("partners/clearance-checks", CheckViewSet, basename="partners-clearance-check")
    router.register("partners/campus-approvals", ApprovalViewSet, basename="partners-campus-approval")
    router.register("partners/expiring", ExpiringViewSet, basename="partners-expiring")
