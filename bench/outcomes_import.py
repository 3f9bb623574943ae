"""Benchmark: importing a statewide-size Dashboard file (figures printed, never asserted).

    .venv/bin/python bench/outcomes_import.py [--rows 250000] [--small 50000]

Generates ELA download files in the real layout (the header of the 2025 file, 37 columns) into a
temporary directory, then for each size runs, in a fresh process each:

- the baseline: reading and parsing the file alone (the streaming reader and the engine's row parser,
  no database);
- the import into SQLite (a temporary data directory), and into PostgreSQL when DATABASE_URL is set,
  keeping every row (`keep_comparison`), then the same file again (the idempotent re-import);

printing seconds, rows per second, the ratio to the baseline and the process's peak resident memory
(`ru_maxrss`), so that memory at the small and the large size can be compared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEADER = (
    "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag studentgroup currdenom "
    "currstatus priordenom priorstatus change statuslevel changelevel color box currnsizemet priornsizemet "
    "accountabilitymet hscutpoints pairshare_method currprate_enrolled currprate_tested currprate "
    "currnumPRLOSS currdenom_withoutPRLOSS currstatus_withoutPRLOSS priorprate_enrolled priorprate_tested "
    "priorprate priornumPRLOSS priordenom_withoutPRLOSS priorstatus_withoutPRLOSS indicator reportingyear"
).split()
GROUPS = ("ALL", "AA", "AI", "AS", "FI", "HI", "PI", "WH", "MR", "EL", "ELO", "RFP", "EO", "LTEL", "SED", "SWD",
          "FOS", "HOM", "SBA", "CAA")


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """`rows` data rows: schools × 20 student groups, with plausible numbers (levels as published)."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("\t".join(HEADER) + "\n")
        written = 0
        school = 0
        while written < rows:
            school += 1
            cds = f"19{64733 + school // 500:05d}{1000000 + school:07d}"
            for group in GROUPS:
                if written >= rows:
                    break
                denom = rng.randint(11, 900)
                curr = round(rng.uniform(-120, 80), 1)
                prior = round(curr - rng.uniform(-20, 20), 1)
                cells = [cds, "S", f"School {school}", "Los Angeles Unified", "Los Angeles", "N", "N", "N", group,
                         str(denom), f"{curr}", str(denom + rng.randint(0, 20)), f"{prior}",
                         f"{round(curr - prior, 1)}", str(rng.randint(1, 5)), str(rng.randint(1, 5)),
                         str(rng.randint(0, 5)), str(10 * rng.randint(1, 25)), "Y", "Y", "Y", "", "", str(denom + 5),
                         str(denom), "99", "", str(denom), f"{curr}", str(denom + 5), str(denom), "99", "",
                         str(denom), f"{prior}", "ELA", "2025"]
                out.write("\t".join(cells) + "\n")
                written += 1


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(step: str, path: Path) -> dict:
    """One measurement in this (fresh) process; returns figures as a dict."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equitable.config.settings")
    if step == "baseline":
        from equitable.outcomes.dashboard.stream import DashboardStream
        from equitable.outcomes.readers import open_table

        before = _peak_mb()
        start = time.perf_counter()
        table = open_table(path)
        stream = DashboardStream(table.header, name=path.name)
        rows = sum(1 for line, cells in table.rows if stream.read(line, cells)[0] is not None)
        return {"rows": rows, "seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "base_mb": before}

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from equitable.outcomes.importers import DashboardImporter
    from equitable.outcomes.models import OutcomeValue

    OutcomeValue.objects.all().delete()
    before = _peak_mb()
    figures = {"vendor": connection.vendor, "base_mb": before}
    for run in ("first", "again"):
        start = time.perf_counter()
        result = DashboardImporter(path, keep_comparison=True).run()
        figures[run] = time.perf_counter() - start
        assert result.ok, result.error_lines()[:5]
        figures["rows"] = result.rows_written
    figures["stored"] = OutcomeValue.objects.count()
    figures["peak_mb"] = _peak_mb()
    OutcomeValue.objects.all().delete()
    return figures


def measure(step: str, path: Path, env: dict) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", step, str(path)], env=env,
                            capture_output=True, text=True, cwd=REPO)
    if output.returncode:
        raise SystemExit(f"{step} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--small", type=int, default=50_000)
    parser.add_argument("--child", nargs=2, metavar=("STEP", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0

    work = Path(tempfile.mkdtemp(prefix="equitable-bench-outcomes-"))
    (work / "data").mkdir()
    sqlite_env = {**os.environ, "EQUITABLE_DATA_DIR": str(work / "data")}
    sqlite_env.pop("DATABASE_URL", None)
    targets = [("sqlite", sqlite_env)]
    if os.environ.get("DATABASE_URL"):
        targets.append(("postgresql", {**os.environ, "EQUITABLE_DATA_DIR": str(work / "data")}))
    print(f"{'rows':>8} {'step':<26} {'seconds':>8} {'rows/s':>9} {'× baseline':>10} {'peak RSS':>9}")
    for rows in (args.small, args.rows):
        path = work / "eladownload2025.txt"
        generate(path, rows)
        base = measure("baseline", path, sqlite_env)
        rate = base["rows"] / base["seconds"]
        print(f"{rows:>8} {'read + parse (baseline)':<26} {base['seconds']:8.2f} {rate:9,.0f} {1:10.1f} "
              f"{base['peak_mb']:7.0f} MB")
        for name, env in targets:
            figures = measure("import", path, env)
            for run, label in (("first", f"import {name}"), ("again", f"re-import {name}")):
                seconds = figures[run]
                print(f"{rows:>8} {label:<26} {seconds:8.2f} {figures['rows'] / seconds:9,.0f} "
                      f"{seconds / base['seconds']:10.1f} {figures['peak_mb']:7.0f} MB")
        path.unlink()
    shutil.rmtree(work, ignore_errors=True)
    print("(peak RSS is the whole process, Django included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
