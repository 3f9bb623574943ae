"""`equitable demo`: migrate, load the demo network, print the demo logins, then serve it.

    equitable demo [--port N] [--host H] [--workers N] [--no-serve]
    equitable demo --scale district [--schools N] [--years N] [--no-serve]

`--scale network` (the default) loads "Partnership Demo Network": 19 member schools, ~14,200 students,
fictional people, and one login per persona. `--scale district` loads a synthetic ~1,000-school district
with ten school years for performance work. Both are deterministic and idempotent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from equitable.core.management.commands.serve import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    default_workers,
    ensure_port_free,
    port_number,
    worker_count,
)
from equitable.demo import people
from equitable.demo.network import DemoRefused, load_demo_network, refuse_in_production
from equitable.demo.scale import DEFAULT_SCHOOLS, DEFAULT_YEARS, ensure_admin_login, load_district


def positive(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


class Command(BaseCommand):
    help = "Set up the database, load the demo network (fictional people), print the demo logins and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                            help=f"Port to serve on (default {DEFAULT_PORT}).")
        parser.add_argument("--host", default=DEFAULT_HOST, help=f"Address to serve on (default {DEFAULT_HOST}).")
        parser.add_argument("--workers", type=worker_count, default=default_workers(), help="Server worker processes.")
        parser.add_argument("--no-serve", action="store_true", help="Load the demo and stop; do not start the server.")
        parser.add_argument("--scale", choices=["network", "district"], default="network",
                            help="network: the 19-school demo network (default); district: a synthetic "
                                 "~1,000-school district with ten school years, for performance work.")
        parser.add_argument("--schools", type=positive, default=None,
                            help=f"With --scale district: number of schools (default {DEFAULT_SCHOOLS}).")
        parser.add_argument("--years", type=positive, default=None,
                            help=f"With --scale district: number of school years up to 2025-26 (default {DEFAULT_YEARS}).")

    def handle(self, *args, **options):
        if options["scale"] != "district" and (options["schools"] or options["years"]):
            raise CommandError(_("--schools and --years apply to --scale district only."))
        try:
            refuse_in_production()
        except DemoRefused as exc:
            raise CommandError(str(exc)) from None
        serve = not options["no_serve"]
        if serve:  # fail before loading anything when the port is taken
            ensure_port_free(options["host"], options["port"])
        verbosity = self.verbosity = options["verbosity"]
        progress = verbosity >= 1
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        if verbosity >= 1:
            self.stdout.write(_("Preparing the database …"))
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))

        if options["scale"] == "district":
            self._district(options, progress)
        else:
            self._network(progress)

        if serve:
            call_command("serve", port=options["port"], host=options["host"], workers=options["workers"],
                         verbosity=verbosity)

    def _network(self, progress: bool) -> None:
        result = load_demo_network(progress=progress)
        if self.verbosity < 1:
            return
        self.stdout.write(self.style.SUCCESS(
            _("Demo network “%(name)s”: %(schools)d member schools, %(students)s students in %(year)s.") % {
                "name": result.network.name, "schools": result.member_schools,
                "students": f"{result.students:,}", "year": result.current_year}))
        self._changes(result.sync)
        for username in result.skipped_users:
            self.stderr.write(self.style.WARNING(
                _("A user named “%(u)s” exists and is not a demo account; it was left unchanged and has no demo "
                  "login.") % {"u": username}))
        self._logins([s for s in people.LOGINS if s.username not in result.skipped_users])

    def _district(self, options: dict, progress: bool) -> None:
        schools = options["schools"] or DEFAULT_SCHOOLS
        years = options["years"] or DEFAULT_YEARS
        result = load_district(schools=schools, years=years, progress=progress)
        admin = ensure_admin_login()
        if self.verbosity < 1:
            return
        self.stdout.write(self.style.SUCCESS(
            _("Synthetic district “%(name)s”: %(schools)s schools in %(communities)d communities, "
              "%(years)d school years, %(rows)s enrollment rows (synthetic data).") % {
                "name": result.network.name, "schools": f"{result.schools:,}", "communities": result.communities,
                "years": result.years, "rows": f"{result.enrollments:,}"}))
        self._changes(result.sync)
        self._logins([people.LOGINS[0]] if admin is not None else [],
                     note=_("Demo data: every school, figure and person in the synthetic district is made up."))

    def _changes(self, sync) -> None:
        if not sync.changed_anything:
            self.stdout.write(_("Already loaded: nothing changed."))
            return
        created, updated = sum(sync.created.values()), sum(sync.updated.values())
        self.stdout.write(_("Created %(c)s records, updated %(u)s.") % {"c": f"{created:,}", "u": f"{updated:,}"})

    def _logins(self, specs, note: str = "") -> None:
        if not specs:
            return
        out = self.stdout
        out.write("")
        out.write(self.style.MIGRATE_HEADING(_("Demo logins — the password for every one is: %(pw)s") % {
            "pw": people.DEMO_PASSWORD}))
        out.write(note or _("Demo data: the people (names, titles, emails) are fictional. Schools are real public "
                            "directory entries; their enrollment figures are synthetic."))
        out.write("")
        rows = [(_("username"), _("persona"), _("what they see"))]
        rows += [(s.username, str(s.persona), str(s.sees)) for s in specs]
        width_user = max(len(r[0]) for r in rows)
        width_persona = max(len(r[1]) for r in rows)
        for index, (username, persona, sees) in enumerate(rows):
            line = f"  {username:<{width_user}}  {persona:<{width_persona}}  {sees}"
            out.write(self.style.SQL_FIELD(line) if index == 0 else line)
        out.write("")
