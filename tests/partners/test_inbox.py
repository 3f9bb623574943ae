"""The home page's "Waiting for you": each persona's partnership to-dos, counted through their scope, and
nothing for those who have nothing to do there."""

from __future__ import annotations

import pytest

from equitable.partners.selectors.inbox import waiting_for
from tests.partners.world import TODAY

pytestmark = pytest.mark.django_db


def counts(user) -> dict[str, int]:
    return {item.key: item.count for item in waiting_for(user, on=TODAY)}


def test_each_persona_sees_their_own_to_dos(world):
    p = world.p
    # school B: Yellow Cab's agreement and its counselor's campus request await the principal; its
    # insurance has expired
    assert counts(p.principal_b) == {"agreements": 1, "approvals": 1, "expired": 1}
    # school A: only Xochi's insurance, which runs out in 25 days
    assert counts(p.principal_a) == {"expiring": 1}
    assert counts(world.staff_partnerships) == {"expired": 1, "expiring": 1}
    # the partner user: their insurance, and this year's measure without an actual (the survey is answered)
    assert counts(world.p.partner) == {"expiring": 1, "measures": 1}
    assert counts(world.partner_b_user) == {"expired": 1}
    for nobody in (p.board, p.staff_talent):
        assert waiting_for(nobody, on=TODAY) == []


def test_urgent_items_come_first_and_link_to_the_filtered_page(world, client_as):
    items = waiting_for(world.p.principal_b, on=TODAY)
    assert [i.urgent for i in items] == sorted((i.urgent for i in items), reverse=True)
    by_key = {i.key: i for i in items}
    page = client_as("principal_b").get(by_key["agreements"].url)
    assert page.status_code == 200 and world.agreement_b.title in page.content.decode()


def test_unanswered_survey_and_drafts(world):
    world.survey_xp.delete()
    assert counts(world.p.partner)["survey"] == 1
    world.agreement_b.status = "draft"
    world.agreement_b.save()
    assert counts(world.staff_partnerships)["drafts"] == 1
    assert "agreements" not in counts(world.p.principal_b)  # a draft is not the principal's to decide yet


def test_home_page_shows_the_panel_only_with_something_waiting(world, client_as):
    html = client_as("principal_b").get("/").content.decode()
    assert 'data-testid="waiting"' in html and "agreement awaits your approval" in html
    assert 'data-testid="waiting"' not in client_as("board").get("/").content.decode()
