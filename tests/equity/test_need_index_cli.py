"""`equitable need-index`: analyst mode on a CSV (no database), the stored-model mode, bad input → exit 2."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from equitable.equity.models import Family, Indicator, IndicatorValue, NeedModel, NeedWeight

REPO = Path(__file__).resolve().parents[2]
EQUITABLE = Path(sys.executable).parent / "equitable"

SCHOOLS = """id,frpm,ela_met,asthma
A,90,20,
B,80,30,50
C,70,,40
D,,,
E,60,50,30
"""


def write(tmp_path: Path, text: str, name: str = "schools.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("need_index", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def fails(*args) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    return str(caught.value)


def test_csv_prints_one_row_per_school_with_contributions(tmp_path):
    out, err = run("--input", str(write(tmp_path, SCHOOLS)), "--weights", "frpm=2",
                   "--lower-is-more-need", "ela_met")
    table = rows(out)
    assert list(table[0]) == ["id", "score", "rank", "tier", "tier_name", "contribution_frpm",
                              "contribution_ela_met", "contribution_asthma"]
    by_id = {row["id"]: row for row in table}
    assert [row["id"] for row in table] == ["A", "B", "C", "D", "E"]
    # A: frpm percentile 100 (share 2/3), ela_met 20 is the lowest = most need → 100 (share 1/3), asthma missing
    assert by_id["A"]["score"] == "100.0" and by_id["A"]["rank"] == "1" and by_id["A"]["tier_name"] == "Highest"
    assert by_id["A"]["contribution_asthma"] == ""
    for row in table:
        if row["score"]:
            parts = [float(v) for key, v in row.items() if key.startswith("contribution_") and v]
            assert sum(parts) == pytest.approx(float(row["score"]), abs=1e-6)
    assert by_id["E"]["tier_name"] == "Lowest"
    assert by_id["D"]["score"] == by_id["D"]["rank"] == by_id["D"]["tier"] == ""
    assert "D excluded: missing every indicator" in err


@pytest.mark.parametrize("normalization", ["percentile", "zscore", "minmax"])
@pytest.mark.parametrize("rule", ["reweight", "median", "exclude"])
def test_every_normalization_and_missing_rule_runs(tmp_path, normalization, rule):
    out, _ = run("--input", str(write(tmp_path, SCHOOLS)), "--normalization", normalization, "--missing", rule)
    table = rows(out)
    assert len(table) == 5
    scored = [row for row in table if row["score"]]
    assert len(scored) == (2 if rule == "exclude" else 4)


@pytest.mark.parametrize("spelled, normalization, rule", [
    (("--normalization", "z-score", "--missing", "impute-median"), "zscore", "median"),
    (("--normalization", "Min-Max", "--missing", "re-weight"), "minmax", "reweight"),
    (("--normalization", "percentile_rank", "--missing", "exclude"), "percentile", "exclude"),
])
def test_normalization_and_missing_rule_spellings(tmp_path, spelled, normalization, rule):
    path = str(write(tmp_path, SCHOOLS))
    assert run("--input", path, *spelled) == run("--input", path, "--normalization", normalization,
                                                  "--missing", rule)


def test_json_output_explains_each_school(tmp_path):
    out, _ = run("--input", str(write(tmp_path, SCHOOLS)), "--format", "json", "--missing", "median")
    payload = json.loads(out)
    assert payload["normalization"] == "percentile" and payload["missing"] == "median"
    assert payload["indicators"] == ["frpm", "ela_met", "asthma"]
    school_a = payload["schools"][0]
    assert school_a["id"] == "A" and school_a["imputed"] == ["asthma"] and school_a["missing"] == ["asthma"]
    assert set(school_a["contributions"]) == {"frpm", "ela_met", "asthma"}
    assert payload["schools"][3]["excluded"] is True and payload["schools"][3]["reason"]


def test_custom_cut_points(tmp_path):
    path = write(tmp_path, "id,x\nA,0\nB,20\nC,40\nD,60\nE,80\nF,100\n")
    out, _ = run("--input", str(path), "--normalization", "minmax", "--cut-points", "20,40,60,80")
    assert [row["tier_name"] for row in rows(out)] == ["Lowest", "Low", "Moderate", "High", "Highest", "Highest"]


def test_name_column_is_skipped_and_null_markers_are_missing(tmp_path):
    path = write(tmp_path, "id,name,x,y\nA,Alpha,1,NA\nB,Bravo,2,5\n")
    out, _ = run("--input", str(path), "--format", "json")
    payload = json.loads(out)
    assert payload["indicators"] == ["x", "y"]
    assert payload["schools"][0]["missing"] == ["y"]


@pytest.mark.parametrize("text, args, message", [
    ("school,x\nA,1\n", (), "no `id` column"),
    ("id\nA\n", (), "no indicator columns"),
    ("id,x,y\nA,1,2\nB,lots,3\nC,4,-\n", (), "row 3, column x: 'lots' is not a number"),
    ("id,x\nA,1\nA,2\n", (), "row 3: id 'A' already on row 2"),
    ("id,x\n", (), "no school rows"),
    ("id,x\nA,1\n", ("--weights", "x=-1"), "negative"),
    ("id,x\nA,1\n", ("--weights", "x=0"), "weight above 0"),
    ("id,x\nA,1\n", ("--weights", "y=2"), "no indicator column named y"),
    ("id,x\nA,1\n", ("--weights", "x"), "not code=weight"),
    ("id,x\nA,1\n", ("--lower-is-more-need", "q"), "no indicator column named q"),
    ("id,x\nA,1\n", ("--cut-points", "1,2,3"), "four numbers"),
    ("id,x\nA,1\n", ("--cut-points", "4,3,2,1"), "strictly ascending"),
    ("id,x\nA,\nB,\n", (), "no value for any school"),
])
def test_bad_input_is_a_clear_error_with_exit_code_2(tmp_path, text, args, message):
    assert message in fails("--input", str(write(tmp_path, text)), *args)


def test_non_numeric_value_reports_every_bad_row(tmp_path):
    message = fails("--input", str(write(tmp_path, "id,x\nA,one\nB,2\nC,three\n")))
    assert "row 2, column x" in message and "row 4, column x" in message and "2 error(s)" in message


def test_missing_file_and_no_input(tmp_path):
    assert "No such file" in fails("--input", str(tmp_path / "nope.csv"))
    assert "Give --input FILE" in fails()


def test_unknown_option_is_refused():
    with pytest.raises(CommandError, match="unrecognized arguments"):
        call_command("need_index", "--input", "x.csv", "--bogus", stdout=io.StringIO())


# --- the real command line -------------------------------------------------------------------------------

def equitable(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(EQUITABLE), *args], capture_output=True, text=True, cwd=cwd, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "EQUITABLE_DATA_DIR": str(cwd / "var")})


def test_command_line_need_index_prints_csv_and_exits_0(tmp_path):
    done = equitable("need-index", "--input", str(write(tmp_path, SCHOOLS)), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("id,score,rank,tier,tier_name,contribution_frpm")
    assert len(done.stdout.splitlines()) == 6
    assert not (tmp_path / "var").exists() or not any((tmp_path / "var").iterdir())  # no database touched


@pytest.mark.parametrize("args, message", [
    (("--weights", "frpm=-2"), "negative"),
    (("--bogus",), "unrecognized arguments"),
    (("--normalization", "cube"), "invalid choice"),
])
def test_command_line_bad_input_exits_2(tmp_path, args, message):
    done = equitable("need-index", "--input", str(write(tmp_path, SCHOOLS)), *args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""


def test_command_line_bad_value_exits_2_with_row_number(tmp_path):
    done = equitable("need-index", "--input", str(write(tmp_path, "id,x\nA,1\nB,many\n")), cwd=tmp_path)
    assert done.returncode == 2
    assert "row 3, column x: 'many' is not a number" in done.stderr


# --- a need model stored in the database ---------------------------------------------------------------

@pytest.fixture
def stored_model(personas):
    frpm = Indicator.objects.create(code="frpm", name="Free or reduced-price meals", family=Family.STUDENT_NEED)
    ela = Indicator.objects.create(code="ela_met", name="ELA met or exceeded", family=Family.ACADEMIC,
                                   higher_is_more_need=False)
    model = NeedModel.objects.create(name="SENI-like", school_year=personas.year)
    NeedWeight.objects.create(need_model=model, indicator=frpm, weight=2)
    NeedWeight.objects.create(need_model=model, indicator=ela, weight=1)
    for school, meals, met in ((personas.school_a, 95, 20), (personas.school_b, 70, 40)):
        IndicatorValue.objects.create(indicator=frpm, school=school, school_year=personas.year, value=meals)
        IndicatorValue.objects.create(indicator=ela, school=school, school_year=personas.year, value=met)
    return model


def test_model_mode_scores_the_network_schools_of_the_year(stored_model, personas):
    out, _ = run("--model", "SENI-like", "--year", "2025-26")
    by_id = {row["id"]: row for row in rows(out)}
    assert by_id[personas.school_a.cds_code]["rank"] == "1"
    assert by_id[personas.school_a.cds_code]["score"] == "100.0"
    assert by_id[personas.school_b.cds_code]["score"] == "0.0"
    assert list(rows(out)[0])[5:] == ["contribution_ela_met", "contribution_frpm"]


def test_model_mode_errors(stored_model):
    assert "Unknown school year" in fails("--model", "SENI-like", "--year", "1999-00")
    assert "No need model 'Other'" in fails("--model", "Other", "--year", "2025-26")
    assert "needs --year" in fails("--model", "SENI-like")
    assert "not both" in fails("--model", "SENI-like", "--year", "2025-26", "--input", "x.csv")


def test_the_allocate_file_works_here_enrollment_is_not_an_indicator(tmp_path):
    text = "id,enrollment,floor,undup\nA,400,1000,95\nB,600,,60\n"
    out, err = run("--input", str(write(tmp_path, text)), "--format", "csv")
    header = out.splitlines()[0]
    assert header == "id,score,rank,tier,tier_name,contribution_undup"
    assert "enrollment, floor describe(s) the allocation" in err
    # named in --weights, it counts after all
    out, _ = run("--input", str(write(tmp_path, text)), "--weights", "enrollment=1,undup=1", "--format", "csv")
    assert "contribution_enrollment" in out.splitlines()[0] and "contribution_floor" not in out


def test_other_spellings_of_the_id_and_allocation_columns(tmp_path):
    text = "School ID,Students,Prior Amount,undup\nA,400,1000,95\nB,600,,60\n"
    out, err = run("--input", str(write(tmp_path, text)), "--format", "csv")
    assert out.splitlines()[0] == "id,score,rank,tier,tier_name,contribution_undup"
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["A", "B"]
    assert "Students, Prior Amount describe(s) the allocation" in err
    assert "more than one id column (school_id, cds_code)" in fails(
        "--input", str(write(tmp_path, "school_id,cds_code,undup\nA,1,2\n")))
