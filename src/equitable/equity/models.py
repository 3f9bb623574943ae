"""Need: indicators, their values per school and year, need models (weights, normalization, missing-data
rule, tiers) and the scores each model gives each school."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from equitable.core.models import DomainModel
from equitable.core.roles import Area
from equitable.equity.scoping import NeedRecordQuerySet, NeedReferenceQuerySet
from equitable.network.models import School, SchoolYear


class Family(models.TextChoices):
    STUDENT_NEED = "student", _("Student need")
    ACADEMIC = "academic", _("Academic")
    CLIMATE = "climate", _("Climate")
    COMMUNITY = "community", _("Community health and safety")


class Derivation(models.TextChoices):
    ENTERED = "entered", _("Entered or imported")
    ENROLLMENT = "enrollment", _("Derived from enrollment")
    OUTCOMES = "outcomes", _("Derived from outcomes")
    COMMUNITY = "community", _("Joined from community data (ZIP or census tract)")


class Normalization(models.TextChoices):
    PERCENTILE = "percentile", _("Percentile rank (ties averaged)")
    ZSCORE = "zscore", _("z-score")
    MINMAX = "minmax", _("Min–max")


class MissingRule(models.TextChoices):
    REWEIGHT = "reweight", _("Re-weight over the indicators present")
    MEDIAN = "median", _("Impute the median")
    EXCLUDE = "exclude", _("Exclude the school")


class Indicator(DomainModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    family = models.CharField(_("family"), max_length=10, choices=Family.choices)
    higher_is_more_need = models.BooleanField(_("higher means more need"), default=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. %, per 10,000, points"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    derivation = models.CharField(_("how values arrive"), max_length=12, choices=Derivation.choices,
                                  default=Derivation.ENTERED)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = NeedReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["family", "name"]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(DomainModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="indicator_values")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="indicator_values")
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = NeedRecordQuerySet.as_manager()
    scope_path = "school"

    class Meta:
        ordering = ["indicator", "school__name"]
        constraints = [models.UniqueConstraint(fields=["indicator", "school", "school_year"],
                                               name="indicatorvalue_unique")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.school} {self.school_year}: {self.value}"


class NeedModel(DomainModel):
    name = models.CharField(_("name"), max_length=120)
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="need_models")
    normalization = models.CharField(_("normalization"), max_length=12, choices=Normalization.choices,
                                     default=Normalization.PERCENTILE)
    missing_rule = models.CharField(_("missing data"), max_length=10, choices=MissingRule.choices,
                                    default=MissingRule.REWEIGHT)
    cut_points = models.JSONField(_("custom tier cut points"), default=list, blank=True,
                                  help_text=_("Empty: quintiles. Otherwise four ascending score cut points."))
    description = models.TextField(_("description"), blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = NeedReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year__start_date", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "school_year"], name="needmodel_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.school_year})"

    def clean(self) -> None:
        cuts = self.cut_points or []
        if cuts and (len(cuts) != 4 or any(b <= a for a, b in zip(cuts, cuts[1:], strict=False))):
            raise ValidationError({"cut_points": _("Give four ascending cut points, or none for quintiles.")})


class NeedWeight(DomainModel):
    need_model = models.ForeignKey(NeedModel, on_delete=models.CASCADE, related_name="weights")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="weights")
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=4, validators=[MinValueValidator(0)])

    objects = NeedReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["need_model", "-weight"]
        constraints = [models.UniqueConstraint(fields=["need_model", "indicator"], name="needweight_unique")]

    def __str__(self) -> str:
        return f"{self.need_model}: {self.indicator.code} × {self.weight}"


class NeedScore(DomainModel):
    """What a need model gives one school: score, rank, tier and per-indicator contributions."""

    need_model = models.ForeignKey(NeedModel, on_delete=models.CASCADE, related_name="scores")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="need_scores")
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=4, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    tier = models.PositiveSmallIntegerField(_("need tier"), null=True, blank=True)
    tier_name = models.CharField(_("need tier name"), max_length=20, blank=True)
    contributions = models.JSONField(_("contributions"), default=dict, blank=True)
    missing = models.JSONField(_("missing indicators"), default=list, blank=True)
    excluded = models.BooleanField(_("excluded"), default=False)

    objects = NeedRecordQuerySet.as_manager()
    scope_path = "school"

    class Meta:
        ordering = ["need_model", "rank"]
        constraints = [models.UniqueConstraint(fields=["need_model", "school"], name="needscore_unique")]

    def __str__(self) -> str:
        return f"{self.need_model}: {self.school} {self.tier_name}"


EDIT_AREAS = (Area.FINANCE,)
for _model in (Indicator, IndicatorValue, NeedModel, NeedWeight, NeedScore):
    _model.edit_areas = EDIT_AREAS
