"""`equitable outcomes …`: the state's outcome files on the command line.

- `equitable outcomes levels FILE [--format csv|tsv]`: read one Dashboard download file of any
  indicator, recompute every row's status level, change level, color and box with the engine from the
  file's own values, and print them next to the published ones, ending with `N rows, M match, K differ`.
- `equitable outcomes import KIND FILE… [--dry-run] [--keep-comparison] [--user U]`: the same imports as
  `equitable import dashboard|caaspp|chronic|acgr FILE…` (which the registry's import command offers
  through `CommandImportKind`).

A file of the wrong layout, an unknown user or a failed import exits with code 2.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from equitable.core.exceptions import NotPermitted
from equitable.core.imports import user_named
from equitable.outcomes.dashboard import DashboardError, check_row
from equitable.outcomes.dashboard.stream import DashboardStream
from equitable.outcomes.importers import IMPORTERS, OutcomeLayoutError
from equitable.outcomes.readers import LayoutError, count_data_lines, open_table

ERROR_EXIT = 2
KIND_HELP = {
    "dashboard": "California School Dashboard download files (any indicator; tab-delimited .txt or .xlsx)",
    "caaspp": "CAASPP Smarter Balanced research files (2015-2019 comma, 2021-2023 and 2024+ caret)",
    "chronic": "DataQuest chronic absenteeism files",
    "acgr": "DataQuest four-year adjusted cohort graduation rate (ACGR) files",
}
LEVEL_COLUMNS = ("cds", "studentgroup", "statuslevel", "changelevel", "color", "box")
PUBLISHED = ("published_statuslevel", "published_changelevel", "published_color", "published_box")


def add_import_arguments(parser, kind: str) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help=KIND_HELP[kind])
    parser.add_argument("--dry-run", action="store_true", help="read and check everything, write nothing")
    parser.add_argument("--keep-comparison", action="store_true",
                        help="also keep rows of schools outside the network, as comparison data")
    parser.add_argument("--user", dest="username", default=None,
                        help="act as this user (permissions and audit); default: system")
    if kind == "dashboard":
        parser.add_argument("--year", type=int, default=None,
                            help="the spring year of the school year (default: the file's reportingyear)")
        parser.add_argument("--indicator", default=None, help="the indicator code, when the file cannot tell")
    if kind == "caaspp":
        parser.add_argument("--entities", default=None, metavar="FILE",
                            help="the research file's entities file (names and types of schools and districts)")


def handle_import(command: BaseCommand, kind: str, options: dict) -> None:
    """Import every file (each all or nothing); print a summary per file; exit 2 if any failed."""
    try:
        user = user_named(options.get("username"))
    except LookupError as exc:
        raise CommandError(str(exc), returncode=ERROR_EXIT) from None
    extra = {key: options.get(key) for key in ("year", "indicator", "entities") if options.get(key) is not None}
    if extra.get("entities") and not Path(extra["entities"]).is_file():
        raise CommandError(f"No such file: {extra['entities']}", returncode=ERROR_EXIT)
    stream = getattr(command.stderr, "_out", command.stderr)
    failed = 0
    for name in options["files"]:
        path = Path(name)
        if not path.is_file():
            command.stderr.write(f"No such file: {path}")
            failed += 1
            continue
        bar = tqdm(total=count_data_lines(path), unit="row", desc=path.name, file=stream, disable=None,
                   leave=False)
        try:
            result = IMPORTERS[kind](path, acting_user=user, keep_comparison=options.get("keep_comparison", False),
                                     dry_run=options.get("dry_run", False), progress=bar.update, **extra).run()
        except OutcomeLayoutError as exc:
            command.stderr.write(f"{path.name}: {exc}")
            failed += 1
            continue
        except NotPermitted as exc:
            raise CommandError(str(exc), returncode=ERROR_EXIT) from None
        finally:
            bar.close()
        for line in result.error_lines():
            command.stderr.write(f"{path.name}: {line}")
        if result.ok:
            command.stdout.write(f"{kind}: {result.summary()}")
        else:
            command.stderr.write(f"{kind}: {result.summary()}")
            failed += 1
    if failed:
        raise CommandError(f"{failed} of {len(options['files'])} file(s) not imported.", returncode=ERROR_EXIT)


def levels_report(path: Path, out, *, fmt: str = "csv", err=None) -> tuple[int, int, int]:
    """Write the recomputed and published levels of every row of a Dashboard file to `out`; return
    (rows, matched, differed). Raises LayoutError / DashboardError for a file of the wrong layout."""
    table = open_table(path)
    try:
        stream = DashboardStream(table.header, name=table.name)
        writer = csv.writer(out, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
        writer.writerow([*LEVEL_COLUMNS, *PUBLISHED, "match"])
        rows = matched = 0
        for line, cells in table.rows:
            rows += 1
            row, issues = stream.read(line, cells)
            if row is None:
                for issue in issues:
                    if err is not None:
                        err.write(f"{issue}\n")
                index = stream.index
                cds = cells[index["cds"]] if len(cells) > index["cds"] else ""
                group = cells[index["studentgroup"]] if len(cells) > index["studentgroup"] else ""
                writer.writerow([cds, group, "", "", "", "", "", "", "", "", "no"])
                continue
            check = check_row(row)
            if check.error is not None and err is not None:
                err.write(f"line {line}: cannot compute: {check.error}\n")
            computed = ([int(check.computed.status_level), int(check.computed.change_level),
                         int(check.computed.color), int(check.computed.box)] if check.computed else ["", "", "", ""])
            published = [row.status_level, row.change_level, row.color, row.box]
            matched += check.matches
            writer.writerow([row.cds, row.student_group, *computed, *published, "yes" if check.matches else "no"])
    finally:
        table.close()
    out.write(f"{rows} rows, {matched} match, {rows - matched} differ\n")
    return rows, matched, rows - matched


class Command(BaseCommand):
    help = "Outcome files: recompute a Dashboard file's levels and colors (levels), or import files (import)."

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        levels = subparsers.add_parser(
            "levels", help="recompute status level, change level, color and box of every row of a Dashboard file")
        levels.add_argument("file", help="a Dashboard download file (tab-delimited .txt or .xlsx)")
        levels.add_argument("--format", choices=("csv", "tsv"), default="csv", help="output format (default csv)")
        imports = subparsers.add_parser("import", help="import outcome files (as `equitable import KIND FILE…`)")
        kinds = imports.add_subparsers(dest="kind", metavar="KIND", required=True)
        for kind in IMPORTERS:
            add_import_arguments(kinds.add_parser(kind, help=KIND_HELP[kind]), kind)

    def handle(self, *args, **options):
        if options["action"] == "import":
            handle_import(self, options["kind"], options)
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}", returncode=ERROR_EXIT)
        out = getattr(self.stdout, "_out", sys.stdout)
        err = getattr(self.stderr, "_out", sys.stderr)
        try:
            levels_report(path, out, fmt=options["format"], err=err)
        except (LayoutError, DashboardError) as exc:
            raise CommandError(str(exc), returncode=ERROR_EXIT) from None
