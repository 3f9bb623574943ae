"""Money: funding sources (philanthropic or public), allocation scenarios that draw a pool from them
and apply one method, and the per-school amounts a scenario produces. An adopted scenario is locked."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from equitable.core.models import DomainModel
from equitable.core.roles import Area
from equitable.equity.models import NeedModel
from equitable.funding.scoping import AllocationQuerySet, FundingReferenceQuerySet, ScenarioQuerySet
from equitable.network.models import School, SchoolYear


class SourceKind(models.TextChoices):
    PHILANTHROPIC = "philanthropic", _("Philanthropic")
    PUBLIC = "public", _("Public")


class Method(models.TextChoices):
    EVEN_SCHOOL = "even_school", _("Even per school")
    EVEN_PUPIL = "even_pupil", _("Even per pupil")
    TIERED = "tiered", _("Per-pupil rate by need tier")
    WEIGHTED = "weighted", _("Weighted student formula")
    PROPORTIONAL = "proportional", _("Proportional to need, with floors, caps and hold-harmless")
    MAXMIN = "maxmin", _("Max–min: raise the smallest share of need met")
    MINSPREAD = "minspread", _("Min-spread: narrow the gap in per-pupil amounts")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPUTED = "computed", _("Computed")
    ADOPTED = "adopted", _("Adopted (locked)")


class FundingSource(DomainModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices)
    restricted_to = models.CharField(_("restricted to (purpose)"), max_length=200, blank=True,
                                     help_text=_("Empty when unrestricted."))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="funding_sources")
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = FundingReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year__start_date", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "school_year"], name="fundingsource_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.school_year})"


class Scenario(DomainModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="scenarios")
    need_model = models.ForeignKey(NeedModel, on_delete=models.PROTECT, related_name="scenarios", null=True,
                                   blank=True)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True,
                                  help_text=_("Method options: tier rates, weights, floor, cap, minimum grant, …"))
    previous = models.ForeignKey("self", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                 help_text=_("The adopted scenario whose amounts are the hold-harmless baseline."))
    pool = models.DecimalField(_("pool"), max_digits=14, decimal_places=2, default=0)
    remainder = models.DecimalField(_("remainder"), max_digits=14, decimal_places=2, default=0)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year__start_date", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.status == Status.ADOPTED


class ScenarioSource(DomainModel):
    """How much of one funding source a scenario draws into its pool."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="sources")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="draws")
    amount = models.DecimalField(_("amount drawn"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])

    objects = FundingReferenceQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scenario", "source"], name="scenariosource_unique")]

    def __str__(self) -> str:
        return f"{self.scenario}: {self.source} {self.amount}"


class Allocation(DomainModel):
    """One school's amount in one scenario, with what it was computed from."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="allocations")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="allocations")
    enrollment = models.PositiveIntegerField(_("enrollment"))
    need_score = models.DecimalField(_("need score"), max_digits=9, decimal_places=4, null=True, blank=True)
    need_tier = models.PositiveSmallIntegerField(_("need tier"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    per_pupil = models.DecimalField(_("per pupil"), max_digits=12, decimal_places=2)
    even_amount = models.DecimalField(_("even split"), max_digits=14, decimal_places=2)
    lcff_supplemental = models.DecimalField(_("LCFF supplemental (est.)"), max_digits=14, decimal_places=2,
                                            null=True, blank=True)
    lcff_concentration = models.DecimalField(_("LCFF concentration (est.)"), max_digits=14, decimal_places=2,
                                             null=True, blank=True)

    objects = AllocationQuerySet.as_manager()
    scope_path = "school"

    class Meta:
        ordering = ["scenario", "-amount"]
        constraints = [models.UniqueConstraint(fields=["scenario", "school"], name="allocation_unique")]

    def __str__(self) -> str:
        return f"{self.scenario}: {self.school} {self.amount}"

    @property
    def difference_from_even(self):
        return self.amount - self.even_amount


EDIT_AREAS = (Area.FINANCE,)
for _model in (FundingSource, Scenario, ScenarioSource, Allocation):
    _model.edit_areas = EDIT_AREAS
