"""The network registry: network, communities, schools, feeder patterns, school years, enrollment,
home-office departments and people, school staff and senior directors' caseloads."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from equitable.core.models import DomainModel
from equitable.core.roles import Area
from equitable.network.codes import (
    GRADE_CHOICES,
    GRADE_CODES,
    GROUP_CODES,
    RACE_GROUPS,
    DirectoryStatus,
    JoinRoute,
    Level,
    Membership,
    Pathway,
    StaffRole,
    grade_span,
)
from equitable.network.scoping import (
    CaseloadQuerySet,
    PersonQuerySet,
    ReferenceQuerySet,
    SchoolQuerySet,
    SchoolRecordQuerySet,
)
from equitable.network.validators import validate_school_cds


class Network(DomainModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    district_name = models.CharField(_("district"), max_length=200, blank=True)
    district_code = models.CharField(
        _("district CDS prefix"), max_length=7, blank=True, help_text=_("County and district digits, e.g. 1964733.")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = ReferenceQuerySet.as_manager()
    board_may_view = True

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Community(DomainModel):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="communities")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    zip_codes = models.CharField(_("ZIP codes"), max_length=200, blank=True, help_text=_("Comma-separated."))

    objects = ReferenceQuerySet.as_manager()
    board_may_view = True

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("communities")
        constraints = [models.UniqueConstraint(fields=["network", "name"], name="community_unique_name")]

    def __str__(self) -> str:
        return self.name


class School(DomainModel):
    cds_code = models.CharField(_("CDS code"), max_length=14, unique=True, validators=[validate_school_cds])
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    grade_low = models.SmallIntegerField(_("lowest grade"), choices=GRADE_CHOICES, null=True, blank=True)
    grade_high = models.SmallIntegerField(_("highest grade"), choices=GRADE_CHOICES, null=True, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    zip_code = models.CharField(_("ZIP"), max_length=10, blank=True)
    census_tract = models.CharField(
        _("census tract"), max_length=11, blank=True,
        help_text=_("The 11-digit census tract (state, county, tract), e.g. 06037242000; joins community data "
                    "such as CalEnviroScreen by tract instead of by ZIP."))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="schools", null=True, blank=True)
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="schools", null=True, blank=True)
    membership = models.CharField(_("network membership"), max_length=8, choices=Membership.choices, default=Membership.NONE)
    joined_on = models.DateField(_("joined the network"), null=True, blank=True)
    join_route = models.CharField(_("how it joined"), max_length=16, choices=JoinRoute.choices, blank=True)
    left_on = models.DateField(_("left the network"), null=True, blank=True)
    mou_start = models.DateField(_("MOU start"), null=True, blank=True)
    mou_end = models.DateField(_("MOU end"), null=True, blank=True)
    directory_status = models.CharField(_("directory status"), max_length=8, choices=DirectoryStatus.choices,
                                        default=DirectoryStatus.ACTIVE)
    school_type = models.CharField(_("school type"), max_length=120, blank=True)
    charter = models.BooleanField(_("charter"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = SchoolQuerySet.as_manager()
    scope_path = "id"

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def grades(self) -> str:
        return grade_span(self.grade_low, self.grade_high)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (self.grade_low is None) != (self.grade_high is None):
            errors["grade_high"] = _("Give both the lowest and the highest grade, or neither.")
        elif self.grade_low is not None and self.grade_low > self.grade_high:
            errors["grade_high"] = _("The highest grade must not be below the lowest grade.")
        if self.membership == Membership.MEMBER:
            if not self.joined_on:
                errors["joined_on"] = _("A school in the network needs the date it joined.")
            if self.left_on:
                errors["left_on"] = _("A school still in the network has no date it left; set membership to 'Left the network'.")
            if not self.community_id:
                errors["community"] = _("A school in the network belongs to a community.")
        if self.membership == Membership.FORMER and not self.left_on:
            errors["left_on"] = _("A school that left the network needs the date it left.")
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            errors["left_on"] = _("The date it left cannot be before the date it joined.")
        if self.mou_start and self.mou_end and self.mou_end < self.mou_start:
            errors["mou_end"] = _("The MOU cannot end before it starts.")
        if self.zip_code and not re.fullmatch(r"\d{5}(-\d{4})?", self.zip_code):
            errors["zip_code"] = _("A ZIP code is 5 digits, optionally followed by -4 digits.")
        if self.census_tract and not re.fullmatch(r"\d{11}", self.census_tract):
            errors["census_tract"] = _("A census tract is 11 digits: state (2), county (3) and tract (6), "
                                       "e.g. 06037242000.")
        if errors:
            raise ValidationError(errors)


class FeederPattern(DomainModel):
    """An ordered chain of schools (elementary → middle → high). A school may feed more than one."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="feeder_patterns", null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    schools = models.ManyToManyField(School, through="FeederLink", related_name="feeder_patterns")

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FeederLink(DomainModel):
    """A school's place in a feeder pattern: stage 1 feeds stage 2, which feeds stage 3, …"""

    pattern = models.ForeignKey(FeederPattern, on_delete=models.CASCADE, related_name="links")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="feeder_links")
    stage = models.PositiveSmallIntegerField(_("stage"), validators=[MinValueValidator(1), MaxValueValidator(6)])
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["pattern", "stage", "school__name"]
        constraints = [models.UniqueConstraint(fields=["pattern", "school"], name="feederlink_unique_school")]

    def __str__(self) -> str:
        return f"{self.pattern} · {self.stage}: {self.school}"


class SchoolYear(DomainModel):
    name = models.CharField(_("name"), max_length=7, unique=True, help_text=_("e.g. 2025-26"))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    is_current = models.BooleanField(_("current year"), default=False)

    objects = ReferenceQuerySet.as_manager()
    board_may_view = True

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return self.name

    @property
    def start_year(self) -> int:
        return int(self.name[:4])

    def clean(self) -> None:
        match = re.fullmatch(r"(\d{4})-(\d{2})", self.name or "")
        if not match:
            raise ValidationError({"name": _("A school year is written like 2025-26.")})
        first, second = int(match.group(1)), int(match.group(2))
        if (first + 1) % 100 != second:
            raise ValidationError({"name": _("The second year must follow the first (e.g. 2025-26).")})
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The year must end after it starts.")})
        if self.start_date and self.start_date.year not in (first, first - 1):
            raise ValidationError({"start_date": _("The start date must fall in %(year)s.") % {"year": first}})


class Enrollment(DomainModel):
    """Enrollment of one school in one school year: total, by grade and by student group."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="enrollments")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="enrollments")
    total = models.PositiveIntegerField(_("total enrollment"))
    unduplicated = models.PositiveIntegerField(
        _("unduplicated pupils"), null=True, blank=True,
        help_text=_("Low-income, English learner or foster youth, each student counted once (LCFF)."),
    )
    by_grade = models.JSONField(_("by grade"), default=dict, blank=True)
    by_group = models.JSONField(_("by student group"), default=dict, blank=True)
    census_day = models.DateField(_("census day"), null=True, blank=True)

    objects = SchoolRecordQuerySet.as_manager()
    scope_path = "school"
    edit_areas = (Area.OPERATIONS,)
    principal_may_edit = True

    class Meta:
        ordering = ["school__name", "-school_year__start_date"]
        constraints = [models.UniqueConstraint(fields=["school", "school_year"], name="enrollment_unique_school_year")]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}: {self.total}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        total = self.total or 0
        grades = self.by_grade or {}
        groups = self.by_group or {}
        bad_grades = [g for g in grades if g not in GRADE_CODES]
        if bad_grades:
            errors["by_grade"] = _("Unknown grade(s): %(g)s. Grades are TK, K and 1–12.") % {"g": ", ".join(bad_grades)}
        elif any(not isinstance(v, int) or v < 0 for v in grades.values()):
            errors["by_grade"] = _("Grade counts must be whole numbers of 0 or more.")
        elif grades and sum(grades.values()) != total:
            errors["by_grade"] = _("Grade counts add up to %(sum)d but the total is %(total)d.") % {
                "sum": sum(grades.values()), "total": total}
        bad_groups = [g for g in groups if g not in GROUP_CODES]
        if bad_groups:
            errors["by_group"] = _("Unknown student group code(s): %(g)s.") % {"g": ", ".join(bad_groups)}
        elif any(not isinstance(v, int) or v < 0 for v in groups.values()):
            errors["by_group"] = _("Student group counts must be whole numbers of 0 or more.")
        else:
            over = [g for g, v in groups.items() if v > total]
            if over:
                errors["by_group"] = _("Group(s) %(g)s exceed the total enrollment of %(total)d.") % {
                    "g": ", ".join(over), "total": total}
            elif sum(groups.get(g, 0) for g in RACE_GROUPS) > total:
                errors["by_group"] = _("Race/ethnicity counts add up to more than the total enrollment.")
        if self.unduplicated is not None and self.unduplicated > total:
            errors["unduplicated"] = _("Unduplicated pupils cannot exceed the total enrollment.")
        if errors:
            raise ValidationError(errors)


class Department(DomainModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    area = models.CharField(_("area of practice"), max_length=16, choices=Area.choices, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = ReferenceQuerySet.as_manager()
    edit_areas = ()  # departments are configured by network admins

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(DomainModel):
    """A person the network works with: home-office staff (with a department) or school staff."""

    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=120, blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="people", null=True, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="person",
                                null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = PersonQuerySet.as_manager()
    edit_areas = (Area.TALENT,)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~models.Q(email=""), name="person_unique_email",
                violation_error_message=_("Another person already has this email address."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)


class StaffAssignment(DomainModel):
    """A person's role at a school, from a start date until an optional end date."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assignments")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("role"), max_length=32, choices=StaffRole.choices)
    pathway = models.CharField(_("teacher-leader pathway"), max_length=16, choices=Pathway.choices, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)

    objects = SchoolRecordQuerySet.as_manager()
    scope_path = "school"
    edit_areas = (Area.TALENT,)
    principal_may_edit = True

    class Meta:
        ordering = ["school__name", "role", "person__last_name"]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}, {self.school}"

    def clean(self) -> None:
        if self.role == StaffRole.TEACHER_LEADER and not self.pathway:
            raise ValidationError({"pathway": _("A teacher leader has a pathway.")})
        if self.role != StaffRole.TEACHER_LEADER and self.pathway:
            raise ValidationError({"pathway": _("Only teacher leaders have a pathway.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The assignment cannot end before it starts.")})


class Caseload(DomainModel):
    """A senior director supports a set of principals: one row per director–principal pair."""

    director = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="caseload")
    principal = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="supported_by")
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)

    objects = CaseloadQuerySet.as_manager()
    edit_areas = (Area.ACADEMIC,)

    class Meta:
        ordering = ["director__last_name", "principal__last_name"]
        constraints = [models.UniqueConstraint(fields=["director", "principal", "start_date"], name="caseload_unique")]

    def __str__(self) -> str:
        return f"{self.director} → {self.principal}"

    def clean(self) -> None:
        if self.director_id and self.director_id == self.principal_id:
            raise ValidationError({"principal": _("A director cannot be in their own caseload.")})
