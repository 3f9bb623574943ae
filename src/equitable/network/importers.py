"""Imports and exports of the network registry: schools, enrollment, people, and the CDE public school
directory. Every importer reads the same columns its export writes, so an export re-imports unchanged.

Each row is parsed and resolved (community, school, year, department by natural key), then checked
with the model's full_clean() before anything is written; writes go through the registry services,
so the acting user's permissions and the audit trail apply row by row. With no acting user (the CLI
without --user) the rows are written as "system" through the same validation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equitable.core.imports import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Importer,
    ImportKind,
    ImportOption,
    RowInvalid,
    assign_changed,
    full_clean_problems,
    parse_bool,
    parse_choice,
    parse_count,
    parse_date,
    parse_decimal,
    register_import_kind,
)
from equitable.core.services import save_clean
from equitable.network import services
from equitable.network.codes import (
    GRADE_CODES,
    GROUP_CODES,
    ORDINAL_GRADE,
    DirectoryStatus,
    JoinRoute,
    Level,
    Membership,
    Pathway,
    StaffRole,
    level_for_span,
    parse_grade_span,
)
from equitable.network.models import (
    Community,
    Department,
    Enrollment,
    Person,
    School,
    SchoolYear,
    StaffAssignment,
)
from equitable.network.validators import validate_school_cds

GRADE_COLUMNS = tuple(f"grade_{g}" for g in GRADE_CODES)
GROUP_COLUMNS = tuple(GROUP_CODES)


def _text(row: dict[str, str], column: str) -> str:
    return (row.get(column) or "").strip()


def grades_text(low: int | None, high: int | None) -> str:
    """A grade span as the importers read it: K-5, TK-8, 9-12, or a single grade."""
    if low is None or high is None:
        return ""
    if low == high:
        return ORDINAL_GRADE[low]
    return f"{ORDINAL_GRADE[low]}-{ORDINAL_GRADE[high]}"


def _span(text: str) -> tuple[int | None, int | None]:
    """Parse a grade span; "" → (None, None). Raises ValueError with a clear message."""
    value = (text or "").strip()
    if not value:
        return None, None
    if value.upper() == "P":  # preschool only
        return parse_grade_span("TK")
    return parse_grade_span(value)


def _yes_no(value: bool) -> str:
    return "Y" if value else "N"


class RegistryImporter(Importer):
    """Shared machinery: cell parsing with per-column problems, scoped lookups, writes through services."""

    def _lookup(self, model):
        """Reads go through restrict(user, "view"); the system (no acting user) reads everything."""
        if self.acting_user is None:
            return model._default_manager.all()
        return model._default_manager.restrict(self.acting_user, "view")

    @staticmethod
    def _parse(problems: list, column: str, parser, raw: str, *args):
        try:
            return parser(raw, *args)
        except ValueError as exc:
            problems.append((column, str(exc).rstrip(".") + "."))
            return None

    def _validate(self, instance, *, exclude=None, validate_unique: bool = True) -> None:
        problems = full_clean_problems(instance, self.column_for, exclude=exclude, validate_unique=validate_unique)
        if problems:
            raise RowInvalid(problems)

    def _create(self, model, service, data: dict[str, Any]):
        if self.acting_user is None:
            return save_clean(model(**data), acting_user=None)
        return service(data=data, acting_user=self.acting_user)

    def _update(self, instance, service, keyword: str, changes: dict[str, Any]):
        if self.acting_user is None:
            for name, value in changes.items():
                setattr(instance, name, value)
            return save_clean(instance, acting_user=None)
        return service(**{keyword: instance}, data=changes, acting_user=self.acting_user)

    def _school_map(self) -> dict[str, School]:
        if not hasattr(self, "_schools"):
            self._schools = {s.cds_code: s for s in self._lookup(School).select_related("community", "network")}
        return self._schools

    def _unknown_school(self, cds: str) -> str:
        return _("unknown school %(cds)s: import it first (schools or CDE directory).") % {"cds": cds}


# Schools ---------------------------------------------------------------------------------------------

class SchoolImporter(RegistryImporter):
    name = "schools"
    required_columns = ("cds_code", "name")
    optional_columns = ("level", "grades", "street", "city", "zip", "latitude", "longitude", "community",
                        "membership", "joined_on", "join_route", "left_on", "mou_start", "mou_end",
                        "directory_status", "school_type", "charter", "census_tract")
    strict_columns = True
    field_columns = {"zip_code": "zip", "grade_low": "grades", "grade_high": "grades", "network": "community"}

    def _communities(self) -> dict[str, Community]:
        if not hasattr(self, "_community_map"):
            found: dict[str, Community] = {}
            for community in self._lookup(Community).select_related("network"):
                found[community.slug.casefold()] = community
                found[community.name.casefold()] = community
            self._community_map = found
        return self._community_map

    def clean_row(self, row: dict[str, str], number: int) -> dict[str, Any]:
        problems: list[tuple[str, str]] = []
        cds = _text(row, "cds_code")
        try:
            validate_school_cds(cds)
        except ValidationError as exc:
            problems.append(("cds_code", exc.messages[0]))
        data: dict[str, Any] = {"cds_code": cds, "name": _text(row, "name")}
        has = self.has_column
        level = self._parse(problems, "level", parse_choice, _text(row, "level"), Level) if has("level") else ""
        if level:
            data["level"] = level
        if has("grades"):
            span = self._parse(problems, "grades", _span, _text(row, "grades"))
            data["grade_low"], data["grade_high"] = span or (None, None)
        if has("census_tract"):
            tract = _text(row, "census_tract")
            # CalEnviroScreen and spreadsheets drop California's leading zero: 6037242000 is 06037242000.
            data["census_tract"] = f"0{tract}" if len(tract) == 10 and tract.isdigit() else tract
        for column, name in (("street", "street"), ("city", "city"), ("zip", "zip_code"), ("school_type", "school_type")):
            if has(column):
                data[name] = _text(row, column)
        for column in ("latitude", "longitude"):
            if has(column):
                data[column] = self._parse(problems, column, parse_decimal, _text(row, column))
        if has("community"):
            name = _text(row, "community")
            community = self._communities().get(name.casefold()) if name else None
            if name and community is None:
                known = sorted({c.name for c in self._communities().values()})
                problems.append(("community", _("unknown community %(name)r; known communities: %(known)s.")
                                 % {"name": name, "known": ", ".join(known) or _("none yet")}))
            data["community"] = community
            if community is not None:
                data["network"] = community.network
        for column, choices in (("membership", Membership), ("directory_status", DirectoryStatus)):
            if has(column):
                value = self._parse(problems, column, parse_choice, _text(row, column), choices)
                if value:
                    data[column] = value
        if has("join_route"):
            data["join_route"] = self._parse(problems, "join_route", parse_choice, _text(row, "join_route"),
                                             JoinRoute) or ""
        for column in ("joined_on", "left_on", "mou_start", "mou_end"):
            if has(column):
                data[column] = self._parse(problems, column, parse_date, _text(row, column))
        if has("charter"):
            data["charter"] = bool(self._parse(problems, "charter", parse_bool, _text(row, "charter")))
        if problems:
            raise RowInvalid(problems)

        existing = self._school_map().get(cds)
        if existing is not None:
            before = {name: getattr(existing, name) for name in data}
            if assign_changed(existing, data):
                changes = {name: value for name, value in data.items() if before[name] != value}
                self._validate(existing)
                return {"key": cds, "school": existing, "changes": changes}
            return {"key": cds, "school": existing, "changes": {}}
        if "level" not in data and data.get("grade_low") is not None:
            data["level"] = level_for_span(data["grade_low"], data["grade_high"])
        if "level" not in data:
            raise RowInvalid([("level", _("give a level (elementary, middle, high, span) or a grade span."))])
        # the CDS code was just looked up; the service's full_clean checks uniqueness again on write
        self._validate(School(**data), validate_unique=False)
        return {"key": cds, "school": None, "data": data}

    def natural_key(self, cleaned):
        return cleaned["key"]

    def describe(self, cleaned) -> str:
        name = cleaned["school"].name if cleaned["school"] is not None else cleaned["data"]["name"]
        return f"{cleaned['key']} · {name}"

    def apply(self, cleaned) -> str:
        school = cleaned["school"]
        if school is None:
            created = self._create(School, services.school_create, cleaned["data"])
            self._school_map()[created.cds_code] = created
            return CREATED
        if not cleaned["changes"]:
            return UNCHANGED
        self._update(school, services.school_update, "school", cleaned["changes"])
        return UPDATED


def export_schools(*, user=None, queryset=None) -> tuple[list[str], list[list]]:
    if queryset is None:
        queryset = School.objects.all() if user is None else School.objects.restrict(user, "view")
    rows = []
    for s in queryset.select_related("community").order_by("cds_code"):
        rows.append([
            s.cds_code, s.name, s.level, grades_text(s.grade_low, s.grade_high), s.street, s.city, s.zip_code,
            s.latitude, s.longitude, s.community.name if s.community else "", s.membership, s.joined_on,
            s.join_route, s.left_on, s.mou_start, s.mou_end, s.directory_status, s.school_type, _yes_no(s.charter),
            s.census_tract,
        ])
    return list(SchoolImporter.columns()), rows


# Enrollment ------------------------------------------------------------------------------------------

class EnrollmentImporter(RegistryImporter):
    name = "enrollment"
    required_columns = ("cds_code", "school_year", "total")
    optional_columns = ("unduplicated", "census_day", *GRADE_COLUMNS, *GROUP_COLUMNS)
    strict_columns = True
    field_columns = {"school": "cds_code", "by_grade": "grade_*", "by_group": "student groups"}

    def _years(self) -> dict[str, SchoolYear]:
        if not hasattr(self, "_year_map"):
            self._year_map = {y.name: y for y in self._lookup(SchoolYear)}
        return self._year_map

    def clean_row(self, row, number):
        problems: list[tuple[str, str]] = []
        cds, year_name = _text(row, "cds_code"), _text(row, "school_year")
        school = self._school_map().get(cds)
        if school is None:
            try:
                validate_school_cds(cds)
            except ValidationError as exc:
                problems.append(("cds_code", exc.messages[0]))
            else:
                problems.append(("cds_code", self._unknown_school(cds)))
        year = self._years().get(year_name)
        if year is None:
            known = ", ".join(sorted(self._years(), reverse=True)) or _("none yet")
            problems.append(("school_year", _("unknown school year %(year)r; known years: %(known)s.")
                             % {"year": year_name, "known": known}))
        total = self._parse(problems, "total", parse_count, _text(row, "total"))
        if total is None and not any(c == "total" for c, _m in problems):
            problems.append(("total", _("the total enrollment is required.")))
        data: dict[str, Any] = {"total": total}
        if self.has_column("unduplicated"):
            data["unduplicated"] = self._parse(problems, "unduplicated", parse_count, _text(row, "unduplicated"))
        if self.has_column("census_day"):
            data["census_day"] = self._parse(problems, "census_day", parse_date, _text(row, "census_day"))
        for name, columns, strip in (("by_grade", GRADE_COLUMNS, "grade_"), ("by_group", GROUP_COLUMNS, "")):
            present = [c for c in columns if self.has_column(c)]
            if present:
                counts = {}
                for column in present:
                    value = self._parse(problems, column, parse_count, _text(row, column))
                    if value is not None:
                        counts[column.removeprefix(strip)] = value
                data[name] = counts
        if problems:
            raise RowInvalid(problems)

        existing = self._lookup(Enrollment).filter(school=school, school_year=year).first()
        if existing is not None:
            before = {name: getattr(existing, name) for name in data}
            if assign_changed(existing, data):
                self._validate(existing)
                changes = {name: value for name, value in data.items() if before[name] != value}
                return {"key": (cds, year_name), "enrollment": existing, "changes": changes}
            return {"key": (cds, year_name), "enrollment": existing, "changes": {}}
        data.update(school=school, school_year=year)
        self._validate(Enrollment(**data))
        return {"key": (cds, year_name), "enrollment": None, "data": data}

    def natural_key(self, cleaned):
        return cleaned["key"]

    def apply(self, cleaned) -> str:
        enrollment = cleaned["enrollment"]
        if enrollment is None:
            self._create(Enrollment, services.enrollment_create, cleaned["data"])
            return CREATED
        if not cleaned["changes"]:
            return UNCHANGED
        self._update(enrollment, services.enrollment_update, "enrollment", cleaned["changes"])
        return UPDATED


def export_enrollment(*, user=None, queryset=None) -> tuple[list[str], list[list]]:
    if queryset is None:
        queryset = Enrollment.objects.all() if user is None else Enrollment.objects.restrict(user, "view")
    rows = []
    for e in queryset.select_related("school", "school_year").order_by("school__cds_code", "school_year__name"):
        grades, groups = e.by_grade or {}, e.by_group or {}
        rows.append([e.school.cds_code, e.school_year.name, e.total, e.unduplicated, e.census_day,
                     *(grades.get(g) for g in GRADE_CODES), *(groups.get(g) for g in GROUP_CODES)])
    return list(EnrollmentImporter.columns()), rows


# People ----------------------------------------------------------------------------------------------

@dataclass
class _PersonPlan:
    """One person of the file, shared by every row that names them (one row per school assignment)."""

    row: int
    data: dict[str, Any]
    instance: Person | None  # the existing person (already given the new values), or None when new
    changes: dict[str, Any] = field(default_factory=dict)
    saved: Person | None = None


PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "title")


class PeopleImporter(RegistryImporter):
    name = "people"
    required_columns = ("first_name", "last_name")
    optional_columns = ("email", "phone", "title", "department", "cds_code", "role", "pathway", "start_date",
                        "end_date")
    strict_columns = True
    field_columns: ClassVar[dict[str, str]] = {"school": "cds_code", "person": "email"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._plans: dict[tuple, _PersonPlan] = {}
        self._claimed: set[int] = set()

    def _departments(self) -> dict[str, Department]:
        if not hasattr(self, "_department_map"):
            self._department_map = {d.name.casefold(): d for d in self._lookup(Department)}
        return self._department_map

    def _people(self):
        if not hasattr(self, "_by_email"):
            self._by_email: dict[str, list[Person]] = {}
            self._by_name: dict[tuple[str, str], list[Person]] = {}
            for person in self._lookup(Person).select_related("department"):
                if person.email:
                    self._by_email.setdefault(person.email.casefold(), []).append(person)
                self._by_name.setdefault((person.first_name.casefold(), person.last_name.casefold()), []).append(person)
        return self._by_email, self._by_name

    def _find_person(self, first: str, last: str, email: str) -> Person | None:
        by_email, by_name = self._people()
        if email:
            found = by_email.get(email.casefold())
            if found:
                return found[0]
        namesakes = by_name.get((first.casefold(), last.casefold()), [])
        if email:  # an existing person of that name without an email is given this one
            namesakes = [p for p in namesakes if not p.email]
        if len(namesakes) > 1:
            raise RowInvalid([("last_name", _("%(n)d people are named %(name)s; add their email to tell them apart.")
                               % {"n": len(namesakes), "name": f"{first} {last}"})])
        return namesakes[0] if namesakes else None

    def clean_row(self, row, number):
        problems: list[tuple[str, str]] = []
        data: dict[str, Any] = {name: _text(row, name) for name in PERSON_FIELDS if self.has_column(name)}
        if self.has_column("department"):
            name = _text(row, "department")
            department = self._departments().get(name.casefold()) if name else None
            if name and department is None:
                known = ", ".join(sorted(d.name for d in self._departments().values())) or _("none yet")
                problems.append(("department", _("unknown department %(name)r; known departments: %(known)s.")
                                 % {"name": name, "known": known}))
            data["department"] = department
        cds, role_text = _text(row, "cds_code"), _text(row, "role")
        school = role = None
        assignment_data: dict[str, Any] = {}
        if cds:
            school = self._school_map().get(cds)
            if school is None:
                try:
                    validate_school_cds(cds)
                except ValidationError as exc:
                    problems.append(("cds_code", exc.messages[0]))
                else:
                    problems.append(("cds_code", self._unknown_school(cds)))
            role = self._parse(problems, "role", parse_choice, role_text, StaffRole)
            if not role_text:
                problems.append(("role", _("give the person's role at school %(cds)s.") % {"cds": cds}))
            if self.has_column("pathway"):
                assignment_data["pathway"] = self._parse(problems, "pathway", parse_choice, _text(row, "pathway"),
                                                         Pathway) or ""
            for column in ("start_date", "end_date"):
                if self.has_column(column):
                    assignment_data[column] = self._parse(problems, column, parse_date, _text(row, column))
        else:
            for column in ("role", "pathway", "start_date", "end_date"):
                if _text(row, column):
                    problems.append((column, _("a %(column)s needs a school: fill in cds_code.") % {"column": column}))
        if problems:
            raise RowInvalid(problems)

        email = data.get("email", "")
        person_key = ("email", email.casefold()) if email else ("name", data["first_name"].casefold(),
                                                                 data["last_name"].casefold())
        plan = self._plans.get(person_key)
        if plan is None:
            plan = self._plan_person(number, data)
            self._plans[person_key] = plan
        elif plan.data != data:
            raise RowInvalid([("", _("this row gives %(name)s other details than row %(row)d; a person's details "
                                     "must be the same on every row.") % {"name": f"{data['first_name']} "
                                                                          f"{data['last_name']}", "row": plan.row})])
        cleaned: dict[str, Any] = {"key": (person_key, cds, role or "", assignment_data.get("start_date")),
                                   "plan": plan, "assignment": None}
        if school is not None:
            cleaned["assignment"] = self._plan_assignment(plan, school, role, assignment_data)
        return cleaned

    def _plan_person(self, number: int, data: dict[str, Any]) -> _PersonPlan:
        existing = self._find_person(data.get("first_name", ""), data.get("last_name", ""), data.get("email", ""))
        if existing is None:
            self._validate(Person(**data))
            return _PersonPlan(number, data, None)
        before = {name: getattr(existing, name) for name in data}
        changes = {}
        if assign_changed(existing, data):
            changes = {name: value for name, value in data.items() if before[name] != value}
            self._validate(existing)
        return _PersonPlan(number, data, existing, changes)

    def _plan_assignment(self, plan: _PersonPlan, school: School, role: str, data: dict[str, Any]) -> dict:
        existing = None
        if plan.instance is not None:
            candidates = [a for a in self._lookup(StaffAssignment).filter(person=plan.instance, school=school, role=role)
                          if a.pk not in self._claimed]
            start = data.get("start_date")
            existing = next((a for a in candidates if a.start_date == start), None)
            if existing is None and start is not None:
                existing = next((a for a in candidates if a.start_date is None), None)
        if existing is None:
            values = {"school": school, "role": role, **data}
            self._validate(StaffAssignment(person=plan.instance, **values),
                           exclude=["person"] if plan.instance is None else None)
            return {"instance": None, "data": values}
        self._claimed.add(existing.pk)
        before = {name: getattr(existing, name) for name in data}
        if assign_changed(existing, data):
            self._validate(existing)
            return {"instance": existing, "changes": {n: v for n, v in data.items() if before[n] != v}}
        return {"instance": existing, "changes": {}}

    def natural_key(self, cleaned):
        return cleaned["key"]

    def describe(self, cleaned) -> str:
        plan: _PersonPlan = cleaned["plan"]
        text = f"{plan.data.get('first_name', '')} {plan.data.get('last_name', '')}".strip()
        if plan.data.get("email"):
            text += f" <{plan.data['email']}>"
        _person, cds, role, _start = cleaned["key"]
        return f"{text} · {cds} {role}" if cds else text

    def apply(self, cleaned) -> str:
        plan: _PersonPlan = cleaned["plan"]
        outcome = UNCHANGED
        if plan.saved is None:
            if plan.instance is None:
                plan.saved = self._create(Person, services.person_create, plan.data)
                outcome = CREATED
            elif plan.changes:
                plan.saved = self._update(plan.instance, services.person_update, "person", plan.changes)
                outcome = UPDATED
            else:
                plan.saved = plan.instance
        assignment = cleaned["assignment"]
        if assignment is None:
            return outcome
        if assignment["instance"] is None:
            self._create(StaffAssignment, services.staff_assignment_create,
                         {"person": plan.saved, **assignment["data"]})
            return CREATED
        if assignment["changes"]:
            self._update(assignment["instance"], services.staff_assignment_update, "assignment", assignment["changes"])
            return UPDATED if outcome == UNCHANGED else outcome
        return outcome


def export_people(*, user=None, queryset=None) -> tuple[list[str], list[list]]:
    if queryset is None:
        queryset = Person.objects.all() if user is None else Person.objects.restrict(user, "view")
    assignments = StaffAssignment.objects.all() if user is None else StaffAssignment.objects.restrict(user, "view")
    by_person: dict[int, list[StaffAssignment]] = {}
    for a in assignments.select_related("school").order_by("school__cds_code", "role", "start_date"):
        by_person.setdefault(a.person_id, []).append(a)
    rows = []
    for p in queryset.select_related("department").order_by("last_name", "first_name", "email"):
        base = [p.first_name, p.last_name, p.email, p.phone, p.title, p.department.name if p.department else ""]
        mine = by_person.get(p.pk, [])
        if not mine:
            rows.append([*base, "", "", "", None, None])
        for a in mine:
            rows.append([*base, a.school.cds_code, a.role, a.pathway, a.start_date, a.end_date])
    return list(PeopleImporter.columns()), rows


# The CDE public school directory ----------------------------------------------------------------------

SOC_LEVELS = {
    "Elementary Schools (Public)": Level.ELEMENTARY,
    "Preschool": Level.ELEMENTARY,
    "Intermediate/Middle Schools (Public)": Level.MIDDLE,
    "Junior High Schools (Public)": Level.MIDDLE,
    "High Schools (Public)": Level.HIGH,
    "Continuation High Schools": Level.HIGH,
}
NO_GRADES = {"ADULT", "UNGRADED"}
DIRECTORY_FIELDS = ("name", "street", "city", "zip_code", "grade_low", "grade_high", "latitude", "longitude",
                    "directory_status", "school_type", "charter")
# Directory fields an empty directory cell ("No Data") leaves as they are rather than clearing.
KEEP_WHEN_EMPTY = ("street", "city", "zip_code", "grade_low", "grade_high", "latitude", "longitude", "school_type")


class CdeDirectoryImporter(RegistryImporter):
    """The California Department of Education's public school directory (pubschls.txt, tab-delimited).

    District-level rows (school part 0000000) and rows outside `district` (7 digits: county + district)
    are skipped. Existing schools get their directory fields updated, membership untouched; new schools
    come in as directory-only (membership "none").
    """

    name = "cde-directory"
    required_columns = ("CDSCode", "StatusType", "School", "Street", "City", "Zip", "GSserved", "SOCType",
                        "Charter", "Latitude", "Longitude")
    optional_columns = ("GSoffered", "OpenDate", "ClosedDate")
    null_values = ("No Data",)
    field_columns = {"cds_code": "CDSCode", "name": "School", "street": "Street", "city": "City",
                     "zip_code": "Zip", "grade_low": "GSserved", "grade_high": "GSserved", "latitude": "Latitude",
                     "longitude": "Longitude", "directory_status": "StatusType", "school_type": "SOCType",
                     "charter": "Charter", "level": "SOCType"}

    def __init__(self, *, district: str | None = None, **kwargs):
        super().__init__(**kwargs)
        district = (district or "").strip()
        if district and not re.fullmatch(r"\d{7}", district):
            raise ValueError(_("A district code is 7 digits (county and district), e.g. 1964733."))
        self.district = district

    def skip_row(self, row):
        cds = _text(row, "CDSCode")
        if not re.fullmatch(r"\d{14}", cds):
            return False  # a broken code is reported, not skipped
        return cds[7:] == "0000000" or bool(self.district and not cds.startswith(self.district))

    def clean_row(self, row, number):
        problems: list[tuple[str, str]] = []
        cds = _text(row, "CDSCode")
        try:
            validate_school_cds(cds)
        except ValidationError as exc:
            problems.append(("CDSCode", exc.messages[0]))
        status = self._parse(problems, "StatusType", parse_choice, _text(row, "StatusType"), DirectoryStatus)
        if not _text(row, "StatusType"):
            problems.append(("StatusType", _("the status is empty.")))
        span_column = "GSserved" if _text(row, "GSserved") or not self.has_column("GSoffered") else "GSoffered"
        span_text = _text(row, span_column)
        span = (None, None)
        if span_text.upper() not in NO_GRADES:
            span = self._parse(problems, span_column, _span, span_text) or (None, None)
        data: dict[str, Any] = {
            "name": _text(row, "School"),
            "street": _text(row, "Street"),
            "city": _text(row, "City"),
            "zip_code": _text(row, "Zip"),
            "grade_low": span[0],
            "grade_high": span[1],
            "latitude": self._parse(problems, "Latitude", parse_decimal, _text(row, "Latitude")),
            "longitude": self._parse(problems, "Longitude", parse_decimal, _text(row, "Longitude")),
            "directory_status": status,
            "school_type": _text(row, "SOCType"),
            "charter": bool(self._parse(problems, "Charter", parse_bool, _text(row, "Charter"))),
        }
        if problems:
            raise RowInvalid(problems)

        existing = self._school_map().get(cds)
        if existing is not None:
            data = {k: v for k, v in data.items() if not (k in KEEP_WHEN_EMPTY and v in (None, ""))}
            before = {name: getattr(existing, name) for name in data}
            if assign_changed(existing, data):
                self._validate(existing)
                return {"key": cds, "school": existing,
                        "changes": {n: v for n, v in data.items() if before[n] != v}}
            return {"key": cds, "school": existing, "changes": {}}
        if span[0] is not None:
            level = level_for_span(*span)
        else:
            level = SOC_LEVELS.get(data["school_type"], Level.SPAN)
        data.update(cds_code=cds, level=level, membership=Membership.NONE)
        # the CDS code was just looked up; the service's full_clean checks uniqueness again on write
        self._validate(School(**data), validate_unique=False)
        return {"key": cds, "school": None, "data": data}

    def natural_key(self, cleaned):
        return cleaned["key"]

    describe = SchoolImporter.describe
    apply = SchoolImporter.apply


# The registry of import kinds ---------------------------------------------------------------------------

register_import_kind(ImportKind(
    "schools", gettext_lazy("Schools"), SchoolImporter, order=10, exporter=export_schools,
    help_text=gettext_lazy("One row per school, found by its CDS code. Community by name or slug; grades such as "
                           "K-5; dates as 2025-07-01 or 7/1/2025."),
))
register_import_kind(ImportKind(
    "enrollment", gettext_lazy("Enrollment"), EnrollmentImporter, order=20, exporter=export_enrollment,
    help_text=gettext_lazy("One row per school and school year (cds_code, school_year such as 2025-26, total), "
                           "with optional grade_TK … grade_12 and student group columns SED, EL, FOS, HOM, SWD, "
                           "AA, AI, AS, FI, HI, PI, WH, MR."),
))
register_import_kind(ImportKind(
    "people", gettext_lazy("People"), PeopleImporter, order=30, exporter=export_people,
    help_text=gettext_lazy("One row per person, found by email (else first and last name); department by name; "
                           "optional cds_code, role and pathway add or update their assignment at a school."),
))
register_import_kind(ImportKind(
    "cde-directory", gettext_lazy("CDE public school directory"), CdeDirectoryImporter, order=40,
    help_text=gettext_lazy("The California Department of Education's public schools file (pubschls.txt, "
                           "tab-delimited). Updates directory fields of known schools; adds the others as "
                           "directory-only schools."),
    options=(ImportOption(
        "district", gettext_lazy("District"),
        gettext_lazy("Only rows of this district: 7 digits, county and district (e.g. 1964733 for Los Angeles "
                     "Unified). Leave empty for every row."),
        pattern=r"^\d{7}$", pattern_message=gettext_lazy("A district code is 7 digits, e.g. 1964733."),
    ),),
))
