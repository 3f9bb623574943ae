"""`equitable export KIND [--format csv|xlsx] [--output FILE] [--user USERNAME]`: the registry as a table.

The columns are exactly those the importer of the same kind reads, so an export re-imports unchanged.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from equitable.core.imports import import_kind, import_kinds, user_named
from equitable.core.tabular import FORMATS, render_csv, render_xlsx


class Command(BaseCommand):
    help = "Export the registry (schools, enrollment, people) as CSV or XLSX, in the columns its import reads."

    def add_arguments(self, parser):
        kinds = [k.slug for k in import_kinds() if k.exporter is not None]
        parser.add_argument("kind", choices=kinds, help="what to export")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="csv")
        parser.add_argument("--output", "-o", default=None, help="file to write (default: standard output)")
        parser.add_argument("--user", dest="username", default=None,
                            help="export only what this user may see (default: everything)")

    def handle(self, *args, **options):
        kind = import_kind(options["kind"])
        try:
            user = user_named(options["username"])
        except LookupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        headers, rows = kind.exporter(user=user)
        rows = list(rows)
        if options["fmt"] == "csv":
            content = render_csv(headers, rows)
        else:
            content = render_xlsx(headers, rows, sheet_title=kind.slug)
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(f"{kind.slug}: {len(rows)} row(s) written to {options['output']}.")
            return
        if options["fmt"] == "xlsx":
            out = getattr(getattr(self.stdout, "_out", None), "buffer", None)
            if out is None or out.isatty():
                raise CommandError("XLSX is binary: give --output FILE.")
            out.write(content)
            out.flush()
            return
        self.stdout.write(content.decode("utf-8"), ending="")
        if self.stdout._out is sys.stdout:
            self.stdout.flush()
