"""The demo network's home office and demo logins. Every person here is fictional."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from equitable.core.roles import Area, Role

DEMO_PASSWORD = "equitable-demo"
DEMO_TAG = "(demo)"


@dataclass(frozen=True)
class DepartmentSpec:
    name: str
    area: str
    description: str
    titles: tuple[str, ...]  # home-office people of the department, by title (fictional people)


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec("Academics", Area.ACADEMIC,
                   "Curriculum and instruction, principal supervision and coaching.",
                   ("Chief Academic Officer", "Senior Director, Elementary (Watts)",
                    "Senior Director, Elementary (South LA and Boyle Heights)", "Senior Director, Middle Schools",
                    "Senior Director, High Schools", "Instructional Coach, Literacy", "Instructional Coach, Math")),
    DepartmentSpec("School Culture", Area.ACADEMIC,
                   "Restorative practices, attendance and positive school climate.",
                   ("Director of School Culture", "Restorative Practices Coordinator")),
    DepartmentSpec("Family Engagement", Area.FAMILY,
                   "Parent Centers, Family Action Teams and Parent College.",
                   ("Director of Family Engagement", "Parent College Coordinator", "Family Engagement Manager")),
    DepartmentSpec("Community Partnerships", Area.PARTNERSHIPS,
                   "Partner sourcing, matching, clearance and convenings.",
                   ("Director of Community Partnerships", "Partnerships Manager")),
    DepartmentSpec("Operations", Area.OPERATIONS,
                   "District processes, budgets, enrollment and branding within the feeder patterns.",
                   ("Director of Operations", "Data and Systems Administrator", "Enrollment and Branding Manager")),
    DepartmentSpec("Talent", Area.TALENT,
                   "Principal and teacher recruiting, selection and the teacher-leader pathways.",
                   ("Director of Talent", "Talent Recruiter")),
    DepartmentSpec("Advocacy", Area.ADVOCACY,
                   "Removing barriers; piloting and scaling policy with the district.",
                   ("Director of Advocacy", "Policy Analyst")),
    DepartmentSpec("Finance", Area.FINANCE,
                   "Philanthropy, budgets and equitable allocation.",
                   ("Chief Financial Officer", "Budget Analyst")),
    DepartmentSpec("Arts", Area.ARTS,
                   "TK–12 arts plans, Arts Leads and arts partners.",
                   ("Director of Arts Education", "Arts Coordinator")),
)

SENIOR_DIRECTOR_TITLES = DEPARTMENTS[0].titles[1:5]  # in the order of schools.COHORTS


@dataclass(frozen=True)
class LoginSpec:
    username: str
    role: str
    area: str
    persona: str
    sees: str
    is_superuser: bool = False


# Where a login is a home-office person, `person` is (department name, title) of their Person;
# principals are the principals of schools named in network.py.
LOGINS: tuple[LoginSpec, ...] = (
    LoginSpec("admin", Role.ADMIN, "", _("Network admin"),
              _("Everything: all schools, people, settings and the admin site."), is_superuser=True),
    LoginSpec("ops", Role.STAFF, Area.OPERATIONS, _("Home-office staff, Operations"),
              _("All schools; edits enrollment and other operations records.")),
    LoginSpec("talent", Role.STAFF, Area.TALENT, _("Home-office staff, Talent"),
              _("All schools; edits people and school staff.")),
    LoginSpec("finance", Role.STAFF, Area.FINANCE, _("Home-office staff, Finance"),
              _("All schools; edits need indicators, need models, funding sources and allocation scenarios.")),
    LoginSpec("partnerships", Role.STAFF, Area.PARTNERSHIPS, _("Home-office staff, Community Partnerships"),
              _("All schools and partners; drafts agreements, keeps clearance, convenings and measures.")),
    LoginSpec("director", Role.DIRECTOR, Area.ACADEMIC, _("Senior director"),
              _("Their caseload of 5 Watts elementary schools (incl. Grape Street) in full; the network in aggregate.")),
    LoginSpec("principal", Role.PRINCIPAL, "", _("Principal, Grape Street Elementary"),
              _("Their own school only (staff, enrollment); network aggregates.")),
    LoginSpec("principal2", Role.PRINCIPAL, "", _("Principal, Roosevelt High"),
              _("Their own school only; network aggregates.")),
    LoginSpec("partner", Role.PARTNER, "", _("Partner organization user, Jacaranda Arts Collective"),
              _("Their own organization only (profile, people, clearance, agreements at 3 Watts schools, "
                "measures, survey); no school records.")),
    LoginSpec("board", Role.BOARD, "", _("Board member"),
              _("Network aggregates only (small groups suppressed); no school records.")),
)

LOGIN_PERSON: dict[str, tuple[str, str]] = {
    "admin": ("Operations", "Data and Systems Administrator"),
    "ops": ("Operations", "Director of Operations"),
    "talent": ("Talent", "Director of Talent"),
    "finance": ("Finance", "Budget Analyst"),
    "partnerships": ("Community Partnerships", "Partnerships Manager"),
    "director": ("Academics", "Senior Director, Elementary (Watts)"),
}
# Logins that are people outside the home office and the schools.
OUTSIDE_PERSON_TITLES: dict[str, str] = {
    "partner": "Program Director, partner organization",
    "board": "Board Member",
}
