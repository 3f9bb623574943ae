"""Load the demo network: "Partnership Demo Network" with 19 member schools in Watts, South LA and
Boyle Heights (about 14,200 students), one former member, feeder patterns, five school years of
enrollment, the home office, school staff, senior directors' caseloads and the demo logins.

Schools are real public facts (see `schools.py`); enrollment figures are synthetic; every person is
fictional and labelled "(demo)". Loading is deterministic and idempotent: a second load writes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Sum
from tqdm import tqdm

from equitable.core.models import User
from equitable.demo import people, schools
from equitable.demo.equity import load_demo_equity
from equitable.demo.generate import (
    CURRENT_START_YEAR,
    census_day,
    enrollment_figures,
    school_year_dates,
    school_year_name,
    yearly_totals,
)
from equitable.demo.names import demo_email, fictional_name
from equitable.demo.outcomes import load_demo_outcomes
from equitable.demo.partners import load_demo_partners
from equitable.demo.sync import REASON, Sync
from equitable.network.codes import DirectoryStatus, Level, Membership, Pathway, StaffRole, level_for_span
from equitable.network.models import (
    Caseload,
    Community,
    Department,
    Enrollment,
    FeederLink,
    FeederPattern,
    Network,
    Person,
    School,
    SchoolYear,
    StaffAssignment,
)

NETWORK_NAME = "Partnership Demo Network"
DISTRICT_NAME = "Los Angeles Unified"
DISTRICT_CODE = "1964733"
FIRST_START_YEAR = 2021  # school years 2021-22 … 2025-26
CASELOAD_START = date(CURRENT_START_YEAR, 7, 1)


class DemoRefused(Exception):
    """The demo will not overwrite something that is not demo data."""


@dataclass
class DemoResult:
    network: Network
    member_schools: int
    students: int
    current_year: str
    sync: Sync
    skipped_users: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return self.sync.changed_anything


# --- school years (shared with the scale generator) ---------------------------------------------

def school_year_rows(start_years: list[int]) -> list[dict]:
    rows = []
    for start_year in start_years:
        start, end = school_year_dates(start_year)
        rows.append({"name": school_year_name(start_year), "start_date": start, "end_date": end,
                     "is_current": start_year == CURRENT_START_YEAR})
    return rows


def sync_school_years(sync: Sync, start_years: list[int]) -> dict[int, SchoolYear]:
    """Create the years; make the demo's current year the only current one."""
    by_name = sync.apply(SchoolYear, ("name",), school_year_rows(start_years))
    if CURRENT_START_YEAR in start_years:
        for other in SchoolYear.objects.filter(is_current=True).exclude(name=school_year_name(CURRENT_START_YEAR)):
            other.is_current = False
            other._change_reason = sync.reason
            other.save()
            sync.updated[SchoolYear._meta.label] += 1
    return {y: by_name[(school_year_name(y),)] for y in start_years}


def department_rows() -> list[dict]:
    return [{"name": d.name, "area": d.area, "description": f"{d.description} {people.DEMO_TAG}"}
            for d in people.DEPARTMENTS]


# --- the demo network ----------------------------------------------------------------------------

def _mou(joined: date, until: date) -> tuple[date, date]:
    """Five-year MOU terms from the join date; the term that covers `until`."""
    start = joined
    end = date(joined.year + (5 if joined.month >= 7 else 4), 6, 30)
    while end < until:
        start, end = end + timedelta(days=1), date(end.year + 5, 6, 30)
    return start, end


@dataclass(frozen=True)
class StaffSlot:
    role: str
    pathway: str
    title: str


def staff_slots(level: str) -> list[StaffSlot]:
    """School staff by level: principal, assistant principals, ILT members, teacher leaders (one per
    pathway, two in instruction at secondary schools), Arts Lead, Family Engagement Lead, office manager."""
    assistant_principals = {Level.ELEMENTARY: 1, Level.MIDDLE: 2}.get(level, 3)
    ilt_members = {Level.ELEMENTARY: 3, Level.MIDDLE: 4}.get(level, 5)
    pathways = [Pathway.INSTRUCTION, Pathway.CULTURE, Pathway.FAMILY, Pathway.ARTS]
    if level != Level.ELEMENTARY:
        pathways.insert(1, Pathway.INSTRUCTION)
    slots = [StaffSlot(StaffRole.PRINCIPAL, "", "Principal")]
    slots += [StaffSlot(StaffRole.ASSISTANT_PRINCIPAL, "", "Assistant Principal")] * assistant_principals
    slots += [StaffSlot(StaffRole.ILT_MEMBER, "", "Teacher, ILT member")] * ilt_members
    slots += [StaffSlot(StaffRole.TEACHER_LEADER, p, f"Teacher Leader, {Pathway(p).label}") for p in pathways]
    slots += [StaffSlot(StaffRole.ARTS_LEAD, "", "Arts Lead"),
              StaffSlot(StaffRole.FAMILY_ENGAGEMENT_LEAD, "", "Family Engagement Lead"),
              StaffSlot(StaffRole.OFFICE_MANAGER, "", "Office Manager")]
    return slots


class _Names:
    """Hands out fictional names in a fixed order, so every load gives each slot the same person."""

    def __init__(self, offset: int = 0):
        self.n = offset

    def next(self) -> tuple[str, str]:
        name = fictional_name(self.n)
        self.n += 1
        return name


def _person_row(first: str, last: str, title: str, department_id: int | None = None) -> dict:
    return {"first_name": first, "last_name": last, "email": demo_email(first, last),
            "title": f"{title} {people.DEMO_TAG}", "department_id": department_id, "user_id": None,
            "is_demo": True}


def load_demo_network(*, progress: bool = False, write: Callable[[str], None] | None = None) -> DemoResult:
    """Load (or bring up to date) the demo network; deterministic and idempotent."""
    sync = Sync()
    state: dict = {}
    steps = [
        ("network and communities", _load_network),
        ("school years", _load_years),
        ("schools and feeder patterns", _load_schools),
        ("enrollment", _load_enrollment),
        ("home office and school staff", _load_people),
        ("demo logins", _load_logins),
        ("caseloads and staff assignments", _load_assignments),
        ("outcomes and goals", load_demo_outcomes),
        ("need index and funding scenarios", load_demo_equity),
        ("community partners", load_demo_partners),
    ]
    with transaction.atomic():
        bar = tqdm(steps, desc="Demo network", unit="step", disable=not progress, leave=False)
        for label, step in bar:
            bar.set_postfix_str(label)
            step(sync, state)
    current = state["years"][CURRENT_START_YEAR]
    members = School.objects.filter(network=state["network"], membership=Membership.MEMBER)
    students = (Enrollment.objects.filter(school__in=members, school_year=current).aggregate(n=Sum("total"))["n"]
                or 0)
    return DemoResult(state["network"], members.count(), students, current.name, sync,
                      skipped_users=state.get("skipped_users", []))


def _load_network(sync: Sync, state: dict) -> None:
    network = sync.apply(Network, ("name",), [{"name": NETWORK_NAME, "district_name": DISTRICT_NAME,
                                               "district_code": DISTRICT_CODE, "is_demo": True}])[(NETWORK_NAME,)]
    state["network"] = network
    rows = [{"network_id": network.pk, "name": c.name, "slug": c.slug, "description": c.description,
             "zip_codes": ",".join(c.zip_codes)} for c in schools.COMMUNITIES]
    by_slug = sync.apply(Community, ("slug",), rows)
    state["communities"] = {slug: obj for (slug,), obj in by_slug.items()}


def _load_years(sync: Sync, state: dict) -> None:
    state["years"] = sync_school_years(sync, list(range(FIRST_START_YEAR, CURRENT_START_YEAR + 1)))


def school_row(spec: schools.SchoolSpec, network_id: int, community_id: int | None) -> dict:
    membership = Membership.FORMER if spec.left_on else Membership.MEMBER
    mou_start, mou_end = _mou(spec.joined_on, spec.left_on or date(CURRENT_START_YEAR, 7, 1))
    return {
        "cds_code": spec.cds_code, "name": spec.name, "level": level_for_span(spec.grade_low, spec.grade_high),
        "grade_low": spec.grade_low, "grade_high": spec.grade_high, "street": spec.street, "city": spec.city,
        "zip_code": spec.zip_code, "latitude": spec.latitude, "longitude": spec.longitude,
        "community_id": community_id, "network_id": network_id, "membership": membership,
        "joined_on": spec.joined_on, "join_route": spec.join_route, "left_on": spec.left_on,
        "mou_start": mou_start, "mou_end": mou_end, "directory_status": DirectoryStatus.ACTIVE,
        "school_type": spec.school_type, "charter": False, "is_demo": True,
    }


def _load_schools(sync: Sync, state: dict) -> None:
    network, communities = state["network"], state["communities"]
    rows = [school_row(spec, network.pk, communities[spec.community].pk if spec.community else None)
            for spec in schools.SCHOOLS]
    by_code = sync.apply(School, ("cds_code",), rows)
    state["schools"] = {spec.key: by_code[(spec.cds_code,)] for spec in schools.SCHOOLS}
    specs = {spec.key: spec for spec in schools.SCHOOLS}
    patterns = sync.apply(FeederPattern, ("name",), [
        {"name": f.name, "community_id": communities[f.community].pk, "description": f"{f.description} {people.DEMO_TAG}"}
        for f in schools.FEEDER_PATTERNS
    ])
    links = []
    for f in schools.FEEDER_PATTERNS:
        pattern = patterns[(f.name,)]
        since = max(specs[key].joined_on for stage in f.stages for key in stage)
        for stage_number, stage in enumerate(f.stages, start=1):
            for key in stage:
                links.append({"pattern_id": pattern.pk, "school_id": state["schools"][key].pk, "stage": stage_number,
                              "since": since, "until": None})
    sync.apply(FeederLink, ("pattern_id", "school_id"), links)


def _load_enrollment(sync: Sync, state: dict) -> None:
    years = state["years"]
    rows = []
    for spec in schools.SCHOOLS:
        school = state["schools"][spec.key]
        totals = yearly_totals(spec.students, sorted(years), seed=f"demo:{spec.cds_code}")
        for start_year, year in sorted(years.items()):
            if spec.left_on and date(start_year, 7, 1) > spec.left_on:
                continue  # a former member keeps the enrollment of its years in the network
            figures = enrollment_figures(totals[start_year], spec.grade_low, spec.grade_high,
                                         spec.community or "", seed=f"demo:{spec.cds_code}:{start_year}")
            rows.append({"school_id": school.pk, "school_year_id": year.pk, "total": figures.total,
                         "unduplicated": figures.unduplicated, "by_grade": figures.by_grade,
                         "by_group": figures.by_group, "census_day": census_day(start_year)})
    sync.apply(Enrollment, ("school_id", "school_year_id"), rows)


def people_plan(department_ids: dict[str, int]) -> dict:
    """Person rows of the home office, the people outside it who have logins, and school staff.

    Names are handed out in this fixed order, so every load gives each place the same fictional person.
    """
    names = _Names()
    rows: list[dict] = []
    by_title: dict[tuple[str, str], dict] = {}
    for spec in people.DEPARTMENTS:
        for title in spec.titles:
            row = _person_row(*names.next(), title, department_ids[spec.name])
            rows.append(row)
            by_title[(spec.name, title)] = row
    outside = {}
    for username, title in people.OUTSIDE_PERSON_TITLES.items():
        row = _person_row(*names.next(), title)
        rows.append(row)
        outside[username] = row
    school_staff: list[tuple[str, StaffSlot, dict]] = []
    for spec in schools.SCHOOLS:
        slots = staff_slots(level_for_span(spec.grade_low, spec.grade_high))
        if spec.left_on:
            slots = slots[:1]  # a former member keeps only its past principal
        for slot in slots:
            row = _person_row(*names.next(), slot.title)
            rows.append(row)
            school_staff.append((spec.key, slot, row))
    principal_rows = {key: row for key, slot, row in school_staff if slot.role == StaffRole.PRINCIPAL}
    login_rows = {username: by_title[place] for username, place in people.LOGIN_PERSON.items()}
    login_rows.update(outside)
    login_rows["principal"] = principal_rows[schools.GRAPE_STREET]
    login_rows["principal2"] = principal_rows[schools.PRINCIPAL2_SCHOOL]
    return {"person_rows": rows, "by_title": by_title, "school_staff": school_staff, "login_rows": login_rows}


def _load_people(sync: Sync, state: dict) -> None:
    """Departments, home-office people and school staff (Person rows, written with the logins)."""
    departments = sync.apply(Department, ("name",), department_rows())
    state.update(people_plan({name: obj.pk for (name,), obj in departments.items()}))


def _load_logins(sync: Sync, state: dict) -> None:
    """Demo users (one per persona), linked to their Person, then every Person row is written."""
    person_for = state["login_rows"]
    skipped = []
    password = _DemoPassword()
    for spec in people.LOGINS:
        row = person_for[spec.username]
        user = _sync_user(sync, spec, row, password)
        if user is None:
            skipped.append(spec.username)
            continue
        row["user_id"] = user.pk
    # A Person already linked to another (non-demo) user keeps that link.
    linked = dict(Person.objects.filter(user_id__in=[r["user_id"] for r in state["person_rows"] if r["user_id"]])
                  .values_list("user_id", "email"))
    for row in state["person_rows"]:
        if row["user_id"] and linked.get(row["user_id"], row["email"]) != row["email"]:
            row["user_id"] = None
    persons = sync.apply(Person, ("email",), state["person_rows"])
    state["persons"] = {email: obj for (email,), obj in persons.items()}
    state["skipped_users"] = skipped


class _DemoPassword:
    """Hashes the shared demo password once per load (argon2 is deliberately slow) and remembers
    which stored hashes were already checked, so eight logins cost one hash and one check."""

    def __init__(self):
        self._encoded: str | None = None
        self._verified: set[str] = set()

    def encoded(self) -> str:
        if self._encoded is None:
            self._encoded = make_password(people.DEMO_PASSWORD)
            self._verified.add(self._encoded)
        return self._encoded

    def matches(self, stored: str) -> bool:
        if stored in self._verified:
            return True
        if stored and check_password(people.DEMO_PASSWORD, stored):
            self._verified.add(stored)
            return True
        return False


def _sync_user(sync: Sync, spec: people.LoginSpec, person_row: dict, password: _DemoPassword | None = None
               ) -> User | None:
    password = password or _DemoPassword()
    values = {"role": spec.role, "area": spec.area, "first_name": person_row["first_name"],
              "last_name": person_row["last_name"], "email": person_row["email"], "is_demo": True,
              "is_active": True, "is_staff": spec.is_superuser, "is_superuser": spec.is_superuser}
    user = User.objects.filter(username=spec.username).first()
    label = User._meta.label
    if user is None:
        user = User(username=spec.username, password=password.encoded(), **values)
        user.full_clean()
        user._change_reason = REASON
        user.save()
        sync.created[label] += 1
        return user
    if not user.is_demo:
        return None  # a real account with this name: never touch it
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, values[name])
    if not password.matches(user.password):
        user.password = password.encoded()
        changed.append("password")
    if changed:
        user._change_reason = REASON
        user.save()
        sync.updated[label] += 1
    return user


def _load_assignments(sync: Sync, state: dict) -> None:
    persons, school_objs = state["persons"], state["schools"]
    specs = {spec.key: spec for spec in schools.SCHOOLS}
    rows = []
    principal_person: dict[str, Person] = {}
    for key, slot, row in state["school_staff"]:
        spec = specs[key]
        person = persons[row["email"]]
        rng = random.Random(f"demo-staff:{row['email']}")
        if slot.role == StaffRole.PRINCIPAL:
            start = date(rng.randint(max(2015, spec.joined_on.year), 2023), 7, 1)
            principal_person[key] = person
        else:
            start = date(rng.randint(2012, CURRENT_START_YEAR), 8, 1)
        if spec.left_on:
            start = date(min(start.year, spec.left_on.year - 3), 7, 1)
        rows.append({"person_id": person.pk, "school_id": school_objs[key].pk, "role": slot.role,
                     "pathway": slot.pathway, "start_date": start, "end_date": spec.left_on})
    sync.apply(StaffAssignment, ("person_id", "school_id", "role"), rows)
    academics = state["by_title"]
    caseload_rows = []
    for (_cohort, keys), title in zip(schools.COHORTS, people.SENIOR_DIRECTOR_TITLES, strict=True):
        director = persons[academics[("Academics", title)]["email"]]
        for key in keys:
            caseload_rows.append({"director_id": director.pk, "principal_id": principal_person[key].pk,
                                  "start_date": CASELOAD_START, "end_date": None})
    sync.apply(Caseload, ("director_id", "principal_id", "start_date"), caseload_rows)


def ensure_login(username: str) -> User | None:
    """Create one demo login if it is missing (named as in the demo network); None for a real account."""
    spec = next(s for s in people.LOGINS if s.username == username)
    user = User.objects.filter(username=username).first()
    if user is not None and not user.is_demo:
        return None
    plan = people_plan(dict.fromkeys((d.name for d in people.DEPARTMENTS), None))
    row = plan["login_rows"][username]
    if user is not None:
        values = {"role": spec.role, "area": spec.area}
        if all(getattr(user, k) == v for k, v in values.items()) and _DemoPassword().matches(user.password):
            return user
    return _sync_user(Sync(), spec, row)


def refuse_in_production() -> None:
    if getattr(settings, "PRODUCTION", False):
        raise DemoRefused(
            "The demo creates accounts with a published password, so it does not run with EQUITABLE_ENV=production."
        )
