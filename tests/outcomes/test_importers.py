"""Outcome importers: real Dashboard files, the comparison rule, broken files, CAASPP and DataQuest layouts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from equitable.core.exceptions import NotPermitted
from equitable.network.models import School
from equitable.outcomes.importers import (
    MAX_REPORTED_ERRORS,
    OutcomeLayoutError,
    import_outcome_file,
)
from equitable.outcomes.models import OutcomeImport, OutcomeValue

DASHBOARD_FILES = ("eladownload2025.txt", "mathdownload2025.txt", "chronicdownload2025.txt", "graddownload2025.txt")
ALAMEDA_HIGH = "01611190130229"
SNAPSHOT_FIELDS = ("indicator", "year", "entity_type", "cds", "entity_name", "school_id", "student_group", "value",
                   "denominator", "numerator", "prior_value", "prior_denominator", "change", "status_level",
                   "change_level", "color", "box", "flags", "source", "comparison_only")


def dashboard(shared_data: Path, name: str) -> Path:
    return shared_data / "ca_dashboard_2025" / name


def data_rows(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip())


def snapshot():
    return sorted(OutcomeValue.objects.values_list(*SNAPSHOT_FIELDS), key=lambda row: [str(v) for v in row])


@pytest.fixture
def alameda_high(personas):
    """A network school whose rows are in the real Dashboard files."""
    return School.objects.create(cds_code=ALAMEDA_HIGH, name="Alameda High", level="high", membership="member",
                                 community=personas.watts, network=personas.network, joined_on=date(2020, 7, 1))


@pytest.mark.django_db
def test_real_dashboard_files_import_and_reimport_changes_nothing(shared_data):
    total = 0
    for name in DASHBOARD_FILES:
        path = dashboard(shared_data, name)
        result = import_outcome_file("dashboard", path, keep_comparison=True)
        assert result.ok, result.error_lines()
        assert result.rows_read == result.rows_written == data_rows(path)
        assert result.year == 2099  # these copies are relabelled 2099 (their README)
        total += result.rows_read
    assert OutcomeValue.objects.count() == total
    before = snapshot()
    state = OutcomeValue.objects.get(indicator="ELA", cds="00000000000000", student_group="ALL")
    assert (state.value, state.prior_value, state.change) == (Decimal("-8.1"), Decimal("-13.2"), Decimal("5.1"))
    assert (state.status_level, state.change_level, state.color, state.box) == (2, 4, 3, 190)
    assert state.entity_type == "state" and state.flags["currnsizemet"] == "Y" and state.source == "dashboard"
    chronic = OutcomeValue.objects.get(indicator="CHRO", cds="00000000000000", student_group="ALL")
    assert (chronic.numerator, chronic.denominator, chronic.value) == (681580, 3980860, Decimal("17.1"))

    for name in DASHBOARD_FILES:
        assert import_outcome_file("dashboard", dashboard(shared_data, name), keep_comparison=True).ok
    assert OutcomeValue.objects.count() == total
    assert snapshot() == before
    imports = OutcomeImport.objects.all()
    assert imports.count() == 8 and {i.kind for i in imports} == {"dashboard"}
    latest = imports.filter(file_name="eladownload2025.txt").first()
    assert (latest.indicator, latest.year, latest.rows_read) == ("ELA", 2099, 64)
    assert OutcomeValue.objects.filter(indicator="ELA", batch=latest).count() == 64


@pytest.mark.django_db
def test_school_rows_only_for_network_schools_unless_comparison_asked(shared_data, alameda_high):
    path = dashboard(shared_data, "eladownload2025.txt")
    result = import_outcome_file("dashboard", path)
    schools = OutcomeValue.objects.filter(entity_type="school")
    assert set(schools.values_list("cds", flat=True)) == {ALAMEDA_HIGH}
    assert all(v.school_id == alameda_high.pk and not v.comparison_only for v in schools)
    assert OutcomeValue.objects.filter(entity_type="state").exists()
    assert OutcomeValue.objects.filter(entity_type="district").exists()
    assert result.rows_skipped == result.rows_read - result.rows_written > 0

    again = import_outcome_file("dashboard", path, keep_comparison=True)
    assert again.rows_written == again.rows_read and again.rows_skipped == 0
    others = OutcomeValue.objects.filter(entity_type="school").exclude(cds=ALAMEDA_HIGH)
    assert others.exists() and all(v.comparison_only and v.school_id is None for v in others)
    assert not OutcomeValue.objects.filter(cds=ALAMEDA_HIGH, comparison_only=True).exists()


@pytest.mark.django_db
def test_a_bad_number_on_one_line_is_reported_by_row_and_nothing_is_written(shared_data, tmp_path):
    lines = dashboard(shared_data, "eladownload2025.txt").read_text(encoding="utf-8").splitlines()
    cells = lines[4].split("\t")
    cells[10] = "twelve"  # currstatus of row 5
    lines[4] = "\t".join(cells)
    broken = tmp_path / "eladownload2025.txt"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_outcome_file("dashboard", broken, keep_comparison=True)
    assert not result.ok
    assert [str(e) for e in result.errors] == ["row 5, column currstatus: 'twelve' is not a number"]
    assert result.rows_written == 0 and result.batch_id is None
    assert OutcomeValue.objects.count() == 0 and OutcomeImport.objects.count() == 0


@pytest.mark.django_db
def test_errors_are_capped_with_a_count_of_the_rest(tmp_path):
    header = ("cds\trtype\tstudentgroup\tcurrdenom\tcurrstatus\tpriordenom\tpriorstatus\tchange\tstatuslevel\t"
              "changelevel\tcolor\tbox\tindicator\treportingyear")
    rows = [f"0110017000000{i % 10}\tD\tALL\tmany\t1\t1\t1\t0\t0\t0\t0\t0\tCHRO\t2025" for i in range(250)]
    path = tmp_path / "chronicdownload2025.txt"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = import_outcome_file("dashboard", path)
    assert result.error_count == 250 and len(result.errors) == MAX_REPORTED_ERRORS
    assert result.error_lines()[-1] == "… and 50 more error(s)."
    assert OutcomeValue.objects.count() == 0


@pytest.mark.django_db
def test_a_repeated_key_is_an_error(shared_data, tmp_path):
    lines = dashboard(shared_data, "graddownload2025.txt").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "graddownload2025.txt"
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    result = import_outcome_file("dashboard", path, keep_comparison=True)
    assert [e.row for e in result.errors] == [len(lines) + 1]
    assert "repeats row 2" in result.errors[0].message
    assert OutcomeValue.objects.count() == 0


@pytest.mark.django_db
def test_wrong_layout_names_the_missing_columns(shared_data):
    with pytest.raises(OutcomeLayoutError, match="missing columns cds, rtype"):
        import_outcome_file("dashboard", shared_data / "caaspp_2025" / "StudentGroups_2025.txt")
    with pytest.raises(OutcomeLayoutError, match="missing column.*Test Year"):
        import_outcome_file("caaspp", dashboard(shared_data, "eladownload2025.txt"))
    with pytest.raises(OutcomeLayoutError, match="Reporting Category"):
        import_outcome_file("chronic", dashboard(shared_data, "chronicdownload2025.txt"))
    assert OutcomeImport.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_writes_nothing(shared_data):
    result = import_outcome_file("dashboard", dashboard(shared_data, "mathdownload2025.txt"), dry_run=True,
                                 keep_comparison=True)
    assert result.ok and result.rows_written == 63 and result.batch_id is None
    assert "dry run" in result.summary()
    assert OutcomeValue.objects.count() == 0 and OutcomeImport.objects.count() == 0


@pytest.mark.django_db
def test_xlsx_download_imports_like_the_text_file(shared_data, tmp_path):
    from openpyxl import Workbook

    text = dashboard(shared_data, "chronicdownload2025.txt")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("chronic")
    for number, line in enumerate(text.read_text(encoding="utf-8").splitlines()):
        cells = line.split("\t")
        if number:  # numbers as numbers, as CDE's workbooks have them
            cells = [int(c) if c.isdigit() and i > 8 else c for i, c in enumerate(cells)]
        sheet.append(cells)
    xlsx = tmp_path / "chronicdownload2025.xlsx"
    workbook.save(xlsx)
    result = import_outcome_file("dashboard", xlsx, keep_comparison=True)
    assert result.ok, result.error_lines()
    from_xlsx = snapshot()
    OutcomeValue.objects.all().delete()
    assert import_outcome_file("dashboard", text, keep_comparison=True).ok
    assert snapshot() == from_xlsx and len(from_xlsx) == 51


@pytest.mark.django_db
def test_only_academic_staff_and_admins_import(shared_data, personas):
    path = dashboard(shared_data, "graddownload2025.txt")
    for name in ("principal_a", "director", "staff_ops", "board", "partner"):
        with pytest.raises(NotPermitted):
            import_outcome_file("dashboard", path, acting_user=personas.user(name))
    assert OutcomeValue.objects.count() == 0
    result = import_outcome_file("dashboard", path, acting_user=personas.staff_academic)
    assert result.ok
    batch = OutcomeImport.objects.get()
    assert batch.imported_by == personas.staff_academic
    assert batch.history.first().history_user == personas.staff_academic


# CAASPP research files: synthetic files in each real layout. ---------------------------------------------

LAYOUT_2019 = ("County Code,District Code,School Code,Filler,Test Year,Subgroup ID,Test Type,Total Tested At Entity "
               "Level,Total Tested with Scores,Grade,Test Id,CAASPP Reported Enrollment,Students Tested,Mean Scale "
               "Score,Percentage Standard Exceeded,Percentage Standard Met,Percentage Standard Met and Above,"
               "Percentage Standard Nearly Met,Percentage Standard Not Met,Students with Scores,Area 1 Percentage "
               "Above Standard,Area 1 Percentage Near Standard,Area 1 Percentage Below Standard").split(",")
LAYOUT_2023 = ("County Code^District Code^School Code^Filler^Test Year^Student Group ID^Test Type^Total Tested at "
               "Reporting Level^Total Tested with Scores at Reporting Level^Grade^Test ID^Students Enrolled^Students "
               "Tested^Mean Scale Score^Percentage Standard Exceeded^Percentage Standard Met^Percentage Standard Met "
               "and Above^Percentage Standard Nearly Met^Percentage Standard Not Met^Area 1 Percentage Above "
               "Standard").split("^")
LAYOUT_2025 = ("County Code^District Code^School Code^Filler^Test Year^Type ID^Test Type^Test ID^Student Group ID^"
               "Grade^Total Students Enrolled^Total Students Tested^Total Students Tested with Scores^Mean Scale "
               "Score^Percentage Standard Exceeded^Count Standard Exceeded^Percentage Standard Met^Count Standard Met^"
               "Percentage Standard Met and Above^Count Standard Met and Above^Percentage Standard Nearly Met^Count "
               "Standard Nearly Met^Percentage Standard Not Met^Count Standard Not Met^Overall Total").split("^")
SCHOOL_A = ("19", "64733", "0000011")
OUTSIDE = ("19", "64733", "0000099")
ENTITIES = [(("00", "00000", "0000000"), 4), (("19", "64733", "0000000"), 6), (SCHOOL_A, 7), (OUTSIDE, 7)]


def caaspp_rows(year: int):
    """Per entity: groups 1 (ALL) and 160 (EL), ELA and math, grades 3, 4, 5 (suppressed) and 13; plus an
    unmapped group (3, male) that is skipped."""
    for codes, type_id in ENTITIES:
        for group in (1, 160, 3):
            for test in (1, 2):
                level3 = {1: {3: 2432, 4: 2473}, 2: {3: 2436, 4: 2485}}[test]
                for grade, students, mean, met in ((3, 100, level3[3] + 12, "55.10"), (4, 100, level3[4] - 4, "44.90"),
                                                   (5, "*", "*", "*"), (13, 200, 2500, "50.00")):
                    yield {"County Code": codes[0], "District Code": codes[1], "School Code": codes[2],
                           "Test Year": str(year), "Type ID": str(type_id), "Test Type": "B",
                           "Subgroup ID": str(group), "Student Group ID": str(group), "Test Id": str(test),
                           "Test ID": str(test), "Grade": str(grade), "Students with Scores": str(students),
                           "Total Tested with Scores at Reporting Level": str(students),
                           "Total Students Tested with Scores": str(students), "Mean Scale Score": str(mean),
                           "Percentage Standard Met and Above": met,
                           "Count Standard Met and Above": "100" if grade == 13 else "*"}


def write_delimited(path: Path, header, rows, delimiter: str, *, encoding="utf-8", newline="\n") -> Path:
    lines = [delimiter.join(header)] + [delimiter.join(row.get(column, "") for column in header) for row in rows]
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def write_entities(path: Path) -> Path:
    header = "County Code^District Code^School Code^Type ID^Filler^Test Year^County Name^District Name^School Name^Zip Code"
    names = ["^^^^4^^2025^State Of California^^^", "19^64733^0000000^6^^2025^Los Angeles^Los Angeles Unified^^",
             "19^64733^0000011^7^^2025^Los Angeles^Los Angeles Unified^Escuela Peñasco^90002",
             "19^64733^0000099^7^^2025^Los Angeles^Los Angeles Unified^Other Elementary^90003"]
    names[0] = "00^00000^0000000^4^^2025^State Of California^^^"
    path.write_bytes(("\r\n".join([header, *names]) + "\r\n").encode("latin-1"))
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(("layout", "header", "delimiter", "year"), [
    ("2015-2019", LAYOUT_2019, ",", 2019),
    ("2021-2023", LAYOUT_2023, "^", 2023),
    ("2024+", LAYOUT_2025, "^", 2025),
])
def test_caaspp_research_file_layouts(personas, tmp_path, layout, header, delimiter, year):
    path = write_delimited(tmp_path / f"sb_ca{year}_all.txt", header, caaspp_rows(year), delimiter)
    entities = write_entities(tmp_path / "entities.txt")
    result = import_outcome_file("caaspp", path, entities=entities)
    assert result.ok, result.error_lines()
    # state, district and school A (not the school outside the network) × 2 groups × (MET + DFS) × 2 subjects
    assert result.rows_written == 3 * 2 * 4
    assert OutcomeValue.objects.count() == 24
    met = OutcomeValue.objects.get(indicator="ELA_MET", cds="19647330000011", student_group="ALL", year=year)
    assert (met.value, met.denominator, met.entity_type, met.school) == (Decimal("50.00"), 200, "school",
                                                                         personas.school_a)
    assert met.entity_name == "Escuela Peñasco" and met.source == "caaspp"
    assert met.numerator == (100 if layout == "2024+" else None)
    dfs = OutcomeValue.objects.get(indicator="MATH_DFS", cds="19647330000000", student_group="EL")
    assert dfs.value == Decimal("4.0") and dfs.denominator == 200 and dfs.entity_type == "district"
    assert dfs.entity_name == "Los Angeles Unified" and dfs.flags["approximation"] is True
    assert dfs.flags["layout"] == layout and dfs.flags["grades"] == [3, 4]
    assert OutcomeValue.objects.get(indicator="ELA_DFS", cds="00000000000000", student_group="ALL").entity_type == "state"
    # re-import: same rows; with comparison rows the school outside the network comes too
    assert import_outcome_file("caaspp", path, entities=entities).rows_written == 24
    assert OutcomeValue.objects.count() == 24
    wider = import_outcome_file("caaspp", path, entities=entities, keep_comparison=True)
    assert wider.rows_written == 32
    assert OutcomeValue.objects.get(indicator="ELA_MET", cds="19647330000099", student_group="EL").comparison_only


@pytest.mark.django_db
def test_caaspp_suppressed_cells_are_empty_and_real_entities_file_names_the_district(personas, tmp_path, shared_data):
    rows = [row | {"Percentage Standard Met and Above": "*", "Students with Scores": "*"} if row["Grade"] == "13"
            else row for row in caaspp_rows(2019)]
    path = write_delimited(tmp_path / "sb_ca2019_all_csv_v4.txt", LAYOUT_2019, rows, ",")
    result = import_outcome_file("caaspp", path, entities=shared_data / "caaspp_2025" / "sb_ca2025entities_csv.txt")
    assert result.ok, result.error_lines()
    met = OutcomeValue.objects.get(indicator="MATH_MET", cds="19647330000000", student_group="ALL")
    assert met.value is None and met.denominator is None
    assert met.entity_name == "Los Angeles Unified"


@pytest.mark.django_db
def test_caaspp_bad_value_is_reported_by_row(personas, tmp_path):
    rows = list(caaspp_rows(2025))
    rows[5]["Mean Scale Score"] = "24x0"
    path = write_delimited(tmp_path / "sb_ca2025_all.txt", LAYOUT_2025, rows, "^")
    result = import_outcome_file("caaspp", path)
    assert [str(e) for e in result.errors] == ["row 7, column Mean Scale Score: '24x0' is not a number."]
    assert OutcomeValue.objects.count() == 0


# DataQuest chronic absenteeism and ACGR files. -------------------------------------------------------------

CHRONIC_HEADER = ["Academic Year", "Aggregate Level", "County Code", "District Code", "School Code", "County Name",
                  "District Name", "School Name", "Charter School", "DASS", "Reporting Category",
                  "ChronicAbsenteeismEligibleCumulativeEnrollment", "ChronicAbsenteeismCount",
                  "ChronicAbsenteeismRate"]
ACGR_HEADER = ["AcademicYear", "AggregateLevel", "CountyCode", "DistrictCode", "SchoolCode", "CountyName",
               "DistrictName", "SchoolName", "CharterSchool", "DASS", "ReportingCategory", "CohortStudents",
               "Regular HS Diploma Graduates (Count)", "Regular HS Diploma Graduates (Rate)", "Dropout (Count)",
               "Dropout (Rate)"]


def dataquest_rows(header, measures):
    places = [("T", "", "", "", "State", "", ""), ("D", "19", "64733", "", "Los Angeles", "Los Angeles Unified", ""),
              ("S", "19", "64733", "0000022", "Los Angeles", "Los Angeles Unified", "Bravo Middle"),
              ("S", "19", "64733", "0000099", "Los Angeles", "Los Angeles Unified", "Other Middle")]
    for level, county, district, school, county_name, district_name, school_name in places:
        charters = ("No",) if level == "S" else ("All", "Yes", "No")
        for charter in charters:
            for category in ("TA", "RH", "SE", "GM"):
                cells = [("2023-24" if level != "D" else "2023-2024"), level, county, district, school, county_name,
                         district_name, school_name, charter, "All" if level != "S" else "No", category]
                numbers = measures(level, charter, category)
                yield dict(zip(header, cells + numbers, strict=True))


@pytest.mark.django_db
def test_dataquest_chronic_absenteeism(personas, tmp_path):
    def measures(level, charter, category):
        if level == "S" and category == "SE":
            return ["9", "*", "*"]
        return ["400", "100", "25.0" if charter == "All" or level == "S" else "99.9"]

    path = write_delimited(tmp_path / "chronicabsenteeism24.txt", CHRONIC_HEADER,
                           dataquest_rows(CHRONIC_HEADER, measures), "\t")
    result = import_outcome_file("chronic", path)
    assert result.ok, result.error_lines()
    # state, district, Bravo Middle × TA, RH, SE (GM is not a Dashboard group; charter Yes/No rows skipped)
    assert result.rows_written == 9
    values = OutcomeValue.objects.all()
    assert {v.indicator for v in values} == {"CHRO_K12"} and {v.year for v in values} == {2024}
    assert {v.value for v in values if v.student_group != "EL" or v.entity_type != "school"} == {Decimal("25.0")}
    state = values.get(entity_type="state", student_group="HI")
    assert (state.cds, state.denominator, state.numerator, state.source) == ("00000000000000", 400, 100, "dataquest")
    suppressed = values.get(entity_type="school", student_group="EL")
    assert suppressed.value is None and suppressed.numerator is None and suppressed.denominator == 9
    assert suppressed.school == personas.school_b and suppressed.flags["charter"] == "No"
    assert values.get(entity_type="district", student_group="ALL").entity_name == "Los Angeles Unified"
    assert import_outcome_file("chronic", path, keep_comparison=True).rows_written == 12


@pytest.mark.django_db
def test_dataquest_acgr_and_a_bad_rate(personas, tmp_path):
    def measures(level, charter, category):
        return ["50", "45", "90.0", "2", "4.0"]

    rows = list(dataquest_rows(ACGR_HEADER, measures))
    path = write_delimited(tmp_path / "acgr24.txt", ACGR_HEADER, rows, "\t")
    result = import_outcome_file("acgr", path)
    assert result.ok and result.rows_written == 9
    grad = OutcomeValue.objects.get(indicator="ACGR", entity_type="district", student_group="ALL")
    assert (grad.value, grad.denominator, grad.numerator, grad.year) == (Decimal("90.0"), 50, 45, 2024)
    assert grad.flags == {"Dropout (Count)": "2", "Dropout (Rate)": "4.0"}

    rows[0]["Regular HS Diploma Graduates (Rate)"] = "ninety"
    broken = write_delimited(tmp_path / "acgr24b.txt", ACGR_HEADER, rows, "\t")
    result = import_outcome_file("acgr", broken)
    assert [str(e) for e in result.errors] == [
        "row 2, column Regular HS Diploma Graduates (Rate): 'ninety' is not a number."]
    assert OutcomeValue.objects.count() == 9  # the earlier import stands; nothing of the broken file written
