from __future__ import annotations

import pytest

from equitable.demo.network import load_demo_network


@pytest.fixture
def demo(db):
    """The demo network, loaded once for the test (about 2 s)."""
    return load_demo_network()


@pytest.fixture
def demo_user(demo):
    from equitable.core.models import User

    def get(username: str) -> User:
        return User.objects.get(username=username)  # a fresh object: no cached scope

    return get


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; the demo's logic does not depend on the hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
