"""`equitable demo` and `equitable serve`: arguments, output, refusal cases and a real server start."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from equitable.core.management.commands.serve import Command as ServeCommand
from equitable.core.management.commands.serve import ensure_port_free, gunicorn_options
from equitable.demo.people import DEMO_PASSWORD, LOGINS
from equitable.network.models import School

REPO = Path(__file__).resolve().parents[2]


def _run(*args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("demo", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_demo_no_serve_loads_and_prints_logins():
    out, _err = _run("--no-serve")
    assert "19 member schools" in out
    assert f"password for every one is: {DEMO_PASSWORD}" in out
    assert "fictional" in out
    for spec in LOGINS:
        assert f"  {spec.username} " in out
    assert School.objects.filter(membership="member").count() == 19
    again, _ = _run("--no-serve")
    assert "nothing changed" in again


@pytest.mark.django_db
def test_demo_district_scale_via_command():
    out, _ = _run("--no-serve", "--scale", "district", "--schools", "30", "--years", "2")
    assert "30 schools" in out and "60 enrollment rows" in out
    assert "admin" in out
    assert School.objects.count() == 30


@pytest.mark.django_db
def test_schools_option_needs_district_scale():
    with pytest.raises(CommandError, match="--scale district"):
        _run("--no-serve", "--schools", "10")


@pytest.mark.django_db
def test_demo_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        _run("--no-serve")
    assert School.objects.count() == 0


def _parse(*argv):
    parser = ServeCommand().create_parser("equitable", "serve")
    return vars(parser.parse_args(list(argv)))


def test_serve_arguments():
    defaults = _parse()
    assert defaults["port"] == 8000 and defaults["host"] == "127.0.0.1" and defaults["workers"] >= 1
    options = _parse("--port", "9123", "--host", "0.0.0.0", "--workers", "3")
    assert (options["port"], options["host"], options["workers"]) == (9123, "0.0.0.0", 3)
    for bad in (["--port", "0"], ["--port", "70000"], ["--port", "http"], ["--workers", "0"]):
        with pytest.raises(CommandError):
            _parse(*bad)


def test_gunicorn_options():
    options = gunicorn_options(host="127.0.0.1", port=8123, workers=2)
    assert options["bind"] == ["127.0.0.1:8123"] and options["workers"] == 2
    assert gunicorn_options(host="::1", port=8123, workers=1)["bind"] == ["[::1]:8123"]


def test_port_in_use_gives_a_clear_error():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(CommandError, match=f"Port {port} on 127.0.0.1 is already in use"):
            ensure_port_free("127.0.0.1", port)
        with pytest.raises(CommandError, match="already in use"):
            call_command("serve", port=port)
    ensure_port_free("127.0.0.1", port)  # free again


@pytest.mark.django_db
def test_demo_checks_the_port_before_loading():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(CommandError, match="already in use"):
            _run("--port", str(busy.getsockname()[1]))
    assert School.objects.count() == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_runs_gunicorn_and_answers_healthz(tmp_path):
    port = _free_port()
    env = {**os.environ, "EQUITABLE_DATA_DIR": str(tmp_path), "EQUITABLE_ENV": "development"}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "equitable.cli", "serve", "--port", str(port), "--workers", "1"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        body, deadline = None, time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = response.read().decode()
                    server = response.headers.get("Server", "")
                break
            except OSError:
                time.sleep(0.3)
        assert body == "ok", proc.stdout.read() if proc.poll() is not None else "server did not answer"
        assert "gunicorn" in server
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/web/equitable.css", timeout=5) as response:
            assert response.status == 200
        assert (tmp_path / "static" / "web" / "equitable.css").exists()  # collectstatic ran
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
