"""`equitable serve`: collect static files, then run Equitable under gunicorn (a production-grade server).

Static files are served by WhiteNoise from STATIC_ROOT, so no other web server is needed on one machine.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

WSGI_APP = "equitable.config.wsgi:application"
DEFAULT_PORT = 8000
DEFAULT_HOST = "127.0.0.1"


def default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port {value} is outside 1–65535")
    return value


def worker_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"{value} workers: choose 1–64")
    return value


def ensure_port_free(host: str, port: int) -> None:
    """Raise CommandError with a clear message when something already listens on host:port."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise CommandError(f"Cannot serve on host {host!r}: {exc.strerror}.") from None
    family, _type, _proto, _name, address = infos[0]
    probe = socket.socket(family, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        probe.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CommandError(
                f"Port {port} on {host} is already in use (is Equitable or another program already running?). "
                f"Stop that program or choose another port, e.g. --port {port + 1 if port < 65535 else 8000}."
            ) from None
        if exc.errno == errno.EACCES:
            raise CommandError(f"Not allowed to use port {port} on {host}; ports below 1024 need privileges.") from None
        raise CommandError(f"Cannot serve on {host}:{port}: {exc.strerror}.") from None
    finally:
        probe.close()


def gunicorn_options(*, host: str, port: int, workers: int, timeout: int = 60) -> dict:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "gthread",
        "threads": 4,
        "timeout": timeout,
        "graceful_timeout": 10,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "equitable",
        "forwarded_allow_ips": "127.0.0.1,::1",
        "control_socket_disable": True,  # newer gunicorn: no control socket in the home directory
    }


def build_server(options: dict, app_uri: str = WSGI_APP):
    """A gunicorn application running Equitable's WSGI app with these settings."""
    from gunicorn.app.base import BaseApplication
    from gunicorn.util import import_app

    class EquitableServer(BaseApplication):
        def __init__(self):
            self.options = options
            super().__init__(prog="equitable serve")

        def load_config(self):
            for key, value in self.options.items():
                if key in self.cfg.settings:  # skip settings this gunicorn version does not have
                    self.cfg.set(key, value)

        def load(self):
            return import_app(app_uri)

    return EquitableServer()


class Command(BaseCommand):
    help = "Serve Equitable with gunicorn after collecting static files (WhiteNoise serves them)."
    requires_system_checks = []  # run below, once, before the workers start

    def add_arguments(self, parser):
        parser.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                            help=f"TCP port to listen on (default {DEFAULT_PORT}).")
        parser.add_argument("--host", default=DEFAULT_HOST,
                            help=f"Address to listen on (default {DEFAULT_HOST}, this machine only). Use 0.0.0.0 "
                                 "to accept other machines, and list their names in EQUITABLE_ALLOWED_HOSTS.")
        parser.add_argument("--workers", type=worker_count, default=default_workers(),
                            help="Worker processes (default: the number of CPUs, at most 4).")
        parser.add_argument("--timeout", type=int, default=60, help="Seconds before a stuck request is restarted.")
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="Skip collecting static files (they are already in STATIC_ROOT).")

    def handle(self, *args, **options):
        host, port, workers = options["host"], options["port"], options["workers"]
        ensure_port_free(host, port)
        self.check(display_num_errors=False)
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        if not options["no_collectstatic"]:
            if options["verbosity"] >= 1:
                self.stdout.write(f"Collecting static files into {settings.STATIC_ROOT} …")
            call_command("collectstatic", interactive=False, verbosity=0)
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        shown = f"[{shown_host}]" if ":" in shown_host else shown_host
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(
                f"Equitable is at http://{shown}:{port}/ ({workers} worker{'s' if workers != 1 else ''}; "
                "press Ctrl+C to stop)."))
        self.stdout.flush()
        connections.close_all()  # workers are forked: none may inherit an open database connection
        server = build_server(gunicorn_options(host=host, port=port, workers=workers, timeout=options["timeout"]))
        server.run()
