"""A little network and one user per persona, shared by every test (after NetBox's generic cases).

School A (Watts) is led by principal_a, who is in senior director `director`'s caseload; school B
(Boyle Heights) is led by principal_b, outside that caseload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from equitable.core.models import User
from equitable.core.roles import Area, Role
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

PASSWORD = "correct-horse-battery-staple-42"


@dataclass
class Personas:
    network: Network
    watts: Community
    boyle: Community
    year: SchoolYear
    school_a: School
    school_b: School
    school_c: School
    pattern: FeederPattern
    enrollment_a: Enrollment
    enrollment_b: Enrollment
    admin: User
    staff_ops: User
    staff_talent: User
    staff_academic: User
    director: User
    principal_a: User
    principal_b: User
    partner: User
    board: User
    person_principal_a: Person
    person_principal_b: Person
    person_teacher_b: Person
    assignment_a: StaffAssignment
    assignment_b: StaffAssignment

    def user(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


ALL_PERSONAS = ["anonymous", "admin", "staff_ops", "staff_talent", "staff_academic", "director", "principal_a",
                "principal_b", "partner", "board"]


_HASH: dict[str, str] = {}


def _password_hash() -> str:
    """Argon2 is slow on purpose; hash the shared test password once per test session."""
    if "hash" not in _HASH:
        from django.contrib.auth.hashers import make_password

        _HASH["hash"] = make_password(PASSWORD, hasher="argon2")
    return _HASH["hash"]


def _user(username: str, role: str, area: str = "", **extra) -> User:
    user = User(username=username, role=role, area=area, first_name=username.replace("_", " ").title(),
                email=f"{username}@example.org", password=_password_hash(), **extra)
    user.save()
    return user


def build_personas() -> Personas:
    network = Network.objects.create(name="Test Network", district_name="Los Angeles Unified", district_code="1964733")
    watts = Community.objects.create(network=network, name="Watts", slug="watts", zip_codes="90002,90059")
    boyle = Community.objects.create(network=network, name="Boyle Heights", slug="boyle-heights", zip_codes="90033")
    year = SchoolYear.objects.create(name="2025-26", start_date=date(2025, 8, 14), end_date=date(2026, 6, 11), is_current=True)
    school_a = School.objects.create(
        cds_code="19647330000011", name="Alpha Elementary", level="elementary", grade_low=-1, grade_high=5,
        community=watts, network=network, membership="member", joined_on=date(2016, 7, 1), join_route="district",
        zip_code="90002", mou_start=date(2021, 7, 1), mou_end=date(2026, 6, 30),
    )
    school_b = School.objects.create(
        cds_code="19647330000022", name="Bravo Middle", level="middle", grade_low=6, grade_high=8,
        community=boyle, network=network, membership="member", joined_on=date(2007, 12, 1), join_route="vote",
        zip_code="90033",
    )
    school_c = School.objects.create(
        cds_code="19647330000033", name="Charlie High", level="high", grade_low=9, grade_high=12,
        community=watts, network=network, membership="former", joined_on=date(2011, 7, 1), left_on=date(2020, 6, 30),
    )
    pattern = FeederPattern.objects.create(name="Alpha → Bravo", community=watts)
    FeederLink.objects.create(pattern=pattern, school=school_a, stage=1)
    FeederLink.objects.create(pattern=pattern, school=school_b, stage=2)
    enrollment_a = Enrollment.objects.create(school=school_a, school_year=year, total=400, unduplicated=380,
                                             by_grade={"TK": 40, "K": 60, "1": 60, "2": 60, "3": 60, "4": 60, "5": 60},
                                             by_group={"SED": 370, "EL": 150, "FOS": 8, "HI": 300, "AA": 95, "WH": 5})
    enrollment_b = Enrollment.objects.create(school=school_b, school_year=year, total=600, unduplicated=560,
                                             by_group={"SED": 540, "EL": 120, "HI": 590})
    academics = Department.objects.create(name="Academics", area=Area.ACADEMIC)
    Department.objects.create(name="Operations", area=Area.OPERATIONS)

    admin = _user("admin", Role.ADMIN)
    staff_ops = _user("staff_ops", Role.STAFF, Area.OPERATIONS)
    staff_talent = _user("staff_talent", Role.STAFF, Area.TALENT)
    staff_academic = _user("staff_academic", Role.STAFF, Area.ACADEMIC)
    director = _user("director", Role.DIRECTOR, Area.ACADEMIC)
    principal_a = _user("principal_a", Role.PRINCIPAL)
    principal_b = _user("principal_b", Role.PRINCIPAL)
    partner = _user("partner", Role.PARTNER)
    board = _user("board", Role.BOARD)

    person_director = Person.objects.create(first_name="Dana", last_name="Director", email="dana@example.org",
                                            department=academics, user=director, title="Senior Director")
    person_principal_a = Person.objects.create(first_name="Ana", last_name="Alvarez", email="ana@example.org",
                                               user=principal_a)
    person_principal_b = Person.objects.create(first_name="Ben", last_name="Brooks", email="ben@example.org",
                                               user=principal_b)
    person_teacher_b = Person.objects.create(first_name="Tess", last_name="Teacher", email="tess@example.org")
    assignment_a = StaffAssignment.objects.create(person=person_principal_a, school=school_a, role="principal",
                                                  start_date=date(2021, 7, 1))
    assignment_b = StaffAssignment.objects.create(person=person_principal_b, school=school_b, role="principal",
                                                  start_date=date(2019, 7, 1))
    StaffAssignment.objects.create(person=person_teacher_b, school=school_b, role="teacher_leader", pathway="arts")
    Caseload.objects.create(director=person_director, principal=person_principal_a, start_date=date(2024, 7, 1))
    return Personas(
        network=network, watts=watts, boyle=boyle, year=year, school_a=school_a, school_b=school_b, school_c=school_c,
        pattern=pattern, enrollment_a=enrollment_a, enrollment_b=enrollment_b, admin=admin, staff_ops=staff_ops,
        staff_talent=staff_talent, staff_academic=staff_academic, director=director, principal_a=principal_a,
        principal_b=principal_b, partner=partner, board=board, person_principal_a=person_principal_a,
        person_principal_b=person_principal_b, person_teacher_b=person_teacher_b, assignment_a=assignment_a,
        assignment_b=assignment_b,
    )
