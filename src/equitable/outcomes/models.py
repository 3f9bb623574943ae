"""Outcomes: values of state indicators by entity (school, district, state, network), school year and
student group, with the levels and colors the state publishes; and the network's goals."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from equitable.core.models import DomainModel
from equitable.core.roles import Area
from equitable.network.models import School
from equitable.outcomes.codes import STUDENT_GROUPS, EntityType, IndicatorCode, Source, school_year_label
from equitable.outcomes.scoping import GoalQuerySet, OutcomeImportQuerySet, OutcomeQuerySet

LEVEL = [MinValueValidator(0), MaxValueValidator(5)]


class OutcomeValue(models.Model):
    """One published (or computed) value: indicator × entity × year × student group.

    Published rows come in by the hundred thousand and are never edited by hand, so they carry no
    per-row history; each import is audited as an OutcomeImport instead (who, when, file, counts).
    See docs/decisions/0004-outcome-rows-audited-per-import.md.
    """

    indicator = models.CharField(_("indicator"), max_length=10, choices=IndicatorCode.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1999), MaxValueValidator(2100)],
        help_text=_("The spring year of the school year: 2025 means 2024-25 (the Dashboard's reportingyear)."),
    )
    entity_type = models.CharField(_("entity type"), max_length=10, choices=EntityType.choices)
    cds = models.CharField(_("CDS code"), max_length=14, blank=True,
                           help_text=_("14 digits; all zeros for the state; empty for the network."))
    entity_name = models.CharField(_("entity"), max_length=200, blank=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="outcomes", null=True, blank=True)
    student_group = models.CharField(_("student group"), max_length=8)
    value = models.DecimalField(_("value"), max_digits=9, decimal_places=2, null=True, blank=True)
    denominator = models.PositiveIntegerField(_("students counted"), null=True, blank=True)
    numerator = models.PositiveIntegerField(_("numerator"), null=True, blank=True)
    prior_value = models.DecimalField(_("prior value"), max_digits=9, decimal_places=2, null=True, blank=True)
    prior_denominator = models.PositiveIntegerField(_("prior students counted"), null=True, blank=True)
    change = models.DecimalField(_("change"), max_digits=9, decimal_places=2, null=True, blank=True)
    status_level = models.PositiveSmallIntegerField(_("status level"), default=0, validators=LEVEL)
    change_level = models.PositiveSmallIntegerField(_("change level"), default=0, validators=LEVEL)
    color = models.PositiveSmallIntegerField(_("color"), default=0, validators=LEVEL,
                                             help_text=_("1 Red, 2 Orange, 3 Yellow, 4 Green, 5 Blue, 0 none."))
    box = models.PositiveSmallIntegerField(_("grid cell"), default=0, validators=[MaxValueValidator(250)])
    flags = models.JSONField(_("published flags"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    comparison_only = models.BooleanField(
        _("comparison only"), default=False, help_text=_("A school outside the network, kept for comparison.")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    batch = models.ForeignKey("OutcomeImport", on_delete=models.SET_NULL, related_name="values", null=True,
                              blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OutcomeQuerySet.as_manager()
    scope_path = "school"
    edit_areas = (Area.ACADEMIC,)

    class Meta:
        ordering = ["indicator", "-year", "entity_type", "cds", "student_group"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "entity_type", "cds", "student_group"],
                                    name="outcome_unique_row"),
        ]
        indexes = [models.Index(fields=["school", "indicator", "year"]), models.Index(fields=["cds", "year"])]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {school_year_label(self.year)} {self.entity_name or self.cds} {self.student_group}"

    @property
    def school_year(self) -> str:
        return school_year_label(self.year)

    @property
    def group_label(self) -> str:
        return STUDENT_GROUPS.get(self.student_group, self.student_group)

    def clean(self) -> None:
        errors = {}
        if self.entity_type == EntityType.NETWORK:
            if self.cds:
                errors["cds"] = _("A network aggregate has no CDS code.")
        elif not (self.cds.isdigit() and len(self.cds) == 14):
            errors["cds"] = _("A CDS code is 14 digits.")
        if self.entity_type == EntityType.SCHOOL and self.school_id and self.school.cds_code != self.cds:
            errors["school"] = _("The school does not match the CDS code.")
        if self.entity_type != EntityType.SCHOOL and self.school_id:
            errors["school"] = _("Only school rows name a school.")
        if self.status_level and self.color and not self.change_level:
            errors["color"] = _("A color needs both a status level and a change level.")
        if errors:
            raise ValidationError(errors)


class OutcomeImport(DomainModel):
    """One import of an outcomes file: the audit record for the rows it wrote."""

    kind = models.CharField(_("kind"), max_length=20)
    file_name = models.CharField(_("file"), max_length=255)
    indicator = models.CharField(_("indicator"), max_length=10, choices=IndicatorCode.choices, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    rows_skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    objects = OutcomeImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"


class Goal(DomainModel):
    """A target the network (or one school) sets itself, e.g. the North Star: 60% college completion by 2039."""

    name = models.CharField(_("name"), max_length=200)
    indicator = models.CharField(_("indicator"), max_length=10, choices=IndicatorCode.choices)
    student_group = models.CharField(_("student group"), max_length=8, default="ALL")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="goals", null=True, blank=True,
                               help_text=_("Empty for a network-wide goal."))
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    baseline_value = models.DecimalField(_("baseline value"), max_digits=9, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    target_value = models.DecimalField(_("target value"), max_digits=9, decimal_places=2)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = GoalQuerySet.as_manager()
    scope_path = "school"
    edit_areas = (Area.ACADEMIC,)

    class Meta:
        ordering = ["target_year", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.target_year is not None and self.baseline_year is not None and self.target_year <= self.baseline_year:
            raise ValidationError({"target_year": _("The target year must come after the baseline year.")})
        if self.student_group and self.student_group not in STUDENT_GROUPS:
            raise ValidationError({"student_group": _("Unknown student group code.")})
