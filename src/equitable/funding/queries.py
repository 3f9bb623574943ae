"""Reads the funding pages, the API and the home page need beyond `funding.selectors`: plain scoped reads
shaped for a page. Every one takes the user and reads through `restrict`.

Who sees what (from `funding.scoping`): finance and other home-office staff read every scenario and every
school's row; principals and senior directors read adopted scenarios and their own schools' rows (with why:
tier, score, contributions); board viewers read adopted scenarios as the network picture — metrics and
aggregates by need tier, never a school's row; partner users nothing. The per-tier aggregates are computed
over the allocations of a scenario the user may see, and name no school.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.equity.models import NeedScore
from equitable.equity.queries import IndicatorLine, need_lines, tier_label
from equitable.funding.models import Allocation, FundingSource, Scenario, ScenarioSource, Status
from equitable.web.charts import Series, bar_chart

FUNDING_READERS = (Role.ADMIN, Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL, Role.BOARD)
FULL_VIEW = (Role.ADMIN, Role.STAFF)
# Outside the home office a tier's figures are shown only when it holds at least this many schools, so no
# school's amount can be read (or subtracted) from its tier's total.
MIN_TIER_SCHOOLS = 3

METRIC_LABELS = {
    "gini_per_pupil": _("Gini of per-pupil amounts"),
    "tier_ratio": _("Per pupil, Highest-need tier ÷ Lowest-need tier"),
    "share_to_highest_quintile": _("Share of the pool to the Highest-need tier"),
    "need_correlation": _("Correlation of need with per-pupil dollars"),
}
METRIC_HELP = {
    "gini_per_pupil": _("0 = every pupil gets the same; higher = more uneven."),
    "tier_ratio": _("Above 1: the neediest schools get more per pupil."),
    "share_to_highest_quintile": _("The fifth of schools with the highest need."),
    "need_correlation": _("From −1 to 1; positive when dollars follow need."),
}


def may_read_funding(user) -> bool:
    return role_of(user) in FUNDING_READERS


def may_edit_funding(user) -> bool:
    """Finance staff (and network admins) create, compute and adopt scenarios."""
    return Scenario.objects.permits_add(user, Scenario())


def sees_school_rows(user) -> bool:
    return role_of(user) not in (Role.BOARD, Role.PARTNER, None)


def sees_every_school(user) -> bool:
    return role_of(user) in FULL_VIEW


def _per_pupil(amount, enrollment) -> Decimal | None:
    if amount is None or not enrollment:
        return None
    return (Decimal(amount) / Decimal(enrollment)).quantize(Decimal("0.01"))


# ----------------------------------------------------------------------------------------------------------
# Lists
# ----------------------------------------------------------------------------------------------------------


def funding_source_list(user):
    return FundingSource.objects.restrict(user, "view").select_related("school_year")


def scenario_list(user):
    return Scenario.objects.restrict(user, "view").select_related("school_year", "need_model", "adopted_by")


def allocation_list(user):
    return Allocation.objects.restrict(user, "view").select_related("scenario", "school")


def visible_scenario(user, pk, action: str = "view") -> Scenario | None:
    try:
        return scenario_list(user).restrict(user, action).get(pk=pk)
    except (Scenario.DoesNotExist, ValueError, TypeError):
        return None


# ----------------------------------------------------------------------------------------------------------
# A scenario's page
# ----------------------------------------------------------------------------------------------------------


@dataclass
class Metric:
    key: str
    label: str
    help: str
    value: float | None

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        if self.key == "share_to_highest_quintile":
            return f"{self.value:.1%}"
        return f"{self.value:.2f}"


@dataclass
class AllocationRow:
    allocation: Allocation
    why: list[IndicatorLine] = field(default_factory=list)
    need_score: NeedScore | None = None

    @property
    def school(self):
        return self.allocation.school

    @property
    def tier_label(self) -> str:
        return tier_label(self.allocation.need_tier)

    @property
    def even_per_pupil(self) -> Decimal | None:
        return _per_pupil(self.allocation.even_amount, self.allocation.enrollment)

    @property
    def difference(self) -> Decimal:
        return self.allocation.amount - self.allocation.even_amount

    @property
    def lcff(self) -> Decimal | None:
        parts = [self.allocation.lcff_supplemental, self.allocation.lcff_concentration]
        if all(p is None for p in parts):
            return None
        return sum((p or Decimal(0) for p in parts), Decimal(0))

    @property
    def lcff_per_pupil(self) -> Decimal | None:
        return _per_pupil(self.lcff, self.allocation.enrollment)


@dataclass
class TierFigure:
    tier: int | None
    label: str
    schools: int
    students: int
    amount: Decimal
    even_amount: Decimal
    lcff: Decimal | None
    suppressed: bool = False

    @property
    def per_pupil(self) -> Decimal | None:
        return None if self.suppressed else _per_pupil(self.amount, self.students)

    @property
    def even_per_pupil(self) -> Decimal | None:
        return None if self.suppressed else _per_pupil(self.even_amount, self.students)

    @property
    def lcff_per_pupil(self) -> Decimal | None:
        return None if self.suppressed else _per_pupil(self.lcff, self.students)

    @property
    def shown_amount(self) -> Decimal | None:
        return None if self.suppressed else self.amount

    @property
    def shown_lcff(self) -> Decimal | None:
        return None if self.suppressed else self.lcff

    @property
    def shown_students(self) -> int | None:
        return None if self.suppressed else self.students


@dataclass
class ScenarioPage:
    scenario: Scenario
    draws: list[ScenarioSource]
    metrics: list[Metric]
    rows: list[AllocationRow]
    tiers: list[TierFigure]
    chart: str
    shows_schools: bool
    sees_every_school: bool
    may_change: bool
    may_adopt: bool
    may_copy: bool

    @property
    def locked(self) -> bool:
        return self.scenario.is_locked

    @property
    def adopted_by(self) -> str:
        user = self.scenario.adopted_by
        if user is None:
            return str(_("the system"))
        return user.get_full_name() or user.username

    @property
    def total(self) -> Decimal:
        return sum((row.allocation.amount for row in self.rows), Decimal(0))


def scenario_metrics(scenario: Scenario) -> list[Metric]:
    metrics = scenario.metrics or {}
    out = []
    for key, label in METRIC_LABELS.items():
        value = metrics.get(key)
        out.append(Metric(key=key, label=str(label), help=str(METRIC_HELP[key]),
                          value=float(value) if value is not None else None))
    return out


def tier_figures(scenario: Scenario, *, suppress: bool = False) -> list[TierFigure]:
    """The network picture of one scenario (the caller may see it): totals by need tier, no school named.
    With `suppress`, a tier of fewer than MIN_TIER_SCHOOLS schools keeps only its count of schools."""
    rows = (Allocation.objects.filter(scenario=scenario).values("need_tier")
            .annotate(schools=Count("id"), students=Sum("enrollment"), amount=Sum("amount"),
                      even=Sum("even_amount"), sup=Sum("lcff_supplemental"), conc=Sum("lcff_concentration"))
            .order_by("need_tier"))
    out = []
    for row in rows:
        lcff = None if row["sup"] is None and row["conc"] is None else (row["sup"] or 0) + (row["conc"] or 0)
        tier = row["need_tier"]
        out.append(TierFigure(tier=tier, label=tier_label(tier) if tier else str(_("No tier")),
                              schools=row["schools"], students=row["students"] or 0,
                              amount=row["amount"] or Decimal(0), even_amount=row["even"] or Decimal(0), lcff=lcff,
                              suppressed=suppress and row["schools"] < MIN_TIER_SCHOOLS))
    out.sort(key=lambda t: (t.tier is None, t.tier or 0))
    return out


def _num(value) -> float:
    return float(value) if value is not None else 0.0


def school_chart(rows: list[AllocationRow], scenario_name: str) -> str:
    labels = [row.school.name for row in rows]
    return bar_chart(labels, [
        Series(str(_("Even split")), [_num(row.even_per_pupil) for row in rows]),
        Series(scenario_name, [_num(row.allocation.per_pupil) for row in rows]),
    ], title=str(_("Per pupil: even split and this scenario")), value_format="${:,.0f}")


def tier_chart(tiers: list[TierFigure], scenario_name: str) -> str:
    tiers = [t for t in tiers if not t.suppressed]
    labels = [t.label for t in tiers]
    return bar_chart(labels, [
        Series(str(_("Even split")), [_num(t.even_per_pupil) for t in tiers]),
        Series(scenario_name, [_num(t.per_pupil) for t in tiers]),
    ], title=str(_("Per pupil by need tier: even split and this scenario")), value_format="${:,.0f}")


def _why(user, scenario: Scenario, rows: list[AllocationRow]) -> None:
    """Attach each visible school's need score and per-indicator lines under the scenario's need model."""
    if scenario.need_model_id is None or not rows:
        return
    scores = {s.school_id: s for s in NeedScore.objects.restrict(user, "view")
              .filter(need_model_id=scenario.need_model_id, school_id__in=[r.allocation.school_id for r in rows])}
    model = scenario.need_model
    for row in rows:
        score = scores.get(row.allocation.school_id)
        if score is not None:
            row.need_score = score
            row.why = need_lines(model, score)


def scenario_page(user, pk, *, chart: bool = True) -> ScenarioPage | None:
    scenario = visible_scenario(user, pk)
    if scenario is None:
        return None
    shows = sees_school_rows(user)
    allocations = (Allocation.objects.restrict(user, "view").filter(scenario=scenario).select_related("school")
                   .order_by("-per_pupil", "school__name")) if shows else Allocation.objects.none()
    rows = [AllocationRow(allocation=a) for a in allocations]
    every = sees_every_school(user)
    if shows and not every:
        _why(user, scenario, rows)
    tiers = tier_figures(scenario, suppress=not every)
    svg = ""
    if chart:
        if every and rows:
            svg = school_chart(rows, scenario.name)
        elif any(not t.suppressed for t in tiers):
            svg = tier_chart(tiers, scenario.name)
    draws = list(ScenarioSource.objects.restrict(user, "view").filter(scenario=scenario).select_related("source")
                 .order_by("source__kind", "source__name"))
    # An adopted scenario is locked for everyone, network admins included (whose scope reaches every row).
    may_change = not scenario.is_locked and Scenario.objects.restrict(user, "change").filter(pk=scenario.pk).exists()
    return ScenarioPage(
        scenario=scenario, draws=draws, metrics=scenario_metrics(scenario), rows=rows, tiers=tiers, chart=svg,
        shows_schools=shows, sees_every_school=every, may_change=may_change,
        may_adopt=may_change and scenario.status == Status.COMPUTED, may_copy=may_edit_funding(user),
    )


def allocation_table_rows(page: ScenarioPage) -> tuple[list[str], list[list]]:
    headers = [str(_("School")), str(_("CDS code")), str(_("Enrollment")), str(_("Need score")), str(_("Need tier")),
               str(_("Amount")), str(_("Per pupil")), str(_("Even split")), str(_("Difference from even")),
               str(_("LCFF supplemental (est.)")), str(_("LCFF concentration (est.)"))]
    rows = []
    for row in page.rows:
        a = row.allocation
        rows.append([a.school.name, a.school.cds_code, a.enrollment, a.need_score, row.tier_label, a.amount,
                     a.per_pupil, a.even_amount, row.difference, a.lcff_supplemental, a.lcff_concentration])
    return headers, rows


def tier_table_rows(page: ScenarioPage) -> tuple[list[str], list[list]]:
    headers = [str(_("Need tier")), str(_("Schools")), str(_("Students")), str(_("Amount")), str(_("Per pupil")),
               str(_("Even per pupil")), str(_("LCFF supplemental + concentration (est.)"))]
    rows = [[t.label, t.schools, *(["*"] * 5 if t.suppressed else
                                   [t.students, t.amount, t.per_pupil, t.even_per_pupil, t.lcff])]
            for t in page.tiers]
    return headers, rows


# ----------------------------------------------------------------------------------------------------------
# The home page: adopted scenarios, even beside equitable
# ----------------------------------------------------------------------------------------------------------


@dataclass
class HomeAllocations:
    year: str
    scenarios: list[Scenario]
    chart: str
    by_tier: bool
    tiers: list[dict]


def home_allocations(user) -> HomeAllocations | None:
    """Per-pupil amounts of the latest year's adopted scenarios side by side (the even split and the equitable
    one), by school for home-office staff and by need tier for everyone else (no school named)."""
    if not may_read_funding(user):
        return None
    adopted = list(Scenario.objects.restrict(user, "view").filter(status=Status.ADOPTED)
                   .select_related("school_year").order_by("-school_year__start_date", "method", "name"))
    if not adopted:
        return None
    year = adopted[0].school_year
    scenarios = [s for s in adopted if s.school_year_id == year.pk][:4]
    by_tier = not sees_every_school(user)
    if by_tier:
        figures = {s.pk: {t.tier: t for t in tier_figures(s, suppress=True) if not t.suppressed} for s in scenarios}
        tiers = sorted({tier for per in figures.values() for tier in per if tier is not None})
        labels = [tier_label(t) for t in tiers]
        series = [Series(s.name, [_num(figures[s.pk][t].per_pupil) if t in figures[s.pk] else 0.0 for t in tiers])
                  for s in scenarios]
        table = [{"label": tier_label(t),
                  "cells": [figures[s.pk][t].per_pupil if t in figures[s.pk] else None for s in scenarios]}
                 for t in tiers]
        title = str(_("Per pupil by need tier, adopted scenarios"))
    else:
        allocations = (Allocation.objects.restrict(user, "view").filter(scenario__in=scenarios)
                       .select_related("school").order_by("school__name"))
        per_school: dict[int, dict] = {}
        names: dict[int, str] = {}
        tiers: dict[int, int] = {}
        for a in allocations:
            names[a.school_id] = a.school.name
            tiers[a.school_id] = min(tiers.get(a.school_id, 9), a.need_tier or 9)
            per_school.setdefault(a.school_id, {})[a.scenario_id] = a.per_pupil
        order = sorted(names, key=lambda sid: (tiers[sid], names[sid]))  # highest need first
        labels = [names[sid] for sid in order]
        series = [Series(s.name, [_num(per_school[sid].get(s.pk)) for sid in order]) for s in scenarios]
        table = []
        title = str(_("Per pupil by school (highest need first), adopted scenarios"))
    if not labels:
        return None
    chart = bar_chart(labels, series, title=title, value_format="${:,.0f}")
    return HomeAllocations(year=year.name, scenarios=scenarios, chart=chart, by_tier=by_tier, tiers=table)



# ----------------------------------------------------------------------------------------------------------
# Two scenarios side by side
# ----------------------------------------------------------------------------------------------------------


@dataclass
class ComparedSchool:
    """One school in two scenarios (None where a scenario has no row for it)."""

    school: object
    a: Allocation | None
    b: Allocation | None

    @property
    def need_tier(self) -> int | None:
        return (self.a or self.b).need_tier

    @property
    def tier_label(self) -> str:
        return tier_label(self.need_tier)

    @property
    def difference(self) -> Decimal:
        return (self.b.amount if self.b else Decimal(0)) - (self.a.amount if self.a else Decimal(0))

    @property
    def per_pupil_difference(self) -> Decimal | None:
        if self.a is None or self.b is None:
            return None
        return self.b.per_pupil - self.a.per_pupil


@dataclass
class ComparedTier:
    tier: int | None
    label: str
    a: TierFigure | None
    b: TierFigure | None

    @property
    def per_pupil_difference(self) -> Decimal | None:
        if self.a is None or self.b is None or self.a.per_pupil is None or self.b.per_pupil is None:
            return None
        return self.b.per_pupil - self.a.per_pupil


@dataclass
class ScenarioComparison:
    a: Scenario
    b: Scenario
    metrics: list[tuple[Metric, Metric]]
    schools: list[ComparedSchool]
    tiers: list[ComparedTier]
    chart: str
    shows_schools: bool
    sees_every_school: bool


def compare_scenarios(user, a_pk, b_pk, *, chart: bool = True) -> ScenarioComparison | None:
    """Two scenarios the user may see, side by side: the metrics, each school's amount and per pupil in both (the
    schools the user may see, highest need first) and the totals by need tier (suppressed outside the home office
    as on a scenario's page). None when either scenario is not one the user may see."""
    a, b = visible_scenario(user, a_pk), visible_scenario(user, b_pk)
    if a is None or b is None:
        return None
    shows, every = sees_school_rows(user), sees_every_school(user)
    schools: list[ComparedSchool] = []
    if shows:
        by_school: dict[int, dict] = {}
        for allocation in (Allocation.objects.restrict(user, "view").filter(scenario__in=[a, b])
                           .select_related("school")):
            entry = by_school.setdefault(allocation.school_id, {"school": allocation.school})
            entry["a" if allocation.scenario_id == a.pk else "b"] = allocation
            if a.pk == b.pk:
                entry["b"] = allocation
        schools = [ComparedSchool(e["school"], e.get("a"), e.get("b")) for e in by_school.values()]
        schools.sort(key=lambda s: (s.need_tier or 9, s.school.name))
    figures_a = {t.tier: t for t in tier_figures(a, suppress=not every)}
    figures_b = {t.tier: t for t in tier_figures(b, suppress=not every)}
    tiers = [ComparedTier(tier, (figures_a.get(tier) or figures_b[tier]).label, figures_a.get(tier),
                          figures_b.get(tier))
             for tier in sorted(set(figures_a) | set(figures_b), key=lambda t: (t is None, t or 0))]
    svg = ""
    if chart:
        if every and schools:
            svg = bar_chart([s.school.name for s in schools], [
                Series(a.name, [_num(s.a.per_pupil if s.a else None) for s in schools]),
                Series(b.name, [_num(s.b.per_pupil if s.b else None) for s in schools]),
            ], title=str(_("Per pupil by school (highest need first)")), value_format="${:,.0f}")
        else:
            shown = [t for t in tiers if t.a and t.b and not t.a.suppressed and not t.b.suppressed]
            if shown:
                svg = bar_chart([t.label for t in shown], [
                    Series(a.name, [_num(t.a.per_pupil) for t in shown]),
                    Series(b.name, [_num(t.b.per_pupil) for t in shown]),
                ], title=str(_("Per pupil by need tier")), value_format="${:,.0f}")
    return ScenarioComparison(a=a, b=b, metrics=list(zip(scenario_metrics(a), scenario_metrics(b), strict=True)),
                              schools=schools, tiers=tiers, chart=svg, shows_schools=shows, sees_every_school=every)


def comparison_table_rows(page: ScenarioComparison) -> tuple[list[str], list[list]]:
    a, b = page.a.name, page.b.name
    headers = [str(_("School")), str(_("CDS code")), str(_("Need tier")), f"{a}: {_('amount')}",
               f"{a}: {_('per pupil')}", f"{b}: {_('amount')}", f"{b}: {_('per pupil')}", str(_("Difference")),
               str(_("Difference per pupil"))]
    rows = [[s.school.name, s.school.cds_code, s.tier_label, s.a.amount if s.a else None,
             s.a.per_pupil if s.a else None, s.b.amount if s.b else None, s.b.per_pupil if s.b else None,
             s.difference, s.per_pupil_difference] for s in page.schools]
    return headers, rows
