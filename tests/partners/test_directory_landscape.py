"""The needs landscape: the pure computation (grid, coverage, summaries) and the page per persona."""

from __future__ import annotations

from datetime import date

import pytest

from equitable.partners.models import Agreement, SchoolNeed
from equitable.partners.selectors.directory import (
    LandscapeArea,
    LandscapeNeed,
    LandscapeSchool,
    compute_landscape,
    landscape,
    landscape_table,
)

A = LandscapeSchool(1, "Alpha", "1", "Watts")
B = LandscapeSchool(2, "Bravo", "2", "Boyle Heights")
C = LandscapeSchool(3, "Charlie", "3", "Watts")
ARTS, MENTAL, FOOD = LandscapeArea(10, "Arts", "arts"), LandscapeArea(11, "Mental health", "mental"), \
    LandscapeArea(12, "Food", "food")


def test_compute_landscape_grid_and_summaries():
    needs = [LandscapeNeed(1, 10, 1, ("Xochi", "Xochi")), LandscapeNeed(1, 11, 2), LandscapeNeed(2, 11, 1),
             LandscapeNeed(3, 10, 3, ("Zeta",)), LandscapeNeed(99, 12, 1)]  # school 99 is not shown
    result = compute_landscape(year="2025-26", schools=[C, A, B], areas=[MENTAL, FOOD, ARTS], needs=needs)
    assert [g.name for g in result.groups] == ["Boyle Heights", "Watts"]
    assert [s.name for s in result.schools] == ["Bravo", "Alpha", "Charlie"]
    assert [r.area.name for r in result.rows] == ["Arts", "Mental health"]  # food: no shown school needs it
    arts, mental = result.rows
    assert [(c.priority, c.partners, c.status) for c in arts.cells] == [
        (None, (), ""), (1, ("Xochi",), "covered"), (3, ("Zeta",), "covered")]
    assert [c.status for c in mental.cells] == ["gap", "gap", ""]
    watts, boyle = {s.label: s for s in result.communities}["Watts"], {s.label: s for s in result.communities}[
        "Boyle Heights"]
    assert (watts.schools, watts.needs, watts.covered, watts.gaps, watts.high_gaps, watts.coverage) == (
        2, 3, 2, 1, 0, 2 / 3)
    assert (boyle.needs, boyle.covered, boyle.gaps, boyle.high_gaps, boyle.coverage) == (1, 0, 1, 1, 0.0)
    net = result.network
    assert (net.schools, net.needs, net.covered, net.gaps, net.high_gaps, net.coverage) == (3, 4, 2, 2, 1, 0.5)


def test_compute_landscape_empty():
    result = compute_landscape(year="2025-26", schools=[], areas=[ARTS], needs=[])
    assert result.rows == [] and result.network.needs == 0 and result.network.coverage is None


def test_landscape_table_for_csv():
    result = compute_landscape(year="2025-26", schools=[A, B], areas=[ARTS, MENTAL],
                               needs=[LandscapeNeed(1, 10, 1, ("Xochi",)), LandscapeNeed(2, 11, 2)])
    headers, rows = landscape_table(result)
    assert headers == ["focus_area", "Boyle Heights · Bravo", "Watts · Alpha"]
    assert rows == [["Arts", "", "High: covered by Xochi"], ["Mental health", "Medium: gap", ""]]


@pytest.mark.django_db
def test_landscape_from_the_world(world):
    result = landscape(world.staff_partnerships)
    assert result.year == "2025-26"
    assert [s.name for s in result.schools] == ["Bravo Middle", "Alpha Elementary"]  # Charlie High is former
    cells = {(row.area.slug, cell.school_id): cell for row in result.rows for cell in row.cells}
    assert cells[("arts", world.p.school_a.pk)].partners == ("Xochi Arts Project",)
    # Yellow Cab's agreement at school B is still awaiting approval: a gap
    assert cells[("mental-health", world.p.school_b.pk)].status == "gap"
    assert (result.network.needs, result.network.covered, result.network.high_gaps) == (4, 1, 1)
    # an approved agreement that names the need (without the focus area) covers it too
    world.agreement_b.status = "active"
    world.agreement_b.save()
    world.agreement_b.focus_areas.clear()
    world.agreement_b.needs.set([world.need_b_mental])
    result = landscape(world.staff_partnerships)
    cells = {(row.area.slug, cell.school_id): cell for row in result.rows for cell in row.cells}
    assert cells[("mental-health", world.p.school_b.pk)].partners == ("Yellow Cab Counseling",)


@pytest.mark.django_db
def test_landscape_ignores_agreements_outside_the_year(world):
    last = landscape(world.staff_partnerships, year=world.last_year)
    assert last.rows == [] and last.network.needs == 0
    Agreement.objects.filter(pk=world.agreement_a.pk).update(start_date=date(2024, 8, 14), end_date=date(2025, 6, 1))
    result = landscape(world.staff_partnerships)
    assert result.network.covered == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "schools"), [
    ("admin", {"Alpha Elementary", "Bravo Middle"}),
    ("staff_ops", {"Alpha Elementary", "Bravo Middle"}),
    ("director", {"Alpha Elementary"}),
    ("principal_a", {"Alpha Elementary"}),
    ("principal_b", {"Bravo Middle"}),
])
def test_landscape_page_is_scoped(world, client_as, who, schools):
    client = client_as(who)
    page = client.get("/partners/landscape/")
    assert page.status_code == 200
    csv = client.get("/partners/landscape/", {"export": "csv"}).content.decode("utf-8-sig")
    header = csv.splitlines()[0].split(",")
    assert {h.split(" · ")[1] for h in header[1:]} == schools


@pytest.mark.django_db
def test_landscape_page_filters(world, client_as):
    client = client_as("staff_partnerships")
    page = client.get("/partners/landscape/", {"community": "watts"}).content.decode()
    assert "Alpha Elementary" in page and "Bravo Middle" not in page and "gap" in page
    csv = client.get("/partners/landscape/", {"community": "watts", "export": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[1:] == ["Arts,High: covered by Xochi Arts Project", "Mental health,Medium: gap"]
    assert client.get("/partners/landscape/", {"year": "2024-25"}).status_code == 200
    assert client.get("/partners/landscape/", {"year": "1999-00"}).status_code == 404
    assert client.get("/partners/landscape/", {"community": "atlantis"}).status_code == 404
    SchoolNeed.objects.all().delete()
    assert "No needs recorded" in client.get("/partners/landscape/").content.decode()
