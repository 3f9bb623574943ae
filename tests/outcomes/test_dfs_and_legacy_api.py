"""Distance from Standard from CAASPP mean scale scores, and the legacy API, on hand-worked cases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from equitable.outcomes.dashboard import (
    LEVEL3_MINIMUM,
    ApiBand,
    ContentAreaScores,
    DashboardError,
    GradeMeanScore,
    Subject,
    api_growth,
    api_growth_target,
    api_score,
    approximate_dfs,
)
from equitable.outcomes.dashboard.legacy_api import TEST_WEIGHTS_2009_10

# ---------------------------------------------------------------- Distance from Standard


def test_level3_minimums_by_grade():
    assert LEVEL3_MINIMUM[Subject.ELA] == {3: 2432, 4: 2473, 5: 2502, 6: 2531, 7: 2552, 8: 2567, 11: 2583}
    assert LEVEL3_MINIMUM[Subject.MATH] == {3: 2436, 4: 2485, 5: 2528, 6: 2552, 7: 2567, 8: 2586, 11: 2628}


def test_dfs_hand_worked_ela():
    # grade 3: 100 students, mean 2450 → 2450 − 2432 = +18; grade 4: 50 students, mean 2433 → 2433 − 2473 = −40
    # DFS = (100·18 + 50·(−40)) / 150 = −200 / 150 = −1.333… → −1.3, status level 3 (−5.0..9.9)
    result = approximate_dfs(Subject.ELA, [GradeMeanScore(3, 100, "2450"), GradeMeanScore(4, 50, "2433")])
    assert result.dfs == Decimal("-1.3")
    assert result.students == 150
    assert result.by_grade == ((3, Decimal(18)), (4, Decimal(-40)))
    assert result.status_level() == 3


def test_dfs_hand_worked_math_with_a_suppressed_grade():
    # grade 6: 120 at 2500.4 → −51.6; grade 7: 80 at 2600 → +33; grade 8 suppressed (8 students, "*")
    # DFS = (120·(−51.6) + 80·33) / 200 = (−6192 + 2640) / 200 = −17.76 → −17.8, level 3 (−25.0..−0.1)
    result = approximate_dfs(
        "MATH",
        [GradeMeanScore(6, 120, "2500.4"), GradeMeanScore(7, 80, 2600), GradeMeanScore(8, 8, None)],
    )
    assert (result.dfs, result.students, result.students_left_out) == (Decimal("-17.8"), 200, 8)
    assert result.status_level() == 3


def test_dfs_grade_11_uses_the_high_school_cut_points_when_asked():
    # 2640 − 2583 = 57.0: level 5 on the 3-8 cuts (≥45), level 4 on the grade-11 cuts (30.0..74.9)
    result = approximate_dfs(Subject.ELA, [GradeMeanScore(11, 200, 2640)])
    assert result.dfs == Decimal("57.0")
    assert (result.status_level(), result.status_level(high_school=True)) == (5, 4)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([GradeMeanScore(13, 100, 2500)], "grade 13 is the all-grades row"),
        ([GradeMeanScore(9, 100, 2500)], "no Level 3 minimum for grade 9"),
        ([GradeMeanScore(3, 10, 2500), GradeMeanScore(3, 10, 2500)], "given twice"),
        ([GradeMeanScore(3, 0, 2500), GradeMeanScore(4, 9, None)], "no ELA grade has students"),
    ],
)
def test_dfs_errors(rows, message):
    with pytest.raises(DashboardError, match=message):
        approximate_dfs(Subject.ELA, rows)


# ---------------------------------------------------------------- legacy API


def test_api_hand_worked_elementary():
    # ELA (w .48), 100 students: 10·1000 + 20·875 + 30·700 + 20·500 + 20·200 = 62 500 → mean 625
    # Math (w .32), 100 students: 20 in each band = 65 500 → mean 655
    # API = (.48·100·625 + .32·100·655) / (.48·100 + .32·100) = (30 000 + 20 960) / 80 = 637
    weights = TEST_WEIGHTS_2009_10["2-8"]
    ela = ContentAreaScores(
        "ELA",
        weights["ELA"],
        {
            ApiBand.ADVANCED: 10,
            ApiBand.PROFICIENT: 20,
            ApiBand.BASIC: 30,
            ApiBand.BELOW_BASIC: 20,
            ApiBand.FAR_BELOW_BASIC: 20,
        },
    )
    math = ContentAreaScores("Math", weights["Math"], dict.fromkeys(list(ApiBand)[:5], 20))
    assert (ela.mean, math.mean) == (625, 655)
    result = api_score([ela, math])
    assert (result.api, result.unrounded, result.weighted_students) == (637, Decimal(637), Decimal(80))


def test_api_hand_worked_high_school_with_cahsee():
    # ELA (w .30): 50 Proficient + 50 Basic → mean 787.5; CAHSEE ELA (w .30): 80 pass, 20 fail → mean 840
    # API = (30·787.5 + 30·840) / 60 = 813.75 → 814
    weights = TEST_WEIGHTS_2009_10["9-11"]
    result = api_score(
        [
            ContentAreaScores("ELA", weights["ELA"], {ApiBand.PROFICIENT: 50, "basic": 50}),
            ContentAreaScores(
                "CAHSEE ELA", weights["CAHSEE ELA"], {ApiBand.CAHSEE_PASS: 80, ApiBand.CAHSEE_FAIL: 20}
            ),
        ]
    )
    assert (result.unrounded, result.api) == (Decimal("813.75"), 814)


def test_api_errors():
    with pytest.raises(DashboardError, match="at least one tested student"):
        api_score([ContentAreaScores("ELA", "0.48", {})])
    with pytest.raises(DashboardError, match="not an API performance band"):
        ContentAreaScores("ELA", "0.48", {"excellent": 3})
    with pytest.raises(DashboardError, match="weight"):
        ContentAreaScores("ELA", "-1", {})


@pytest.mark.parametrize(
    ("base", "subgroup", "target"),
    [
        (200, False, 30),  # 5% × 600
        (637, False, 8),  # 5% × 163 = 8.15
        (690, False, 6),  # 5% × 110 = 5.5 → 6
        (691, False, 5),  # 5% × 109 = 5.45 → 5
        (729, False, 5),  # 3.55 → minimum 5
        (795, False, 5),
        (796, False, 4),  # 800 − Base
        (799, False, 1),
        (800, False, 0),  # stay at 800 or above
        (950, False, 0),
        (637, True, 7),  # student groups: 80% of the school-wide share, 4% × 163 = 6.52
        (500, True, 12),
        (780, True, 4),  # minimum 4
        (797, True, 3),
    ],
)
def test_api_growth_targets(base, subgroup, target):
    assert api_growth_target(base, subgroup=subgroup) == target


def test_api_growth_met():
    assert api_growth(637, 645).met and not api_growth(637, 644).met
    lausd_2012 = api_growth(729, 745)  # LAUSD 2012: API 745 (+16)
    assert (lausd_2012.points, lausd_2012.target, lausd_2012.met) == (16, 5, True)
    assert api_growth(790, 800).met  # reaching 800 meets the target
    assert api_growth(810, 805).met  # a Base of 800+ meets it by staying at 800 or above
    assert not api_growth(810, 799).met
    with pytest.raises(DashboardError, match="Base API"):
        api_growth_target(1200)
