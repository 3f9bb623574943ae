from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from tests.personas import ALL_PERSONAS, build_personas

pytest_plugins = ["tests.browser.fixtures"]  # one Chromium per session for every browser test

# Property tests draw the same examples on every run ("repeatable"), so a suite that passed passes again;
# HYPOTHESIS_PROFILE=explore draws fresh random examples, ten times as many, to look for new failures.
hypothesis_settings.register_profile("repeatable", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True, max_examples=1000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _no_login_throttling_leaks(settings):
    settings.AXES_ENABLED = False


@pytest.fixture
def personas(db):
    return build_personas()


@pytest.fixture
def client_for(personas):
    """client_for("principal_a") → a logged-in Django test client (anonymous for "anonymous")."""

    def make(name: str) -> Client:
        client = Client()
        user = personas.user(name)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def api_for(personas):
    """api_for("principal_a") → a DRF client authenticated with that persona's token."""
    from rest_framework.authtoken.models import Token

    def make(name: str) -> APIClient:
        client = APIClient()
        user = personas.user(name)
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real public data folder {SHARED_DATA} is absent; these tests read files from it")
    return SHARED_DATA




__all__ = ["ALL_PERSONAS"]
