"""The outcome commands: `equitable import dashboard|caaspp|chronic|acgr FILE…` and `equitable outcomes levels`."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from equitable.outcomes.models import OutcomeImport, OutcomeValue
from tests.outcomes.test_importers import (
    CHRONIC_HEADER,
    DASHBOARD_FILES,
    LAYOUT_2025,
    caaspp_rows,
    data_rows,
    dataquest_rows,
    write_delimited,
    write_entities,
)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args) -> tuple[CommandError, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return caught.value, err.getvalue()


@pytest.mark.parametrize("name", DASHBOARD_FILES)
def test_levels_reproduces_every_row_of_the_real_files(shared_data, name):
    path = shared_data / "ca_dashboard_2025" / name
    out, _ = run("outcomes", "levels", str(path), "--format", "csv")
    lines = out.splitlines()
    n = data_rows(path)
    assert lines[-1] == f"{n} rows, {n} match, 0 differ"
    table = list(csv.DictReader(io.StringIO("\n".join(lines[:-1]))))
    assert list(table[0]) == ["cds", "studentgroup", "statuslevel", "changelevel", "color", "box",
                              "published_statuslevel", "published_changelevel", "published_color", "published_box",
                              "match"]
    assert len(table) == n and {row["match"] for row in table} == {"yes"}
    assert all(row["color"] == row["published_color"] for row in table)


def test_levels_counts_a_changed_published_color_as_a_difference(shared_data, tmp_path):
    lines = (shared_data / "ca_dashboard_2025" / "eladownload2025.txt").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split("\t")
    cells[16] = "5" if cells[16] != "5" else "1"  # the published color of the first row
    lines[1] = "\t".join(cells)
    path = tmp_path / "eladownload2025.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, _ = run("outcomes", "levels", str(path))
    assert out.splitlines()[-1] == "64 rows, 63 match, 1 differ"
    assert out.splitlines()[1].endswith(",no")


def test_levels_exits_2_on_a_wrong_layout_or_a_missing_file(shared_data, tmp_path):
    error, _ = fails("outcomes", "levels", str(shared_data / "caaspp_2025" / "StudentGroups_2025.txt"))
    assert error.returncode == 2 and "missing columns cds, rtype" in str(error)
    error, _ = fails("outcomes", "levels", str(tmp_path / "nothing.txt"))
    assert error.returncode == 2 and "No such file" in str(error)


@pytest.mark.django_db
def test_import_dashboard_several_files(shared_data):
    paths = [str(shared_data / "ca_dashboard_2025" / name) for name in DASHBOARD_FILES]
    out, _ = run("import", "dashboard", *paths, "--keep-comparison")
    assert out.count("written") == 4 and "eladownload2025.txt: 64 row(s) read, 64 written, 0 skipped." in out
    assert OutcomeValue.objects.count() == 235 and OutcomeImport.objects.count() == 4
    out, _ = run("import", "dashboard", *paths, "--dry-run")
    assert "dry run" in out and OutcomeImport.objects.count() == 4


@pytest.mark.django_db
def test_import_exits_2_on_a_broken_file_a_wrong_layout_and_an_unknown_user(shared_data, tmp_path, personas):
    good = shared_data / "ca_dashboard_2025" / "graddownload2025.txt"
    lines = good.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split("\t")
    cells[10] = "-5"  # currdenom of row 3
    lines[2] = "\t".join(cells)
    broken = tmp_path / "graddownload2025.txt"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error, err = fails("import", "dashboard", str(broken))
    assert error.returncode == 2
    assert "graddownload2025.txt: row 3, column currdenom: -5 is outside ≥ 0" in err
    assert "nothing was written" in err

    error, err = fails("import", "chronic", str(good))
    assert error.returncode == 2 and "missing column(s) Academic Year" in err
    error, _ = fails("import", "acgr", str(good), "--user", "nobody")
    assert error.returncode == 2 and "nobody" in str(error)
    error, _ = fails("import", "dashboard", str(good), "--user", "principal_a")
    assert error.returncode == 2 and "may not import" in str(error)
    assert OutcomeValue.objects.count() == 0


@pytest.mark.django_db
def test_import_caaspp_with_entities_and_chronic_from_the_command_line(personas, tmp_path):
    research = write_delimited(tmp_path / "sb_ca2025_all.txt", LAYOUT_2025, caaspp_rows(2025), "^")
    entities = write_entities(tmp_path / "sb_ca2025entities_csv.txt")
    out, _ = run("import", "caaspp", str(research), "--entities", str(entities), "--user", "staff_academic")
    assert "24 written" in out
    assert OutcomeImport.objects.get().imported_by == personas.staff_academic

    def measures(level, charter, category):
        return ["400", "100", "25.0"]

    chronic = write_delimited(tmp_path / "chronicabsenteeism24.txt", CHRONIC_HEADER,
                              dataquest_rows(CHRONIC_HEADER, measures), "\t")
    out, _ = run("outcomes", "import", "chronic", str(chronic), "--keep-comparison")
    assert "12 written" in out
    assert OutcomeValue.objects.filter(indicator="CHRO_K12").count() == 12
