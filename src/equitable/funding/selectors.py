"""Reads of funding data: what a user may see, how much of a source is still free, the facts a scenario's
allocation is computed from, and a scenario's rows for the command line.

Page and API reads go through `restrict(user, "view")`. The gathering functions (`source_drawn_by_adopted`,
`allocation_facts`) read everything: services call them after checking that the user may change the
scenario.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum

from equitable.core.exceptions import DomainError
from equitable.equity.models import NeedScore
from equitable.equity.selectors import network_schools
from equitable.funding.models import Allocation, FundingSource, Scenario, ScenarioSource, Status
from equitable.network.models import Enrollment, School, SchoolYear

UNKNOWN_SCENARIO = "No scenario is named {name!r}."


# --- what a user sees --------------------------------------------------------------------------------

def funding_sources_for(user, *, school_year: SchoolYear | None = None) -> QuerySet[FundingSource]:
    sources = FundingSource.objects.restrict(user, "view").select_related("school_year")
    return sources.filter(school_year=school_year) if school_year is not None else sources


def scenarios_for(user, *, school_year: SchoolYear | None = None) -> QuerySet[Scenario]:
    scenarios = Scenario.objects.restrict(user, "view").select_related("school_year", "need_model", "adopted_by")
    return scenarios.filter(school_year=school_year) if school_year is not None else scenarios


def scenario_allocations(scenario: Scenario, user) -> QuerySet[Allocation]:
    return (Allocation.objects.restrict(user, "view").filter(scenario=scenario).select_related("school")
            .order_by("-per_pupil", "school__name"))


# --- sources and what adopted scenarios drew from them ---------------------------------------------

def source_drawn_by_adopted(source: FundingSource, *, excluding: Scenario | None = None) -> Decimal:
    """How much adopted scenarios (other than `excluding`) drew from a source."""
    draws = ScenarioSource.objects.filter(source=source, scenario__status=Status.ADOPTED)
    if excluding is not None and excluding.pk:
        draws = draws.exclude(scenario=excluding)
    return draws.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def source_available(source: FundingSource, *, excluding: Scenario | None = None) -> Decimal:
    """What is left of a source for a scenario: its amount minus what other adopted scenarios drew."""
    return source.amount - source_drawn_by_adopted(source, excluding=excluding)


@dataclass(frozen=True)
class SourceLine:
    source: FundingSource
    drawn_by_adopted: Decimal

    @property
    def available(self) -> Decimal:
        return self.source.amount - self.drawn_by_adopted


def source_lines(user, *, school_year: SchoolYear | None = None) -> list[SourceLine]:
    """The sources a user may see with what adopted scenarios drew and what is still free."""
    sources = list(funding_sources_for(user, school_year=school_year))
    drawn: dict[int, Decimal] = defaultdict(Decimal)
    for source_id, amount in ScenarioSource.objects.filter(
            source__in=sources, scenario__status=Status.ADOPTED).values_list("source_id", "amount"):
        drawn[source_id] += amount
    return [SourceLine(s, drawn[s.pk]) for s in sources]


# --- what an allocation is computed from ---------------------------------------------------------------

SPANS = ("K-3", "4-6", "7-8", "9-12")


def grade_span(grade: str) -> str:
    """LCFF grade span of a grade code (TK and K count in K-3)."""
    number = 0 if grade in ("TK", "K") else int(grade)
    if number <= 3:
        return "K-3"
    if number <= 6:
        return "4-6"
    if number <= 8:
        return "7-8"
    return "9-12"


@dataclass(frozen=True)
class SchoolFacts:
    """One school's figures for an allocation (plain values; the service builds the engine's input)."""

    school: School
    enrollment: int
    by_grade: dict[str, int]
    by_group: dict[str, int]
    need_score: Decimal | None
    need_tier: int | None
    prior: Decimal | None
    # LCFF three-year window (oldest first): unduplicated and enrollment per year with both known
    unduplicated_years: tuple[int, ...]
    enrollment_years: tuple[int, ...]

    def enrollment_by_span(self) -> dict[str, int]:
        """Enrollment per LCFF grade span; without grade counts, spread evenly over the school's grades."""
        spans = dict.fromkeys(SPANS, 0)
        if self.by_grade:
            for grade, count in self.by_grade.items():
                spans[grade_span(grade)] += count
            return spans
        low = self.school.grade_low if self.school.grade_low is not None else 0
        high = self.school.grade_high if self.school.grade_high is not None else 12
        grades = [max(g, 0) for g in range(low, high + 1)]
        for g in grades:
            spans[grade_span(str(g))] += self.enrollment / len(grades)
        return spans


@dataclass(frozen=True)
class AllocationFacts:
    scenario: Scenario
    pool: Decimal
    schools: list[SchoolFacts]
    without_enrollment: list[School] = field(default_factory=list)
    without_need: list[School] = field(default_factory=list)


def allocation_facts(scenario: Scenario, *, pool: Decimal | None = None) -> AllocationFacts:
    """Gather a scenario's pool and each network school's enrollment (of the scenario's year), need score
    and tier (from its need model), prior amount (from `previous`) and LCFF window (three years).
    `pool` overrides the sum of the scenario's draws (for a scenario not saved yet)."""
    year = scenario.school_year
    schools = list(network_schools(year))
    if pool is None:
        # SQLite sums decimals as floating point: back to whole cents.
        pool = Decimal(str(scenario.sources.aggregate(total=Sum("amount"))["total"] or 0)).quantize(Decimal("0.01"))
    window = list(SchoolYear.objects.filter(start_date__lte=year.start_date).order_by("-start_date")[:3])
    window_ids = [y.pk for y in reversed(window)]
    enrollments: dict[tuple[int, int], Enrollment] = {
        (e.school_id, e.school_year_id): e
        for e in Enrollment.objects.filter(school__in=schools, school_year_id__in=window_ids)
    }
    scores = {}
    if scenario.need_model_id:
        scores = {s.school_id: s for s in NeedScore.objects.filter(need_model_id=scenario.need_model_id)}
    priors = {}
    if scenario.previous_id:
        priors = dict(Allocation.objects.filter(scenario_id=scenario.previous_id).values_list("school_id", "amount"))
    facts, without_enrollment, without_need = [], [], []
    for school in schools:
        current = enrollments.get((school.pk, year.pk))
        if current is None or not current.total:
            without_enrollment.append(school)
            continue
        score = scores.get(school.pk)
        if scenario.need_model_id and (score is None or score.score is None):
            without_need.append(school)
        unduplicated, totals = [], []
        for year_id in window_ids:
            row = enrollments.get((school.pk, year_id))
            if row is not None and row.unduplicated is not None and row.total:
                unduplicated.append(row.unduplicated)
                totals.append(row.total)
        facts.append(SchoolFacts(
            school=school, enrollment=current.total, by_grade=dict(current.by_grade or {}),
            by_group=dict(current.by_group or {}),
            need_score=score.score if score is not None else None, need_tier=score.tier if score is not None else None,
            prior=priors.get(school.pk), unduplicated_years=tuple(unduplicated), enrollment_years=tuple(totals),
        ))
    return AllocationFacts(scenario, pool, facts, without_enrollment, without_need)


# --- the command line ------------------------------------------------------------------------------------

def scenario_allocation_rows(name: str) -> list[dict]:
    """A scenario's stored allocation, one dict per school (id = CDS code, amount, per_pupil), in the order
    of the schools' CDS codes: what `equitable allocate --scenario NAME` prints. DomainError when there
    is no such scenario or it has not been computed."""
    scenario = Scenario.objects.filter(name=name).first()
    if scenario is None:
        raise DomainError(UNKNOWN_SCENARIO.format(name=name))
    rows = list(Allocation.objects.filter(scenario=scenario).select_related("school").order_by("school__cds_code"))
    if not rows:
        raise DomainError(f"Scenario {name!r} has no allocation yet: compute it first.")
    return [{"id": a.school.cds_code, "amount": float(a.amount), "per_pupil": float(a.per_pupil)} for a in rows]
