"""`equitable partners match|expiring`: the partner matching and clearance expiry lists on the command line.

    equitable partners match --school 19647330000011 [--year 2025-26] [--limit 10] [--format csv|table|json]
    equitable partners expiring --days 30 [--school CDS] [--partner NAME] [--on 2026-01-15] [--format csv|table|json]

Both read the database directly (they are analyst and operator tools, like `allocate --scenario`). Bad input
(an unknown school, negative days) gets a clear message and exit code 2."""

from __future__ import annotations

import csv
import json
import os
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

FORMATS = ("csv", "table", "json")


class UsageError(CommandError):
    def __init__(self, message: str):
        super().__init__(message, returncode=2)


class Command(BaseCommand):
    help = "Community partners: ranked partner suggestions for a school, and clearance items expiring soon."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        match = sub.add_parser("match", help="Ranked partner suggestions for one school, with a score and reasons.")
        match.add_argument("--school", required=True, help="The school's 14-digit CDS code.")
        match.add_argument("--year", help="The school year of the needs assessment (default: the current year).")
        match.add_argument("--limit", type=int, default=None, help="At most this many suggestions.")
        match.add_argument("--format", choices=FORMATS, default="table")
        expiring = sub.add_parser("expiring", help="Clearance items that expire within N days (or have expired).")
        expiring.add_argument("--days", type=int, default=30, help="Look this many days ahead (default 30).")
        expiring.add_argument("--school", help="Only items affecting this school (CDS code).")
        expiring.add_argument("--partner", help="Only this partner organization (its name).")
        expiring.add_argument("--on", help="Count from this day (YYYY-MM-DD) instead of today.")
        expiring.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args, **options):
        action = options.get("action")
        if action == "match":
            from equitable.partners.selectors.matching import MatchInputError, match_table

            if options["limit"] is not None and options["limit"] < 1:
                raise UsageError("--limit must be at least 1.")
            try:
                headers, rows = match_table(options["school"], year=options.get("year"), limit=options["limit"])
            except MatchInputError as exc:
                raise UsageError(str(exc)) from None
        elif action == "expiring":
            from equitable.partners.selectors.clearance import ExpiringInputError, expiring_table

            if options["days"] < 0:
                raise UsageError("--days must be zero or more.")
            on = None
            if options.get("on"):
                try:
                    on = date.fromisoformat(options["on"])
                except ValueError:
                    raise UsageError(f"--on {options['on']!r} is not a date like 2026-01-15.") from None
            try:
                headers, rows = expiring_table(days=options["days"], school=options.get("school"),
                                               partner=options.get("partner"), on=on)
            except ExpiringInputError as exc:
                raise UsageError(str(exc)) from None
        else:
            raise UsageError("Say what to do: `equitable partners match …` or `equitable partners expiring …`.")
        try:
            self._print(headers, rows, options["format"])
        except BrokenPipeError:  # `… | head`: the reader stopped; stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())

    def _print(self, headers: list[str], rows: list[list], fmt: str) -> None:
        out = self.stdout
        if fmt == "csv":
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(headers)
            writer.writerows(rows)
        elif fmt == "json":
            out.write(json.dumps([dict(zip(headers, row, strict=True)) for row in rows], default=str, indent=2))
        else:
            widths = [max([len(str(h)), *(len(str(r[i])) for r in rows)]) for i, h in enumerate(headers)]
            out.write("  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)))
            for row in rows:
                out.write("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
            if not rows:
                out.write("(nothing)")
