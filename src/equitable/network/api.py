"""Network registry API under /api/v1/: schools, communities, feeder patterns, school years, enrollment,
people, staff assignments and caseloads.

Reads go through `restrict(request.user, "view")` (RestrictedViewSet) and the same FilterSets as the
pages; writes go through `network.services`. Serializers check shape and resolve natural keys
(school CDS code, community slug, school-year name, department name); school and person references
resolve only among the records the caller may see.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from equitable.core.api import (
    SCOPE_NOTE,
    HistoryMixin,
    NaturalKeyField,
    RestrictedModelViewSet,
    RestrictedReadOnlyViewSet,
    ScopedPrimaryKeyField,
    ServiceModelSerializer,
    domain_error_detail,
)
from equitable.core.exceptions import DomainError, NotPermitted
from equitable.network import services
from equitable.network.codes import GRADE_CHOICES, GRADE_CODES, GROUP_CODES
from equitable.network.filters import (
    EnrollmentFilterSet,
    PersonFilterSet,
    SchoolFilterSet,
    SchoolYearFilterSet,
    StaffAssignmentFilterSet,
)
from equitable.network.models import (
    Caseload,
    Community,
    Department,
    Enrollment,
    FeederLink,
    FeederPattern,
    Network,
    Person,
    School,
    SchoolYear,
    StaffAssignment,
)

CDS_REGEX = r"[0-9]{14}"

# ----------------------------------------------------------------------------------------------
# Serializers: shape and natural keys only
# ----------------------------------------------------------------------------------------------


@extend_schema_field({"type": "integer", "minimum": -1, "maximum": 12,
                      "description": "Grade as a number: TK = -1, K = 0, then 1–12."})
class GradeField(serializers.ChoiceField):
    """A grade as its ordinal (TK = -1, K = 0, 1–12): one schema for the lowest and the highest grade."""

    def __init__(self, **kwargs):
        super().__init__(choices=GRADE_CHOICES, allow_null=True, required=False, **kwargs)


class SchoolSerializer(ServiceModelSerializer):
    """A school, named by its CDS code; community by slug, network by name."""

    community = NaturalKeyField(slug_field="slug", queryset=Community.objects.all(), allow_null=True, required=False,
                                help_text=_("The community's slug, e.g. watts."))
    network = NaturalKeyField(slug_field="name", queryset=Network.objects.all(), allow_null=True, required=False,
                              help_text=_("The network's name."))
    grade_low = GradeField(label=_("lowest grade"))
    grade_high = GradeField(label=_("highest grade"))
    grades = serializers.CharField(read_only=True, help_text=_("Grade span, e.g. TK–5."))

    class Meta:
        model = School
        fields = [
            "cds_code", "name", "level", "grade_low", "grade_high", "grades", "street", "city", "zip_code", "census_tract",
            "latitude", "longitude", "community", "network", "membership", "joined_on", "join_route", "left_on",
            "mou_start", "mou_end", "directory_status", "school_type", "charter", "is_demo", "created_at",
            "updated_at",
        ]
        read_only_fields = ["is_demo", "created_at", "updated_at"]
        extra_kwargs = {
            "latitude": {"coerce_to_string": False},
            "longitude": {"coerce_to_string": False},
        }


class CommunitySerializer(serializers.ModelSerializer):
    """A community the network serves."""

    network = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = Community
        fields = ["slug", "name", "network", "description", "zip_codes", "created_at", "updated_at"]


class FeederLinkSerializer(serializers.ModelSerializer):
    """A school's place in a feeder pattern."""

    school = serializers.SlugRelatedField(slug_field="cds_code", read_only=True, help_text=_("The school's CDS code."))
    school_name = serializers.CharField(source="school.name", read_only=True)

    class Meta:
        model = FeederLink
        fields = ["stage", "school", "school_name", "since", "until"]


class FeederPatternSerializer(serializers.ModelSerializer):
    """A feeder pattern and its links in order."""

    community = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    links = FeederLinkSerializer(many=True, read_only=True, help_text=_("The chain in order: stage 1 feeds stage 2, …"))

    class Meta:
        model = FeederPattern
        fields = ["id", "name", "community", "description", "links", "created_at", "updated_at"]


class SchoolYearSerializer(serializers.ModelSerializer):
    """A school year, named like 2025-26."""

    class Meta:
        model = SchoolYear
        fields = ["name", "start_date", "end_date", "is_current"]


class EnrollmentSerializer(ServiceModelSerializer):
    """Enrollment of one school (CDS code) in one school year (name)."""

    school = NaturalKeyField(scoped=True, slug_field="cds_code", queryset=School.objects.all(),
                             help_text=_("The school's CDS code."))
    school_name = serializers.CharField(source="school.name", read_only=True)
    school_year = NaturalKeyField(slug_field="name", queryset=SchoolYear.objects.all(),
                                  help_text=_("The school year, e.g. 2025-26."))
    by_grade = serializers.DictField(
        child=serializers.IntegerField(min_value=0), required=False,
        help_text=format_lazy(_("Students per grade; grade codes: {codes}."), codes=", ".join(GRADE_CODES)),
    )
    by_group = serializers.DictField(
        child=serializers.IntegerField(min_value=0), required=False,
        help_text=format_lazy(_("Students per student group; group codes: {codes}."), codes=", ".join(GROUP_CODES)),
    )

    class Meta:
        model = Enrollment
        fields = ["id", "school", "school_name", "school_year", "total", "unduplicated", "by_grade", "by_group",
                  "census_day", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class PersonSerializer(ServiceModelSerializer):
    """A person: home-office staff (with a department) or school staff."""

    department = NaturalKeyField(slug_field="name", queryset=Department.objects.all(), allow_null=True,
                                 required=False, help_text=_("Home-office department name; empty for school staff."))
    user = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True,
                                        help_text=_("The account linked to this person, if any."))

    class Meta:
        model = Person
        fields = ["id", "first_name", "last_name", "email", "phone", "title", "department", "user", "is_demo",
                  "created_at", "updated_at"]
        read_only_fields = ["is_demo", "created_at", "updated_at"]


class NewPersonSerializer(ServiceModelSerializer):
    """A new member of a school's staff, added together with their assignment."""

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "email", "phone", "title"]


NEW_PERSON_FIELDS = frozenset(NewPersonSerializer.Meta.fields)


class StaffAssignmentSerializer(ServiceModelSerializer):
    """A person's role at a school (CDS code)."""

    person = ScopedPrimaryKeyField(queryset=Person.objects.all(), required=False,
                                   help_text=_("The person's id. When adding, give either this or new_person."))
    new_person = NewPersonSerializer(
        write_only=True, required=False,
        help_text=_("Add a new person together with the assignment (both are written or neither)."),
    )
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    school = NaturalKeyField(scoped=True, slug_field="cds_code", queryset=School.objects.all(),
                             help_text=_("The school's CDS code."))
    school_name = serializers.CharField(source="school.name", read_only=True)

    class Meta:
        model = StaffAssignment
        fields = ["id", "person", "new_person", "person_name", "school", "school_name", "role", "pathway",
                  "start_date", "end_date", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs):
        if self.instance is not None:
            if "new_person" in attrs:
                raise serializers.ValidationError(
                    {"new_person": _("A new person can only be given when adding an assignment.")})
        elif ("person" in attrs) == ("new_person" in attrs):
            raise serializers.ValidationError({"person": _("Give either the id of a person or a new_person.")})
        return attrs


class CaseloadSerializer(serializers.ModelSerializer):
    """A senior director (person id) supporting a principal (person id)."""

    director_name = serializers.CharField(source="director.full_name", read_only=True)
    principal_name = serializers.CharField(source="principal.full_name", read_only=True)

    class Meta:
        model = Caseload
        fields = ["id", "director", "director_name", "principal", "principal_name", "start_date", "end_date",
                  "created_at", "updated_at"]
        read_only_fields = fields


# ----------------------------------------------------------------------------------------------
# Viewsets
# ----------------------------------------------------------------------------------------------


class SchoolViewSet(HistoryMixin, RestrictedModelViewSet):
    __doc__ = (
        "Schools, looked up by their 14-digit CDS code. Network admins and home-office staff see every school; "
        "a senior director sees the schools of their caseload; a principal sees their own school. "
        + SCOPE_NOTE
        + " Network admins and operations staff add, change and delete schools; everyone else gets 403."
    )
    queryset = School.objects.select_related("community", "network")
    serializer_class = SchoolSerializer
    filterset_class = SchoolFilterSet
    lookup_field = "cds_code"
    lookup_value_regex = CDS_REGEX

    def create_record(self, data):
        return services.school_create(data=data, acting_user=self.request.user)

    def update_record(self, instance, data):
        return services.school_update(school=instance, data=data, acting_user=self.request.user)

    def delete_record(self, instance):
        services.school_delete(school=instance, acting_user=self.request.user)


class CommunityViewSet(HistoryMixin, RestrictedReadOnlyViewSet):
    __doc__ = (
        "Communities the network serves, looked up by slug. Every internal persona and board members read them; "
        "partner users see none. " + SCOPE_NOTE
    )
    queryset = Community.objects.select_related("network")
    serializer_class = CommunitySerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"


class FeederPatternViewSet(HistoryMixin, RestrictedReadOnlyViewSet):
    __doc__ = (
        "Feeder patterns with their ordered links (stage 1 feeds stage 2, …). Network admins, home-office staff, "
        "senior directors and principals read them; partner and board users see none. " + SCOPE_NOTE
    )
    queryset = FeederPattern.objects.select_related("community")
    serializer_class = FeederPatternSerializer

    def get_queryset(self):
        links = FeederLink.objects.restrict(self.request.user, "view").select_related("school").order_by(
            "stage", "school__name"
        )
        return super().get_queryset().prefetch_related(Prefetch("links", queryset=links))


class SchoolYearViewSet(HistoryMixin, RestrictedReadOnlyViewSet):
    __doc__ = (
        "School years, looked up by name (e.g. 2025-26). Every internal persona and board members read them; "
        "partner users see none. " + SCOPE_NOTE
    )
    queryset = SchoolYear.objects.all()
    serializer_class = SchoolYearSerializer
    filterset_class = SchoolYearFilterSet
    lookup_field = "name"
    lookup_value_regex = r"[0-9]{4}-[0-9]{2}"


class EnrollmentViewSet(HistoryMixin, RestrictedModelViewSet):
    __doc__ = (
        "Enrollment of one school in one school year: total, by grade and by student group. Filter by "
        "`school` (CDS code) and `school_year` (name). Visible like the school itself. " + SCOPE_NOTE
        + " Network admins, operations staff and a school's principal add and change it; a school you cannot "
        "see is an unknown CDS code (400); others get 403."
    )
    queryset = Enrollment.objects.select_related("school", "school_year")
    serializer_class = EnrollmentSerializer
    filterset_class = EnrollmentFilterSet

    def create_record(self, data):
        return services.enrollment_create(data=data, acting_user=self.request.user)

    def update_record(self, instance, data):
        return services.enrollment_update(enrollment=instance, data=data, acting_user=self.request.user)

    def delete_record(self, instance):
        services.enrollment_delete(enrollment=instance, acting_user=self.request.user)


class PersonViewSet(HistoryMixin, RestrictedModelViewSet):
    __doc__ = (
        "People the network works with: home-office staff (with a department) and school staff. Home-office "
        "staff see everyone; principals and senior directors see home-office staff, the staff of their schools "
        "and themselves; partner and board users see only their own entry, if any. " + SCOPE_NOTE
        + " Network admins and talent staff add and change people; a principal adds school staff (no "
        "department) and changes the staff of their school; others get 403."
    )
    queryset = Person.objects.select_related("department", "user")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet

    def create_record(self, data):
        return services.person_create(data=data, acting_user=self.request.user)

    def update_record(self, instance, data):
        return services.person_update(person=instance, data=data, acting_user=self.request.user)

    def delete_record(self, instance):
        services.person_delete(person=instance, acting_user=self.request.user)


class StaffAssignmentViewSet(HistoryMixin, RestrictedModelViewSet):
    __doc__ = (
        "A person's role at a school. Filter by `school` (CDS code) and `role`. Visible like the school itself. "
        + SCOPE_NOTE
        + " Network admins, talent staff and a school's principal add and change them; a school or person you "
        "cannot see is unknown (400); others get 403. To add a new member of staff, give `new_person` instead "
        "of `person`: the person and the assignment are written together or not at all."
    )
    queryset = StaffAssignment.objects.select_related("person", "school")
    serializer_class = StaffAssignmentSerializer
    filterset_class = StaffAssignmentFilterSet

    def create_record(self, data):
        new_person = data.pop("new_person", None)
        if new_person is None:
            return services.staff_assignment_create(data=data, acting_user=self.request.user)
        try:
            return services.staff_assignment_create_with_person(
                person_data=new_person, assignment_data=data, acting_user=self.request.user)
        except DomainError as exc:
            detail = domain_error_detail(exc)
            if not isinstance(exc, NotPermitted) and set(detail) <= NEW_PERSON_FIELDS:
                raise serializers.ValidationError({"new_person": detail}) from None
            raise

    def update_record(self, instance, data):
        return services.staff_assignment_update(assignment=instance, data=data, acting_user=self.request.user)

    def delete_record(self, instance):
        services.staff_assignment_delete(assignment=instance, acting_user=self.request.user)


class CaseloadViewSet(HistoryMixin, RestrictedReadOnlyViewSet):
    __doc__ = (
        "Senior directors' caseloads: one row per director–principal pair. Home-office staff see all; a senior "
        "director sees their own caseload; a principal sees who supports them; partner and board users see "
        "none. " + SCOPE_NOTE
    )
    queryset = Caseload.objects.select_related("director", "principal")
    serializer_class = CaseloadSerializer


def register(router) -> None:
    router.register("schools", SchoolViewSet, basename="school")
    router.register("communities", CommunityViewSet, basename="community")
    router.register("feeder-patterns", FeederPatternViewSet, basename="feeder-pattern")
    router.register("school-years", SchoolYearViewSet, basename="school-year")
    router.register("enrollment", EnrollmentViewSet, basename="enrollment")
    router.register("people", PersonViewSet, basename="person")
    router.register("staff-assignments", StaffAssignmentViewSet, basename="staff-assignment")
    router.register("caseloads", CaseloadViewSet, basename="caseload")
