"""Reads the need pages and the API need beyond `equity.selectors`: plain scoped reads (every one takes the
user and goes through `restrict`) shaped for a page — a need model's scores with their per-indicator
contributions as bar segments, one school's drill-down, two models side by side."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _

from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.equity import selectors
from equitable.equity.models import Indicator, IndicatorValue, NeedModel, NeedScore, NeedWeight
from equitable.equity.selectors import NeedShift

TIER_NAMES = {1: _("Highest"), 2: _("High"), 3: _("Moderate"), 4: _("Low"), 5: _("Lowest")}
TIER_CHOICES = [(str(tier), f"{tier} — {name}") for tier, name in TIER_NAMES.items()]
# One colour per indicator in the stacked contribution bars (same order as the model's weights).
SEGMENT_COLORS = ["#1b4d6e", "#f2c14e", "#5b8e7d", "#c8553d", "#8e7dbe", "#6c757d", "#3d8eb9", "#b5838d",
                  "#7a9e3d", "#e07a5f", "#4a4e69", "#a68a64", "#2a9d8f", "#e9c46a", "#264653"]

NEED_READERS = (Role.ADMIN, Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL, Role.BOARD)


def tier_label(tier: int | None) -> str:
    return str(TIER_NAMES.get(tier, "—")) if tier else "—"


def may_read_need(user) -> bool:
    return role_of(user) in NEED_READERS


def may_edit_need(user) -> bool:
    """Finance staff (and network admins) create need models and compute them."""
    return NeedModel.objects.permits_add(user, NeedModel())


def sees_school_rows(user) -> bool:
    """Board viewers read the network picture only: no school's row."""
    return role_of(user) not in (Role.BOARD, Role.PARTNER, None)


# ----------------------------------------------------------------------------------------------------------
# Lists
# ----------------------------------------------------------------------------------------------------------


def indicator_list(user):
    return Indicator.objects.restrict(user, "view")


def indicator_value_list(user):
    return IndicatorValue.objects.restrict(user, "view").select_related("indicator", "school", "school_year")


def need_model_list(user):
    return (NeedModel.objects.restrict(user, "view").select_related("school_year")
            .annotate(indicator_count=Count("weights", distinct=True)))


def need_score_list(user):
    return NeedScore.objects.restrict(user, "view").select_related("need_model", "school")


def visible_need_model(user, pk, action: str = "view") -> NeedModel | None:
    try:
        return NeedModel.objects.restrict(user, action).select_related("school_year").get(pk=pk)
    except (NeedModel.DoesNotExist, ValueError, TypeError):
        return None


def visible_indicator(user, code: str) -> Indicator | None:
    return Indicator.objects.restrict(user, "view").filter(code=code).first()


# ----------------------------------------------------------------------------------------------------------
# A need model's page
# ----------------------------------------------------------------------------------------------------------


@dataclass
class WeightRow:
    indicator: Indicator
    weight: Decimal
    share: float  # of all the model's weights
    color: str


@dataclass
class Segment:
    code: str
    name: str
    value: float
    width: float  # percent of the widest bar's scale
    color: str


@dataclass
class ScoreRow:
    score: NeedScore
    segments: list[Segment] = field(default_factory=list)

    @property
    def school(self):
        return self.score.school

    @property
    def tier_label(self) -> str:
        return tier_label(self.score.tier)


@dataclass
class NeedModelPage:
    model: NeedModel
    weights: list[WeightRow]
    rows: list[ScoreRow]
    tier_counts: list[tuple[int, str, int]]
    shows_schools: bool
    may_edit: bool
    others: list[NeedModel]


def _weights(model: NeedModel) -> list[WeightRow]:
    weights = list(NeedWeight.objects.filter(need_model=model).select_related("indicator").order_by("-weight",
                                                                                                     "indicator__code"))
    total = sum((w.weight for w in weights), Decimal(0)) or Decimal(1)
    return [WeightRow(indicator=w.indicator, weight=w.weight, share=float(w.weight / total),
                      color=SEGMENT_COLORS[i % len(SEGMENT_COLORS)]) for i, w in enumerate(weights)]


def _segments(score: NeedScore, weights: list[WeightRow], scale: float) -> list[Segment]:
    contributions = score.contributions or {}
    segments = []
    for row in weights:
        value = contributions.get(row.indicator.code)
        if value is None:
            continue
        value = float(value)
        width = max(0.0, value) / scale * 100 if scale > 0 else 0.0
        segments.append(Segment(code=row.indicator.code, name=row.indicator.name, value=value,
                                width=round(width, 2), color=row.color))
    return segments


def _bar_scale(scores) -> float:
    """The longest bar: 100 for percentile and min–max scores; the largest positive sum otherwise."""
    largest = 0.0
    for score in scores:
        largest = max(largest, sum(max(0.0, float(v)) for v in (score.contributions or {}).values()))
    return max(100.0, largest) if largest <= 100 else largest


def tier_counts(model: NeedModel) -> list[tuple[int, str, int]]:
    """How many schools fall in each tier: the network picture (no school named)."""
    counts = dict(NeedScore.objects.filter(need_model=model, tier__isnull=False).values_list("tier")
                  .annotate(n=Count("id")).values_list("tier", "n"))
    return [(tier, str(name), counts.get(tier, 0)) for tier, name in TIER_NAMES.items()]


def need_model_page(user, pk) -> NeedModelPage | None:
    model = visible_need_model(user, pk)
    if model is None:
        return None
    weights = _weights(model)
    scores = list(NeedScore.objects.restrict(user, "view").filter(need_model=model).select_related("school")
                  .order_by("rank", "school__name")) if sees_school_rows(user) else []
    scale = _bar_scale(scores)
    rows = [ScoreRow(score=s, segments=_segments(s, weights, scale)) for s in scores]
    others = list(NeedModel.objects.restrict(user, "view").exclude(pk=model.pk).select_related("school_year"))
    return NeedModelPage(model=model, weights=weights, rows=rows, tier_counts=tier_counts(model),
                         shows_schools=sees_school_rows(user), may_edit=may_edit_need(user), others=others)


def score_table_rows(page: NeedModelPage) -> tuple[list[str], list[list]]:
    """The scores of a need model as an export: one row per school, one column per indicator's contribution."""
    codes = [w.indicator.code for w in page.weights]
    headers = [str(_("School")), str(_("CDS code")), str(_("Score")), str(_("Rank")), str(_("Need tier")),
               str(_("Missing indicators")), *[f"{code} {_('contribution')}" for code in codes]]
    rows = []
    for row in page.rows:
        s = row.score
        contributions = s.contributions or {}
        rows.append([s.school.name, s.school.cds_code, s.score, s.rank, s.tier_name or tier_label(s.tier),
                     ", ".join(s.missing or []),
                     *[contributions.get(code) for code in codes]])
    return headers, rows


# ----------------------------------------------------------------------------------------------------------
# One school under one model: why is it in its tier?
# ----------------------------------------------------------------------------------------------------------


@dataclass
class IndicatorLine:
    indicator: Indicator
    weight: Decimal
    value: Decimal | None
    normalized: float | None
    share: float | None
    contribution: float | None
    missing: bool
    color: str


@dataclass
class SchoolNeedPage:
    model: NeedModel
    score: NeedScore
    lines: list[IndicatorLine]
    school_count: int

    @property
    def school(self):
        return self.score.school

    @property
    def tier_label(self) -> str:
        return tier_label(self.score.tier)


def school_need(user, pk, cds_code: str) -> SchoolNeedPage | None:
    model = visible_need_model(user, pk)
    if model is None or not sees_school_rows(user):
        return None
    score = (NeedScore.objects.restrict(user, "view").filter(need_model=model, school__cds_code=cds_code)
             .select_related("school").first())
    if score is None:
        return None
    return SchoolNeedPage(model=model, score=score, lines=need_lines(model, score),
                          school_count=NeedScore.objects.filter(need_model=model).count())


def need_lines(model: NeedModel, score: NeedScore) -> list[IndicatorLine]:
    """Each indicator of the model for one school: raw value, normalized value, weight, weight share and
    contribution (contribution = weight share × normalized value; the contributions sum to the score)."""
    weights = _weights(model)
    values = dict(IndicatorValue.objects.filter(school_id=score.school_id, school_year_id=model.school_year_id,
                                                indicator__in=[w.indicator for w in weights])
                  .values_list("indicator__code", "value"))
    missing = set(score.missing or [])
    contributions = score.contributions or {}
    present = [w for w in weights if w.indicator.code not in missing]
    # Re-weighting spreads the weight over the indicators present; the median rule keeps every weight.
    basis = present if model.missing_rule == "reweight" else weights
    total = sum((w.weight for w in basis), Decimal(0))
    lines = []
    for w in weights:
        code = w.indicator.code
        is_missing = code in missing
        share = float(w.weight / total) if total and (w in basis) else None
        contribution = contributions.get(code)
        contribution = float(contribution) if contribution is not None else None
        normalized = contribution / share if (contribution is not None and share) else None
        lines.append(IndicatorLine(indicator=w.indicator, weight=w.weight, value=values.get(code),
                                   normalized=normalized, share=share, contribution=contribution,
                                   missing=is_missing, color=w.color))
    return lines


# ----------------------------------------------------------------------------------------------------------
# Two models side by side
# ----------------------------------------------------------------------------------------------------------


@dataclass
class Comparison:
    a: NeedModel
    b: NeedModel
    rows: list[NeedShift]

    @property
    def tier_changes(self) -> int:
        return sum(1 for row in self.rows if row.tier_changed)


def compare_need_models(user, pk_a, pk_b) -> Comparison | None:
    a, b = visible_need_model(user, pk_a), visible_need_model(user, pk_b)
    if a is None or b is None or not sees_school_rows(user):
        return None
    return Comparison(a=a, b=b, rows=selectors.need_models_compare(a=a, b=b, user=user))


def comparison_table_rows(comparison: Comparison) -> tuple[list[str], list[list]]:
    headers = [str(_("School")), str(_("CDS code")),
               f"{comparison.a.name}: {_('score')}", f"{comparison.a.name}: {_('rank')}",
               f"{comparison.a.name}: {_('tier')}",
               f"{comparison.b.name}: {_('score')}", f"{comparison.b.name}: {_('rank')}",
               f"{comparison.b.name}: {_('tier')}", str(_("Rank shift")), str(_("Tier changed"))]
    rows = [[r.school.name, r.school.cds_code, r.score_a, r.rank_a, r.tier_name_a or tier_label(r.tier_a), r.score_b, r.rank_b,
             r.tier_name_b or tier_label(r.tier_b), r.rank_shift, str(_("yes") if r.tier_changed else _("no"))] for r in comparison.rows]
    return headers, rows


def weights_prefetch():
    return Prefetch("weights", queryset=NeedWeight.objects.select_related("indicator"))
