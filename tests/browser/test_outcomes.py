"""The outcomes pages in a real browser, as a principal and as a board viewer."""

import pytest

from tests.outcomes.test_selectors import build_outcomes

pytestmark = pytest.mark.browser


@pytest.fixture
def live_outcomes(live_personas):
    return build_outcomes(live_personas)


def test_principal_sees_own_school_dashboard_and_not_another(page_as, live_server, live_personas, live_outcomes):
    page = page_as("principal_a")
    page.goto(f"{live_server.url}/outcomes/schools/{live_personas.school_a.cds_code}/")
    assert "Outcomes of Alpha Elementary" in page.locator("h1").inner_text()
    assert page.locator(".chart svg").count() >= 1  # trend charts drawn on the server
    response = page.goto(f"{live_server.url}/outcomes/schools/{live_personas.school_b.cds_code}/")
    assert response.status == 404


def test_board_sees_network_aggregates_without_school_rows(page_as, live_server, live_personas, live_outcomes):
    page = page_as("board")
    page.get_by_role("link", name="Network dashboard").click()
    page.wait_for_url(f"{live_server.url}/outcomes/")
    body = page.locator("main").inner_text()
    assert "Network outcomes" in body
    assert "Alpha Elementary" not in body and "Bravo Middle" not in body
    response = page.goto(f"{live_server.url}/outcomes/schools/{live_personas.school_a.cds_code}/")
    assert response.status in (403, 404)
