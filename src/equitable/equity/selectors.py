"""Reads of need data: the schools a need model covers, the plain arrays its engine reads, scores as a
user may see them, and two models side by side.

Every read that a page or the API shows goes through `restrict(user, "view")`; the gathering functions
used by services (`need_model_input`) read everything, because only users who may change the model
reach them (the service checks that first).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from equitable.equity.models import Indicator, IndicatorValue, NeedModel, NeedScore
from equitable.network.models import School, SchoolYear


def network_schools(school_year: SchoolYear) -> QuerySet[School]:
    """Schools in the network during `school_year`: members, and former members that left during or
    after it; a school that joined after the year ended is not counted."""
    in_year = Q(membership="member") | Q(membership="former", left_on__gte=school_year.start_date)
    joined = Q(joined_on__isnull=True) | Q(joined_on__lte=school_year.end_date)
    return School.objects.filter(in_year & joined).order_by("name", "cds_code")


def current_school_year() -> SchoolYear | None:
    return SchoolYear.objects.filter(is_current=True).first()


def school_year_named(name_or_year: SchoolYear | str) -> SchoolYear:
    """A SchoolYear given itself or its name (e.g. "2025-26"); LookupError with the known names otherwise."""
    if isinstance(name_or_year, SchoolYear):
        return name_or_year
    year = SchoolYear.objects.filter(name=str(name_or_year).strip()).first()
    if year is None:
        known = ", ".join(SchoolYear.objects.order_by("-start_date").values_list("name", flat=True)) or "none yet"
        raise LookupError(f"Unknown school year {name_or_year!r}; known years: {known}.")
    return year


# --- what a user sees ------------------------------------------------------------------------------

def indicators_for(user) -> QuerySet[Indicator]:
    return Indicator.objects.restrict(user, "view")


def indicator_values_for(user, *, school_year: SchoolYear | None = None) -> QuerySet[IndicatorValue]:
    values = IndicatorValue.objects.restrict(user, "view").select_related("indicator", "school", "school_year")
    if school_year is not None:
        values = values.filter(school_year=school_year)
    return values


def need_models_for(user) -> QuerySet[NeedModel]:
    return NeedModel.objects.restrict(user, "view").select_related("school_year")


def need_scores_for(user, need_model: NeedModel) -> QuerySet[NeedScore]:
    return (NeedScore.objects.restrict(user, "view").filter(need_model=need_model).select_related("school")
            .order_by("rank", "school__name"))


# --- what the engine reads --------------------------------------------------------------------------

@dataclass(frozen=True)
class NeedModelInput:
    """The schools (in input order) and the engine's input for one need model."""

    schools: list[School]
    need_input: object  # equitable.equity.need_index.NeedInput


def need_model_values(need_model: NeedModel, schools: list[School]) -> dict[str, list[float | None]]:
    """Indicator code → one value per school (None where the school has none: missing, never zero)."""
    codes = list(need_model.weights.values_list("indicator__code", flat=True))
    position = {school.pk: i for i, school in enumerate(schools)}
    values: dict[str, list[float | None]] = {code: [None] * len(schools) for code in codes}
    rows = IndicatorValue.objects.filter(indicator__code__in=codes, school_year=need_model.school_year,
                                         school_id__in=list(position)).values_list("indicator__code", "school_id",
                                                                                   "value")
    for code, school_id, value in rows:
        values[code][position[school_id]] = float(value)
    return values


def need_model_input(need_model: NeedModel) -> NeedModelInput:
    """Gather a need model's weights and values into the engine's plain input (no permission check: the
    calling service checks the user may change the model)."""
    from equitable.equity.need_index import IndicatorSpec, NeedInput

    schools = list(network_schools(need_model.school_year))
    weights = list(need_model.weights.select_related("indicator").order_by("indicator__code"))
    specs = [IndicatorSpec(w.indicator.code, float(w.weight), w.indicator.higher_is_more_need) for w in weights]
    need_input = NeedInput(
        school_ids=[str(s.pk) for s in schools],
        values=need_model_values(need_model, schools),
        indicators=specs,
        normalization=need_model.normalization,
        missing=need_model.missing_rule,
        cut_points=[float(c) for c in need_model.cut_points] if need_model.cut_points else None,
    )
    return NeedModelInput(schools, need_input)


# --- two models side by side -------------------------------------------------------------------------

@dataclass(frozen=True)
class NeedShift:
    """One school under two need models. `rank_shift` > 0: the school ranks as needier under model b
    (its rank number is smaller); `tier_change` > 0: it is in a higher-need tier under b."""

    school: School
    score_a: Decimal | None
    score_b: Decimal | None
    rank_a: int | None
    rank_b: int | None
    tier_a: int | None
    tier_b: int | None
    tier_name_a: str
    tier_name_b: str

    @property
    def rank_shift(self) -> int | None:
        if self.rank_a is None or self.rank_b is None:
            return None
        return self.rank_a - self.rank_b

    @property
    def tier_change(self) -> int | None:
        if self.tier_a is None or self.tier_b is None:
            return None
        return self.tier_a - self.tier_b

    @property
    def tier_changed(self) -> bool:
        return self.tier_a != self.tier_b


def need_models_compare(*, a: NeedModel, b: NeedModel, user) -> list[NeedShift]:
    """Rank shifts and tier changes of every school the user may see under either model, ordered by the
    rank under model a (schools without a rank last)."""
    scores = NeedScore.objects.restrict(user, "view").filter(need_model__in=[a, b]).select_related("school")
    by_school: dict[int, dict[int, NeedScore]] = {}
    schools: dict[int, School] = {}
    for score in scores:
        by_school.setdefault(score.school_id, {})[score.need_model_id] = score
        schools[score.school_id] = score.school
    shifts = []
    for school_id, pair in by_school.items():
        sa, sb = pair.get(a.pk), pair.get(b.pk)
        shifts.append(NeedShift(
            school=schools[school_id],
            score_a=sa.score if sa else None, score_b=sb.score if sb else None,
            rank_a=sa.rank if sa else None, rank_b=sb.rank if sb else None,
            tier_a=sa.tier if sa else None, tier_b=sb.tier if sb else None,
            tier_name_a=sa.tier_name if sa else "", tier_name_b=sb.tier_name if sb else "",
        ))
    shifts.sort(key=lambda s: (s.rank_a is None, s.rank_a or 0, s.school.name))
    return shifts
