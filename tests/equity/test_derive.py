"""Derived indicator values: from enrollment, from outcomes, and from CalEnviroScreen rows joined by ZIP."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from equitable.core.exceptions import NotPermitted
from equitable.core.models import User
from equitable.equity.derive import (
    community_indicators_from_calenviroscreen,
    indicators_from_enrollment,
    indicators_from_outcomes,
    read_calenviroscreen,
)
from equitable.equity.models import Indicator, IndicatorValue
from equitable.outcomes.models import OutcomeValue

pytestmark = pytest.mark.django_db

CES_HEADER = "Census Tract,Total Population,California County,ZIP,Asthma,Poverty\n"


@pytest.fixture
def finance(personas):
    return User.objects.create(username="finance", role="staff", area="finance")


def _values(code: str) -> dict[str, Decimal]:
    return dict(IndicatorValue.objects.filter(indicator__code=code).values_list("school__name", "value"))


def test_enrollment_shares(personas, finance):
    result = indicators_from_enrollment(school_year=personas.year, acting_user=finance)
    assert result.ok and result.created > 0
    assert _values("unduplicated-pct") == {"Alpha Elementary": Decimal("95"), "Bravo Middle": Decimal("93.33")}
    assert _values("el-pct") == {"Alpha Elementary": Decimal("37.5"), "Bravo Middle": Decimal("20")}
    # Bravo has no foster, homeless or disability counts: no value, never a zero
    assert _values("foster-pct") == {"Alpha Elementary": Decimal("2")}
    assert _values("homeless-pct") == {} and _values("swd-pct") == {}
    assert result.without_value["foster-pct"] == ["Bravo Middle"]
    assert Indicator.objects.get(code="el-pct").derivation == "enrollment"
    again = indicators_from_enrollment(school_year="2025-26", acting_user=finance)
    assert (again.created, again.updated, again.unchanged) == (0, 0, result.created)


def test_dry_run_writes_nothing(personas, finance):
    result = indicators_from_enrollment(school_year=personas.year, acting_user=finance, dry_run=True)
    assert result.created == 5 and "would be created" in result.summary()
    assert not IndicatorValue.objects.exists() and not Indicator.objects.exists()


@pytest.mark.parametrize("name", ["staff_ops", "principal_a", "director", "board", "partner"])
def test_only_finance_derives(personas, name):
    with pytest.raises(NotPermitted):
        indicators_from_enrollment(school_year=personas.year, acting_user=personas.user(name))
    assert not IndicatorValue.objects.exists()


def _outcome(school, indicator, value, year=2025):
    OutcomeValue.objects.create(indicator=indicator, year=year, entity_type="school", cds=school.cds_code,
                                school=school, student_group="ALL", value=value, source="entered")


def test_outcomes_of_the_year_before(personas, finance):
    _outcome(personas.school_a, "ELA", Decimal("-61.3"))
    _outcome(personas.school_b, "ELA", Decimal("-20.0"))
    _outcome(personas.school_a, "ELA", Decimal("-10.0"), year=2024)  # an older year is not read
    _outcome(personas.school_a, "CHRO", Decimal("31.2"))
    _outcome(personas.school_b, "CHRO_K12", Decimal("25.5"))  # DataQuest when the Dashboard has none
    _outcome(personas.school_b, "SUSP", Decimal("3.1"))
    result = indicators_from_outcomes(school_year=personas.year, acting_user=finance)
    assert result.ok
    assert _values("ela-dfs") == {"Alpha Elementary": Decimal("-61.3"), "Bravo Middle": Decimal("-20")}
    assert _values("chronic-pct") == {"Alpha Elementary": Decimal("31.2"), "Bravo Middle": Decimal("25.5")}
    assert _values("suspension-pct") == {"Bravo Middle": Decimal("3.1")}
    assert _values("graduation-pct") == {}
    ela = Indicator.objects.get(code="ela-dfs")
    assert ela.higher_is_more_need is False and ela.family == "academic"
    assert Indicator.objects.get(code="graduation-pct").higher_is_more_need is False


def test_calenviroscreen_population_weighted_by_zip(personas, finance):
    content = (CES_HEADER
               + "6037240010,1000,Los Angeles,90002,100,60\n"
               + "6037240020,3000,Los Angeles,90002,80,NA\n"
               + "6037203300,2000,Los Angeles,90033,NA,50\n"
               + "6037999999,0,Los Angeles,90033,500,50\n").encode()
    result = community_indicators_from_calenviroscreen(content, personas.year, ("Asthma", "Poverty"),
                                                       acting_user=finance, filename="ces.csv")
    assert result.ok and result.rows_read == 4
    # 90002: (1000×100 + 3000×80) / 4000 = 85; 90033 has no asthma value in a populated tract: none
    assert _values("asthma-ed-per-10k") == {"Alpha Elementary": Decimal("85")}
    assert _values("poverty-pct") == {"Alpha Elementary": Decimal("60"), "Bravo Middle": Decimal("50")}
    assert result.without_value["asthma-ed-per-10k"] == ["Bravo Middle"]
    asthma = Indicator.objects.get(code="asthma-ed-per-10k")
    assert (asthma.family, asthma.unit, asthma.derivation) == ("community", "per 10,000", "community")


def test_broken_calenviroscreen_file_writes_nothing(personas, finance):
    content = (CES_HEADER
               + "6037240010,1000,Los Angeles,90002,100,60\n"
               + "6037240020,lots,Los Angeles,9000,abc,1\n").encode()
    result = community_indicators_from_calenviroscreen(content, personas.year, ("Asthma",), acting_user=finance)
    assert [(e.row, e.column) for e in result.errors] == [(3, "ZIP")]
    assert "nothing was written" in result.summary()
    missing = community_indicators_from_calenviroscreen(b"ZIP,Asthma\n90002,1\n", personas.year, ("Asthma",),
                                                        acting_user=finance)
    assert "Census Tract" in str(missing.errors[0])
    assert not IndicatorValue.objects.exists()


def test_real_calenviroscreen_file(personas, finance, shared_data):
    path = shared_data / "calenviroscreen_4" / "disadvantaged_communities.csv"
    means, errors, read = read_calenviroscreen(path, ("Asthma", "Unemployment"))
    assert errors == [] and read == 2284
    assert means["Asthma"]["90002"] == Decimal("95.93")  # Watts, 12 tracts
    result = community_indicators_from_calenviroscreen(path, "2025-26", ("Asthma",), acting_user=finance)
    assert result.ok
    assert _values("asthma-ed-per-10k") == {"Alpha Elementary": Decimal("95.93"), "Bravo Middle": Decimal("69.49")}


def test_calenviroscreen_command(personas, tmp_path, capsys):
    path = tmp_path / "ces.csv"
    path.write_text(CES_HEADER + "6037240010,1000,Los Angeles,90002,100,60\n")
    call_command("import", "calenviroscreen", str(path), "--year", "2025-26", "--dry-run")
    assert "Dry run" in capsys.readouterr().out and not IndicatorValue.objects.exists()
    call_command("import", "calenviroscreen", str(path), "--indicator", "Asthma", "--indicator", "Poverty")
    out = capsys.readouterr().out
    assert "2 value(s) created" in out and "Bravo Middle" in out
    assert _values("asthma-ed-per-10k") == {"Alpha Elementary": Decimal("100")}
    bad = tmp_path / "bad.csv"
    bad.write_text(CES_HEADER + "6037240010,1000,Los Angeles,ABCDE,100,60\n")
    with pytest.raises(CommandError) as exc:
        call_command("import", "calenviroscreen", str(bad), "--year", "2025-26")
    assert exc.value.returncode == 2 and "row 2, column ZIP" in capsys.readouterr().err


def test_real_calenviroscreen_file_joins_a_school_by_its_census_tract(personas, finance, shared_data):
    """A school with a census tract gets its own tract's value (Watts tract 5354, written 6037535400 in the file);
    a school without one keeps its ZIP's population-weighted mean."""
    path = shared_data / "calenviroscreen_4" / "disadvantaged_communities.csv"
    personas.school_a.census_tract = "06037535400"
    personas.school_a.save()
    result = community_indicators_from_calenviroscreen(path, "2025-26", ("Asthma",), acting_user=finance)
    assert result.ok
    assert _values("asthma-ed-per-10k") == {"Alpha Elementary": Decimal("101.27"), "Bravo Middle": Decimal("69.49")}


def test_a_tract_outside_the_file_falls_back_to_the_zip(personas, finance):
    personas.school_a.census_tract = "06037999999"
    personas.school_a.save()
    content = (CES_HEADER + "6037240010,1000,Los Angeles,90002,100,60\n").encode()
    result = community_indicators_from_calenviroscreen(content, personas.year, ("Asthma",), acting_user=finance)
    assert result.ok and _values("asthma-ed-per-10k") == {"Alpha Elementary": Decimal("100")}
