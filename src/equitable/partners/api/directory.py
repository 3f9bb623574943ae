"""Partner directory and school-needs API under /api/v1/partners/…: organizations, their people, focus
areas, needs assessments and needs.

Reads go through `restrict(request.user, "view")` and the same FilterSets as the pages; writes go through
`partners/services/directory.py`. Serializers check shape and resolve natural keys (focus-area code,
community slug, clearance-tier name, school CDS code, school-year name); partner, school and assessment
references resolve only among the records the caller may see.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from equitable.core.api import (
    SCOPE_NOTE,
    HistoryMixin,
    NaturalKeyField,
    RestrictedModelViewSet,
    ScopedPrimaryKeyField,
    ServiceModelSerializer,
)
from equitable.network.models import Community, School, SchoolYear
from equitable.partners.filters.directory import (
    FocusAreaFilterSet,
    NeedsAssessmentFilterSet,
    PartnerFilterSet,
    PartnerPersonFilterSet,
    SchoolNeedFilterSet,
)
from equitable.partners.models import (
    ClearanceTier,
    FocusArea,
    NeedsAssessment,
    Partner,
    PartnerPerson,
    SchoolNeed,
)
from equitable.partners.services import directory as services

# ----------------------------------------------------------------------------------------------
# Serializers: shape and natural keys only
# ----------------------------------------------------------------------------------------------


class FocusAreaSerializer(ServiceModelSerializer):
    """One entry of the focus-area taxonomy shared by partners and school needs, named by its code."""

    class Meta:
        model = FocusArea
        fields = ["slug", "name", "description", "is_demo", "created_at", "updated_at"]
        read_only_fields = ["is_demo", "created_at", "updated_at"]


class PartnerSerializer(ServiceModelSerializer):
    """A partner organization; focus areas by code, communities by slug, languages as comma-separated codes."""

    focus_areas = NaturalKeyField(many=True, slug_field="slug", queryset=FocusArea.objects.all(), required=False,
                                  help_text=_("Focus-area codes, e.g. arts, mental-health."))
    communities = NaturalKeyField(many=True, slug_field="slug", queryset=Community.objects.all(), required=False,
                                  help_text=_("Slugs of the communities served, e.g. watts."))

    class Meta:
        model = Partner
        fields = ["id", "name", "kind", "status", "description", "focus_areas", "communities", "languages",
                  "capacity_schools", "capacity_students", "website", "email", "phone", "address", "zip_code",
                  "is_demo", "created_at", "updated_at"]
        read_only_fields = ["is_demo", "created_at", "updated_at"]


class PartnerPersonSerializer(ServiceModelSerializer):
    """A person of a partner organization: a contact (with a contact role), someone who works on campus
    (with a clearance tier), or both."""

    partner = ScopedPrimaryKeyField(queryset=Partner.objects.all(), help_text=_("The organization's id."))
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    tier = NaturalKeyField(slug_field="name", queryset=ClearanceTier.objects.all(), allow_null=True, required=False,
                           help_text=_("The clearance tier's name, e.g. Tier II."))
    has_login = serializers.SerializerMethodField(help_text=_("Whether this person has a partner-portal login."))

    class Meta:
        model = PartnerPerson
        fields = ["id", "partner", "partner_name", "first_name", "last_name", "email", "phone", "title",
                  "contact_role", "is_primary_contact", "works_on_campus", "tier", "has_login", "is_demo",
                  "created_at", "updated_at"]
        read_only_fields = ["is_demo", "created_at", "updated_at"]

    def get_has_login(self, obj) -> bool:
        return obj.user_id is not None


class SchoolNeedSerializer(ServiceModelSerializer):
    """One need of a school's needs assessment: a focus area (code), a priority (1 high, 2 medium, 3 low),
    whom it concerns and the evidence."""

    assessment = ScopedPrimaryKeyField(queryset=NeedsAssessment.objects.all(),
                                       help_text=_("The needs assessment's id."))
    school = serializers.CharField(source="assessment.school.cds_code", read_only=True,
                                   help_text=_("The school's CDS code."))
    school_year = serializers.CharField(source="assessment.school_year.name", read_only=True)
    focus_area = NaturalKeyField(slug_field="slug", queryset=FocusArea.objects.all(),
                                 help_text=_("The focus area's code."))

    class Meta:
        model = SchoolNeed
        fields = ["id", "assessment", "school", "school_year", "focus_area", "priority", "grades", "groups",
                  "students", "evidence", "is_demo", "created_at", "updated_at"]
        read_only_fields = ["is_demo", "created_at", "updated_at"]


class NestedNeedSerializer(serializers.ModelSerializer):
    """A need as listed inside its assessment."""

    focus_area = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = SchoolNeed
        fields = ["id", "focus_area", "priority", "grades", "groups", "students", "evidence"]
        read_only_fields = fields


class NeedsAssessmentSerializer(ServiceModelSerializer):
    """A school's needs assessment for one school year, with its needs (read only; write them at
    partners/needs/)."""

    school = NaturalKeyField(scoped=True, slug_field="cds_code", queryset=School.objects.all(),
                             help_text=_("The school's CDS code."))
    school_name = serializers.CharField(source="school.name", read_only=True)
    school_year = NaturalKeyField(slug_field="name", queryset=SchoolYear.objects.all(),
                                  help_text=_("The school year, e.g. 2025-26."))
    needs = NestedNeedSerializer(many=True, read_only=True, source="visible_needs")

    class Meta:
        model = NeedsAssessment
        fields = ["id", "school", "school_name", "school_year", "status", "conducted_on", "stakeholders",
                  "languages", "vision", "needs", "is_demo", "created_at", "updated_at"]
        read_only_fields = ["is_demo", "created_at", "updated_at"]


# ----------------------------------------------------------------------------------------------
# Viewsets
# ----------------------------------------------------------------------------------------------


class FocusAreaViewSet(HistoryMixin, RestrictedModelViewSet):
    __doc__ = (
        "The focus-area taxonomy shared by partners' expertise and schools' needs, looked up by code. Everyone "
        "signed in reads it. " + SCOPE_NOTE + " Network admins and partnerships staff add and change focus "
        "areas; others get 403."
    )
    queryset = FocusArea.objects.all()
    serializer_class = FocusAreaSerializer
    filterset_class = FocusAreaFilterSet
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def create_record(self, data):
        return services.focus_area_create(data=data, acting_user=self.request.user)

    def update_record(self, instance, data):
        return services.focus_area_update(focus_area=instance, data=data, acting_user=self.request.user)

    def delete_record(self, instance):
        services.focus_area_delete(focus_area=instance, acting_user=self.request.user)


class PartnerViewSet(HistoryMixin, RestrictedModelViewSet):
    __doc__ = (
        "Partner organizations. Home-office staff, senior directors and principals read the whole directory; a "
        "partner user reads only their own organization; board users see none. Filter by `q` (name), `kind`, "
        "`status`, `focus_area` (code), `community` (slug) and `language` (code). " + SCOPE_NOTE
        + " Network admins and partnerships staff add, change and delete partners; a partner user changes their "
        "own organization's profile but not its status (403); others get 403."
    )
    queryset = Partner.objects.prefetch_related("focus_areas", "communities")
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet

    @staticmethod
    def _split(data):
        return data.pop("focus_areas", None), data.pop("communities", None)

    def create_record(self, data):
        focus_areas, communities = self._split(data)
        return services.partner_create(data=data, focus_areas=focus_areas or (), communities=communities or (),
                                       acting_user=self.request.user)

    def update_record(self, instance, data):
        focus_areas, communities = self._split(data)
        return services.partner_update(partner=instance, data=data, focus_areas=focus_areas,
                                       communities=communities, acting_user=self.request.user)

    def delete_record(self, instance):
        services.partner_delete(partner=instance, acting_user=self.request.user)


class PartnerPersonViewSet(HistoryMixin, RestrictedModelViewSet):
    __doc__ = (
        "People of partner organizations. Home-office staff read everyone; principals and senior directors read "
        "the organizations' contacts and the people approved at their schools; a partner user reads their own "
        "organization's people; board users see none. Filter by `partner` (id), `q`, `contact_role`, "
        "`works_on_campus` and `tier` (name). " + SCOPE_NOTE + " Network admins and partnerships staff add and "
        "change people; a partner user adds and changes their own organization's people; others get 403."
    )
    queryset = PartnerPerson.objects.select_related("partner", "tier")
    serializer_class = PartnerPersonSerializer
    filterset_class = PartnerPersonFilterSet

    def create_record(self, data):
        partner = data.pop("partner")
        return services.person_create(partner=partner, data=data, acting_user=self.request.user)

    def update_record(self, instance, data):
        return services.person_update(person=instance, data=data, acting_user=self.request.user)

    def delete_record(self, instance):
        services.person_delete(person=instance, acting_user=self.request.user)


class NeedsAssessmentViewSet(HistoryMixin, RestrictedModelViewSet):
    __doc__ = (
        "Schools' needs assessments, one per school and school year, with their needs. Home-office staff read "
        "all; a senior director reads their caseload's schools; a principal reads their own school; partner and "
        "board users see none. Filter by `school_year` (name), `school` (CDS code), `community` (slug) and "
        "`status`. " + SCOPE_NOTE + " Network admins, partnerships staff and the school's principal add and "
        "change them; a school you cannot see is unknown (400); others get 403."
    )
    queryset = NeedsAssessment.objects.select_related("school", "school_year")
    serializer_class = NeedsAssessmentSerializer
    filterset_class = NeedsAssessmentFilterSet

    def get_queryset(self):
        needs = SchoolNeed.objects.restrict(self.request.user, "view").select_related("focus_area")
        return super().get_queryset().prefetch_related(Prefetch("needs", queryset=needs, to_attr="visible_needs"))

    def create_record(self, data):
        return services.needs_assessment_create(data=data, acting_user=self.request.user)

    def update_record(self, instance, data):
        return services.needs_assessment_update(assessment=instance, data=data, acting_user=self.request.user)

    def delete_record(self, instance):
        services.needs_assessment_delete(assessment=instance, acting_user=self.request.user)


class SchoolNeedViewSet(HistoryMixin, RestrictedModelViewSet):
    __doc__ = (
        "The needs of schools' needs assessments. Visible like their assessment. Filter by `assessment` (id), "
        "`school` (CDS code), `school_year` (name), `focus_area` (code) and `priority` (1 high, 2 medium, 3 "
        "low). " + SCOPE_NOTE + " Network admins, partnerships staff and the school's principal add, change and "
        "delete needs; others get 403."
    )
    queryset = SchoolNeed.objects.select_related("assessment", "assessment__school", "assessment__school_year",
                                                 "focus_area")
    serializer_class = SchoolNeedSerializer
    filterset_class = SchoolNeedFilterSet

    def create_record(self, data):
        assessment = data.pop("assessment")
        return services.school_need_create(assessment=assessment, data=data, acting_user=self.request.user)

    def update_record(self, instance, data):
        return services.school_need_update(need=instance, data=data, acting_user=self.request.user)

    def delete_record(self, instance):
        services.school_need_delete(need=instance, acting_user=self.request.user)


def register(router) -> None:
    router.register("partners/organizations", PartnerViewSet, basename="partners-organization")
    router.register("partners/people", PartnerPersonViewSet, basename="partners-person")
    router.register("partners/focus-areas", FocusAreaViewSet, basename="partners-focus-area")
    router.register("partners/needs-assessments", NeedsAssessmentViewSet, basename="partners-needs-assessment")
    router.register("partners/needs", SchoolNeedViewSet, basename="partners-need")
