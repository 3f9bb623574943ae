"""Need and allocation pages in a real browser, as finance staff (add a source, compute and adopt a scenario, then
it is locked) and as a principal (their own school's allocation and why; no other school, no drafts)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from equitable.core.models import User
from equitable.core.roles import Area, Role
from equitable.funding.models import FundingSource
from tests.funding.test_pages import B_MARK, build_money
from tests.personas import _password_hash

pytestmark = pytest.mark.browser


@pytest.fixture
def live_money(live_personas):
    User.objects.create(username="finance", role=Role.STAFF, area=Area.FINANCE, first_name="Fin",
                        password=_password_hash())
    return build_money(live_personas)


def test_finance_adds_a_source_then_computes_and_adopts_a_scenario(page_as, live_server, live_personas,
                                                                     live_money):
    page = page_as("finance")
    page.get_by_role("link", name="Funding sources").click()
    page.get_by_role("link", name="New funding source").click()
    page.get_by_label("Name").fill("Spring Arts Gift")
    page.get_by_label("Kind").select_option("philanthropic")
    page.get_by_label("Amount").fill("120000")
    page.get_by_test_id("save-source").click()
    page.wait_for_url(f"{live_server.url}/funding/sources/")
    assert "Spring Arts Gift" in page.get_by_test_id("source-table").inner_text()
    source = FundingSource.objects.get(name="Spring Arts Gift")

    page.goto(f"{live_server.url}/funding/scenarios/add/")
    page.locator("input[name='name']").fill("Arts by enrollment")
    page.locator("select[name='method']").select_option("even_pupil")
    page.locator(f"input[name='source_{source.pk}']").fill("120000")
    page.get_by_test_id("save-compute").click()
    expect(page.get_by_test_id("status")).to_have_text("Computed")
    assert page.get_by_test_id("chart").locator("svg").count() == 1
    assert page.get_by_test_id("allocations").locator("tbody tr").count() >= 2
    assert page.get_by_test_id("pool").inner_text() == "$120,000"

    page.get_by_test_id("adopt").click()
    page.get_by_test_id("confirm-adopt").click()
    expect(page.get_by_test_id("status")).to_have_text("Adopted (locked)")
    assert page.get_by_test_id("locked").is_visible()
    assert page.get_by_test_id("edit").count() == 0 and page.get_by_test_id("compute").count() == 0

    # side by side with the equitable split, from the scenario's page
    page.get_by_test_id("compare-link").click()
    page.locator("#id_b").select_option(str(live_money.equitable.pk))
    page.get_by_test_id("compare").click()
    row_a = page.get_by_test_id(f"compare-{live_personas.school_a.cds_code}")
    expect(row_a).to_contain_text("$312,345")
    assert page.get_by_test_id("chart").locator("svg").count() == 1


def test_principal_sees_their_school_and_why_but_no_other_school(page_as, live_server, live_personas, live_money):
    page = page_as("principal_a")
    page.get_by_role("link", name="Allocation scenarios").click()
    page.get_by_role("link", name=live_money.equitable.name).click()
    cds_a, cds_b = live_personas.school_a.cds_code, live_personas.school_b.cds_code
    expect(page.get_by_test_id(f"allocation-{cds_a}")).to_be_visible()
    assert page.get_by_test_id(f"why-{cds_a}").is_visible()
    assert page.get_by_test_id(f"allocation-{cds_b}").count() == 0
    assert B_MARK not in page.locator("main").inner_text()
    assert page.goto(f"{live_server.url}/funding/scenarios/{live_money.draft.pk}/").status == 404
    assert page.goto(f"{live_server.url}/funding/sources/add/").status == 403
    page.goto(f"{live_server.url}/funding/compare/?a={live_money.even.pk}&b={live_money.equitable.pk}")
    expect(page.get_by_test_id(f"compare-{cds_a}")).to_be_visible()
    assert page.get_by_test_id(f"compare-{cds_b}").count() == 0 and B_MARK not in page.locator("main").inner_text()
