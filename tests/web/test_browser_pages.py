"""The registry's pages in a real browser (headless Chromium): HTMX swaps only the table region, tabs work
without inline scripts, and the list fits a phone. Run with `make browser` (pytest -m browser)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_filtering_and_sorting_swap_only_the_table(page_as, live_server):
    page = page_as("staff_ops")
    problems = _watch_console(page)
    page.goto(f"{live_server.url}/network/schools/")
    page.evaluate("window.__sameDocument = true")
    page.locator("#id_level").select_option("middle")
    page.wait_for_url("**level=middle**")
    table = page.get_by_test_id("school-table")
    assert "Bravo Middle" in table.inner_text() and "Alpha Elementary" not in table.inner_text()
    assert page.evaluate("window.__sameDocument === true")  # no full page load
    page.locator("#id_level").select_option("")
    page.wait_for_url(lambda url: "level=middle" not in url)
    page.get_by_role("link", name="Enrollment 2025-26").click()
    page.wait_for_url("**sort=enrollment**")
    rows = page.get_by_test_id("school-table").locator("tbody tr td:first-child").all_inner_texts()
    assert rows[:2] == ["Alpha Elementary", "Bravo Middle"]
    assert page.evaluate("window.__sameDocument === true")
    assert problems == []


def test_school_profile_tabs(page_as, live_server):
    page = page_as("principal_a")
    problems = _watch_console(page)
    page.goto(f"{live_server.url}/network/schools/19647330000011/")
    assert page.locator("#tab-overview").is_visible() and not page.locator("#tab-history").is_visible()
    page.get_by_role("tab", name="History").click()
    assert page.locator("#tab-history").is_visible() and not page.locator("#tab-overview").is_visible()
    assert page.url.endswith("#tab-history")
    page.goto(f"{live_server.url}/network/schools/19647330000011/#tab-enrollment")
    page.reload()
    assert page.locator("#tab-enrollment").is_visible()
    assert problems == []


def test_school_list_fits_a_phone(page_as, live_server):
    page = page_as("staff_ops", viewport={"width": 375, "height": 740})
    page.goto(f"{live_server.url}/network/schools/?columns=name&columns=cds_code&columns=community&columns=enrollment")
    assert page.get_by_test_id("school-table").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
