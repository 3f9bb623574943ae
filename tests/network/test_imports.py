"""Imports and exports of the registry: schools, enrollment, people and the CDE school directory."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from equitable.core.imports import import_kind, run_import
from equitable.network.models import Enrollment, Person, School, StaffAssignment

pytestmark = pytest.mark.django_db


SCHOOL_HEADER = "cds_code,name,level,grades,zip,community,membership,joined_on,join_route\n"


def run(kind: str, content: str | bytes, *, user=None, dry_run=False, filename="file.csv", **options):
    data = content.encode() if isinstance(content, str) else content
    return run_import(import_kind(kind).make(acting_user=user, **options), data, filename=filename, dry_run=dry_run)


def history_rows() -> int:
    return sum(m.history.count() for m in (School, Enrollment, Person, StaffAssignment))


def errors(result) -> list[str]:
    return [str(e) for e in result.errors]


def directory_file(shared_data):
    return shared_data / "cde_directory" / "pubschls_lausd.txt"


# The CDE public school directory -----------------------------------------------------------------------

def test_cde_directory_imports_the_real_file_then_changes_nothing(personas, shared_data):
    content = directory_file(shared_data).read_bytes()
    # a network school already registered under a real CDS code: directory fields update, membership stays
    member = School.objects.create(cds_code="19647330100289", name="N.E.W. Academy (old name)", level="elementary",
                                   community=personas.watts, network=personas.network, membership="member",
                                   joined_on=date(2020, 7, 1))
    before = School.objects.count()

    result = run("cde-directory", content, filename="pubschls_lausd.txt", district="1964733")

    assert result.ok, errors(result)[:5]
    assert result.total == 1388 and result.skipped == 1  # the district row (school part 0000000)
    assert (result.created, result.updated, result.unchanged) == (1386, 1, 0)
    assert School.objects.count() == before + 1386
    member.refresh_from_db()
    assert member.name == "N.E.W. Academy of Science and Arts"
    assert (member.membership, member.community, member.joined_on) == ("member", personas.watts, date(2020, 7, 1))
    assert (member.grade_low, member.grade_high, member.charter) == (0, 5, True)
    assert member.latitude == Decimal("34.059302") and member.zip_code == "90017-1142"
    assert member.school_type == "Elementary Schools (Public)" and member.directory_status == "Active"
    newcomer = School.objects.get(cds_code="19647330100677")
    assert (newcomer.name, newcomer.level, newcomer.grades, newcomer.membership) == ("High Tech LA", "high", "9–12", "none")
    assert newcomer.network is None and newcomer.community is None
    assert School.objects.filter(directory_status="Closed").count() == 297
    assert not School.objects.filter(cds_code="19647330000000").exists()
    ungraded = School.objects.filter(grade_low__isnull=True, membership="none")
    assert ungraded.exists() and set(ungraded.values_list("level", flat=True)) <= {"elementary", "middle", "high", "span"}

    history = history_rows()
    again = run("cde-directory", content, filename="pubschls_lausd.txt", district="1964733")
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 1387)
    assert history_rows() == history


def test_cde_directory_broken_copy_writes_nothing_and_reports_every_row(personas, shared_data, tmp_path):
    lines = directory_file(shared_data).read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    cds, lat = header.index("CDSCode"), header.index("Latitude")
    row500 = lines[499].split("\t")
    row500[cds] = row500[cds][:-1] + "X"
    lines[499] = "\t".join(row500)
    row900 = lines[899].split("\t")
    row900[lat] = "north"
    lines[899] = "\t".join(row900)
    broken = tmp_path / "pubschls_broken.txt"
    broken.write_text("\n".join(lines), encoding="utf-8")
    before, history = School.objects.count(), history_rows()

    result = run("cde-directory", broken.read_bytes(), filename=broken.name, district="1964733")

    assert [(e.row, e.column) for e in result.errors] == [(500, "CDSCode"), (900, "Latitude")]
    assert "digits only" in result.errors[0].message
    assert "'north' is not a number" in result.errors[1].message
    assert result.summary().startswith("2 error(s)")
    assert School.objects.count() == before and history_rows() == history


def small_directory(shared_data, rows: int = 12) -> list[str]:
    return directory_file(shared_data).read_text(encoding="utf-8").split("\n")[: rows + 1]


def test_cde_directory_district_filter_and_bad_grade_span(personas, shared_data):
    lines = small_directory(shared_data)
    other = run("cde-directory", "\n".join(lines), filename="d.txt", district="0161119", dry_run=True)
    assert other.ok and other.skipped == 12 and other.created == 0

    header = lines[0].split("\t")
    cells = lines[3].split("\t")
    cells[header.index("GSserved")] = "Q-5"
    lines[3] = "\t".join(cells)
    result = run("cde-directory", "\n".join(lines), filename="d.txt")
    assert [(e.row, e.column) for e in result.errors] == [(4, "GSserved")]
    assert "not a grade span" in result.errors[0].message
    assert not School.objects.filter(membership="none").exists()

    with pytest.raises(ValueError, match="7 digits"):
        import_kind("cde-directory").make(district="19647")


def test_cde_directory_rejects_a_file_of_another_layout(personas):
    result = run("cde-directory", "cds_code,school_year,total\n19647330000011,2025-26,400\n", filename="enrollment.csv")
    assert len(result.errors) == 1 and result.errors[0].row == 1
    message = result.errors[0].message
    assert "missing column(s) CDSCode, StatusType, School" in message and "cde-directory" in message
    assert School.objects.count() == 3


# Schools -----------------------------------------------------------------------------------------------

def test_school_import_creates_updates_and_leaves_unchanged(personas):
    content = SCHOOL_HEADER + (
        "19647330000011,Alpha Elementary,elementary,TK-5,90002,Watts,member,2016-07-01,district\n"
        "19647330000022,Bravo Middle School,middle,6-8,90033,boyle-heights,member,12/1/2007,vote\n"
        "19647330000044,Delta Elementary,,K-5,90059,watts,member,8/15/2024,petition\n"
    )
    result = run("schools", content, user=personas.staff_ops)
    assert result.ok, errors(result)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert [(p.row, p.outcome) for p in result.preview] == [(2, "unchanged"), (3, "updated"), (4, "created")]
    delta = School.objects.get(cds_code="19647330000044")
    assert (delta.level, delta.grades, delta.community, delta.network) == ("elementary", "K–5", personas.watts,
                                                                           personas.network)
    assert delta.joined_on == date(2024, 8, 15) and delta.join_route == "petition"
    assert delta.history.get().history_user == personas.staff_ops
    bravo = School.objects.get(pk=personas.school_b.pk)
    assert bravo.name == "Bravo Middle School"
    assert bravo.history.latest().history_user == personas.staff_ops

    history = history_rows()
    again = run("schools", content, user=personas.staff_ops)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert history_rows() == history


def test_school_import_dry_run_writes_nothing(personas):
    content = SCHOOL_HEADER + "19647330000044,Delta Elementary,,K-5,90059,Watts,member,2024-08-15,petition\n"
    history = history_rows()
    result = run("schools", content, user=personas.admin, dry_run=True)
    assert result.ok and result.created == 1
    assert "would be created" in result.summary()
    assert not School.objects.filter(cds_code="19647330000044").exists()
    assert history_rows() == history


def test_school_import_reports_unknown_community_duplicates_and_model_rules(personas):
    content = SCHOOL_HEADER + (
        "19647330000044,Delta Elementary,,K-5,90059,Watts,member,2024-08-15,\n"
        "19647330000055,Echo Elementary,,K-5,9005,Watts,member,,\n"
        "19647330000044,Delta Again,,K-5,90059,Watts,none,,\n"
        "19647330000066,Golf Elementary,,K-5,90059,Westlake,member,2024-08-15,\n"
        "1964733,Foxtrot,,5-K,90059,Watts,maybe,2024-31-01,\n"
    )
    result = run("schools", content, user=personas.admin)
    assert errors(result) == [
        "row 3, column joined_on: A school in the network needs the date it joined.",
        "row 3, column zip: A ZIP code is 5 digits, optionally followed by -4 digits.",
        "row 4: duplicate of row 2 (19647330000044).",
        "row 5, column community: unknown community 'Westlake'; known communities: Boyle Heights, Watts.",
        "row 6, column cds_code: CDS code 1964733 has 7 digits; a CDS code has 14 (county 2, district 5, school 7).",
        "row 6, column grades: '5-K' runs backwards (lowest grade after highest).",
        "row 6, column membership: 'maybe' is not one of member, former, none.",
        "row 6, column joined_on: '2024-31-01' is not a date; write 2025-07-01 or 7/1/2025.",
    ]
    assert School.objects.count() == 3


def test_school_import_rejects_unknown_columns(personas):
    result = run("schools", "cds_code,name,comunity\n19647330000044,Delta,Watts\n", user=personas.admin)
    assert len(result.errors) == 1
    assert result.errors[0].message.startswith("unknown column(s) comunity;")


def test_school_import_from_xlsx(personas):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["cds_code", "name", "grades", "community", "membership", "joined_on", "latitude", "longitude",
                  "charter"])
    sheet.append(["19647330000044", "Delta Elementary", "K-5", "Watts", "member", date(2024, 8, 15), 33.94, -118.24,
                  "N"])
    sheet.append([19647330000055, "Echo Middle", "6-8", "Boyle Heights", "none", None, None, None, "Y"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = run("schools", buffer.getvalue(), user=personas.staff_ops, filename="schools.xlsx")

    assert result.ok, errors(result)
    delta = School.objects.get(cds_code="19647330000044")
    assert (delta.joined_on, delta.latitude, delta.level) == (date(2024, 8, 15), Decimal("33.94"), "elementary")
    echo = School.objects.get(cds_code="19647330000055")
    assert (echo.level, echo.charter, echo.community) == ("middle", True, personas.boyle)


def test_school_import_is_checked_against_the_users_permissions(personas):
    content = SCHOOL_HEADER + (
        "19647330000011,Alpha Renamed,elementary,TK-5,90002,Watts,member,2016-07-01,district\n"
        "19647330000044,Delta Elementary,,K-5,90059,Watts,member,2024-08-15,petition\n"
    )
    result = run("schools", content, user=personas.staff_talent)
    assert errors(result) == ["row 2: You may not change this school.", "row 3: You may not add this school."]
    assert School.objects.get(pk=personas.school_a.pk).name == "Alpha Elementary"
    assert not School.objects.filter(cds_code="19647330000044").exists()


# Enrollment --------------------------------------------------------------------------------------------

ENROLLMENT_HEADER = "cds_code,school_year,total,unduplicated,grade_TK,grade_K,grade_6,grade_7,grade_8,SED,EL,HI\n"


def test_enrollment_import_upserts_by_school_and_year(personas):
    content = ENROLLMENT_HEADER + (
        "19647330000022,2025-26,610,560,,,200,200,210,540,120,590\n"
        "19647330000033,2025-26,300,,,,,,,,,\n"
    )
    result = run("enrollment", content, user=personas.staff_ops)
    assert result.ok, errors(result)
    assert (result.created, result.updated) == (1, 1)
    bravo = Enrollment.objects.get(pk=personas.enrollment_b.pk)
    assert bravo.total == 610 and bravo.by_grade == {"6": 200, "7": 200, "8": 210}
    assert bravo.by_group == {"SED": 540, "EL": 120, "HI": 590}
    charlie = Enrollment.objects.get(school=personas.school_c)
    assert charlie.total == 300 and charlie.by_grade == {} and charlie.unduplicated is None

    history = history_rows()
    again = run("enrollment", content, user=personas.staff_ops)
    assert again.ok and again.unchanged == 2 and history_rows() == history


def test_enrollment_import_reports_unknown_school_year_and_sums(personas):
    content = ENROLLMENT_HEADER + (
        "19647330000099,2025-26,100,,,,,,,,,\n"
        "19647330000022,2031-32,100,,,,,,,,,\n"
        "19647330000022,2025-26,100,,,,30,30,30,,,\n"
        "19647330000011,2025-26,-5,,,,,,,,,\n"
    )
    result = run("enrollment", content, user=personas.admin)
    assert errors(result) == [
        "row 2, column cds_code: unknown school 19647330000099: import it first (schools or CDE directory).",
        "row 3, column school_year: unknown school year '2031-32'; known years: 2025-26.",
        "row 4, column grade_*: Grade counts add up to 90 but the total is 100.",
        "row 5, column total: '-5' is not a whole number of 0 or more.",
    ]
    assert Enrollment.objects.get(pk=personas.enrollment_b.pk).total == 600


def test_enrollment_import_by_operations_not_talent(personas):
    content = ENROLLMENT_HEADER + "19647330000033,2025-26,300,,,,,,,,,\n"
    assert errors(run("enrollment", content, user=personas.staff_talent)) == [
        "row 2: You may not add this enrollment."]
    assert run("enrollment", content, user=personas.staff_ops).created == 1


# People ------------------------------------------------------------------------------------------------

PEOPLE_HEADER = "first_name,last_name,email,title,department,cds_code,role,pathway,start_date\n"


def test_people_import_creates_people_and_assignments(personas):
    content = PEOPLE_HEADER + (
        "Rosa,Reyes,rosa@example.org,Teacher,,19647330000011,teacher_leader,instruction,8/14/2025\n"
        "Rosa,Reyes,rosa@example.org,Teacher,,19647330000022,ILT member,,\n"
        "Omar,Ortiz,omar@example.org,Operations Manager,operations,,,,\n"
        "Tess,Teacher,tess@example.org,,,19647330000022,teacher_leader,arts,\n"
    )
    result = run("people", content, user=personas.staff_talent)
    assert result.ok, errors(result)
    assert [p.outcome for p in result.preview] == ["created", "created", "created", "unchanged"]
    rosa = Person.objects.get(email="rosa@example.org")
    assert sorted(rosa.assignments.values_list("school__cds_code", "role", "pathway")) == [
        ("19647330000011", "teacher_leader", "instruction"), ("19647330000022", "ilt_member", "")]
    assert rosa.assignments.get(role="teacher_leader").start_date == date(2025, 8, 14)
    assert Person.objects.get(email="omar@example.org").department.name == "Operations"
    assert rosa.history.get().history_user == personas.staff_talent

    history = history_rows()
    again = run("people", content, user=personas.staff_talent)
    assert again.ok and again.unchanged == 4 and history_rows() == history


def test_people_import_matches_by_name_and_reports_problems(personas):
    from equitable.network.models import Department

    Person.objects.create(first_name="Nia", last_name="Noemail")
    content = PEOPLE_HEADER + (
        "Nia,Noemail,nia@example.org,,,,,,\n"
        "Ana,Alvarez,ana@example.org,Principal,Finance,,,,\n"
        "Zed,Zero,not-an-email,,,19647330000011,,,\n"
        "Rosa,Reyes,rosa@example.org,,,19647330000011,teacher_leader,,\n"
        "Ben,Brooks,ben@example.org,,,,principal,,\n"
    )
    result = run("people", content, user=personas.admin)
    assert errors(result) == [
        "row 3, column department: unknown department 'Finance'; known departments: Academics, Operations.",
        "row 4, column role: give the person's role at school 19647330000011.",
        "row 5, column pathway: A teacher leader has a pathway.",
        "row 6, column role: a role needs a school: fill in cds_code.",
    ]
    fixed = PEOPLE_HEADER + "Nia,Noemail,nia@example.org,,,,,,\n"
    assert run("people", fixed, user=personas.admin).updated == 1
    assert Person.objects.get(first_name="Nia").email == "nia@example.org"
    assert Department.objects.count() == 2


def test_people_import_needs_talent(personas):
    content = PEOPLE_HEADER + "Omar,Ortiz,omar@example.org,,,,,,\n"
    assert errors(run("people", content, user=personas.staff_ops)) == ["row 2: You may not add this person."]
    assert not Person.objects.filter(email="omar@example.org").exists()


# The command line ---------------------------------------------------------------------------------------

def test_cli_import_exit_code_and_messages(personas, tmp_path):
    bad = tmp_path / "schools.csv"
    bad.write_text(SCHOOL_HEADER + "19647330000044,Delta Elementary,,K-5,90059,Westlake,member,2024-08-15,\n")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", "schools", str(bad), stdout=out, stderr=err)
    assert caught.value.returncode == 2
    assert "1 error(s) in 1 row(s); nothing was written." in str(caught.value)
    assert "row 2, column community: unknown community 'Westlake'" in err.getvalue()

    good = tmp_path / "good.csv"
    good.write_text(SCHOOL_HEADER + "19647330000044,Delta Elementary,,K-5,90059,Watts,member,2024-08-15,\n")
    call_command("import", "schools", str(good), "--dry-run", stdout=out, stderr=err)
    assert "Dry run: schools: 1 row(s): 1 would be created" in out.getvalue()
    assert not School.objects.filter(cds_code="19647330000044").exists()

    call_command("import", "schools", str(good), stdout=out, stderr=err)
    delta = School.objects.get(cds_code="19647330000044")
    assert delta.history.get().history_user is None  # the system

    with pytest.raises(CommandError) as caught:
        call_command("import", "schools", str(good), "--user", "principal_a", stdout=out, stderr=err)
    assert caught.value.returncode == 2 and "row 2: You may not add this school." in err.getvalue()
    with pytest.raises(CommandError, match="No active user"):
        call_command("import", "schools", str(good), "--user", "nobody", stdout=out, stderr=err)
    with pytest.raises(CommandError, match="7 digits"):
        call_command("import", "cde-directory", str(good), "--district", "19", stdout=out, stderr=err)


def test_cli_import_as_user_is_attributed(personas, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(SCHOOL_HEADER + "19647330000044,Delta Elementary,,K-5,90059,Watts,member,2024-08-15,\n")
    call_command("import", "schools", str(good), "--user", "staff_ops", stdout=io.StringIO(), stderr=io.StringIO())
    assert School.objects.get(cds_code="19647330000044").history.get().history_user == personas.staff_ops


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimports_unchanged(personas, tmp_path, fmt):
    StaffAssignment.objects.create(person=personas.person_teacher_b, school=personas.school_a, role="ilt_member",
                                   start_date=date(2024, 8, 1), end_date=date(2025, 6, 30))
    School.objects.filter(pk=personas.school_a.pk).update(latitude=Decimal("33.941234"), longitude=Decimal("-118.2"),
                                                          street="1 Main St", charter=True)
    history = history_rows()
    for kind in ("schools", "enrollment", "people"):
        target = tmp_path / f"{kind}.{fmt}"
        call_command("export", kind, "--format", fmt, "--output", str(target), stdout=io.StringIO(),
                     stderr=io.StringIO())
        result = run(kind, target.read_bytes(), filename=target.name, user=personas.admin)
        assert result.ok, (kind, errors(result))
        assert result.created == result.updated == 0 and result.unchanged == result.total > 0, kind
    assert history_rows() == history


def test_export_csv_to_stdout_and_scoped_by_user(personas):
    out = io.StringIO()
    call_command("export", "schools", stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("cds_code,name,level,grades,")
    assert len(lines) == 4 and lines[1].startswith("19647330000011,Alpha Elementary,elementary,TK-5,")

    out = io.StringIO()
    call_command("export", "enrollment", "--user", "principal_b", stdout=out, stderr=io.StringIO())
    assert [line.split(",")[0] for line in out.getvalue().splitlines()[1:]] == ["19647330000022"]


def test_school_import_reads_census_tracts(personas):
    content = ("cds_code,name,census_tract\n"
               "19647330000011,Alpha Elementary,6037535400\n"      # CalEnviroScreen's spelling, no leading zero
               "19647330000022,Bravo Middle,06037203100\n"
               "19647330000033,Charlie High,60375354\n")
    result = run("schools", content, user=personas.staff_ops)
    assert [(e.row, e.column) for e in result.errors] == [(4, "census_tract")]
    assert "11 digits" in result.errors[0].message
    result = run("schools", content.rsplit("1964733000003", 1)[0], user=personas.staff_ops)
    assert result.ok, errors(result)
    assert School.objects.get(pk=personas.school_a.pk).census_tract == "06037535400"
    assert School.objects.get(pk=personas.school_b.pk).census_tract == "06037203100"
