"""Indicator values imported from CSV/XLSX: all or nothing with row-numbered errors, dry run, upsert by
(indicator, school, year), the web page and the command line — and who may not."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from equitable.core.imports import import_kind, run_import
from equitable.core.models import User
from equitable.core.tabular import render_csv
from equitable.equity.importers import export_indicator_values
from equitable.equity.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db

GOOD = ("indicator,cds_code,school_year,value,note\n"
        "asthma,19647330000011,2025-26,95.93,CalEnviroScreen 4.0\n"
        "asthma,19647330000022,2025-26,69.49,\n"
        "el-pct,19647330000011,2025-26,37.5,\n")


@pytest.fixture
def finance(personas):
    Indicator.objects.create(code="asthma", name="Asthma ED visits", family="community", unit="per 10,000")
    Indicator.objects.create(code="el-pct", name="English learners", family="student", unit="%")
    return User.objects.create(username="finance", role="staff", area="finance")


def _run(user, content, *, dry_run=False, filename="values.csv"):
    importer = import_kind("indicator-values").make(acting_user=user)
    return run_import(importer, content.encode() if isinstance(content, str) else content, filename=filename,
                      dry_run=dry_run)


def _values():
    return {(v.indicator.code, v.school.cds_code): v.value for v in IndicatorValue.objects.select_related(
        "indicator", "school")}


def test_import_upserts_and_reimport_changes_nothing(finance):
    dry = _run(finance, GOOD, dry_run=True)
    assert dry.ok and dry.created == 3 and not IndicatorValue.objects.exists()
    result = _run(finance, GOOD)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert _values()[("asthma", "19647330000011")] == Decimal("95.93")
    assert IndicatorValue.objects.get(indicator__code="asthma", school__cds_code="19647330000011").note == (
        "CalEnviroScreen 4.0")
    again = _run(finance, GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = _run(finance, GOOD.replace("69.49", "70"))
    assert (changed.updated, changed.unchanged) == (1, 2)
    value = IndicatorValue.objects.get(indicator__code="asthma", school__cds_code="19647330000022")
    assert value.history.first().history_user == finance


def test_export_reimports_unchanged(finance):
    _run(finance, GOOD)
    headers, rows = export_indicator_values(user=finance)
    again = _run(finance, render_csv(headers, rows))
    assert again.ok and again.unchanged == 3 and again.created == again.updated == 0


def test_xlsx(finance, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "cds_code", "school_year", "value"])
    sheet.append(["el-pct", "19647330000022", "2025-26", 20])
    path = tmp_path / "values.xlsx"
    book.save(path)
    result = _run(finance, path.read_bytes(), filename="values.xlsx")
    assert result.ok and _values() == {("el-pct", "19647330000022"): Decimal("20")}


def test_broken_file_writes_nothing_and_names_rows(finance):
    broken = ("indicator,cds_code,school_year,value\n"
              "asthma,19647330000011,2025-26,95.93\n"
              "nope,19647330000011,2025-26,1\n"
              "asthma,19647330000099,2025-26,1\n"
              "asthma,19647330000022,2031-32,1\n"
              "asthma,19647330000022,2025-26,lots\n"
              "el-pct,19647330000022,2025-26,\n"
              "asthma,19647330000011,2025-26,96\n")
    result = _run(finance, broken)
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(3, "indicator"), (4, "cds_code"), (5, "school_year"), (6, "value"), (7, "value"), (8, "")}
    assert "duplicate of row 2" in str(next(e for e in result.errors if e.row == 8))
    assert "never read as zero" in str(next(e for e in result.errors if e.row == 7))
    assert not IndicatorValue.objects.exists()
    wrong_layout = _run(finance, "indicator,school,value\nasthma,x,1\n")
    assert wrong_layout.errors[0].row == 1 and "missing column" in wrong_layout.errors[0].message


@pytest.mark.parametrize("name", ["staff_ops", "principal_a", "director"])
def test_others_may_not_import(personas, finance, name):
    own_school = "indicator,cds_code,school_year,value\nasthma,19647330000011,2025-26,95.93\n"
    result = _run(personas.user(name), own_school)
    assert not result.ok and not IndicatorValue.objects.exists()
    assert "may not" in result.errors[0].message and result.errors[0].row == 2


def test_command_line(finance, tmp_path, capsys):
    path = tmp_path / "values.csv"
    path.write_text(GOOD)
    call_command("import", "indicator-values", str(path), "--dry-run")
    assert "would be created" in capsys.readouterr().out and not IndicatorValue.objects.exists()
    call_command("import", "indicator-values", str(path), "--user", "finance")
    assert "3 created" in capsys.readouterr().out and len(_values()) == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,cds_code,school_year,value\nasthma,19647330000011,2025-26,x\n")
    with pytest.raises(CommandError) as exc:
        call_command("import", "indicator-values", str(bad))
    assert exc.value.returncode == 2 and "row 2, column value" in capsys.readouterr().err


def test_import_page(finance, client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(finance)
    page = client.get("/imports/").content.decode()
    assert "Need indicator values" in page
    upload = SimpleUploadedFile("values.csv", GOOD.encode(), content_type="text/csv")
    preview = client.post("/imports/", {"kind": "indicator-values", "file": upload})
    assert preview.status_code == 200 and not IndicatorValue.objects.exists()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.content.decode()).group(1)
    client.post("/imports/apply/", {"token": token})
    assert len(_values()) == 3
