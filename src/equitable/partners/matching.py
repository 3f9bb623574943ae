"""Needs-to-partner matching (pure engine: numpy/scipy only, no Django; dataclasses in and out; deterministic).

Two questions:

1. **Which partners suit this school?** `suggest(school, partners)` scores every candidate partner for one
   school and ranks them (ties broken by partner name, then id). A partner that covers none of the school's
   needs is not suggested. The score is a weighted sum of six components, each in [0, 1]:

   ============  ======  ==================================================================================
   component     weight  value
   ============  ======  ==================================================================================
   focus fit     0.45    priority-weighted share of the school's needs whose focus area the partner covers
                         (high = 3, medium = 2, low = 1, as `models.PRIORITY_WEIGHTS`)
   community     0.15    1 when the partner serves the school's community, else 0
   language      0.10    share of the families' languages the partner works in (0.5 when none are recorded)
   capacity      0.10    room left for more schools, min(left, 3) / 3 (0 when full; 0.5 when not stated);
                         1 when the partner already works at this school (it needs no new room here)
   clearance     0.10    cleared 1, expiring (within 30 days) 0.6, not cleared 0
   past results  0.10    the partner's past results in [0, 1] (0.5, neutral, when unknown)
   ============  ======  ==================================================================================

   Past results (`past_results`) average each measure's attainment — actual ÷ target capped at 1, or
   target ÷ actual when lower is better — and, when there is a partner survey, blend in the mean overall
   rating (1–5 mapped to 0–1) with one third of the weight.

2. **Which partner for which need, network-wide?** `assign(schools, partners)` solves an integer program
   (scipy.optimize.milp, HiGHS) choosing (need, partner) pairs that maximize Σ priority weight × fit, where
   fit is the partner's score for that school (above) and the partner must cover the need's focus area:

       maximize   Σ w[n] · fit[s(n), p] · x[n, p]
       subject to Σ_p x[n, p] ≤ 1                     every need covered at most once
                  x[n, p] ≤ y[s(n), p]                 a partner serving needs at a school takes that school
                  Σ_s y[s, p] ≤ capacity left of p     (schools where p already works need no new room)
                  x, y ∈ {0, 1}    (only y needs to be declared integer: see `assign`)

   A partner whose capacity is not stated is not limited; `exclude_not_cleared` leaves partners that are
   not cleared out. `assign_greedy` is the obvious greedy heuristic (best pair first), kept as a baseline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

WEIGHTS: dict[str, float] = {
    "focus_fit": 0.45,
    "community": 0.15,
    "language": 0.10,
    "capacity": 0.10,
    "clearance": 0.10,
    "past_results": 0.10,
}
CLEARANCE_SCORES: dict[str, float] = {"cleared": 1.0, "expiring": 0.6, "not cleared": 0.0}
CLEARANCE_STATUSES = tuple(CLEARANCE_SCORES)
NEUTRAL = 0.5  # an unknown component neither helps nor hurts
FULL_ROOM = 3  # room for this many more schools counts fully
SURVEY_SHARE = 1 / 3  # the survey's share of past results when measures exist too
PRIORITY_LABELS = {1: "high", 2: "medium", 3: "low"}

# The plain-words reasons (English). Callers may pass translated templates with the same keys.
REASONS: dict[str, str] = {
    "covers": "Covers {areas}",
    "priority": "{area} ({priority} priority)",
    "and": "{first} and {last}",
    "community": "Serves {community}",
    "no_community": "Does not serve {community}",
    "language": "Works in {languages}",
    "no_language": "Does not work in {languages}",
    "room_one": "Room for 1 more school",
    "room": "Room for {left} more schools",
    "full": "Full: no room for another school",
    "room_unknown": "Capacity not stated",
    "clearance": "Clearance: {status}",
    "past_measures": "Past results: {percent} % of targets met",
    "past_survey": "Partner survey: {rating} / 5",
    "past_unknown": "Past results: none recorded yet",
    "already": "Already a partner here",
}


# --- inputs ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedInput:
    need_id: int
    focus_area_id: int
    focus_area: str
    priority: int  # 1 high, 2 medium, 3 low
    weight: float  # models.PRIORITY_WEIGHTS[priority]
    students: int | None = None


@dataclass(frozen=True)
class SchoolInput:
    school_id: int
    name: str
    community_id: int | None
    community: str
    languages: tuple[str, ...]  # family language codes
    needs: tuple[NeedInput, ...]


@dataclass(frozen=True)
class PartnerInput:
    partner_id: int
    name: str
    focus_area_ids: frozenset[int]
    community_ids: frozenset[int] = frozenset()
    languages: tuple[str, ...] = ()
    capacity_schools: int | None = None  # None: not stated (not limited)
    schools_served: int = 0  # distinct schools it serves this year
    serving_school_ids: frozenset[int] = frozenset()  # the schools where it already works this year
    clearance: str = "not cleared"
    past_results: float | None = None
    targets_met: float | None = None  # for the reasons: the measures' part of past results
    survey_rating: float | None = None  # for the reasons: mean overall survey rating, 1–5

    @property
    def capacity_left(self) -> int | None:
        if self.capacity_schools is None:
            return None
        return max(self.capacity_schools - self.schools_served, 0)


@dataclass(frozen=True)
class MeasureResult:
    target: float | None
    actual: float | None
    higher_is_better: bool = True


# --- outputs --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    partner_id: int
    partner: str
    score: float
    focus_fit: float
    community: float
    language: float
    capacity: float
    clearance_score: float
    past_score: float
    clearance: str
    capacity_left: int | None
    past_results: float | None
    languages_matched: tuple[str, ...]
    already_here: bool
    covered_need_ids: tuple[int, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Pair:
    school_id: int
    need_id: int
    partner_id: int
    weight: float
    fit: float

    @property
    def value(self) -> float:
        return self.weight * self.fit


@dataclass(frozen=True)
class Assignment:
    pairs: tuple[Pair, ...]
    objective: float
    status: str = "optimal"


# --- past results ---------------------------------------------------------------------------------------


def attainment(measure: MeasureResult) -> float | None:
    """How far one measure met its target, in [0, 1]; None without a target and an actual."""
    target, actual = measure.target, measure.actual
    if target is None or actual is None:
        return None
    if measure.higher_is_better:
        if target <= 0:
            return 1.0 if actual >= target else 0.0
        return float(min(max(actual / target, 0.0), 1.0))
    if actual <= target:
        return 1.0
    if target <= 0:
        return 0.0
    return float(min(max(target / actual, 0.0), 1.0))


def past_results(measures: Sequence[MeasureResult], survey_ratings: Sequence[float] = ()) -> tuple[
        float | None, float | None, float | None]:
    """(past results, targets met, mean survey rating): the measures' mean attainment and the mean overall
    survey rating (1–5) blended with one third of the weight to the survey; None when neither exists."""
    scores = [a for a in (attainment(m) for m in measures) if a is not None]
    targets_met = float(np.mean(scores)) if scores else None
    ratings = [float(r) for r in survey_ratings if r is not None]
    rating = float(np.mean(ratings)) if ratings else None
    survey = None if rating is None else min(max((rating - 1) / 4, 0.0), 1.0)
    if targets_met is None and survey is None:
        return None, None, None
    if targets_met is None:
        return survey, None, rating
    if survey is None:
        return targets_met, targets_met, None
    return (1 - SURVEY_SHARE) * targets_met + SURVEY_SHARE * survey, targets_met, rating


# --- one school -----------------------------------------------------------------------------------------


def _join(items: Sequence[str], templates: Mapping[str, str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return templates["and"].format(first=", ".join(items[:-1]), last=items[-1])


def fit(school: SchoolInput, partner: PartnerInput, total: float | None = None) -> float:
    """The partner's score for this school, numbers only (what `score` computes, without the reasons)."""
    if total is None:
        total = sum(n.weight for n in school.needs)
    areas = partner.focus_area_ids
    covered = sum(n.weight for n in school.needs if n.focus_area_id in areas)
    if covered <= 0 or total <= 0:
        return 0.0
    community = 1.0 if school.community_id is not None and school.community_id in partner.community_ids else 0.0
    if school.languages:
        wanted = set(school.languages)
        language = len(wanted.intersection(partner.languages)) / len(wanted)
    else:
        language = NEUTRAL
    if school.school_id in partner.serving_school_ids:
        capacity = 1.0
    else:
        left = partner.capacity_left
        capacity = NEUTRAL if left is None else min(left, FULL_ROOM) / FULL_ROOM
    past = NEUTRAL if partner.past_results is None else min(max(partner.past_results, 0.0), 1.0)
    value = (WEIGHTS["focus_fit"] * covered / total + WEIGHTS["community"] * community
             + WEIGHTS["language"] * language + WEIGHTS["capacity"] * capacity
             + WEIGHTS["clearance"] * CLEARANCE_SCORES.get(partner.clearance, 0.0) + WEIGHTS["past_results"] * past)
    return round(value, 12)


def score(school: SchoolInput, partner: PartnerInput, *, language_names: Mapping[str, str] | None = None,
          templates: Mapping[str, str] | None = None) -> Suggestion:
    """The partner's score for this school with its components and the reasons in plain words."""
    t = {**REASONS, **(templates or {})}
    names = language_names or {}
    total = sum(n.weight for n in school.needs)
    covered = [n for n in school.needs if n.focus_area_id in partner.focus_area_ids]
    focus_fit = (sum(n.weight for n in covered) / total) if total > 0 else 0.0
    reasons: list[str] = []
    if covered:
        ordered = sorted(covered, key=lambda n: (n.priority, n.focus_area, n.need_id))
        parts = [t["priority"].format(area=n.focus_area, priority=PRIORITY_LABELS.get(n.priority, ""))
                 if n.priority == 1 else n.focus_area for n in ordered]
        reasons.append(t["covers"].format(areas=_join(parts, t)))

    already = school.school_id in partner.serving_school_ids
    if already:
        reasons.append(t["already"])

    community = 1.0 if school.community_id is not None and school.community_id in partner.community_ids else 0.0
    if community:
        reasons.append(t["community"].format(community=school.community))

    wanted = tuple(dict.fromkeys(school.languages))
    matched = tuple(code for code in wanted if code in partner.languages)
    if wanted:
        language = len(matched) / len(wanted)
        shown = [c for c in matched if c != "en"] or list(matched)
        if shown:
            reasons.append(t["language"].format(languages=_join([names.get(c, c) for c in shown], t)))
        missing = [c for c in wanted if c not in matched]
        if missing:
            reasons.append(t["no_language"].format(languages=_join([names.get(c, c) for c in missing], t)))
    else:
        language = NEUTRAL

    left = partner.capacity_left
    if already:
        capacity = 1.0
    elif left is None:
        capacity = NEUTRAL
        reasons.append(t["room_unknown"])
    else:
        capacity = min(left, FULL_ROOM) / FULL_ROOM
        reasons.append(t["full"] if left == 0 else t["room_one"] if left == 1 else t["room"].format(left=left))

    clearance = CLEARANCE_SCORES.get(partner.clearance, 0.0)
    reasons.append(t["clearance"].format(status=partner.clearance))

    past = partner.past_results
    past_score = NEUTRAL if past is None else min(max(past, 0.0), 1.0)
    if partner.targets_met is not None:
        reasons.append(t["past_measures"].format(percent=round(partner.targets_met * 100)))
    if partner.survey_rating is not None:
        reasons.append(t["past_survey"].format(rating=f"{partner.survey_rating:.1f}"))
    if past is None:
        reasons.append(t["past_unknown"])

    value = fit(school, partner, total) if covered else round(
        WEIGHTS["community"] * community + WEIGHTS["language"] * language + WEIGHTS["capacity"] * capacity
        + WEIGHTS["clearance"] * clearance + WEIGHTS["past_results"] * past_score, 12)
    return Suggestion(
        partner_id=partner.partner_id, partner=partner.name, score=value, focus_fit=focus_fit,
        community=community, language=language, capacity=capacity, clearance_score=clearance, past_score=past_score,
        clearance=partner.clearance, capacity_left=left, past_results=past, languages_matched=matched,
        already_here=already, covered_need_ids=tuple(sorted(n.need_id for n in covered)), reasons=tuple(reasons),
    )


def suggest(school: SchoolInput, partners: Sequence[PartnerInput], *, limit: int | None = None,
            language_names: Mapping[str, str] | None = None,
            templates: Mapping[str, str] | None = None) -> list[Suggestion]:
    """Partners ranked for this school (best first; ties by partner name, then id). Partners covering none of
    the school's needs are left out. Reasons are written only for the suggestions returned."""
    total = sum(n.weight for n in school.needs)
    scored = [(fit(school, p, total), p) for p in partners]
    ranked = sorted(((value, p) for value, p in scored if value > 0),
                    key=lambda vp: (-vp[0], vp[1].name, vp[1].partner_id))
    if limit is not None:
        ranked = ranked[:limit]
    return [score(school, p, language_names=language_names, templates=templates) for _value, p in ranked]


# --- the network ----------------------------------------------------------------------------------------


def _candidates(schools: Sequence[SchoolInput], partners: Sequence[PartnerInput], exclude_not_cleared: bool,
                covered: frozenset[int] = frozenset()):
    """Eligible (need, partner) pairs in a canonical order (independent of the input order).

    Needs in `covered` count in the fits but are not assigned (they already have a partner). A candidate is
    dropped when it is dominated: a partner that needs no new room for this school (it already works there,
    or its capacity is not limited) and fits at least as well can always take its place."""
    ordered_partners = sorted(partners, key=lambda p: (p.name, p.partner_id))
    if exclude_not_cleared:
        ordered_partners = [p for p in ordered_partners if p.clearance != "not cleared"]
    by_area: dict[int, list[PartnerInput]] = {}
    for p in ordered_partners:
        for area in p.focus_area_ids:
            by_area.setdefault(area, []).append(p)
    pairs: list[Pair] = []
    for school in sorted(schools, key=lambda s: s.school_id):
        total = sum(n.weight for n in school.needs)
        fits: dict[int, float] = {}
        for need in sorted(school.needs, key=lambda n: n.need_id):
            if need.need_id in covered or need.weight <= 0:
                continue
            options = []
            for rank, p in enumerate(by_area.get(need.focus_area_id, ())):
                free = school.school_id in p.serving_school_ids or p.capacity_left is None
                if not free and p.capacity_left == 0:
                    continue
                if p.partner_id not in fits:
                    fits[p.partner_id] = fit(school, p, total)
                if fits[p.partner_id] > 0:
                    options.append((-fits[p.partner_id], rank, free, p))
            options.sort(key=lambda o: (o[0], o[1]))
            kept = []
            for negative, _rank, free, p in options:
                kept.append(Pair(school.school_id, need.need_id, p.partner_id, need.weight, -negative))
                if free:
                    break  # every candidate after this one is dominated by it
            pairs.extend(sorted(kept, key=lambda pair: pair.partner_id))
    return pairs, ordered_partners


def assign(schools: Sequence[SchoolInput], partners: Sequence[PartnerInput], *, exclude_not_cleared: bool = False,
           covered_need_ids: frozenset[int] = frozenset(), time_limit: float | None = None,
           presolve: bool = False) -> Assignment:
    """The network assignment maximizing Σ priority weight × fit within each partner's capacity (see the
    module's docstring for the integer program). Needs in `covered_need_ids` already have a partner: they
    count in the fits but are not assigned again.

    Only the school-takes variables y are integer: once they are fixed, each need simply takes its best
    partner among those present, so the x variables are integral at an optimal vertex (and are rounded that
    way). If HiGHS stops at `time_limit` with something worse than greedy, the greedy answer is returned.
    HiGHS's presolve is off by default: on this model (many linking rows, a nearly integral relaxation) it
    costs more time than it saves (1,000 schools × 5 needs, 300 partners: 24 s without, 37 s with)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    pairs, ordered_partners = _candidates(schools, partners, exclude_not_cleared, frozenset(covered_need_ids))
    if not pairs:
        return Assignment((), 0.0, "optimal")
    partner_of = {p.partner_id: p for p in ordered_partners}
    school_partner: dict[tuple[int, int], int] = {}  # (school, partner) needing new room → y index
    need_rows: dict[int, int] = {}
    for pair in pairs:
        need_rows.setdefault(pair.need_id, len(need_rows))
        partner = partner_of[pair.partner_id]
        if pair.school_id not in partner.serving_school_ids and partner.capacity_left is not None:
            school_partner.setdefault((pair.school_id, pair.partner_id), len(school_partner))
    nx, ny = len(pairs), len(school_partner)
    cost = np.concatenate([-np.array([p.value for p in pairs]), np.zeros(ny)])

    rows = [need_rows[pair.need_id] for pair in pairs]  # each need at most once
    cols = list(range(nx))
    vals = [1.0] * nx
    row = len(need_rows)
    lower, upper = [-np.inf] * row, [1.0] * row
    for i, pair in enumerate(pairs):  # x[n, p] - y[s, p] <= 0
        j = school_partner.get((pair.school_id, pair.partner_id))
        if j is None:
            continue
        rows += [row, row]
        cols += [i, nx + j]
        vals += [1.0, -1.0]
        lower.append(-np.inf)
        upper.append(0.0)
        row += 1
    per_partner: dict[int, list[int]] = {}
    for (_school, partner_id), j in school_partner.items():
        per_partner.setdefault(partner_id, []).append(j)
    for partner_id in sorted(per_partner):  # capacity in schools
        left = partner_of[partner_id].capacity_left
        if len(per_partner[partner_id]) <= left:
            continue  # room for every school it could take: no constraint needed
        for j in per_partner[partner_id]:
            rows.append(row)
            cols.append(nx + j)
            vals.append(1.0)
        lower.append(-np.inf)
        upper.append(float(left))
        row += 1
    matrix = coo_array((vals, (rows, cols)), shape=(row, nx + ny)).tocsr()
    options: dict = {"mip_rel_gap": 1e-9, "presolve": presolve}
    if time_limit is not None:
        options["time_limit"] = time_limit
    integrality = np.concatenate([np.zeros(nx), np.ones(ny)])
    result = milp(cost, constraints=LinearConstraint(matrix, lower, upper), integrality=integrality,
                  bounds=Bounds(0, 1), options=options)
    if result.x is None:
        greedy = assign_greedy(schools, partners, exclude_not_cleared=exclude_not_cleared,
                               covered_need_ids=covered_need_ids)
        return Assignment(greedy.pairs, greedy.objective, "time limit: greedy")
    chosen = _round(pairs, result.x[:nx])
    objective = float(sum(p.value for p in chosen))
    status = "optimal" if result.status == 0 else "time limit"
    if status != "optimal":
        greedy = assign_greedy(schools, partners, exclude_not_cleared=exclude_not_cleared,
                               covered_need_ids=covered_need_ids)
        if greedy.objective > objective:
            return Assignment(greedy.pairs, greedy.objective, "time limit: greedy")
    return Assignment(chosen, objective, status)


def _round(pairs: Sequence[Pair], x) -> tuple[Pair, ...]:
    """Each need's pair with the largest x (the first in canonical order on ties), when above one half; or the
    best-valued of its split pairs (an optimum only splits a need between equally good partners)."""
    best: dict[int, tuple[float, float, int]] = {}
    for i, (pair, value) in enumerate(zip(pairs, x, strict=True)):
        if value <= 1e-6:
            continue
        key = (-value if value > 0.5 else 0.0, -pair.value, i)
        if pair.need_id not in best or key < best[pair.need_id]:
            best[pair.need_id] = key
    return tuple(sorted((pairs[key[2]] for key in best.values()), key=lambda p: (p.school_id, p.need_id)))


def assign_greedy(schools: Sequence[SchoolInput], partners: Sequence[PartnerInput], *,
                  exclude_not_cleared: bool = False, covered_need_ids: frozenset[int] = frozenset()) -> Assignment:
    """Best pair first, while the need is free and the partner has room (a baseline for `assign`)."""
    pairs, ordered_partners = _candidates(schools, partners, exclude_not_cleared, frozenset(covered_need_ids))
    partner_of = {p.partner_id: p for p in ordered_partners}
    order = sorted(range(len(pairs)), key=lambda i: (-pairs[i].value, i))
    taken_needs: set[int] = set()
    taken_schools: dict[int, set[int]] = {}
    chosen = []
    for i in order:
        pair = pairs[i]
        if pair.need_id in taken_needs:
            continue
        partner = partner_of[pair.partner_id]
        schools_taken = taken_schools.setdefault(pair.partner_id, set())
        new_room = pair.school_id not in partner.serving_school_ids and pair.school_id not in schools_taken
        if new_room:
            left = partner.capacity_left
            if left is not None and len(schools_taken) >= left:
                continue
            schools_taken.add(pair.school_id)
        taken_needs.add(pair.need_id)
        chosen.append(pair)
    chosen.sort(key=lambda p: (p.school_id, p.need_id))
    return Assignment(tuple(chosen), float(sum(p.value for p in chosen)), "greedy")
