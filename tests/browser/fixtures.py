"""Real-browser tests: headless Debian Chromium driven by Playwright against a live test server.

Run with `make browser` (or `pytest -m browser`). Chromium comes from Debian's package (/usr/bin/chromium);
Playwright never downloads a browser of its own.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.personas import PASSWORD, build_personas

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop in-thread

CHROMIUM = os.environ.get("EQUITABLE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser`, which installs Debian's chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def live_personas(transactional_db):
    return build_personas()


@pytest.fixture
def page_as(browser, live_server, live_personas):
    """page_as("principal_a") → a Playwright page logged in through the real login form."""
    contexts = []

    def make(name: str, *, viewport=None):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        if name != "anonymous":
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("Username").fill(name)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{live_server.url}/")
        return page

    yield make
    for context in contexts:
        context.close()
