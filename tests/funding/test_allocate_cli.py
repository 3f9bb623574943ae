"""`equitable allocate`: CSV in, one row per school out, a summary on stderr, exit 2 on bad input.
No database is used (no django_db mark: any query would fail the test)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def write(tmp_path, text, name="schools.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("allocate", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command("allocate", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert caught.value.returncode == 2
    return caught.value


SCHOOLS = "id,enrollment,need,tier,floor\nA,100,90,1,\nB,200,50,3,1000\nC,300,10,5,\n"


def test_proportional_csv(tmp_path):
    out, err = run("--input", write(tmp_path, SCHOOLS), "--method", "proportional", "--pool", "82000")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["amount"], r["per_pupil"]) for r in rows] == [
        ("A", "19000.00", "190.00"), ("B", "30000.00", "150.00"), ("C", "33000.00", "110.00")]
    assert "proportional: 3 schools, allocated $82,000.00, remainder $0.00" in err
    assert "Gini per pupil" in err and "need correlation 1.000" in err


def test_options_are_passed_and_json(tmp_path):
    text = "id,enrollment,need,tier,cap,prior\nA,100,90,1,5000,\nB,200,50,3,,40000\nC,300,10,5,,\n"
    out, _ = run("--input", write(tmp_path, text), "--pool", "82000", "--hold-harmless", "0.9", "--format", "json")
    payload = json.loads(out)
    got = {s["id"]: s["amount"] for s in payload["schools"]}
    assert got["A"] == 5000 and got["B"] >= 36000 and sum(got.values()) == pytest.approx(82000, abs=0.02)
    assert payload["remainder"] == 0 and payload["method"] == "proportional"
    out, _ = run("--input", write(tmp_path, SCHOOLS), "--method", "tiered", "--pool", "60000",
                 "--tier-rates", "3,2.5,2,1.5,1")
    assert [r["amount"] for r in csv.DictReader(io.StringIO(out))] == ["18000.00", "24000.00", "18000.00"]
    out, err = run("--input", write(tmp_path, SCHOOLS), "--method", "even_pupil", "--pool", "60000", "--cap",
                   "15000", "--no-spend-exactly")
    assert [r["amount"] for r in csv.DictReader(io.StringIO(out))] == ["15000.00"] * 3
    assert "remainder $15,000.00" in err
    no_floors = "id,enrollment\nA,100\nB,200\nC,300\n"
    out, err = run("--input", write(tmp_path, no_floors), "--method", "even_pupil", "--pool", "60000",
                   "--minimum-grant", "12000")
    assert [r["amount"] for r in csv.DictReader(io.StringIO(out))] == ["0.00", "24000.00", "36000.00"]
    assert "dropped by the minimum grant: A" in err


def test_weighted_counts_columns(tmp_path):
    text = "id,enrollment,poverty,english_learners\nA,100,100,50\nB,100,0,0\n"
    out, _ = run("--input", write(tmp_path, text), "--method", "weighted", "--pool", "2250",
                 "--weights", "poverty=.5,el=0")
    assert [r["amount"] for r in csv.DictReader(io.StringIO(out))] == ["1350.00", "900.00"]


def test_need_from_indicator_columns(tmp_path):
    pytest.importorskip("equitable.equity.need_index")
    text = "id,name,enrollment,pct_el,ela_met\nA,Alpha,100,40,10\nB,Beta,100,20,30\nC,Gamma,100,5,60\n"
    out, _ = run("--input", write(tmp_path, text), "--pool", "3000", "--indicators", "pct_el=1,ela_met=-1",
                 "--monotone")
    amounts = [float(r["amount"]) for r in csv.DictReader(io.StringIO(out))]
    # percentile scores 100, 50, 0 → weights 100·(2, 1.5, 1)
    assert amounts == pytest.approx([3000 * 2 / 4.5, 3000 * 1.5 / 4.5, 3000 / 4.5], abs=0.01)


@pytest.mark.parametrize("text, args, message", [
    ("id,enrollment,need\nA,-5,10\n", (), "Row 2, column enrollment: must not be negative"),
    ("id,enrollment,need\nA,0,10\n", (), "Row 2: enrollment must be positive"),
    ("id,need\nA,10\n", (), "missing column(s) enrollment"),
    ("id,enrollment\nA,10\n", (), "missing column(s) need"),
    ("id,enrollment,need\nA,10,5\nB,ten,5\n", (), "Row 3, column enrollment: 'ten' is not a number"),
    ("id,enrollment,need\nA,10,high\n", (), "Row 2, column need: 'high' is not a number"),
    ("id,enrollment,need\nA,10,5\n", ("--method", "magic"), "Unknown method 'magic'"),
    ("id,enrollment,need\nA,10,5\nB,10,5\n", ("--floor", "600"), "pool $1,000 is below"),
    ("id,enrollment,need,cap\nA,10,5,100\n", (), "less than the pool $1,000"),
    ("id,enrollment,need\nA,10,5\n", ("--tier-rates", "3,x"), "--tier-rates: 'x' is not a number"),
    ("id,enrollment,need\nA,10,5\n", ("--weights", "gifted=1"), "--weights: unknown gifted"),
    ("id,enrollment,need\n", (), "no schools"),
])
def test_bad_input_exits_2(tmp_path, text, args, message):
    error = fails("--input", write(tmp_path, text), "--pool", "1000", *args)
    assert message in str(error)


def test_missing_file_and_missing_arguments(tmp_path):
    assert "no such file" in str(fails("--input", str(tmp_path / "nothing.csv"), "--pool", "1"))
    assert "Give --pool" in str(fails("--input", write(tmp_path, SCHOOLS)))
    assert "Give --input" in str(fails("--pool", "5"))


@pytest.mark.django_db
def test_scenario_mode_reads_the_database_through_the_funding_hook():
    try:
        from equitable.funding.services import scenario_allocation_rows  # noqa: F401
    except ImportError:
        assert "--scenario is not available yet" in str(fails("--scenario", "FY26"))
        return
    error = fails("--scenario", "No such scenario")
    assert "No such scenario" in str(error)


def test_tiers_are_need_quintiles_when_the_file_has_none(tmp_path):
    # Five schools, one per fifth: A (need 90) is Highest (rate 3), E (need 5) Lowest (rate 1).
    text = "id,enrollment,need\nA,100,90\nB,100,70\nC,100,50\nD,100,30\nE,100,5\n"
    out, err = run("--input", write(tmp_path, text), "--method", "tiered", "--pool", "100000",
                   "--tier-rates", "3,2.5,2,1.5,1")
    amounts = {r["id"]: r["amount"] for r in csv.DictReader(io.StringIO(out))}
    assert amounts == {"A": "30000.00", "B": "25000.00", "C": "20000.00", "D": "15000.00", "E": "10000.00"}
    assert "tier 1/tier 5 per pupil 3.00" in err
    # a file with some tiers keeps them (and the tiered method says which are missing)
    partial = "id,enrollment,need,tier\nA,100,90,1\nB,100,70,\n"
    assert "missing for B" in str(fails("--input", write(tmp_path, partial), "--method", "tiered", "--pool", "1000"))


@pytest.mark.parametrize("spelling, method", [
    ("max-min", "maxmin"), ("Min-Spread", "minspread"), ("even per pupil", "even_pupil"), ("even", "even_school"),
    ("need-tier", "tiered"), ("weighted_student_formula", "weighted"), ("water-filling", "proportional"),
])
def test_method_spellings(tmp_path, spelling, method):
    path = write(tmp_path, SCHOOLS)
    assert run("--input", path, "--method", spelling, "--pool", "60000", "--format", "json") == \
        run("--input", path, "--method", method, "--pool", "60000", "--format", "json")
    assert json.loads(run("--input", path, "--method", spelling, "--pool", "60000", "--format", "json")[0])[
        "method"] == method


def test_column_spellings_are_read_and_never_taken_for_indicators(tmp_path):
    # "Prior Amount" is the prior allocation (hold-harmless), not an indicator; "School ID", "Students" are read
    spelled = "School ID,Students,frpm,Prior Amount\nA,100,90,\nB,200,50,40000\nC,300,10,\n"
    plain = "id,enrollment,frpm,prior\nA,100,90,\nB,200,50,40000\nC,300,10,\n"
    args = ("--pool", "82000", "--hold-harmless", "0.9", "--format", "json")
    assert run("--input", write(tmp_path, spelled), *args) == run("--input", write(tmp_path, plain, "p.csv"), *args)
    amounts = {s["id"]: s["amount"] for s in json.loads(run("--input", write(tmp_path, spelled), *args)[0])["schools"]}
    assert amounts["B"] >= 36000


def test_two_columns_for_one_input_is_an_error(tmp_path):
    error = fails("--input", write(tmp_path, "id,enrollment,need,Need\nA,1,2,3\n"), "--pool", "10")
    assert "more than one column for need (need, Need)" in str(error)


def test_need_as_shares_is_noted_and_the_scale_can_be_given(tmp_path):
    shares = write(tmp_path, "id,enrollment,need\nA,100,0.9\nB,200,0.5\nC,300,0.1\n", "shares.csv")
    scores = write(tmp_path, "id,enrollment,need\nA,100,90\nB,200,50\nC,300,10\n", "scores.csv")
    out, err = run("--input", shares, "--pool", "82000")
    assert out == run("--input", scores, "--pool", "82000")[0]
    assert "need read as shares (need/1)" in err
    out, err = run("--input", shares, "--pool", "82000", "--need-scale", "100")
    assert out != run("--input", scores, "--pool", "82000")[0] and "need read as shares" not in err
    assert "need scale must be positive" in str(fails("--input", shares, "--pool", "1", "--need-scale", "-1"))
