"""Writes for agreements and the year-round relationship.

Agreements follow one workflow: draft → (submit) → pending → the school's principal (or a network admin)
approves or declines with a note → an approved agreement runs until it is ended. Approved and ended
agreements are never edited: a change of terms is a renewal, a new draft whose `renews` points at the
agreement it continues (one renewal per agreement, so the chain of a relationship is a line). Partnerships
staff draft for any school; a principal drafts for their own school.

Convenings and their attendance are kept by partnerships staff; the annual partner survey is answered by
the partner (one response per school year, editable while that year is the current one); Results-Based
Accountability measures are added by partnerships staff and their actuals kept current by the partner.

Every function is keyword-only, takes the acting user, checks permissions through the models' scoping and
saves atomically with an audit entry. Messages are constants so tests can assert them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.permissions import can, role_of
from equitable.core.roles import Role
from equitable.core.services import create_record, ensure_can, save_clean, update_record
from equitable.network.models import SchoolYear
from equitable.network.scoping import school_ids_for
from equitable.partners.models import (
    Agreement,
    AgreementStatus,
    Convening,
    ConveningAttendance,
    FocusArea,
    Measure,
    Partner,
    PartnerSurvey,
    SchoolNeed,
)
from equitable.partners.scoping import partner_ids_for, partnerships_staff

__all__ = [
    "agreement_create", "agreement_update", "agreement_submit", "agreement_decide", "agreement_end",
    "agreement_renew", "convening_create", "convening_update", "attendance_set", "survey_submit",
    "measure_create", "measure_update", "MIN_YEAR_ROUND_DAYS",
]

# A year-round agreement must cover about a school year (≈ 9 months); a school year is ~300 days.
MIN_YEAR_ROUND_DAYS = 270

END_BEFORE_START = "The end date ({end}) is before the start date ({start})."
YEAR_ROUND_TOO_SHORT = ("A year-round agreement must span at least 9 months ({minimum} days); this one runs "
                        "{days} days. Extend the dates or mark it term-limited.")
NEED_OTHER_SCHOOL = "The need “{need}” belongs to {need_school}'s needs assessment, not to {school}'s."
LOCKED = ("This agreement is {status}: its terms cannot be edited. Renew it to agree new terms"
          "{end_hint}.")
NOT_DRAFT = "Only a draft or declined agreement can be submitted for approval; this one is {status}."
NOT_PENDING = "Only an agreement awaiting approval can be approved or declined; this one is {status}."
DECIDER_ONLY = "Only the school's principal or a network admin approves or declines an agreement."
DECLINE_NOTE = "Say why the agreement is declined (the note is shown to the partner and staff)."
BAD_DECISION = "The decision must be “approve” or “decline”."
NOT_ACTIVE = "Only an approved agreement can be ended; this one is {status}."
END_DATE_RANGE = "The end date must fall between the agreement's start ({start}) and its planned end ({end})."
NOT_RENEWABLE = "Only an approved or ended agreement can be renewed; this one is {status}."
ALREADY_RENEWED = "This agreement was already renewed (agreement #{pk}); renew that one instead."
NO_PARTNER_ACTION = "Partner users read their agreements; partnerships staff and principals change them."
SURVEY_PARTNER_ONLY = "Only a user of the partner organization answers its survey."
SURVEY_CLOSED = "The {year} survey is closed: responses can be changed only while {year} is the current school year."
MEASURE_PARTNER_FIELDS = "Partner users may update only the actual and the notes of a measure."
MEASURE_YEAR = "The measure's school year ({year}) does not overlap the agreement ({start} → {end})."
ATTENDANCE_PEOPLE = "A partner that attended brought at least one person; one that did not attend brought none."

AGREEMENT_FIELDS = (
    "title", "programs", "access_days", "access_hours", "staffing", "safety", "facilities", "annual_cost",
    "paid_by", "cost_notes", "students_served", "start_date", "end_date", "year_round",
)
EDITABLE_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.PENDING, AgreementStatus.DECLINED)


# --- Agreements -----------------------------------------------------------------------------------------


def _check_terms(agreement: Agreement, needs: Iterable[SchoolNeed] | None) -> None:
    start, end = agreement.start_date, agreement.end_date
    if start and end:
        if end < start:
            raise DomainError(END_BEFORE_START.format(start=start, end=end), field="end_date")
        days = (end - start).days
        if agreement.year_round and days < MIN_YEAR_ROUND_DAYS:
            raise DomainError(YEAR_ROUND_TOO_SHORT.format(minimum=MIN_YEAR_ROUND_DAYS, days=days), field="year_round")
    for need in needs or ():
        school_id = need.assessment.school_id
        if school_id != agreement.school_id:
            raise DomainError(NEED_OTHER_SCHOOL.format(need=need.focus_area, need_school=need.assessment.school,
                                                       school=agreement.school), field="needs")


def _refuse_partner(user) -> None:
    if role_of(user) == Role.PARTNER:
        raise NotPermitted(NO_PARTNER_ACTION)


def _set_links(agreement: Agreement, focus_areas, needs) -> None:
    if focus_areas is not None:
        agreement.focus_areas.set(list(focus_areas))
    if needs is not None:
        agreement.needs.set(list(needs))


def _clean_data(data: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(data) - set(AGREEMENT_FIELDS))
    if unknown:
        raise DomainError(f"Unknown agreement field(s): {', '.join(unknown)}.")
    return dict(data)


def agreement_create(*, partner: Partner, school, data: dict, focus_areas: Iterable[FocusArea] = (),
                     needs: Iterable[SchoolNeed] = (), acting_user, renews: Agreement | None = None) -> Agreement:
    """A new draft agreement between `partner` and `school` (partnerships staff; the school's principal)."""
    _refuse_partner(acting_user)
    needs = list(needs)
    focus_areas = list(focus_areas)
    agreement = Agreement(partner=partner, school=school, status=AgreementStatus.DRAFT, renews=renews,
                          **_clean_data(data))
    _check_terms(agreement, needs)
    with transaction.atomic():
        agreement = create_record(Agreement, data={f.name: getattr(agreement, f.name) for f in _fields()},
                                  acting_user=acting_user, reason="drafted")
        _set_links(agreement, focus_areas, needs)
    return agreement


def _fields():
    return [f for f in Agreement._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")]


def agreement_update(*, agreement: Agreement, data: dict, focus_areas: Iterable[FocusArea] | None = None,
                     needs: Iterable[SchoolNeed] | None = None, acting_user) -> Agreement:
    """Change a draft, pending or declined agreement's terms. Approved and ended ones are refused."""
    _refuse_partner(acting_user)
    ensure_can(acting_user, "change", agreement)
    if agreement.status not in EDITABLE_STATUSES:
        raise DomainError(LOCKED.format(
            status=agreement.get_status_display().lower(),
            end_hint=", or end it" if agreement.status == AgreementStatus.ACTIVE else ""))
    data = _clean_data(data)
    for name, value in data.items():
        setattr(agreement, name, value)
    needs = list(needs) if needs is not None else None
    _check_terms(agreement, needs if needs is not None else agreement.needs.select_related("assessment__school"))
    with transaction.atomic():
        agreement = update_record(agreement, data=data, acting_user=acting_user, reason="terms edited")
        _set_links(agreement, focus_areas, needs)
    return agreement


def agreement_submit(*, agreement: Agreement, acting_user) -> Agreement:
    """Send a draft (or a declined agreement, after changes) to the principal for approval."""
    _refuse_partner(acting_user)
    ensure_can(acting_user, "change", agreement)
    if agreement.status not in (AgreementStatus.DRAFT, AgreementStatus.DECLINED):
        raise DomainError(NOT_DRAFT.format(status=agreement.get_status_display().lower()))
    agreement.status = AgreementStatus.PENDING
    agreement.decided_by = None
    agreement.decided_at = None
    return save_clean(agreement, acting_user=acting_user, reason="submitted for approval")


def may_decide(user, agreement: Agreement) -> bool:
    """The school's principal or a network admin decides; nobody else (not even partnerships staff)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.PRINCIPAL and agreement.school_id in school_ids_for(user)


def agreement_decide(*, agreement: Agreement, approve: bool, note: str = "", acting_user) -> Agreement:
    """The principal approves or declines a pending agreement; who and when are kept, and audited."""
    ensure_can(acting_user, "view", agreement)
    if not may_decide(acting_user, agreement):
        raise NotPermitted(DECIDER_ONLY)
    if agreement.status != AgreementStatus.PENDING:
        raise DomainError(NOT_PENDING.format(status=agreement.get_status_display().lower()))
    note = (note or "").strip()
    if not approve and not note:
        raise DomainError(DECLINE_NOTE, field="decision_note")
    _check_terms(agreement, agreement.needs.select_related("assessment__school"))
    agreement.status = AgreementStatus.ACTIVE if approve else AgreementStatus.DECLINED
    agreement.decided_by = acting_user
    agreement.decided_at = timezone.now()
    agreement.decision_note = note
    return save_clean(agreement, acting_user=acting_user, reason="approved" if approve else "declined")


def agreement_end(*, agreement: Agreement, on: date | None = None, acting_user) -> Agreement:
    """End an approved agreement (on `on`, default its planned end or today, whichever is earlier)."""
    _refuse_partner(acting_user)
    ensure_can(acting_user, "change", agreement)
    if agreement.status != AgreementStatus.ACTIVE:
        raise DomainError(NOT_ACTIVE.format(status=agreement.get_status_display().lower()))
    if on is None:
        on = min(agreement.end_date, max(timezone.localdate(), agreement.start_date))
    if not agreement.start_date <= on <= agreement.end_date:
        raise DomainError(END_DATE_RANGE.format(start=agreement.start_date, end=agreement.end_date), field="end_date")
    agreement.status = AgreementStatus.ENDED
    agreement.end_date = on
    return save_clean(agreement, acting_user=acting_user, reason="ended")


def _next_dates(agreement: Agreement) -> tuple[date, date]:
    """The next school year's dates when it exists, else the same span one year later."""
    following = (SchoolYear.objects.filter(start_date__gt=agreement.start_date).order_by("start_date").first())
    if following is not None and agreement.year_round:
        return following.start_date, following.end_date

    def shift(day: date) -> date:
        try:
            return day.replace(year=day.year + 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year + 1, day=28)

    return shift(agreement.start_date), shift(agreement.end_date)


def agreement_renew(*, agreement: Agreement, data: dict | None = None, acting_user) -> Agreement:
    """A new draft continuing `agreement` (same terms, next year's dates unless `data` says otherwise)."""
    _refuse_partner(acting_user)
    ensure_can(acting_user, "view", agreement)
    if agreement.status not in (AgreementStatus.ACTIVE, AgreementStatus.ENDED):
        raise DomainError(NOT_RENEWABLE.format(status=agreement.get_status_display().lower()))
    existing = Agreement.objects.filter(renews=agreement).values_list("pk", flat=True).first()
    if existing is not None:
        raise DomainError(ALREADY_RENEWED.format(pk=existing))
    start, end = _next_dates(agreement)
    terms = {name: getattr(agreement, name) for name in AGREEMENT_FIELDS}
    terms.update(start_date=start, end_date=end)
    terms.update(_clean_data(data or {}))
    # Needs are per assessment (per year): carry over only those of the new start's year, if any.
    return agreement_create(partner=agreement.partner, school=agreement.school, data=terms,
                            focus_areas=agreement.focus_areas.all(), needs=(), acting_user=acting_user,
                            renews=agreement)


# --- Convenings -----------------------------------------------------------------------------------------


CONVENING_FIELDS = ("kind", "title", "school_year", "school", "community", "held_on", "location", "notes")


def convening_create(*, data: dict, acting_user) -> Convening:
    return create_record(Convening, data={k: v for k, v in data.items() if k in CONVENING_FIELDS},
                         acting_user=acting_user, reason="convening added")


def convening_update(*, convening: Convening, data: dict, acting_user) -> Convening:
    return update_record(convening, data={k: v for k, v in data.items() if k in CONVENING_FIELDS},
                         acting_user=acting_user, reason="convening edited")


def attendance_set(*, convening: Convening, partner: Partner, attended: bool, people: int = 0,
                   acting_user) -> ConveningAttendance:
    """Invite a partner to a convening, or mark whether they came and with how many people."""
    ensure_can(acting_user, "change", convening)
    people = int(people or 0)
    if attended and people < 1:
        people = 1
    if not attended and people:
        raise DomainError(ATTENDANCE_PEOPLE, field="people")
    row = ConveningAttendance.objects.filter(convening=convening, partner=partner).first()
    if row is None:
        return create_record(ConveningAttendance, data={"convening": convening, "partner": partner,
                                                        "attended": attended, "people": people},
                             acting_user=acting_user, reason="invited")
    if row.attended == attended and row.people == people:
        return row
    return update_record(row, data={"attended": attended, "people": people}, acting_user=acting_user,
                         reason="attendance marked")


# --- The annual partner survey --------------------------------------------------------------------------


SURVEY_FIELDS = ("overall", "communication", "school_fit", "clearance_support", "principal_relationship",
                 "will_continue", "comments")


def survey_submit(*, partner: Partner, school_year: SchoolYear, data: dict, acting_user) -> PartnerSurvey:
    """The partner's response for `school_year`: created the first time, changed after (while the year is
    current). Only a user of the partner (or a network admin) answers."""
    role = role_of(acting_user)
    if role != Role.ADMIN and not (role == Role.PARTNER and partner.pk in partner_ids_for(acting_user)):
        raise NotPermitted(SURVEY_PARTNER_ONLY)
    if not school_year.is_current:
        raise DomainError(SURVEY_CLOSED.format(year=school_year.name))
    values = {k: v for k, v in data.items() if k in SURVEY_FIELDS}
    existing = PartnerSurvey.objects.filter(partner=partner, school_year=school_year).first()
    if existing is None:
        return create_record(PartnerSurvey, data={"partner": partner, "school_year": school_year,
                                                  "submitted_on": timezone.localdate(), **values},
                             acting_user=acting_user, reason="survey answered")
    return update_record(existing, data={**values, "submitted_on": timezone.localdate()},
                         acting_user=acting_user, reason="survey changed")


# --- Results-Based Accountability measures --------------------------------------------------------------


MEASURE_FIELDS = ("school_year", "kind", "name", "unit", "higher_is_better", "target", "actual", "notes")
PARTNER_MEASURE_FIELDS = ("actual", "notes")


def _check_measure_year(agreement: Agreement, school_year: SchoolYear) -> None:
    if school_year.end_date < agreement.start_date or school_year.start_date > agreement.end_date:
        raise DomainError(MEASURE_YEAR.format(year=school_year.name, start=agreement.start_date,
                                              end=agreement.end_date), field="school_year")


def measure_create(*, agreement: Agreement, data: dict, acting_user) -> Measure:
    """A measure of an agreement for one year (partnerships staff and admins)."""
    if not partnerships_staff(acting_user, Measure) and role_of(acting_user) != Role.ADMIN:
        raise NotPermitted("Only partnerships staff add measures.")
    ensure_can(acting_user, "view", agreement)
    values = {k: v for k, v in data.items() if k in MEASURE_FIELDS}
    if values.get("school_year") is not None:
        _check_measure_year(agreement, values["school_year"])
    return create_record(Measure, data={"agreement": agreement, **values}, acting_user=acting_user,
                         reason="measure added")


def measure_update(*, measure: Measure, data: dict, acting_user) -> Measure:
    """Partnerships staff change any field; the partner's users update the actual and notes."""
    ensure_can(acting_user, "change", measure)
    values = {k: v for k, v in data.items() if k in MEASURE_FIELDS}
    if role_of(acting_user) == Role.PARTNER:
        changed = {k for k, v in values.items() if getattr(measure, k) != v}
        if changed - set(PARTNER_MEASURE_FIELDS):
            raise NotPermitted(MEASURE_PARTNER_FIELDS)
        values = {k: v for k, v in values.items() if k in PARTNER_MEASURE_FIELDS}
    if "school_year" in values:
        _check_measure_year(measure.agreement, values["school_year"])
    return update_record(measure, data=values, acting_user=acting_user, reason="measure updated")


def may_change_agreement(user, agreement: Agreement) -> bool:
    return role_of(user) != Role.PARTNER and can(user, "change", agreement)
