"""Writes to the registry. Every function is keyword-only, takes the acting user, checks permission
through `restrict`, validates with full_clean() and saves atomically with an audit record."""

from __future__ import annotations

from typing import Any

from equitable.core.services import create_record, delete_record, update_record
from equitable.network.models import (
    Caseload,
    Community,
    Enrollment,
    FeederLink,
    FeederPattern,
    Person,
    School,
    SchoolYear,
    StaffAssignment,
)
from equitable.network.scoping import forget_scope


def school_create(*, data: dict[str, Any], acting_user) -> School:
    return create_record(School, data=data, acting_user=acting_user)


def school_update(*, school: School, data: dict[str, Any], acting_user) -> School:
    return update_record(school, data=data, acting_user=acting_user)


def school_delete(*, school: School, acting_user) -> None:
    delete_record(school, acting_user=acting_user)


def community_create(*, data: dict[str, Any], acting_user) -> Community:
    return create_record(Community, data=data, acting_user=acting_user)


def community_update(*, community: Community, data: dict[str, Any], acting_user) -> Community:
    return update_record(community, data=data, acting_user=acting_user)


def feeder_pattern_create(*, data: dict[str, Any], acting_user) -> FeederPattern:
    return create_record(FeederPattern, data=data, acting_user=acting_user)


def feeder_pattern_update(*, pattern: FeederPattern, data: dict[str, Any], acting_user) -> FeederPattern:
    return update_record(pattern, data=data, acting_user=acting_user)


def feeder_link_create(*, data: dict[str, Any], acting_user) -> FeederLink:
    return create_record(FeederLink, data=data, acting_user=acting_user)


def feeder_link_delete(*, link: FeederLink, acting_user) -> None:
    delete_record(link, acting_user=acting_user)


def school_year_create(*, data: dict[str, Any], acting_user) -> SchoolYear:
    return create_record(SchoolYear, data=data, acting_user=acting_user)


def enrollment_create(*, data: dict[str, Any], acting_user) -> Enrollment:
    return create_record(Enrollment, data=data, acting_user=acting_user)


def enrollment_update(*, enrollment: Enrollment, data: dict[str, Any], acting_user) -> Enrollment:
    return update_record(enrollment, data=data, acting_user=acting_user)


def enrollment_delete(*, enrollment: Enrollment, acting_user) -> None:
    delete_record(enrollment, acting_user=acting_user)


def person_create(*, data: dict[str, Any], acting_user) -> Person:
    return create_record(Person, data=data, acting_user=acting_user)


def person_update(*, person: Person, data: dict[str, Any], acting_user) -> Person:
    return update_record(person, data=data, acting_user=acting_user)


def person_delete(*, person: Person, acting_user) -> None:
    delete_record(person, acting_user=acting_user)


def staff_assignment_create(*, data: dict[str, Any], acting_user) -> StaffAssignment:
    assignment = create_record(StaffAssignment, data=data, acting_user=acting_user)
    forget_scope(acting_user)
    return assignment


def staff_assignment_update(*, assignment: StaffAssignment, data: dict[str, Any], acting_user) -> StaffAssignment:
    assignment = update_record(assignment, data=data, acting_user=acting_user)
    forget_scope(acting_user)
    return assignment


def staff_assignment_delete(*, assignment: StaffAssignment, acting_user) -> None:
    delete_record(assignment, acting_user=acting_user)
    forget_scope(acting_user)


def caseload_create(*, data: dict[str, Any], acting_user) -> Caseload:
    return create_record(Caseload, data=data, acting_user=acting_user)


def caseload_delete(*, caseload: Caseload, acting_user) -> None:
    delete_record(caseload, acting_user=acting_user)


def staff_assignment_create_with_person(
    *, person_data: dict[str, Any], assignment_data: dict[str, Any], acting_user
) -> StaffAssignment:
    """Add a new person and their assignment at a school in one step: both are written or neither.

    This is how a principal adds their own school's staff (a principal may view only the people
    assigned to their school, so a person without an assignment would be out of their reach)."""
    from django.db import transaction

    with transaction.atomic():
        person = person_create(data=person_data, acting_user=acting_user)
        return staff_assignment_create(data={**assignment_data, "person": person}, acting_user=acting_user)
