"""Benchmark: the allocation engine on 10,000 schools, every method (figures printed, never asserted).

    .venv/bin/python bench/allocation.py [--schools 10000] [--no-record]

Generates schools with plausible enrollment, need, tiers, counts, floors, caps, prior amounts and base
dollars; writes them to a CSV and times, next to each other:

- the baseline: numpy reading the same CSV (`numpy.loadtxt`), the least any run over this file must pay;
- every method without options, then with floors + caps + hold-harmless, then also with monotone per-pupil
  (which makes a non-monotone allocation fall back to an LP), then with caps and a minimum grant (repeated
  solves until no school is below it).

Appends an "Allocation" section to docs/performance.md unless --no-record.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

from equitable.funding.allocation import (
    METHODS,
    AllocationOptions,
    InfeasibleAllocation,
    SchoolInput,
    allocate,
)

REPO = Path(__file__).resolve().parent.parent


def generate(n: int, seed: int = 11) -> tuple[list[SchoolInput], Path]:
    rng = np.random.default_rng(seed)
    enrollment = rng.integers(150, 2500, n)
    need = np.round(rng.uniform(0, 100, n), 1)
    tier = np.clip(5 - (need // 20).astype(int), 1, 5)
    prior = np.round(enrollment * rng.uniform(50, 150, n), 2)
    base = np.round(enrollment * rng.uniform(0, 300, n), 2)
    poverty = (enrollment * rng.uniform(0.3, 1.0, n)).astype(int)
    el = (enrollment * rng.uniform(0, 0.5, n)).astype(int)
    swd = (enrollment * rng.uniform(0.05, 0.2, n)).astype(int)
    schools = [SchoolInput(f"S{i:05d}", int(enrollment[i]), need=float(need[i]), tier=int(tier[i]),
                           prior=float(prior[i]), base=float(base[i]), poverty=int(poverty[i]),
                           english_learners=int(el[i]), disabilities=int(swd[i])) for i in range(n)]
    path = Path(tempfile.mkdtemp(prefix="equitable-bench-")) / "schools.csv"
    data = np.column_stack((np.arange(n), enrollment, need, tier, prior, base, poverty, el, swd))
    np.savetxt(path, data, delimiter=",", fmt="%.2f",
               header="id,enrollment,need,tier,prior,base,poverty,english_learners,disabilities", comments="")
    return schools, path


def with_bounds(schools: list[SchoolInput], floor: float, cap: float) -> list[SchoolInput]:
    return [SchoolInput(s.school_id, s.enrollment, need=s.need, tier=s.tier, floor=floor, cap=cap, prior=s.prior,
                        base=s.base, poverty=s.poverty, english_learners=s.english_learners,
                        disabilities=s.disabilities) for s in schools]


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=10_000)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    n = args.schools
    schools, path = generate(n)
    pool = 100.0 * sum(s.enrollment for s in schools)          # $100 a pupil on average
    baseline, _ = timed(lambda: np.loadtxt(path, delimiter=",", skiprows=1))
    print(f"{n:,} schools, pool ${pool:,.0f}")
    print(f"{'baseline: numpy reads the CSV':<72} {baseline * 1000:9.1f} ms   1.0×")
    bounded = with_bounds(schools, floor=20_000, cap=400_000)
    capped = with_bounds(schools, floor=0, cap=400_000)
    runs = [("no options", schools, {}),
            ("floors $20k, caps $400k, hold-harmless 0.5", bounded, {"hold_harmless": 0.5}),
            ("caps, monotone per-pupil", capped, {"monotone_per_pupil": True}),
            ("caps, minimum grant $60k", capped, {"minimum_grant": 60_000})]
    table = []
    for label, data, extra in runs:
        for method in METHODS:
            options = AllocationOptions(method=method, pool=pool, **extra)
            try:
                seconds, result = timed(lambda o=options, d=data: allocate(d, o), repeat=1 if extra else 2)
                note = f"Gini {result.metrics.gini_per_pupil:.3f}"
            except InfeasibleAllocation as exc:
                seconds, note = float("nan"), f"infeasible: {exc}"[:60]
            print(f"{method + ' (' + label + ')':<72} {seconds * 1000:9.1f} ms {seconds / baseline:6.1f}×   {note}")
            table.append((method, label, seconds, note))
    if not args.no_record:
        record(n, baseline, table)
    return 0


def record(n: int, baseline: float, table) -> None:
    lines = ["", "## Allocation", "",
             f"`bench/allocation.py`: the allocation engine on {n:,} generated schools (recorded "
             f"{datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores; best of 1–2 runs). "
             "The baseline is numpy reading the same inputs from a CSV (`numpy.loadtxt`).",
             "", "| method | options | time | × baseline | note |", "|---|---|---:|---:|---|",
             f"| (baseline) | numpy reads the CSV | {baseline * 1000:.1f} ms | 1.0 | |"]
    for method, label, seconds, note in table:
        lines.append(f"| {method} | {label} | {seconds * 1000:.1f} ms | {seconds / baseline:.1f} | {note} |")
    lines += ["",
              "Reading: the closed forms and min-spread (water-filling: bisection then an exact step) cost a few "
              "times the reading of the file, most of it building arrays from the 10,000 input records. Max–min "
              "finds its level by bisection on an O(n) feasibility test, then water-fills. With monotone "
              "per-pupil, an allocation that breaks the order is repaired by pooling adjacent violators (about 20 "
              "passes of an O(n) pooling inside Brent's method for the pool), and min-spread finds its narrowest "
              "window by golden-section search; the linear programs of lp.py are only the fallback (they took "
              "35–51 s here before the pooled repair). The minimum grant repeats the whole solve until no school "
              "is below it (a few rounds).", ""]
    path = REPO / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8")
    start = text.find("\n## Allocation\n")
    if start >= 0:  # replace the section recorded before, keep the rest
        end = text.find("\n## ", start + 1)
        text = text[:start] + (text[end:] if end >= 0 else "\n")
    path.write_text(text.rstrip("\n") + "\n" + "\n".join(lines), encoding="utf-8")
    print("appended to docs/performance.md")


if __name__ == "__main__":
    raise SystemExit(main())
