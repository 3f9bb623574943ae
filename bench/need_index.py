"""Benchmark of the need index: 10,000 schools × 15 indicators (figures printed, never asserted).

Run with `.venv/bin/python bench/need_index.py [--schools N] [--indicators K] [--repeat R]`. It writes a
CSV of random indicator values (5 % missing, seeded) to a temporary directory, then measures, best of R:

- baselines — what numpy needs just to read the inputs: `np.genfromtxt` of the CSV, and building the
  float arrays from the Python lists the engine receives (`np.array(lists, dtype=float)`);
- the engine, `compute_need`, for every normalization × missing-data rule;
- the whole analyst command, `equitable need-index --input FILE` (read, check, compute, print CSV).

No database is used. See docs/performance.md ("Need index").
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import tempfile
import time
from pathlib import Path


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def make_file(directory: Path, schools: int, indicators: int) -> tuple[Path, list[str], dict[str, list]]:
    rnd = random.Random(2025)
    codes = [f"ind{k:02d}" for k in range(indicators)]
    ids = [f"S{i:05d}" for i in range(schools)]
    values: dict[str, list] = {code: [] for code in codes}
    path = directory / "need.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", *codes])
        for school_id in ids:
            row = []
            for code in codes:
                value = None if rnd.random() < 0.05 else round(rnd.uniform(0, 100), 1)
                values[code].append(value)
                row.append("" if value is None else value)
            writer.writerow([school_id, *row])
    return path, ids, values


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=10_000)
    parser.add_argument("--indicators", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("EQUITABLE_DATA_DIR", tempfile.mkdtemp(prefix="equitable-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equitable.config.settings")
    import django
    import numpy as np

    django.setup()
    from django.core.management import call_command

    from equitable.equity.need_index import IndicatorSpec, NeedInput, compute_need

    with tempfile.TemporaryDirectory() as tmp:
        path, ids, values = make_file(Path(tmp), args.schools, args.indicators)
        cells = args.schools * args.indicators
        print(f"{args.schools:,} schools × {args.indicators} indicators ({cells:,} values, 5 % missing); "
              f"best of {args.repeat}")
        read = best_of(args.repeat, lambda: np.genfromtxt(path, delimiter=",", skip_header=1,
                                                          usecols=range(1, args.indicators + 1)))
        build = best_of(args.repeat, lambda: np.array([values[c] for c in values], dtype=float))
        print(f"{'baseline: np.genfromtxt of the CSV':<52} {read * 1000:8.1f} ms")
        print(f"{'baseline: np.array of the value lists':<52} {build * 1000:8.1f} ms")
        specs = [IndicatorSpec(code, 1.0 + k % 3, k % 4 != 0) for k, code in enumerate(values)]
        engine_times = []
        for normalization in ("percentile", "zscore", "minmax"):
            for rule in ("reweight", "median", "exclude"):
                inp = NeedInput(ids, values, specs, normalization=normalization, missing=rule)
                elapsed = best_of(args.repeat, lambda inp=inp: compute_need(inp))
                engine_times.append(elapsed)
                print(f"{f'compute_need {normalization}/{rule}':<52} {elapsed * 1000:8.1f} ms"
                      f"   {elapsed / read:5.1f}× genfromtxt  {elapsed / build:6.0f}× np.array")
        command = best_of(max(1, args.repeat // 2), lambda: call_command(
            "need_index", "--input", str(path), stdout=io.StringIO(), stderr=io.StringIO()))
        print(f"{'equitable need-index --input FILE (read+compute+CSV)':<52} {command * 1000:8.1f} ms"
              f"   {command / read:5.1f}× genfromtxt")
        print(f"engine median over the 9 variants: {statistics.median(engine_times) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
