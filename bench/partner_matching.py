"""Benchmark: needs-to-partner matching on a synthetic network (figures printed, never asserted).

    .venv/bin/python bench/partner_matching.py [--schools 1000] [--needs 5] [--partners 300] [--areas 12]

Generates schools (each with a community, family languages and a few needs of different priorities) and
partners (focus areas, communities, languages, capacity in schools, schools already served, clearance, past
results), then times, next to each other:

- the baseline: the numeric score of every (school, partner) pair (`matching.fit`), the least the
  per-school suggestions must pay;
- the ten best suggestions, with their reasons, for every school (`matching.suggest(limit=10)`, as the CLI
  with `--limit 10`);
- the greedy network assignment (`matching.assign_greedy`);
- the integer program (`matching.assign`, HiGHS), with its objective beside greedy's.

Prints its figures; they are recorded in docs/performance.md ("Partner matching").
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

from equitable.partners import matching as m

LANGS = ("en", "es", "ko", "zh", "tl", "vi", "hy", "ar")


def generate(n_schools: int, n_needs: int, n_partners: int, n_areas: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    communities = 12
    schools, need_id = [], 0
    for s in range(1, n_schools + 1):
        areas = rng.choice(n_areas, size=min(n_needs, n_areas), replace=False)
        needs = []
        for a in areas:
            need_id += 1
            priority = int(rng.integers(1, 4))
            needs.append(m.NeedInput(need_id, int(a), f"Area {a}", priority, {1: 3.0, 2: 2.0, 3: 1.0}[priority],
                                     int(rng.integers(20, 600))))
        langs = ("en", *rng.choice(LANGS[1:], size=int(rng.integers(0, 3)), replace=False))
        schools.append(m.SchoolInput(s, f"School {s:04d}", int(rng.integers(0, communities)), "C", tuple(langs),
                                     tuple(needs)))
    partners = []
    for p in range(1, n_partners + 1):
        areas = frozenset(int(a) for a in rng.choice(n_areas, size=int(rng.integers(1, 4)), replace=False))
        capacity = None if rng.random() < 0.1 else int(rng.integers(1, 12))
        served = 0 if capacity is None else int(rng.integers(0, capacity + 1))
        serving = frozenset(int(x) for x in rng.choice(n_schools, size=min(served, n_schools), replace=False) + 1)
        partners.append(m.PartnerInput(
            p, f"Partner {p:03d}", areas,
            frozenset(int(c) for c in rng.choice(communities, size=int(rng.integers(1, 4)), replace=False)),
            tuple(("en", *rng.choice(LANGS[1:], size=int(rng.integers(0, 3)), replace=False))),
            capacity, len(serving), serving, str(rng.choice(m.CLEARANCE_STATUSES)),
            None if rng.random() < 0.3 else float(rng.random())))
    return schools, partners


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"  {label:<52} {seconds:8.2f} s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--needs", type=int, default=5)
    parser.add_argument("--partners", type=int, default=300)
    parser.add_argument("--areas", type=int, default=12)
    parser.add_argument("--time-limit", type=float, default=45.0, help="HiGHS time limit for the IP (seconds).")
    args = parser.parse_args()
    print(f"Partner matching: {args.schools} schools × {args.needs} needs, {args.partners} partners, "
          f"{args.areas} focus areas ({platform.python_implementation()} {platform.python_version()}, "
          f"{platform.machine()})")
    (schools, partners), _ = timed("generate the network", lambda: generate(args.schools, args.needs,
                                                                            args.partners, args.areas))
    _, base = timed("baseline: score every (school, partner) pair",
                    lambda: [m.fit(s, p) for s in schools for p in partners])
    ranked, suggest = timed("10 best suggestions for every school, with reasons",
                            lambda: [m.suggest(s, partners, limit=10) for s in schools])
    print(f"    {sum(len(r) for r in ranked) / len(schools):.1f} suggestions per school; "
          f"{suggest / len(schools) * 1000:.1f} ms per school ({suggest / base:.2f}× the baseline)")
    greedy, _ = timed("network assignment, greedy", lambda: m.assign_greedy(schools, partners))
    best, ip = timed("network assignment, integer program (HiGHS)",
                     lambda: m.assign(schools, partners, time_limit=args.time_limit))
    needs = sum(len(s.needs) for s in schools)
    print(f"    {len(best.pairs)} of {needs} needs assigned ({best.status}); objective {best.objective:.2f} vs "
          f"greedy {greedy.objective:.2f} ({len(greedy.pairs)} needs), +{best.objective / greedy.objective - 1:.2%}")


if __name__ == "__main__":
    main()
