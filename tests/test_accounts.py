"""Accounts: Argon2 password hashes, login throttling, anonymous users reach only the login page."""

import pytest
from django.test import Client

from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(personas):
    personas.admin.refresh_from_db()
    assert personas.admin.password.startswith("argon2")


def test_login_with_the_right_password(personas):
    client = Client()
    response = client.post("/accounts/login/", {"username": "principal_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_repeated_failures_lock_the_account(personas, settings):
    settings.AXES_ENABLED = True
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "principal_a", "password": "nope"}, REMOTE_ADDR="10.0.0.9")
    response = client.post("/accounts/login/", {"username": "principal_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert b"Too many failed log-in attempts" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", ["/", "/network/schools/", "/admin/", "/imports/"])
def test_anonymous_users_are_sent_to_login(personas, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_login_page_is_public():
    assert Client().get("/accounts/login/").status_code == 200


def test_home_shows_network_aggregates_to_board_without_small_groups(personas, client_for):
    response = client_for("board").get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "1,000" in body  # 400 + 600 students in the current year
    # foster youth (8) is below the threshold of 11 and must be suppressed
    assert "Foster youth" in body
    row = body[body.index("<td>Foster youth</td>"):][:120]
    assert '<td class="num">*</td>' in row and ">8<" not in row
