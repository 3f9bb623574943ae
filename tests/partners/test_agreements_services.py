"""The agreement workflow and the year-round relationship rules (services and selectors)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.partners.models import Agreement, AgreementStatus, Measure, PartnerSurvey
from equitable.partners.selectors import agreements as selectors
from equitable.partners.services import agreements as services

TERMS = {"title": "Mural club", "programs": "After-school murals, grades 3–5", "start_date": date(2025, 9, 1),
         "end_date": date(2026, 6, 5), "year_round": True, "annual_cost": Decimal("12000"), "paid_by": "network"}


def draft(world, user=None, **changes):
    return services.agreement_create(partner=world.xp, school=world.p.school_a, data={**TERMS, **changes},
                                     focus_areas=[world.arts], needs=[world.need_a_arts],
                                     acting_user=user or world.staff_partnerships)


def test_create_makes_a_draft_with_links(world):
    agreement = draft(world)
    assert agreement.status == AgreementStatus.DRAFT
    assert list(agreement.focus_areas.all()) == [world.arts]
    assert list(agreement.needs.all()) == [world.need_a_arts]
    assert agreement.history.first().history_user == world.staff_partnerships


def test_principal_drafts_for_own_school_only(world):
    assert draft(world, world.p.principal_a).school == world.p.school_a
    with pytest.raises(NotPermitted):
        services.agreement_create(partner=world.xp, school=world.p.school_a, data=TERMS, acting_user=world.p.principal_b)


@pytest.mark.parametrize("name", ["partner", "board", "staff_ops", "director"])
def test_others_may_not_draft(world, name):
    with pytest.raises(NotPermitted):
        draft(world, getattr(world.p, name))


def test_end_before_start_is_refused_with_a_clear_message(world):
    with pytest.raises(DomainError) as exc:
        draft(world, start_date=date(2026, 3, 1), end_date=date(2026, 2, 1))
    assert exc.value.message == services.END_BEFORE_START.format(start=date(2026, 3, 1), end=date(2026, 2, 1))
    assert exc.value.field == "end_date"


def test_year_round_must_span_nine_months(world):
    with pytest.raises(DomainError) as exc:
        draft(world, start_date=date(2026, 1, 5), end_date=date(2026, 6, 5))
    assert exc.value.message == services.YEAR_ROUND_TOO_SHORT.format(minimum=services.MIN_YEAR_ROUND_DAYS, days=151)
    assert draft(world, start_date=date(2026, 1, 5), end_date=date(2026, 6, 5), year_round=False).pk


def test_needs_must_belong_to_the_school(world):
    with pytest.raises(DomainError) as exc:
        services.agreement_create(partner=world.xp, school=world.p.school_a, data=TERMS, needs=[world.need_b_mental],
                                  acting_user=world.staff_partnerships)
    assert exc.value.field == "needs"
    assert "Bravo Middle" in exc.value.message and "Alpha Elementary" in exc.value.message
    assert not Agreement.objects.filter(title="Mural club").exists()


def test_workflow_submit_approve_by_principal(world):
    agreement = draft(world)
    services.agreement_submit(agreement=agreement, acting_user=world.staff_partnerships)
    assert agreement.status == AgreementStatus.PENDING
    with pytest.raises(NotPermitted) as exc:
        services.agreement_decide(agreement=agreement, approve=True, acting_user=world.staff_partnerships)
    assert exc.value.message == services.DECIDER_ONLY
    with pytest.raises(NotPermitted):
        services.agreement_decide(agreement=agreement, approve=True, acting_user=world.p.principal_b)
    services.agreement_decide(agreement=agreement, approve=True, note="Welcome!", acting_user=world.p.principal_a)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.decided_by == world.p.principal_a and agreement.decided_at is not None
    assert agreement.history.first().history_change_reason == "approved"


def test_decline_needs_a_note(world):
    agreement = world.agreement_b
    with pytest.raises(DomainError) as exc:
        services.agreement_decide(agreement=agreement, approve=False, acting_user=world.p.principal_b)
    assert exc.value.message == services.DECLINE_NOTE
    services.agreement_decide(agreement=agreement, approve=False, note="Not this term.", acting_user=world.p.principal_b)
    assert agreement.status == AgreementStatus.DECLINED and agreement.decision_note == "Not this term."
    # A declined agreement can be changed and submitted again.
    services.agreement_update(agreement=agreement, data={"title": "Counseling groups (spring)"},
                              acting_user=world.staff_partnerships)
    services.agreement_submit(agreement=agreement, acting_user=world.staff_partnerships)
    assert agreement.status == AgreementStatus.PENDING and agreement.decided_by is None


def test_admin_decides_too(world):
    services.agreement_decide(agreement=world.agreement_b, approve=True, acting_user=world.p.admin)
    assert world.agreement_b.status == AgreementStatus.ACTIVE


def test_only_pending_agreements_are_decided(world):
    with pytest.raises(DomainError) as exc:
        services.agreement_decide(agreement=world.agreement_a, approve=True, acting_user=world.p.principal_a)
    assert exc.value.message == services.NOT_PENDING.format(status="approved")


def test_approved_agreement_is_not_edited_but_can_end(world):
    with pytest.raises(DomainError) as exc:
        services.agreement_update(agreement=world.agreement_a, data={"title": "Other"},
                                  acting_user=world.staff_partnerships)
    assert "Renew it" in exc.value.message and "end it" in exc.value.message
    services.agreement_end(agreement=world.agreement_a, on=date(2026, 3, 1), acting_user=world.p.principal_a)
    world.agreement_a.refresh_from_db()
    assert world.agreement_a.status == AgreementStatus.ENDED and world.agreement_a.end_date == date(2026, 3, 1)
    with pytest.raises(DomainError):
        services.agreement_end(agreement=world.agreement_a, acting_user=world.p.principal_a)


def test_end_date_must_fall_within_the_agreement(world):
    with pytest.raises(DomainError) as exc:
        services.agreement_end(agreement=world.agreement_a, on=date(2027, 1, 1), acting_user=world.staff_partnerships)
    assert exc.value.field == "end_date"


def test_partner_user_cannot_change_anything(world):
    for call in (
        lambda: services.agreement_update(agreement=world.agreement_a, data={"title": "x"}, acting_user=world.p.partner),
        lambda: services.agreement_end(agreement=world.agreement_a, acting_user=world.p.partner),
        lambda: services.agreement_renew(agreement=world.agreement_a, acting_user=world.p.partner),
        lambda: services.agreement_decide(agreement=world.agreement_a, approve=True, acting_user=world.p.partner),
    ):
        with pytest.raises(NotPermitted):
            call()


def test_renewal_keeps_the_chain_and_only_once(world):
    renewal = services.agreement_renew(agreement=world.agreement_a, acting_user=world.staff_partnerships)
    assert renewal.status == AgreementStatus.DRAFT and renewal.renews == world.agreement_a
    assert renewal.start_date > world.agreement_a.start_date and renewal.year_round
    assert list(renewal.focus_areas.all()) == [world.arts]
    with pytest.raises(DomainError) as exc:
        services.agreement_renew(agreement=world.agreement_a, acting_user=world.staff_partnerships)
    assert exc.value.message == services.ALREADY_RENEWED.format(pk=renewal.pk)
    chain = selectors.agreement_chain(world.agreement_a)
    assert [a.pk for a in chain] == [world.agreement_a_prev.pk, world.agreement_a.pk, renewal.pk]


def test_draft_cannot_be_renewed(world):
    with pytest.raises(DomainError) as exc:
        services.agreement_renew(agreement=world.agreement_b, acting_user=world.staff_partnerships)
    assert exc.value.message == services.NOT_RENEWABLE.format(status="awaiting principal approval")


def test_relationship_years_and_summary(world):
    rows = selectors.relationships_for(world.staff_partnerships, today=date(2026, 1, 15))
    by_pair = {(r.school, r.partner): r for r in rows}
    xp_a = by_pair[("Alpha Elementary", "Xochi Arts Project")]
    assert xp_a.years == ["2024-25", "2025-26"] and xp_a.years_lasted == 2
    assert xp_a.first_year == "2024-25" and xp_a.year_round and xp_a.status == "active"
    yc_b = by_pair[("Bravo Middle", "Yellow Cab Counseling")]
    assert yc_b.years_lasted == 0 and yc_b.status == "pending"
    summary = selectors.relationship_summary(today=date(2026, 1, 15))
    assert summary.relationships == 1 and summary.year_round == 1
    assert summary.distribution == [(2, 1)]
    assert summary.by_community[0]["community"] == "Watts"


def test_relationship_rows_are_scoped(world):
    assert {r.school for r in selectors.relationships_for(world.p.principal_b)} == {"Bravo Middle"}
    assert selectors.relationships_for(world.p.board) == []


def test_years_covered_needs_a_month_of_overlap():
    years = [selectors.YearSpan("2024-25", date(2024, 8, 14), date(2025, 6, 11)),
             selectors.YearSpan("2025-26", date(2025, 8, 14), date(2026, 6, 11))]
    assert selectors.years_covered([(date(2024, 9, 1), date(2025, 8, 20))], years) == ["2024-25"]
    assert selectors.years_covered([(date(2024, 9, 1), date(2025, 9, 30))], years) == ["2024-25", "2025-26"]
    assert selectors.years_covered([(date(2030, 9, 1), date(2030, 12, 1))], years) == ["2030-31"]


def test_survey_one_per_year_by_the_partner(world):
    with pytest.raises(NotPermitted):
        services.survey_submit(partner=world.xp, school_year=world.p.year, data={"overall": 4},
                               acting_user=world.partner_b_user)
    with pytest.raises(NotPermitted):
        services.survey_submit(partner=world.xp, school_year=world.p.year, data={"overall": 4},
                               acting_user=world.staff_partnerships)
    survey = services.survey_submit(partner=world.xp, school_year=world.p.year, data={"overall": 4},
                                    acting_user=world.p.partner)
    assert survey.pk == world.survey_xp.pk and survey.overall == 4
    assert PartnerSurvey.objects.filter(partner=world.xp).count() == 1
    with pytest.raises(DomainError) as exc:
        services.survey_submit(partner=world.xp, school_year=world.last_year, data={"overall": 4},
                               acting_user=world.p.partner)
    assert exc.value.message == services.SURVEY_CLOSED.format(year="2024-25")


def test_measures_staff_add_partner_updates_actual_only(world):
    measure = services.measure_create(agreement=world.agreement_a, data={
        "school_year": world.p.year, "kind": "how_well", "name": "Sessions held as planned", "unit": "%",
        "target": Decimal("90")}, acting_user=world.staff_partnerships)
    with pytest.raises(NotPermitted):
        services.measure_create(agreement=world.agreement_a, data={"school_year": world.p.year, "kind": "how_much",
                                                                   "name": "x"}, acting_user=world.p.partner)
    services.measure_update(measure=measure, data={"actual": Decimal("85")}, acting_user=world.p.partner)
    assert Measure.objects.get(pk=measure.pk).actual == Decimal("85")
    with pytest.raises(NotPermitted) as exc:
        services.measure_update(measure=measure, data={"target": Decimal("10")}, acting_user=world.p.partner)
    assert exc.value.message == services.MEASURE_PARTNER_FIELDS
    with pytest.raises(NotPermitted):  # another partner's measure is outside their scope
        services.measure_update(measure=measure, data={"actual": Decimal("1")}, acting_user=world.partner_b_user)
    with pytest.raises(NotPermitted):  # principals read measures
        services.measure_update(measure=measure, data={"actual": Decimal("1")}, acting_user=world.p.principal_a)


def test_measure_year_must_overlap_the_agreement(world):
    with pytest.raises(DomainError) as exc:
        services.measure_create(agreement=world.agreement_b, data={"school_year": world.last_year, "kind": "how_much",
                                                                   "name": "Groups held"},
                                acting_user=world.staff_partnerships)
    assert exc.value.field == "school_year"


def test_attendance_marking(world):
    row = services.attendance_set(convening=world.convening_b, partner=world.xp, attended=False,
                                  acting_user=world.staff_partnerships)
    assert not row.attended and row.people == 0
    row = services.attendance_set(convening=world.convening_b, partner=world.xp, attended=True, people=3,
                                  acting_user=world.staff_partnerships)
    assert row.attended and row.people == 3
    with pytest.raises(DomainError):
        services.attendance_set(convening=world.convening_b, partner=world.xp, attended=False, people=2,
                                acting_user=world.staff_partnerships)
    with pytest.raises(NotPermitted):
        services.attendance_set(convening=world.convening_b, partner=world.xp, attended=True, people=1,
                                acting_user=world.p.principal_b)


def test_timeline_of_a_relationship(world):
    timeline = selectors.agreement_timeline(world.staff_partnerships, world.agreement_a)
    assert [a.pk for a in timeline.chain] == [world.agreement_a_prev.pk, world.agreement_a.pk]
    assert timeline.years == ["2024-25", "2025-26"]
    assert [row.convening for row in timeline.convenings] == [world.convening_network]
    assert [year for year, _items in timeline.measures_by_year] == ["2025-26"]
    assert timeline.surveys == [world.survey_xp]
    kinds = {e.kind for e in timeline.events}
    assert {"start", "renewal", "convening", "survey"} <= kinds
