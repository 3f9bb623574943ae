"""The legacy Academic Performance Index (API), California's school score before the Dashboard.

For historical years (1999-2013). Each test result earns the value of its performance band; a content
area's mean is weighted by the test weight times the number of students tested (DOMAIN.md 3.11):

    mean_c = Σ_band value_band · n_band / N_c
    API    = Σ_c w_c · N_c · mean_c / Σ_c w_c · N_c        on a 200-1000 scale, rounded to a whole number

Effective weights vary by school (the CDE technical guides re-normalise them for the tests a school
gives); pass the weights that applied. `TEST_WEIGHTS_2009_10` holds the 2009-10 weights. A student
with no end-of-course test scores 200, weighted 0.10 (math) and 0.05 (science): pass those as their
own content areas with `FAR_BELOW_BASIC` counts.

Growth targets: 5% of the distance from the statewide target of 800, at least 5 points, never more
than reaching 800; a Base of 800 or more must stay at 800 or above. Student groups have 80% of the
school-wide percentage target: 4% of their distance, at least 4 points (the guides' rule; DOMAIN.md
marks the detail as one to confirm against an API Information Guide).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from equitable.outcomes.dashboard.numbers import DashboardError, Number, round_whole, to_decimal

API_TARGET = 800
API_MIN, API_MAX = 200, 1000


class ApiBand(StrEnum):
    ADVANCED = "advanced"
    PROFICIENT = "proficient"
    BASIC = "basic"
    BELOW_BASIC = "below_basic"
    FAR_BELOW_BASIC = "far_below_basic"
    CAHSEE_PASS = "cahsee_pass"
    CAHSEE_FAIL = "cahsee_fail"


API_BAND_VALUES: Mapping[ApiBand, int] = MappingProxyType(
    {
        ApiBand.ADVANCED: 1000,
        ApiBand.PROFICIENT: 875,
        ApiBand.BASIC: 700,
        ApiBand.BELOW_BASIC: 500,
        ApiBand.FAR_BELOW_BASIC: 200,
        ApiBand.CAHSEE_PASS: 1000,
        ApiBand.CAHSEE_FAIL: 200,
    }
)

# 2009-10 test weights by grade span (CDE techinfo); "-" cells are left out.
TEST_WEIGHTS_2009_10: Mapping[str, Mapping[str, Decimal]] = MappingProxyType({
    "2-8": MappingProxyType({
        "ELA": Decimal("0.48"), "Math": Decimal("0.32"), "Science": Decimal("0.20"), "HSS": Decimal("0.20"),
    }),
    "9-11": MappingProxyType({
        "ELA": Decimal("0.30"), "Math": Decimal("0.20"), "Science": Decimal("0.10"), "HSS": Decimal("0.23"),
        "EOC Science": Decimal("0.22"), "CAHSEE ELA": Decimal("0.30"), "CAHSEE Math": Decimal("0.30"),
    }),
})  # fmt: skip


@dataclass(frozen=True)
class ContentAreaScores:
    """Students tested in one content area, by performance band, and the area's test weight."""

    name: str
    weight: Decimal
    counts: Mapping[ApiBand, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        weight = to_decimal(self.weight)
        if weight < 0:
            raise DashboardError(f"{self.name}: the weight must be ≥ 0, got {weight}")
        counts: dict[ApiBand, int] = {}
        for band, count in self.counts.items():
            try:
                key = ApiBand(band)
            except ValueError:
                raise DashboardError(f"{self.name}: {band!r} is not an API performance band") from None
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise DashboardError(f"{self.name}: the count for {key.value} must be a whole number ≥ 0")
            counts[key] = counts.get(key, 0) + count
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "counts", MappingProxyType(counts))

    @property
    def students(self) -> int:
        return sum(self.counts.values())

    @property
    def points(self) -> int:
        return sum(API_BAND_VALUES[band] * n for band, n in self.counts.items())

    @property
    def mean(self) -> Decimal | None:
        return None if self.students == 0 else Decimal(self.points) / self.students


@dataclass(frozen=True)
class ApiResult:
    api: int
    unrounded: Decimal
    weighted_students: Decimal  # Σ w_c · N_c


def api_score(areas: Iterable[ContentAreaScores]) -> ApiResult:
    """The API of a school or student group from its content areas' band counts."""
    numerator = Decimal(0)
    denominator = Decimal(0)
    for area in areas:
        numerator += area.weight * area.points
        denominator += area.weight * area.students
    if denominator == 0:
        raise DashboardError("an API needs at least one tested student in a content area with a weight")
    unrounded = numerator / denominator
    return ApiResult(api=round_whole(unrounded), unrounded=unrounded, weighted_students=denominator)


def api_growth_target(base: int, *, subgroup: bool = False) -> int:
    """Points a school (or a numerically significant student group) must gain over its Base API.

    0 for a Base of 800 or more: such a school meets its target by staying at 800 or above.
    """
    _check_api(base, "Base API")
    if base >= API_TARGET:
        return 0
    distance = API_TARGET - base
    share, minimum = (Decimal("0.04"), 4) if subgroup else (Decimal("0.05"), 5)
    return min(distance, max(minimum, round_whole(share * distance)))


@dataclass(frozen=True)
class ApiGrowth:
    base: int
    growth_api: int
    points: int  # Growth API − Base API
    target: int
    met: bool


def api_growth(base: int, growth_api: int, *, subgroup: bool = False) -> ApiGrowth:
    """Growth = Growth API(t) − Base API(t−1); the target is met by gaining `target` points or by a
    Growth API of 800 or more."""
    _check_api(growth_api, "Growth API")
    target = api_growth_target(base, subgroup=subgroup)
    points = growth_api - base
    return ApiGrowth(
        base=base, growth_api=growth_api, points=points, target=target,
        met=growth_api >= API_TARGET or points >= target,
    )  # fmt: skip


def _check_api(value: Number, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not API_MIN <= value <= API_MAX:
        raise DashboardError(f"{name} must be a whole number {API_MIN}..{API_MAX}, got {value!r}")
