from __future__ import annotations

import pytest

from tests.partners.world import build_world


@pytest.fixture
def world(personas):
    return build_world(personas)


@pytest.fixture
def client_as(world, client_for):
    """client_as("staff_partnerships") also knows the two users the partner world adds."""
    from django.test import Client

    extra = {"staff_partnerships": world.staff_partnerships, "partner_b": world.partner_b_user}

    def make(name: str) -> Client:
        if name in extra:
            client = Client()
            client.force_login(extra[name])
            return client
        return client_for(name)

    return make
