"""The download-file reader and the replay check, on synthetic rows in the layouts of the indicators
that have no real file here (suspension, ELPI, CCI, science; DOMAIN.md 3.8: "alike" the chronic and
graduation files), and on files that are not Dashboard downloads.

The expected levels, colours and boxes below were worked by hand from DOMAIN.md's tables (3.3-3.5);
the comment on each row shows the working.
"""

from __future__ import annotations

import pytest

from equitable.outcomes.dashboard import (
    DashboardFileError,
    Indicator,
    SuspensionType,
    check_dashboard_file,
    check_rows,
    parse_dashboard_text,
    read_dashboard_file,
)

ENTITY = ["cds", "rtype", "schoolname", "districtname", "countyname", "charter_flag", "coe_flag", "dass_flag"]
TAIL = ["currnsizemet", "priornsizemet", "accountabilitymet", "indicator", "reportingyear"]
RATE = [
    "studentgroup",
    "currnumer",
    "currdenom",
    "currstatus",
    "priornumer",
    "priordenom",
    "priorstatus",
    "change",
]
PLAIN = ["studentgroup", "currdenom", "currstatus", "priordenom", "priorstatus", "change"]
RESULT = ["statuslevel", "changelevel", "color", "box"]
# Component-count columns are illustrative (the reader ignores columns it does not need).
LAYOUTS = {
    Indicator.SUSPENSION: ENTITY + RATE + RESULT + ["smalldenom", "type"] + TAIL,
    Indicator.ELPI: ENTITY
    + PLAIN
    + RESULT
    + ["currnumprogressed", "currnummaintainpl4", "currnumdeclined"]
    + TAIL,
    Indicator.CCI: ENTITY + RATE + RESULT + ["smalldenom", "currnumapproaching", "currnumnotprepared"] + TAIL,
    Indicator.SCIENCE: ENTITY + PLAIN + RESULT + ["currprate", "priorprate"] + TAIL,
}
CDS = {"S": "01611190130229", "D": "01611190000000", "X": "00000000000000"}


def dashboard_text(indicator: Indicator, rows: list[dict[str, str]], *, code: str | None = None) -> str:
    header = LAYOUTS[indicator]
    lines = ["\t".join(header)]
    for cells in rows:
        cells = {
            "cds": CDS[cells["rtype"]],
            "indicator": code or indicator.value,
            "reportingyear": "2025",
            **cells,
        }
        lines.append("\t".join(cells.get(column, "") for column in header))
    return "\n".join(lines) + "\n"


def rate_row(rtype, group, cn, cd, cs, pn, pd, ps, change, sl, cl, color, box, **extra):
    names = ["currnumer", "currdenom", "currstatus", "priornumer", "priordenom", "priorstatus", "change"]
    cells = dict(zip(names, [cn, cd, cs, pn, pd, ps, change], strict=True))
    cells.update(
        rtype=rtype, studentgroup=group, statuslevel=sl, changelevel=cl, color=color, box=box, **extra
    )
    return {key: str(value) for key, value in cells.items()}


def plain_row(rtype, group, cd, cs, pd, ps, change, sl, cl, color, box):
    names = ["currdenom", "currstatus", "priordenom", "priorstatus", "change"]
    cells = dict(zip(names, [cd, cs, pd, ps, change], strict=True))
    cells.update(rtype=rtype, studentgroup=group, statuslevel=sl, changelevel=cl, color=color, box=box)
    return {key: str(value) for key, value in cells.items()}


SUSPENSION_ROWS = [
    # ES 3.0 in 1.1..3.0 → 3; -1.0 ≤ -1.0 → DS 5; standard s3c5 → 4; box 10·(2·5+5)
    rate_row("S", "ALL", 15, 500, "3.0", 20, 500, "4.0", "-1.0", 3, 5, 4, 150, type="ES", smalldenom="N"),
    # MS 12.0 in 8.1..12.0 → 2; 2.0 in 0.3..4.0 → 2; s2c2 → 2
    rate_row("S", "ALL", 60, 500, "12.0", 50, 500, "10.0", "2.0", 2, 2, 2, 170, type="MS", smalldenom="N"),
    # HS 10.2 ≥ 10.1 → 1; 0.2 → maintained 3; s1c3 → 1
    rate_row("S", "ALL", 51, 500, "10.2", 50, 500, "10.0", "0.2", 1, 3, 1, 230, type="HS", smalldenom="N"),
    # ED 0.5 → 5; -2.0 → 5; s5c5 → 5
    rate_row("D", "ALL", 5, 1000, "0.5", 25, 1000, "2.5", "-2.0", 5, 5, 5, 50, type="ED", smalldenom="N"),
    # HD 3.5 in 1.6..3.5 → 4; 0.5 in 0.5..3.0 → 2; s4c2 → 3
    rate_row("D", "ALL", 35, 1000, "3.5", 30, 1000, "3.0", "0.5", 4, 2, 3, 70, type="HD", smalldenom="N"),
    # UD 8.1 → 1; 2.1 → 1; s1c1 → 1
    rate_row("D", "ALL", 81, 1000, "8.1", 60, 1000, "6.0", "2.1", 1, 1, 1, 210, type="UD", smalldenom="N"),
    # small: ES 5.0 → 2; 4.0 → IS 1, folded to 2; s2c2 → 2
    rate_row("S", "SED", 5, 100, "5.0", 1, 100, "1.0", "4.0", 2, 2, 2, 170, type="ES", smalldenom="Y"),
    # small, foster youth at LEA level (n-size 15): UD 10.0 → 1; -2.5 → DS 5 folded to 4; s1c4 → 2
    rate_row("D", "FOS", 2, 20, "10.0", 2, 16, "12.5", "-2.5", 1, 4, 2, 240, type="UD", smalldenom="Y"),
    # the same at school level: n-size 30, no colour
    rate_row("S", "FOS", 2, 20, "10.0", 2, 16, "12.5", "-2.5", 1, 4, 0, 0, type="ES", smalldenom="Y"),
    # unrounded change: 0.26 − 0.54 = -0.28 → -0.3 → D 4 (rounded statuses would give -0.2 → 3); s5c4 → 5
    rate_row("S", "ALL", 26, 10000, "0.3", 54, 10000, "0.5", "-0.3", 5, 4, 5, 40, type="ES", smalldenom="N"),
    # EO is reported without a colour: MS 10.0 → 2; 0.0 → 3
    rate_row("S", "EO", 40, 400, "10.0", 40, 400, "10.0", "0.0", 2, 3, 0, 0, type="MS", smalldenom="N"),
    # status only: HS 1.5 in 0.6..1.5 → 4
    rate_row("S", "ALL", 3, 200, "1.5", "", "", "", "", 4, 0, 0, 0, type="HS", smalldenom="N"),
]
ELPI_ROWS = [
    plain_row("S", "ALL", 200, "65.0", 180, "55.0", "10.0", 5, 5, 5, 50),  # s5c5 → 5
    plain_row("S", "EL", 200, "54.9", 180, "56.9", "-2.0", 3, 2, 2, 120),  # s3c2 → 2
    plain_row("D", "ALL", 1000, "34.9", 1000, "33.0", "1.9", 1, 3, 1, 230),  # s1c3 → 1
    plain_row("S", "LTEL", 20, "50.0", 25, "40.0", "10.0", 3, 5, 0, 0),  # school LTEL needs 30
    plain_row("D", "LTEL", 20, "50.0", 25, "40.0", "10.0", 3, 5, 4, 150),  # LEA LTEL needs 15; s3c5 → 4
    plain_row("S", "ALL", 300, "45.0", 300, "55.1", "-10.1", 3, 1, 2, 110),  # s3c1 → 2
    plain_row("X", "ALL", 100, "60.0", "", "", "", 4, 0, 0, 0),  # status only
    plain_row("S", "HI", 40, "70.0", 40, "58.0", "12.0", 5, 5, 5, 50),  # no small-denominator fold in ELPI
]
CCI_ROWS = [
    rate_row("S", "ALL", 210, 300, "70.0", 183, 300, "61.0", "9.0", 5, 5, 5, 50, smalldenom="N"),  # s5c5
    rate_row("S", "SED", 550, 1000, "55.0", 641, 1000, "64.1", "-9.1", 4, 1, 2, 60, smalldenom="N"),  # s4c1
    rate_row("D", "ALL", 99, 1000, "9.9", 79, 1000, "7.9", "2.0", 1, 4, 2, 240, smalldenom="N"),  # s1c4
    # small: 35.0 → 3; 35 − 25.56 = 9.44 → 9.4 → IS 5, folded to 4; s3c4 → 4
    rate_row("S", "HI", 35, 100, "35.0", 23, 90, "25.6", "9.4", 3, 4, 4, 140, smalldenom="Y"),
    # small: 10.0 → 2; -11.7 → DS 1, folded to 2; s2c2 → 2
    rate_row("S", "AA", 6, 60, "10.0", 13, 60, "21.7", "-11.7", 2, 2, 2, 170, smalldenom="Y"),
    rate_row("S", "WH", 50, 100, "50.0", "", "", "", "", 3, 0, 0, 0, smalldenom="Y"),  # status only
]
SCIENCE_ROWS = [
    plain_row("S", "ALL", 200, "65.0", 200, "60.0", "5.0", 5, 5, 5, 50),  # academic s5c5 → 5
    plain_row("S", "SED", 200, "64.9", 200, "70.0", "-5.1", 4, 1, 4, 60),  # academic s4c1 → 4
    plain_row("D", "ALL", 500, "44.9", 500, "40.0", "4.9", 2, 4, 3, 190),  # academic s2c4 → 3
    plain_row("S", "HI", 100, "34.9", 100, "32.9", "2.0", 1, 4, 2, 240),  # academic s1c4 → 2
    plain_row("X", "CAA", 5000, "50.0", 5000, "52.0", "-2.0", 3, 2, 0, 0),  # CAA: no colour
    plain_row("S", "EL", 40, "55.0", 40, "56.9", "-1.9", 4, 3, 4, 80),  # academic s4c3 → 4
    plain_row("S", "SWD", 12, "30.0", 20, "28.0", "2.0", 1, 4, 0, 0),  # n-size
]
SYNTHETIC = {
    Indicator.SUSPENSION: SUSPENSION_ROWS,
    Indicator.ELPI: ELPI_ROWS,
    Indicator.CCI: CCI_ROWS,
    Indicator.SCIENCE: SCIENCE_ROWS,
}


@pytest.mark.parametrize("indicator", list(SYNTHETIC), ids=lambda i: i.name)
def test_synthetic_rows_in_the_real_layouts_all_match(indicator):
    parsed = parse_dashboard_text(dashboard_text(indicator, SYNTHETIC[indicator]), name="synthetic.txt")
    assert parsed.indicator is indicator
    check = check_rows(parsed.rows)
    assert (check.rows, check.differed) == (len(SYNTHETIC[indicator]), 0), check.report()


def test_suspension_rows_carry_their_type():
    parsed = parse_dashboard_text(dashboard_text(Indicator.SUSPENSION, SUSPENSION_ROWS))
    assert [row.suspension_type for row in parsed.rows[:6]] == [
        SuspensionType(t) for t in "ES MS HS ED HD UD".split()
    ]


def test_a_wrong_published_value_is_reported():
    rows = [dict(SCIENCE_ROWS[0], color="4"), *SCIENCE_ROWS[1:]]
    check = check_rows(parse_dashboard_text(dashboard_text(Indicator.SCIENCE, rows)).rows)
    assert (check.rows, check.matched, check.differed) == (7, 6, 1)
    assert check.mismatches[0].differences == ("color",)
    assert "color published 4, computed 5" in check.report()


def test_a_wrong_published_change_is_reported_when_recomputed_from_counts():
    rows = [dict(CCI_ROWS[0], change="9.1")]
    check = check_rows(parse_dashboard_text(dashboard_text(Indicator.CCI, rows)).rows)
    assert check.mismatches[0].differences == ("change",)


def test_suspension_row_without_a_type_cannot_be_computed():
    rows = [dict(SUSPENSION_ROWS[0], type="")]
    check = check_rows(parse_dashboard_text(dashboard_text(Indicator.SUSPENSION, rows)).rows)
    assert check.differed == 1
    assert "type" in check.mismatches[0].describe()


# ---------------------------------------------------------------- detecting the indicator


def test_indicator_from_the_column_the_file_name_or_the_caller():
    text = dashboard_text(Indicator.SCIENCE, SCIENCE_ROWS)
    assert parse_dashboard_text(text).indicator is Indicator.SCIENCE
    assert parse_dashboard_text(text, name="sciencedownload2025.txt").indicator is Indicator.SCIENCE
    blank = dashboard_text(Indicator.ELPI, ELPI_ROWS, code=" ")
    assert parse_dashboard_text(blank, name="elpidownload2025.txt").indicator is Indicator.ELPI
    assert parse_dashboard_text(blank, indicator="ELPI").indicator is Indicator.ELPI


def test_indicator_from_the_columns_alone():
    text = dashboard_text(Indicator.SUSPENSION, SUSPENSION_ROWS, code=" ")
    assert parse_dashboard_text(text).indicator is Indicator.SUSPENSION


def test_an_undetectable_indicator_is_an_error():
    with pytest.raises(DashboardFileError, match="cannot tell which indicator"):
        parse_dashboard_text(dashboard_text(Indicator.ELPI, ELPI_ROWS, code=" "), name="upload.txt")


def test_disagreeing_sources_are_an_error():
    with pytest.raises(DashboardFileError, match="ambiguous"):
        parse_dashboard_text(dashboard_text(Indicator.SCIENCE, SCIENCE_ROWS), name="eladownload2025.txt")
    with pytest.raises(DashboardFileError, match="ambiguous"):
        parse_dashboard_text(dashboard_text(Indicator.SCIENCE, SCIENCE_ROWS), indicator="MATH")


def test_a_file_mixing_indicators_is_an_error():
    text = (
        dashboard_text(Indicator.SCIENCE, SCIENCE_ROWS[:1])
        + dashboard_text(Indicator.SCIENCE, SCIENCE_ROWS[:1], code="ELPI").split("\n", 1)[1]
    )
    with pytest.raises(DashboardFileError, match="mixes indicators"):
        parse_dashboard_text(text)


def test_an_indicator_specific_column_is_required():
    text = dashboard_text(Indicator.SUSPENSION, SUSPENSION_ROWS).replace("\ttype\t", "\tkind\t", 1)
    with pytest.raises(DashboardFileError, match="SUSPENSION file without its `type` column"):
        parse_dashboard_text(text)


# ---------------------------------------------------------------- files that are not Dashboard downloads


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("\n\n", "is empty"),
        ("CDSCode,School,Charter\n01611190130229,Alameda High,N\n", "tab-delimited"),
        (
            "County Code^District Code^School Code^Test Year^Grade^Mean Scale Score\n01^61119^0130229^2025^11^2600\n",
            "not a California School Dashboard download file",
        ),
        ("cds\trtype\tstudentgroup\tcurrstatus\n01\tS\tALL\t1.0\n", "missing columns currdenom, priordenom"),
    ],
)
def test_not_a_dashboard_file(text, message):
    with pytest.raises(DashboardFileError, match=message):
        parse_dashboard_text(text, name="upload.txt")


def test_every_bad_cell_is_reported_with_line_and_column():
    rows = [
        dict(SCIENCE_ROWS[0], statuslevel="7"),
        dict(SCIENCE_ROWS[1], color="red"),
        dict(SCIENCE_ROWS[2], currstatus="n/a", box="45"),
    ]
    text = dashboard_text(Indicator.SCIENCE, [{**row, "rtype": "S"} for row in rows])
    text = text.replace("\tS\t\t\t\t\t\t\tSED", "\tQ\t\t\t\t\t\t\tSED")
    with pytest.raises(DashboardFileError) as caught:
        parse_dashboard_text(text, name="sciencedownload2025.txt")
    issues = [str(issue) for issue in caught.value.issues]
    assert issues == [
        "line 2, column statuslevel: 7 is outside 0..5",
        "line 3, column rtype: 'Q' is not S, D or X",
        "line 3, column color: 'red' is not a whole number",
        "line 4, column currstatus: 'n/a' is not a number",
        "line 4, column box: 45 is not a multiple of 10",
    ]
    assert "sciencedownload2025.txt has 5 unreadable cells" in str(caught.value)


def test_a_row_with_the_wrong_number_of_fields_is_reported():
    text = dashboard_text(Indicator.SCIENCE, SCIENCE_ROWS[:2]) + "01\tS\tonly three\n"
    with pytest.raises(DashboardFileError, match="line 4: has 3 fields, the header has"):
        parse_dashboard_text(text)


def test_read_from_disk_in_utf8_or_windows_1252(tmp_path):
    rows = [dict(SCIENCE_ROWS[0], schoolname="Isaac R. Montañez Elementary")]
    text = dashboard_text(Indicator.SCIENCE, rows)
    for encoding in ("utf-8", "utf-8-sig", "cp1252"):
        path = tmp_path / f"sciencedownload2025-{encoding}.txt"
        path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
        parsed = read_dashboard_file(path)
        assert parsed.rows[0].school_name == "Isaac R. Montañez Elementary"
        assert check_dashboard_file(path).differed == 0
