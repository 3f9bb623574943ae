"""Settings are typed and fail loudly; production settings pass Django's deployment check."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from equitable.config import env

GOOD_KEY = "k" * 20 + "-production-secret-for-tests-only-" + "x" * 20


def run_cli(args: list[str], extra_env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("EQUITABLE_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC"))}
    environment.update({"EQUITABLE_DATA_DIR": str(tmp_path), **extra_env})
    return subprocess.run([sys.executable, "-m", "equitable.cli", *args], env=environment, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("EQUITABLE_DEBUG", "maybe", "is not a boolean"),
        ("EQUITABLE_ENV", "staging", "must be one of"),
        ("EQUITABLE_SESSION_HOURS", "twelve", "is not a whole number"),
        ("EQUITABLE_LOGIN_FAILURE_LIMIT", "0", "below the minimum"),
        ("DATABASE_URL", "mysql://u:p@h/db", "must point at PostgreSQL"),
    ],
)
def test_bad_values_fail_loudly(tmp_path, name, value, message):
    result = run_cli(["check"], {name: value}, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_requires_a_real_secret_key(tmp_path):
    result = run_cli(["check"], {"EQUITABLE_ENV": "production"}, tmp_path)
    assert result.returncode != 0
    assert "EQUITABLE_SECRET_KEY must be set" in result.stderr


def test_production_deploy_check_is_clean(tmp_path):
    result = run_cli(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {"EQUITABLE_ENV": "production", "EQUITABLE_SECRET_KEY": GOOD_KEY, "EQUITABLE_ALLOWED_HOSTS": "equitable.example.org"},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_cli_runs_any_management_command(tmp_path):
    result = run_cli(["help"], {}, tmp_path)
    assert result.returncode == 0
    assert "migrate" in result.stdout


def test_env_readers(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env.env_bool("X_BOOL", False) is True
    assert env.env_int("X_INT", 0, maximum=100) == 42
    assert env.env_list("X_LIST", []) == ["a", "b", "c"]
    monkeypatch.setenv("X_INT", "101")
    with pytest.raises(env.ImproperSetting, match="above the maximum"):
        env.env_int("X_INT", 0, maximum=100)
