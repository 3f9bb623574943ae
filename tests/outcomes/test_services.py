"""Network aggregates: the pure arithmetic (hand-worked and hypothesis), the service (levels from the
engine, idempotence, stale rows, who may run it) and the bulk upsert of outcome rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.network.models import Network, School
from equitable.outcomes.aggregate import SchoolFigure, aggregate_schools, weighted_mean
from equitable.outcomes.dashboard import Color, DashboardInput, RecordType, evaluate
from equitable.outcomes.models import OutcomeImport, OutcomeValue
from equitable.outcomes.services import (
    NETWORK_RECORD_TYPE,
    NETWORK_SUSPENSION_TYPE,
    SEVERAL_NETWORKS,
    network_aggregates_compute,
    outcome_values_upsert,
)

D = Decimal

# --- the arithmetic, by hand ------------------------------------------------------------------------


def test_two_schools_weighted_by_their_students():
    # A: −20.0 over 100 students, B: 10.0 over 300 → (−2000 + 3000) / 400 = 2.5
    # prior: A −30.0 over 90, B 0.0 over 310 → −2700 / 400 = −6.75; change 9.25
    figure = aggregate_schools([
        SchoolFigure(D("-20.0"), 100, D("-30.0"), 90),
        SchoolFigure(D("10.0"), 300, D("0.0"), 310),
    ])
    assert figure.value == D("2.5") and figure.denominator == 400
    assert figure.prior_value == D("-6.75") and figure.prior_denominator == 400
    assert figure.change == D("9.25") and figure.schools == 2 and figure.numerator is None


def test_a_rate_is_the_pooled_rate():
    # 30 of 100 (30 %) and 30 of 300 (10 %): pooled 60 / 400 = 15 %, not the plain mean 20 %
    figure = aggregate_schools([SchoolFigure(D("30"), 100, numerator=30), SchoolFigure(D("10"), 300, numerator=30)])
    assert figure.value == D("15") and figure.numerator == 60 and figure.denominator == 400
    assert figure.prior_value is None and figure.change is None


def test_suppressed_schools_add_nobody_and_cut_points_need_every_row():
    figure = aggregate_schools([
        SchoolFigure(D("12.0"), 40, high_school_cut_points=True, numerator=5),
        SchoolFigure(None, 8),  # fewer than 11: published without a value
        SchoolFigure(D("20.0"), 60, high_school_cut_points=False),
    ])
    assert figure.denominator == 100 and figure.value == D("16.8") and figure.schools == 2
    assert figure.numerator is None  # one contributing row has no numerator
    assert not figure.high_school_cut_points
    assert aggregate_schools([SchoolFigure(D("1"), 40, high_school_cut_points=True)]).high_school_cut_points
    assert aggregate_schools([SchoolFigure(None, 5)]).value is None
    assert weighted_mean([]) == (None, 0)


# --- the arithmetic, by property --------------------------------------------------------------------

values = st.decimals(min_value=-300, max_value=300, places=2, allow_nan=False, allow_infinity=False)
weights = st.integers(min_value=1, max_value=500_000)
figures = st.lists(
    st.builds(SchoolFigure, values, weights, st.one_of(st.none(), values), st.one_of(st.none(), weights)),
    min_size=1, max_size=25,
)


@given(st.lists(st.tuples(values, weights), min_size=1, max_size=30))
def test_weighted_mean_lies_within_the_values(pairs):
    mean, total = weighted_mean(pairs)
    assert min(v for v, _ in pairs) <= mean <= max(v for v, _ in pairs)
    assert total == sum(n for _, n in pairs)


@given(figures, st.randoms(use_true_random=False))
def test_the_order_of_the_schools_changes_nothing(rows, rng):
    shuffled = list(rows)
    rng.shuffle(shuffled)
    assert aggregate_schools(shuffled) == aggregate_schools(rows)


@given(values, weights, st.one_of(st.none(), values), weights)
def test_a_single_school_is_its_own_network(value, n, prior, prior_n):
    figure = aggregate_schools([SchoolFigure(value, n, prior, prior_n)])
    assert figure.value == value and figure.denominator == n
    if prior is None:
        assert figure.prior_value is None and figure.change is None
    else:
        assert figure.prior_value == prior and figure.change == value - prior


# --- the service -------------------------------------------------------------------------------------

def _row(school: School, indicator: str, group: str, value, n, prior=None, prior_n=None, *, year=2025,
         numerator=None, flags=None, **extra) -> OutcomeValue:
    return OutcomeValue.objects.create(
        indicator=indicator, year=year, entity_type="school", cds=school.cds_code, entity_name=school.name,
        school=school, student_group=group, value=None if value is None else D(value), denominator=n,
        prior_value=None if prior is None else D(prior), prior_denominator=prior_n, numerator=numerator,
        flags=flags or {}, source="dashboard", **extra)


@pytest.fixture
def rows(personas):
    """ELA rows of the two member schools, the former member's (ignored) and a comparison row."""
    a, b, c = personas.school_a, personas.school_b, personas.school_c
    _row(a, "ELA", "ALL", "-20.0", 100, "-30.0", 90)
    _row(b, "ELA", "ALL", "10.0", 300, "0.0", 310)
    _row(c, "ELA", "ALL", "-99.0", 1000, "-99.0", 1000)  # a former member: not in the network's rows
    outside = School.objects.create(cds_code="19647330000044", name="Delta Elementary", level="elementary",
                                    grade_low=0, grade_high=5, membership="none")
    _row(outside, "ELA", "ALL", "50.0", 500, "50.0", 500, comparison_only=True)
    return personas


def _network_row(indicator="ELA", group="ALL", year=2025) -> OutcomeValue:
    return OutcomeValue.objects.get(entity_type="network", indicator=indicator, student_group=group, year=year)


def _engine(row: OutcomeValue, **options):
    return evaluate(DashboardInput(
        indicator=row.indicator, curr_denom=row.denominator, curr_status=row.value, prior_denom=row.prior_denominator,
        prior_status=row.prior_value, change=row.change, student_group=row.student_group,
        record_type=NETWORK_RECORD_TYPE, **options))


@pytest.mark.django_db
def test_network_row_from_member_schools_with_engine_levels(rows):
    assert network_aggregates_compute(year=2025) == 1
    row = _network_row()
    assert (row.cds, row.entity_name, row.school_id, row.source) == ("", "Test Network", None, "computed")
    assert (row.value, row.denominator, row.prior_value, row.prior_denominator, row.change) == (
        D("2.50"), 400, D("-6.75"), 400, D("9.25"))
    # status 2.5 → level 3 (−5.0 … 9.9); change 9.3 → level 4 (3.0 … 14.9); academic grid → green, box 140
    assert (row.status_level, row.change_level, row.color, row.box) == (3, 4, Color.GREEN, 140)
    result = _engine(row)
    assert (row.status_level, row.change_level, row.color, row.box) == (
        result.status_level, result.change_level, result.color, result.box)
    assert row.flags == {"schools": 2, "hscutpoints": "N"} and not row.is_demo
    row.full_clean()
    batch = row.batch
    assert batch.kind == "network aggregate" and batch.rows_written == 1 and batch.imported_by is None


@pytest.mark.django_db
def test_computing_again_writes_nothing_and_a_change_is_picked_up(rows):
    network_aggregates_compute(year=2025)
    stamp, imports = _network_row().updated_at, OutcomeImport.objects.count()
    assert network_aggregates_compute(year=2025) == 0
    assert _network_row().updated_at == stamp and OutcomeImport.objects.count() == imports
    OutcomeValue.objects.filter(school=rows.school_a, indicator="ELA").update(value=D("-40.0"))
    assert network_aggregates_compute(year=2025, indicator="ELA") == 1
    row = _network_row()
    assert row.value == D("-2.50") and row.change == D("4.25")  # (−4000 + 3000) / 400
    assert OutcomeImport.objects.count() == imports + 1 and row.batch == OutcomeImport.objects.order_by("-pk").first()


@pytest.mark.django_db
def test_rows_whose_inputs_are_gone_are_removed(rows):
    _row(rows.school_a, "MATH", "ALL", "-50.0", 100)
    network_aggregates_compute(year=2025)
    assert OutcomeValue.objects.filter(entity_type="network").count() == 2
    OutcomeValue.objects.filter(indicator="MATH", entity_type="school").delete()
    assert network_aggregates_compute(year=2025) == 1
    assert list(OutcomeValue.objects.filter(entity_type="network").values_list("indicator", flat=True)) == ["ELA"]


@pytest.mark.django_db
def test_rates_cut_points_small_groups_and_suspension_table(personas):
    a, b = personas.school_a, personas.school_b
    _row(a, "CHRO", "ALL", "30.0", 100, "32.0", 100, numerator=30)
    _row(b, "CHRO", "ALL", "10.0", 300, "12.0", 300, numerator=30)
    _row(a, "MATH", "ALL", "-70.0", 50, "-80.0", 50, flags={"hscutpoints": "Y"})
    _row(b, "MATH", "ALL", "-50.0", 50, "-60.0", 50, flags={"hscutpoints": "Y"})
    _row(a, "ELA", "FOS", "-40.0", 10, "-50.0", 12)  # only one school's foster youth …
    _row(b, "ELA", "FOS", "-20.0", 10, "-30.0", 10)
    _row(a, "SUSP", "ALL", "2.0", 400, "3.0", 400, numerator=8, flags={"type": "ES"})
    _row(b, "SUSP", "ALL", "6.0", 600, "7.0", 600, numerator=36, flags={"type": "MS"})
    _row(b, "ELA", "WH", None, 5)  # suppressed everywhere: no network row
    network_aggregates_compute(year=2025)

    chronic = _network_row("CHRO")
    assert (chronic.value, chronic.numerator, chronic.denominator, chronic.change) == (D("15.00"), 60, 400, D("-2.00"))
    assert chronic.flags["smalldenom"] == "N" and chronic.color == _engine(chronic).color != 0

    math = _network_row("MATH")
    assert math.flags["hscutpoints"] == "Y" and math.value == D("-60.00")
    assert math.status_level == _engine(math, high_school_cut_points=True).status_level == 3  # K-8 cuts: 2

    foster = _network_row("ELA", "FOS")  # 20 students now and 22 before: enough for an LEA's colour (15)
    assert foster.denominator == 20 and foster.prior_denominator == 22
    assert foster.color and foster.color == _engine(foster).color
    school_rule = evaluate(DashboardInput(indicator="ELA", curr_denom=20, curr_status=foster.value, prior_denom=22,
                                          prior_status=foster.prior_value, student_group="FOS",
                                          record_type=RecordType.SCHOOL))
    assert school_rule.color == Color.NONE  # a school would need 30

    suspension = _network_row("SUSP")
    assert suspension.flags["type"] == NETWORK_SUSPENSION_TYPE == "UD" and suspension.value == D("4.40")
    assert suspension.status_level == _engine(suspension, suspension_type="UD").status_level == 3  # 2.6 … 4.5
    assert suspension.change_level == _engine(suspension, suspension_type="UD").change_level == 4  # −1.0
    assert not OutcomeValue.objects.filter(entity_type="network", student_group="WH").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["admin", "staff_academic"])
def test_academic_staff_and_admins_may_compute(rows, name):
    user = rows.user(name)
    assert network_aggregates_compute(year=2025, acting_user=user) == 1
    batch = _network_row().batch
    assert batch.imported_by == user
    assert batch.history.get().history_user == user


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["staff_ops", "staff_talent", "director", "principal_a", "partner", "board"])
def test_others_may_not_compute(rows, name):
    with pytest.raises(NotPermitted):
        network_aggregates_compute(year=2025, acting_user=rows.user(name))
    assert not OutcomeValue.objects.filter(entity_type="network").exists()
    assert not OutcomeImport.objects.exists()


@pytest.mark.django_db
def test_which_network(rows):
    other = Network.objects.create(name="Other Network")
    School.objects.create(cds_code="19647330000055", name="Echo Middle", level="middle", grade_low=6, grade_high=8,
                          network=other, membership="member")
    with pytest.raises(DomainError, match=SEVERAL_NETWORKS):
        network_aggregates_compute(year=2025)
    assert network_aggregates_compute(year=2025, network=rows.network) == 1
    assert network_aggregates_compute(year=2025, network=other) == 1  # no rows: removes the computed row
    assert not OutcomeValue.objects.filter(entity_type="network").exists()
    with pytest.raises(DomainError, match="Unknown indicator"):
        network_aggregates_compute(year=2025, indicator="NOPE", network=rows.network)


@pytest.mark.django_db
def test_board_reads_the_network_row_but_no_school_row(rows):
    network_aggregates_compute(year=2025)
    visible = OutcomeValue.objects.restrict(rows.board, "view")
    assert list(visible.values_list("entity_type", flat=True)) == ["network"]
    assert not OutcomeValue.objects.restrict(rows.partner, "view").exists()


@pytest.mark.django_db
def test_upsert_validates_before_writing(personas):
    good = {"indicator": "ELA", "year": 2025, "entity_type": "state", "cds": "00000000000000",
            "entity_name": "State of California", "student_group": "ALL", "value": D("-8.1"), "denominator": 10,
            "source": "entered"}
    bad = {**good, "entity_type": "district", "cds": "1964733"}
    with pytest.raises(DomainError, match="14 digits"):
        outcome_values_upsert(rows=[good, bad])
    assert not OutcomeValue.objects.exists()
    assert outcome_values_upsert(rows=[good]).created == 1
    again = outcome_values_upsert(rows=[good])
    assert (again.created, again.updated) == (0, 0)
    changed = outcome_values_upsert(rows=[{**good, "value": D("-8.0")}])
    assert changed.updated == 1 and OutcomeValue.objects.get().value == D("-8.0")
