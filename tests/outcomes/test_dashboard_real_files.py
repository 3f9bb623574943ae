"""The engine reproduces every published status level, change level, colour and box of the real
California School Dashboard 2025 download files in ../shared/data/ca_dashboard_2025/."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from equitable.outcomes.dashboard import (
    Color,
    Indicator,
    check_dashboard_file,
    check_rows,
    read_dashboard_file,
)

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
DASHBOARD_2025 = DATA / "ca_dashboard_2025"
FILES = {
    "eladownload2025.txt": (Indicator.ELA, 64),
    "mathdownload2025.txt": (Indicator.MATH, 63),
    "chronicdownload2025.txt": (Indicator.CHRONIC, 51),
    "graddownload2025.txt": (Indicator.GRADUATION, 57),
}


def dashboard_file(name: str) -> Path:
    path = DASHBOARD_2025 / name
    if not path.is_file():
        pytest.skip(f"real Dashboard file {path} is absent (the shared data directory is not checked out)")
    return path


@pytest.mark.parametrize("name", list(FILES))
def test_every_published_row_is_reproduced(name):
    indicator, rows = FILES[name]
    check = check_dashboard_file(dashboard_file(name))
    if check.differed:
        print(check.report())
    assert check.indicator is indicator
    assert check.rows == rows
    assert check.differed == 0, check.report()
    assert check.counts == {"rows": rows, "match": rows, "differ": 0}


def test_all_four_files_together():
    checks = [check_dashboard_file(dashboard_file(name)) for name in FILES]
    assert sum(check.rows for check in checks) == 235
    assert sum(check.matched for check in checks) == 235


def test_state_rows_from_domain_validation_figures():
    ela = read_dashboard_file(dashboard_file("eladownload2025.txt"))
    state_all = next(row for row in ela.rows if row.record_type.value == "X" and row.student_group == "ALL")
    check = check_rows([state_all]).checks[0]
    assert (state_all.curr_status, state_all.prior_status, state_all.change) == (
        Decimal("-8.1"),
        Decimal("-13.2"),
        Decimal("5.1"),
    )
    assert check.computed is not None
    assert (check.computed.status_level, check.computed.change_level) == (2, 4)
    assert (check.computed.color, check.computed.box) == (Color.YELLOW, 190)

    grad = read_dashboard_file(dashboard_file("graddownload2025.txt"))
    state_grad = next(row for row in grad.rows if row.record_type.value == "X" and row.student_group == "ALL")
    computed = check_rows([state_grad]).checks[0].computed
    assert computed is not None and (computed.status, computed.color) == (Decimal("87.8"), Color.GREEN)


def test_the_file_columns_are_read():
    chronic = read_dashboard_file(dashboard_file("chronicdownload2025.txt"))
    assert "changeLevel" in chronic.columns
    assert {row.reporting_year for row in chronic.rows} == {2099}
    small = [row for row in chronic.rows if row.small_denominator]
    assert small and all(row.curr_denom is not None and row.curr_denom < 150 for row in small)
    ela = read_dashboard_file(dashboard_file("eladownload2025.txt"))
    assert any(row.high_school_cut_points for row in ela.rows)
    assert {row.small_denominator for row in ela.rows} == {None}


def test_change_must_come_from_unrounded_statuses():
    """Recomputing change from the rounded published statuses misplaces exactly these rows."""
    wrong = []
    for name in FILES:
        rows = [
            dataclasses.replace(row, curr_numer=None, prior_numer=None, change=None)
            for row in read_dashboard_file(dashboard_file(name)).rows
        ]
        wrong += [(check.row.cds, check.row.student_group) for check in check_rows(rows).mismatches]
    assert sorted(wrong) == [
        ("01611190000000", "HI"),  # Alameda Unified graduation: 92.1 − 87.2 = 4.9, published 5.0 (level 5)
        ("01611190130229", "EO"),  # Alameda High ELA: 94.0 − 79.1 = 14.9, published 15.0 (level 5)
        ("01611430134924", "AA"),  # Berkeley Technology Academy graduation: -1.0, published -0.9 (level 3)
    ]


def test_small_denominator_flag_equals_fewer_than_150_students():
    for name in ("chronicdownload2025.txt", "graddownload2025.txt"):
        parsed = read_dashboard_file(dashboard_file(name))
        derived = [dataclasses.replace(row, small_denominator=None) for row in parsed.rows]
        assert check_rows(derived).differed == 0
