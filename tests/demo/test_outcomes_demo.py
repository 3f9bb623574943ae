"""Demo outcomes: five years for every member school, comparisons, growth at some schools and not at
others, small groups, engine-consistent levels, network aggregates, goals, and a second load that
writes nothing."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from equitable.demo import schools
from equitable.demo.network import load_demo_network
from equitable.demo.outcomes import DISTRICT_CDS, GROWING, PLAN, YEARS
from equitable.network.codes import Level
from equitable.network.models import School
from equitable.outcomes.codes import STATE_CDS
from equitable.outcomes.dashboard import DashboardInput, RecordType, evaluate
from equitable.outcomes.models import Goal, OutcomeImport, OutcomeValue
from equitable.outcomes.services import network_aggregates_compute

pytestmark = pytest.mark.django_db

RECORD_TYPES = {"school": RecordType.SCHOOL, "district": RecordType.LEA, "state": RecordType.STATE,
                "network": RecordType.LEA}


def _ela_all(school: School) -> dict[int, Decimal]:
    return dict(OutcomeValue.objects.filter(school=school, indicator="ELA", student_group="ALL")
                .values_list("year", "value"))


def test_five_years_for_every_member_school_and_the_comparisons(demo):
    members = School.objects.filter(network=demo.network, membership="member")
    assert members.count() == 19
    for school in members:
        indicators = defaultdict(set)
        for code, year in OutcomeValue.objects.filter(school=school, student_group="ALL").values_list(
                "indicator", "year"):
            indicators[code].add(year)
        expected = {"ELA", "MATH", "SUSP", "ELPI"}
        expected |= {"GRAD", "CCI"} if school.level == Level.HIGH else {"CHRO"}
        assert set(indicators) == expected, school.name
        assert all(years == set(YEARS) for years in indicators.values()), school.name
    former = School.objects.get(membership="former")
    assert not OutcomeValue.objects.filter(school=former).exists()
    for cds, kind in ((DISTRICT_CDS, "district"), (STATE_CDS, "state")):
        rows = OutcomeValue.objects.filter(cds=cds, entity_type=kind)
        assert set(rows.values_list("indicator", flat=True)) == set(PLAN)
        assert set(rows.values_list("year", flat=True)) == set(YEARS)
        assert rows.filter(student_group="AA", indicator="GRAD", year=2025, color__gt=0).exists()
    assert OutcomeValue.objects.get(cds=DISTRICT_CDS, indicator="ELA", year=2025, student_group="ALL"
                                    ).entity_name == "Los Angeles Unified"
    network = OutcomeValue.objects.filter(entity_type="network")
    assert set(network.values_list("indicator", flat=True)) == set(PLAN)
    assert set(network.values_list("year", flat=True)) == set(YEARS)
    assert set(network.values_list("source", flat=True)) == {"computed"}
    assert set(network.values_list("entity_name", flat=True)) == {demo.network.name}
    assert network.get(indicator="ELA", year=2025, student_group="ALL").flags["schools"] == 19


def test_some_schools_grow_and_others_do_not(demo):
    rises = {}
    for school in School.objects.filter(membership="member"):
        values = _ela_all(school)
        rises[school.cds_code] = values[2025] - values[2021]
    by_key = {spec.key: spec.cds_code for spec in schools.SCHOOLS}
    for key in ("grape", "99th", "107th", "joyner", "ritter"):  # the Watts elementaries improve steadily
        assert rises[by_key[key]] >= 15, key
        values = _ela_all(School.objects.get(cds_code=by_key[key]))
        assert values[2025] > values[2023] > values[2021]
    assert sum(rise >= 15 for rise in rises.values()) >= len(GROWING) - 1
    assert sum(rise < 5 for rise in rises.values()) >= 6  # flat or declining
    assert min(rises.values()) < -10  # and some decline


def test_small_groups_are_published_without_values(demo):
    small = OutcomeValue.objects.filter(entity_type="school", denominator__lt=11)
    assert small.count() > 100
    assert set(small.values_list("student_group", flat=True)) >= {"WH", "FOS"}
    assert not small.exclude(value=None).exists()
    assert not small.exclude(status_level=0).exists()
    assert OutcomeValue.objects.filter(entity_type="school", student_group="FOS", denominator__gte=11).exists()


def test_every_level_colour_and_box_is_the_engines(demo):
    rows = list(OutcomeValue.objects.all())
    assert 4000 < len(rows) < 8000
    coloured = 0
    for row in rows:
        flags = row.flags
        result = evaluate(DashboardInput(
            indicator=row.indicator, curr_denom=row.denominator, curr_status=row.value,
            prior_denom=row.prior_denominator, prior_status=row.prior_value, change=row.change,
            student_group=row.student_group, record_type=RECORD_TYPES[row.entity_type],
            high_school_cut_points=flags.get("hscutpoints") == "Y", suspension_type=flags.get("type"),
        ))
        assert (row.status_level, row.change_level, row.color, row.box) == (
            result.status_level, result.change_level, result.color, result.box), row
        coloured += bool(row.color)
        if row.value is not None and row.prior_value is not None and row.entity_type != "network":
            assert row.change == row.value - row.prior_value
    assert coloured > len(rows) / 2
    assert {row.color for row in rows} == {0, 1, 2, 3, 4, 5}
    high = OutcomeValue.objects.filter(entity_type="school", indicator="ELA", school__level="high")
    assert high.exists() and all(flags["hscutpoints"] == "Y" for flags in high.values_list("flags", flat=True))
    types = dict(OutcomeValue.objects.filter(indicator="SUSP", student_group="ALL", year=2025)
                 .values_list("entity_type", "flags__type").distinct())
    assert types["district"] == types["state"] == types["network"] == "UD"


def test_rows_are_labelled_demo_data(demo):
    assert not OutcomeValue.objects.filter(is_demo=False).exists()
    assert set(OutcomeValue.objects.exclude(entity_type="network").values_list("source", flat=True)) == {"demo"}
    batch = OutcomeImport.objects.get(kind="demo")
    assert OutcomeValue.objects.filter(batch=batch).count() == OutcomeValue.objects.filter(source="demo").count()


def test_goals(demo):
    north_star = Goal.objects.get(name__startswith="North Star")
    assert (north_star.indicator, north_star.school, north_star.target_year, north_star.target_value) == (
        "CCI", None, 2039, Decimal("60.00"))
    baseline = OutcomeValue.objects.get(entity_type="network", indicator="CCI", year=2021, student_group="ALL")
    assert north_star.baseline_year == 2021 and north_star.baseline_value == baseline.value
    grape = Goal.objects.get(school__name="Grape Street Elementary")
    assert grape.indicator == "ELA" and grape.baseline_value == _ela_all(grape.school)[2021]
    assert Goal.objects.count() == 4 and not Goal.objects.filter(is_demo=False).exists()
    for goal in Goal.objects.all():
        goal.full_clean()
        assert goal.description.endswith("(demo)")


def test_second_load_writes_nothing(demo):
    def counts():
        return {model: model._base_manager.count() for model in (
            OutcomeValue, OutcomeImport, Goal, Goal.history.model, OutcomeImport.history.model)}

    before = counts()
    stamps = set(OutcomeValue.objects.values_list("updated_at", flat=True))
    again = load_demo_network()
    assert not again.changed_anything
    assert counts() == before
    assert set(OutcomeValue.objects.values_list("updated_at", flat=True)) == stamps
    assert network_aggregates_compute(year=2025, network=demo.network) == 0

    # a value changed by hand is put back, and the network row follows it
    row = OutcomeValue.objects.get(cds=schools.SCHOOLS[2].cds_code, indicator="ELA", year=2024, student_group="ALL")
    OutcomeValue.objects.filter(pk=row.pk).update(value=Decimal("99.0"))
    network_aggregates_compute(year=2024, network=demo.network)
    restored = load_demo_network()
    assert restored.sync.updated["outcomes.OutcomeValue"] >= 2 and not restored.sync.created
    assert OutcomeValue.objects.get(pk=row.pk).value == row.value
    assert counts()[OutcomeValue] == before[OutcomeValue]


def test_who_sees_the_demo_outcomes(demo, demo_user):
    grape = School.objects.get(name="Grape Street Elementary")
    principal = OutcomeValue.objects.restrict(demo_user("principal"), "view")
    assert set(principal.exclude(school=None).values_list("school", flat=True)) == {grape.pk}
    assert principal.filter(entity_type="network").exists() and principal.filter(entity_type="state").exists()
    board = OutcomeValue.objects.restrict(demo_user("board"), "view")
    assert board.exists() and not board.filter(entity_type="school").exists()
    assert not OutcomeValue.objects.restrict(demo_user("partner"), "view").exists()
    assert set(Goal.objects.restrict(demo_user("board"), "view").values_list("school", flat=True)) == {None}


def test_admin_pages(demo, demo_user):
    from django.test import Client

    client = Client()
    client.force_login(demo_user("admin"))
    row = OutcomeValue.objects.filter(entity_type="network").first()
    goal = Goal.objects.first()
    for url in ("/admin/outcomes/outcomevalue/?indicator__exact=ELA&year__exact=2025&entity_type__exact=school",
                f"/admin/outcomes/outcomevalue/{row.pk}/change/", "/admin/outcomes/outcomeimport/",
                "/admin/outcomes/goal/", f"/admin/outcomes/goal/{goal.pk}/change/",
                f"/admin/outcomes/goal/{goal.pk}/history/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/outcomes/outcomevalue/add/").status_code == 403
    principal = Client()
    principal.force_login(demo_user("principal"))
    assert principal.get("/admin/outcomes/outcomevalue/").status_code == 302  # not staff: to the login
