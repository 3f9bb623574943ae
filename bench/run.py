"""Benchmarks for the registry: figures printed, never asserted (see docs/performance.md).

Run with `make bench`. Uses a throwaway SQLite database under a temporary data directory, or the
database in DATABASE_URL if set. Real data comes from ../shared/data when present.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DIRECTORY = REPO.parent / "shared" / "data" / "cde_directory" / "pubschls_lausd.txt"

os.environ.setdefault("EQUITABLE_DATA_DIR", tempfile.mkdtemp(prefix="equitable-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equitable.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from equitable.core.imports import run_import  # noqa: E402
from equitable.core.tabular import read_table  # noqa: E402
from equitable.network.importers import CdeDirectoryImporter  # noqa: E402


def timed(label: str, fn):
    tracemalloc.start()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<48} {elapsed:8.3f} s   peak {peak / 1e6:7.1f} MB")
    return result, elapsed


def main() -> int:
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    if DIRECTORY.is_file():
        def read_only():
            header, rows = read_table(DIRECTORY, null_values=("No Data",))
            return sum(1 for _ in rows)

        count, baseline = timed("read the directory file (baseline)", read_only)
        result, first = timed("import cde-directory (1st run: creates)",
                              lambda: run_import(CdeDirectoryImporter(district="1964733"), str(DIRECTORY)))
        _, again = timed("import cde-directory (2nd run: unchanged)",
                         lambda: run_import(CdeDirectoryImporter(district="1964733"), str(DIRECTORY)))
        print(f"  {count} rows; {result.summary()}")
        print(f"  rows/s: read {count / baseline:,.0f}; import {count / first:,.0f}; re-import {count / again:,.0f}")
        print(f"  ratio import/read: {first / baseline:.1f}x")
    else:
        print(f"(skipped the directory import: {DIRECTORY} is absent)")

    timed("demo --scale district (1,000 schools, 10 years)",
          lambda: call_command("demo", "--scale", "district", "--no-serve", verbosity=0))
    from equitable.core.models import User

    admin = User.objects.filter(username="admin").first()
    client = Client()
    client.force_login(admin)
    for path in ("/network/schools/", "/network/schools/?export=csv", "/api/v1/schools/?limit=1000"):
        with CaptureQueriesContext(connection) as queries:
            _, elapsed = timed(f"GET {path}", lambda p=path: client.get(p))
        print(f"  {len(queries)} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
