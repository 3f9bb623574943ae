"""Distance from Standard (DFS) for ELA and math, approximated from CAASPP research files.

The Dashboard's academic status is the mean, over continuously enrolled SBAC/CAA testers, of each
student's scale score minus the Level 3 ("Standard Met") minimum for the student's grade, plus LOSS
records when participation is below 95%, rounded to 0.1 (DOMAIN.md 3.1).

**This module computes the approximation that the public files allow.** The CAASPP research files
publish, per school, grade and student group, only the number of students with scores and the mean
scale score; so

    DFS ≈ Σ_g n_g · (MeanScaleScore_g − L3min_g) / Σ_g n_g

(the student-weighted mean of the per-grade distances). It has no continuous-enrolment filter, no CAA
testers and no LOSS records for low participation, so it drifts slightly from the published status.
Use it for years or entities with no Dashboard file, never to overwrite a published status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from equitable.outcomes.dashboard.cutpoints import Indicator
from equitable.outcomes.dashboard.engine import status_level_for
from equitable.outcomes.dashboard.numbers import DashboardError, optional_decimal, round_tenth


class Subject(StrEnum):
    ELA = "ELA"
    MATH = "MATH"

    @property
    def indicator(self) -> Indicator:
        return Indicator.ELA if self is Subject.ELA else Indicator.MATH


# Lowest scale score of Level 3 (Standard Met) by grade; unchanged since 2014 (DOMAIN.md 3.2).
LEVEL3_MINIMUM: dict[Subject, dict[int, int]] = {
    Subject.ELA: {3: 2432, 4: 2473, 5: 2502, 6: 2531, 7: 2552, 8: 2567, 11: 2583},
    Subject.MATH: {3: 2436, 4: 2485, 5: 2528, 6: 2552, 7: 2567, 8: 2586, 11: 2628},
}
ALL_GRADES = 13  # the research files' "all grades" row


@dataclass(frozen=True)
class GradeMeanScore:
    """One grade of a CAASPP research-file row: students with scores and their mean scale score.

    `mean_scale_score=None` stands for a suppressed cell (`*`, fewer than 11 students); such grades
    are left out of the mean and counted in `DistanceFromStandard.students_left_out`.
    """

    grade: int
    students: int
    mean_scale_score: Decimal | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean_scale_score", optional_decimal(self.mean_scale_score))
        if self.students < 0:
            raise DashboardError(f"grade {self.grade}: students must be ≥ 0, got {self.students}")


@dataclass(frozen=True)
class DistanceFromStandard:
    subject: Subject
    dfs: Decimal  # rounded to 0.1, comparable with a Dashboard status
    unrounded: Decimal
    students: int
    students_left_out: int
    by_grade: tuple[tuple[int, Decimal], ...]  # (grade, mean scale score − Level 3 minimum)

    def status_level(self, *, high_school: bool = False) -> int:
        """The Dashboard status level this DFS would get (grade-11 cuts when `high_school`)."""
        return status_level_for(self.subject.indicator, self.dfs, high_school=high_school)


def level3_minimum(subject: Subject | str, grade: int) -> int:
    subject = Subject(subject)
    if grade == ALL_GRADES:
        raise DashboardError("grade 13 is the all-grades row; give the rows of each tested grade")
    try:
        return LEVEL3_MINIMUM[subject][grade]
    except KeyError:
        grades = ", ".join(str(g) for g in LEVEL3_MINIMUM[subject])
        raise DashboardError(
            f"{subject.value} has no Level 3 minimum for grade {grade} (grades {grades})"
        ) from None


def approximate_dfs(subject: Subject | str, grades: Iterable[GradeMeanScore]) -> DistanceFromStandard:
    """Student-weighted mean distance from the Level 3 minimum over the tested grades."""
    subject = Subject(subject)
    total = Decimal(0)
    students = 0
    left_out = 0
    by_grade = []
    seen: set[int] = set()
    for row in grades:
        minimum = level3_minimum(subject, row.grade)
        if row.grade in seen:
            raise DashboardError(f"grade {row.grade} is given twice")
        seen.add(row.grade)
        if row.mean_scale_score is None:
            left_out += row.students
            continue
        if row.students == 0:
            continue
        distance = row.mean_scale_score - minimum
        by_grade.append((row.grade, distance))
        total += row.students * distance
        students += row.students
    if students == 0:
        raise DashboardError(f"no {subject.value} grade has students with a mean scale score")
    unrounded = total / students
    return DistanceFromStandard(
        subject=subject,
        dfs=round_tenth(unrounded),
        unrounded=unrounded,
        students=students,
        students_left_out=left_out,
        by_grade=tuple(sorted(by_grade)),
    )
