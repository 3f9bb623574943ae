"""Logging in as each persona in a real browser; anonymous users only reach the login page."""

import pytest

from tests.personas import ALL_PERSONAS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", [p for p in ALL_PERSONAS if p != "anonymous"])
def test_each_persona_logs_in_and_sees_the_network_at_a_glance(page_as, live_server, name):
    page = page_as(name)
    assert "at a glance" in page.locator("h1").inner_text()
    assert page.get_by_test_id("who").inner_text().startswith(name.replace("_", " ").title())


def test_anonymous_is_sent_to_login(page_as, live_server):
    page = page_as("anonymous")
    page.goto(f"{live_server.url}/network/schools/")
    assert "/accounts/login/" in page.url
    assert page.get_by_role("heading", name="Log in to Equitable").is_visible()


def test_wrong_password_is_refused(page_as, live_server):
    page = page_as("anonymous")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").is_visible()


def test_layout_works_on_a_phone(page_as, live_server):
    page = page_as("staff_ops", viewport={"width": 375, "height": 740})
    nav = page.locator("#sidenav")
    assert not nav.is_visible()
    page.get_by_role("button", name="Menu").click()
    assert nav.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380
