"""A synthetic district-scale network for performance work: ~1,000 schools, ~30 communities, ten school
years of enrollment, a principal per school and senior directors with caseloads of five.

Everything here is synthetic and marked demo: school names say "(demo)", CDS codes use the district
part 99999 (county 19), which no real district has, and people are fictional. Generation is
deterministic (string-seeded `random.Random`) and idempotent; new rows go in with bulk inserts
(with their history rows), and nothing is re-validated row by row, so 1,000 schools × 10 years load
in seconds. `tests/demo/` validates the records with `full_clean()`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from tqdm import tqdm

from equitable.core.models import User
from equitable.demo import people
from equitable.demo.generate import CURRENT_START_YEAR, census_day, enrollment_figures, yearly_totals
from equitable.demo.names import fictional_name
from equitable.demo.network import department_rows, sync_school_years
from equitable.demo.sync import Sync
from equitable.network.codes import DirectoryStatus, JoinRoute, Level, Membership, StaffRole
from equitable.network.models import (
    Caseload,
    Community,
    Department,
    Enrollment,
    Network,
    Person,
    School,
    StaffAssignment,
)

NETWORK_NAME = "Synthetic District Network (demo)"
DISTRICT_CODE = "1999999"  # county 19, district 99999: not a real district
DEFAULT_SCHOOLS = 1000
DEFAULT_YEARS = 10
CASELOAD_SIZE = 5
PROFILES = ("watts", "south-la", "boyle-heights")
# (level, grade_low, grade_high, typical size) in a fixed rotation: 12 elementary, 4 middle, 3 high, 1 span
_LEVEL_CYCLE = ([(Level.ELEMENTARY, 0, 5, 480)] * 12 + [(Level.MIDDLE, 6, 8, 800)] * 4
                + [(Level.HIGH, 9, 12, 1400)] * 3 + [(Level.SPAN, 0, 8, 700)])
_LEVEL_WORD = {Level.ELEMENTARY: "Elementary", Level.MIDDLE: "Middle", Level.HIGH: "High", Level.SPAN: "Academy"}


@dataclass
class ScaleResult:
    network: Network
    schools: int
    communities: int
    years: int
    enrollments: int
    sync: Sync


def synthetic_cds(n: int) -> str:
    """The n-th synthetic school code (n from 1): 19 99999 nnnnnnn."""
    return f"{DISTRICT_CODE}{n:07d}"


def community_count(schools: int) -> int:
    return max(1, min(30, round(schools / 33)))


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def load_district(*, schools: int = DEFAULT_SCHOOLS, years: int = DEFAULT_YEARS, progress: bool = False) -> ScaleResult:
    if schools < 1 or years < 1:
        raise ValueError("A synthetic district needs at least one school and one school year.")
    if schools > 9_999_999:
        raise ValueError("At most 9,999,999 synthetic schools (the school part of a CDS code has 7 digits).")
    sync = Sync(validate=False, reason="Synthetic district loaded by `equitable demo --scale district`")
    start_years = list(range(CURRENT_START_YEAR - years + 1, CURRENT_START_YEAR + 1))
    n_communities = community_count(schools)
    with transaction.atomic():
        bar = tqdm(total=4 + schools, desc="Synthetic district", unit="step", disable=not progress, leave=False)
        network = sync.apply(Network, ("name",), [{
            "name": NETWORK_NAME, "district_name": "Synthetic Unified (demo)", "district_code": DISTRICT_CODE,
            "is_demo": True}])[(NETWORK_NAME,)]
        communities = sync.apply(Community, ("slug",), [
            {"network_id": network.pk, "name": f"Synthetic community {i:02d} (demo)", "slug": f"synthetic-{i:02d}",
             "description": "Synthetic community for performance work (demo).", "zip_codes": ""}
            for i in range(1, n_communities + 1)])
        community_ids = [communities[(f"synthetic-{i:02d}",)].pk for i in range(1, n_communities + 1)]
        year_objs = sync_school_years(sync, start_years)
        bar.update(2)

        school_rows = [_school_row(n, network.pk, community_ids) for n in range(1, schools + 1)]
        school_objs = sync.apply(School, ("cds_code",), school_rows)
        bar.update(1)

        enrollment_count = 0
        for chunk in _chunks(school_rows, 100):
            rows = []
            for row in chunk:
                school = school_objs[(row["cds_code"],)]
                profile = PROFILES[(community_ids.index(row["community_id"])) % len(PROFILES)]
                totals = yearly_totals(_size(row), start_years, seed=f"scale:{row['cds_code']}")
                for start_year in start_years:
                    figures = enrollment_figures(totals[start_year], row["grade_low"], row["grade_high"], profile,
                                                 seed=f"scale:{row['cds_code']}:{start_year}")
                    rows.append({"school_id": school.pk, "school_year_id": year_objs[start_year].pk,
                                 "total": figures.total, "unduplicated": figures.unduplicated,
                                 "by_grade": figures.by_grade, "by_group": figures.by_group,
                                 "census_day": census_day(start_year)})
            sync.apply(Enrollment, ("school_id", "school_year_id"), rows)
            enrollment_count += len(rows)
            bar.update(len(chunk))

        _load_people(sync, school_rows, school_objs)
        bar.update(1)
        bar.close()
    return ScaleResult(network, schools, n_communities, years, enrollment_count, sync)


def _school_row(n: int, network_id: int, community_ids: list[int]) -> dict:
    level, low, high, _size_hint = _LEVEL_CYCLE[(n - 1) % len(_LEVEL_CYCLE)]
    rng = random.Random(f"scale-school:{n}")
    joined = date(2008 + rng.randint(0, 16), 7, 1)
    return {
        "cds_code": synthetic_cds(n), "name": f"Synthetic {_LEVEL_WORD[level]} {n:04d} (demo)", "level": level,
        "grade_low": low, "grade_high": high, "street": f"{100 + n} Example Avenue", "city": "Los Angeles",
        "zip_code": f"9{rng.randint(0, 1)}{rng.randint(0, 999):03d}",
        "latitude": Decimal(f"{33.70 + rng.random() * 0.60:.6f}"),
        "longitude": Decimal(f"{-118.65 + rng.random() * 0.55:.6f}"),
        "community_id": community_ids[(n - 1) % len(community_ids)], "network_id": network_id,
        "membership": Membership.MEMBER, "joined_on": joined, "join_route": JoinRoute.EXPANSION, "left_on": None,
        "mou_start": None, "mou_end": None, "directory_status": DirectoryStatus.ACTIVE,
        "school_type": "Synthetic school (demo)", "charter": False, "is_demo": True,
    }


def _size(row: dict) -> int:
    n = int(row["cds_code"][7:])
    base = _LEVEL_CYCLE[(n - 1) % len(_LEVEL_CYCLE)][3]
    return max(80, round(base * random.Random(f"scale-size:{n}").uniform(0.55, 1.45)))


def _load_people(sync: Sync, school_rows: list[dict], school_objs: dict) -> None:
    """A principal per school and a senior director for every five principals (fictional people)."""
    departments = sync.apply(Department, ("name",), department_rows())
    academics = departments[("Academics",)]
    domain = "district.demo.equitable.example"
    person_rows, assignment_keys = [], []
    for index, row in enumerate(school_rows):
        first, last = fictional_name(index)
        person_rows.append({"first_name": first, "last_name": last, "email": f"principal{index + 1:07d}@{domain}",
                            "title": f"Principal {people.DEMO_TAG}", "department_id": None, "user_id": None,
                            "is_demo": True})
        assignment_keys.append(row["cds_code"])
    n_directors = -(-len(school_rows) // CASELOAD_SIZE)
    for index in range(n_directors):
        first, last = fictional_name(index + 7)
        person_rows.append({"first_name": first, "last_name": last, "email": f"director{index + 1:05d}@{domain}",
                            "title": f"Senior Director {people.DEMO_TAG}", "department_id": academics.pk,
                            "user_id": None, "is_demo": True})
    persons = sync.apply(Person, ("email",), person_rows)
    principals = [persons[(r["email"],)] for r in person_rows[:len(school_rows)]]
    sync.apply(StaffAssignment, ("person_id", "school_id", "role"), [
        {"person_id": person.pk, "school_id": school_objs[(cds,)].pk, "role": StaffRole.PRINCIPAL, "pathway": "",
         "start_date": date(2019 + i % 6, 7, 1), "end_date": None}
        for i, (person, cds) in enumerate(zip(principals, assignment_keys, strict=True))])
    caseloads = []
    for index, principal in enumerate(principals):
        director = persons[(f"director{index // CASELOAD_SIZE + 1:05d}@{domain}",)]
        caseloads.append({"director_id": director.pk, "principal_id": principal.pk,
                          "start_date": date(CURRENT_START_YEAR, 7, 1), "end_date": None})
    sync.apply(Caseload, ("director_id", "principal_id", "start_date"), caseloads)


def ensure_admin_login() -> User | None:
    """The `admin` demo login (network admin), so a served synthetic district can be explored."""
    from equitable.demo.network import ensure_login

    return ensure_login("admin")
