"""`equitable import KIND FILE [--dry-run] [--user USERNAME]`: import a CSV/XLSX file into the registry.

Every registered import kind is a subcommand (schools, enrollment, people, cde-directory, …); a kind's
extra options (e.g. `--district` for the CDE directory) appear on its subcommand. Every row is
validated first; if any row fails, nothing is written, every error is printed as
`row N, column C: message` and the command exits with code 2.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from equitable.core.imports import command_import_kinds, import_kind, import_kinds, run_import, user_named

ERROR_EXIT = 2


def acting_user(username: str | None):
    try:
        return user_named(username)
    except LookupError as exc:
        raise CommandError(str(exc), returncode=ERROR_EXIT) from None


class Command(BaseCommand):
    help = "Import a CSV or XLSX file (schools, enrollment, people, the CDE school directory, …)."

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
        for kind in import_kinds():
            sub = subparsers.add_parser(kind.slug, help=str(kind.label), description=str(kind.help_text))
            sub.add_argument("file", help="CSV, tab-delimited text or XLSX file")
            sub.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
            sub.add_argument("--user", dest="username", default=None,
                             help="act as this user (permissions and audit); default: system")
            for option in kind.options:
                sub.add_argument(f"--{option.name}", dest=option.name, default=None, help=str(option.help_text))
        for command_kind in command_import_kinds():  # kinds that stream their files themselves (outcomes)
            command_kind.add_arguments(subparsers.add_parser(command_kind.slug, help=str(command_kind.label)))

    def handle(self, *args, **options):
        command_kind = next((k for k in command_import_kinds() if k.slug == options["kind"]), None)
        if command_kind is not None:
            return command_kind.handle(self, options)
        kind = import_kind(options["kind"])
        if kind is None:  # pragma: no cover - argparse already refuses unknown kinds
            raise CommandError(f"Unknown import kind {options['kind']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}", returncode=ERROR_EXIT)
        extra = {}
        for option in kind.options:
            value = options.get(option.name)
            if value and option.pattern and not re.fullmatch(option.pattern, value):
                raise CommandError(f"--{option.name}: {option.pattern_message}", returncode=ERROR_EXIT)
            extra[option.name] = value
        user = acting_user(options["username"])
        importer = kind.make(acting_user=user, **extra)
        content = path.read_bytes()

        stream = getattr(self.stderr, "_out", self.stderr)
        bar = tqdm(total=_estimate_rows(content, path.name), unit="row", desc="validate", file=stream,
                   disable=None, leave=False)

        def on_stage(stage, total):
            bar.reset(total=total if total is not None else bar.total)
            bar.set_description(stage)

        try:
            result = run_import(importer, content, filename=path.name, dry_run=options["dry_run"],
                                progress=bar.update, on_stage=on_stage)
        finally:
            bar.close()
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors:
            raise CommandError(result.summary(), returncode=ERROR_EXIT)
        prefix = "Dry run: " if result.dry_run else ""
        self.stdout.write(f"{prefix}{kind.slug}: {result.summary()}")


def _estimate_rows(content: bytes, name: str) -> int | None:
    if content[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        return None
    return max(content.count(b"\n") - 1 + (0 if content.endswith(b"\n") else 1), 0)
