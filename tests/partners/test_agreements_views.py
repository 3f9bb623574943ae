"""Agreement, relationship, convening, measure and survey pages per persona: who may and who may not."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from equitable.partners.models import Agreement, AgreementStatus, ConveningAttendance, Measure

LIST = reverse("partners:agreement_list")


def detail(agreement):
    return reverse("partners:agreement_detail", args=[agreement.pk])


@pytest.mark.parametrize("name,status", [("admin", 200), ("staff_partnerships", 200), ("staff_ops", 200),
                                         ("director", 200), ("principal_a", 200), ("principal_b", 200),
                                         ("partner", 200), ("partner_b", 200), ("board", 403)])
def test_agreement_list_per_persona(world, client_as, name, status):
    response = client_as(name).get(LIST)
    assert response.status_code == status


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(LIST)
    assert response.status_code in (302, 403)


def test_agreement_list_is_scoped_and_filtered(world, client_as):
    body = client_as("partner").get(LIST).content.decode()
    assert "Visual arts residency" in body and "Counseling groups" not in body
    body = client_as("principal_b").get(LIST).content.decode()
    assert "Counseling groups" in body and "Visual arts residency" not in body
    body = client_as("staff_partnerships").get(LIST, {"partner": world.yc.pk}).content.decode()
    assert "Counseling groups" in body and "Visual arts residency" not in body
    body = client_as("staff_partnerships").get(LIST, {"year_round": "true", "year": "2024-25"}).content.decode()
    assert body.count("Visual arts residency") == 1


def test_agreement_list_exports(world, client_as):
    response = client_as("staff_partnerships").get(LIST, {"export": "csv"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Visual arts residency" in text and "Counseling groups" in text


@pytest.mark.parametrize("name,status", [("staff_partnerships", 200), ("principal_a", 200), ("director", 200),
                                         ("partner", 200), ("principal_b", 404), ("partner_b", 404),
                                         ("board", 403)])
def test_agreement_detail_per_persona(world, client_as, name, status):
    assert client_as(name).get(detail(world.agreement_a)).status_code == status


def test_detail_shows_terms_chain_and_timeline(world, client_as):
    body = client_as("staff_partnerships").get(detail(world.agreement_a)).content.decode()
    assert 'data-testid="chain"' in body and f"#{world.agreement_a_prev.pk}" in body
    assert "Mid-year all-hands" in body and "Students enrolled" in body
    assert 'data-testid="renew"' in body and 'data-testid="end"' in body and 'data-testid="edit"' not in body


def test_partner_sees_no_action_buttons(world, client_as):
    body = client_as("partner").get(detail(world.agreement_a)).content.decode()
    for testid in ("edit", "renew", "end", "decide", "submit"):
        assert f'data-testid="{testid}"' not in body


@pytest.mark.parametrize("name,status", [("staff_partnerships", 200), ("principal_a", 200), ("admin", 200),
                                         ("principal_b", 200), ("staff_ops", 403), ("partner", 403),
                                         ("board", 403), ("director", 403)])
def test_agreement_add_page(world, client_as, name, status):
    assert client_as(name).get(reverse("partners:agreement_add")).status_code == status


def _post_terms(world, **changes):
    data = {"partner": world.xp.pk, "school": world.p.school_a.pk, "title": "Ceramics", "programs": "Clay studio",
            "start_date": "2025-09-01", "end_date": "2026-06-05", "year_round": "on", "annual_cost": "0",
            "paid_by": "partner", "focus_areas": [world.arts.pk], "needs": [world.need_a_arts.pk]}
    data.update(changes)
    return data


def test_principal_drafts_for_own_school(world, client_as):
    client = client_as("principal_a")
    response = client.post(reverse("partners:agreement_add"), _post_terms(world))
    agreement = Agreement.objects.get(title="Ceramics")
    assert response.status_code == 302 and agreement.status == AgreementStatus.DRAFT
    # School B is not one of the choices of principal_a.
    response = client.post(reverse("partners:agreement_add"), _post_terms(world, school=world.p.school_b.pk,
                                                                          title="Elsewhere", needs=[]))
    assert response.status_code == 200 and not Agreement.objects.filter(title="Elsewhere").exists()


def test_add_shows_rule_errors(world, client_as):
    response = client_as("staff_partnerships").post(reverse("partners:agreement_add"),
                                                    _post_terms(world, end_date="2026-01-15"))
    assert response.status_code == 200
    assert "must span at least 9 months" in response.content.decode()
    assert not Agreement.objects.filter(title="Ceramics").exists()


def test_edit_of_approved_agreement_is_refused(world, client_as):
    client = client_as("staff_partnerships")
    response = client.get(reverse("partners:agreement_edit", args=[world.agreement_a.pk]))
    assert response.status_code == 302
    response = client.post(reverse("partners:agreement_edit", args=[world.agreement_a.pk]),
                           _post_terms(world, title="Changed"), follow=True)
    assert "Renew it" in response.content.decode()
    world.agreement_a.refresh_from_db()
    assert world.agreement_a.title == "Visual arts residency"


def test_edit_pending_agreement(world, client_as):
    url = reverse("partners:agreement_edit", args=[world.agreement_b.pk])
    assert client_as("principal_a").get(url).status_code == 404
    assert client_as("partner_b").get(url).status_code == 403
    response = client_as("principal_b").post(url, {
        "title": "Counseling groups", "programs": "Small-group counseling, 6th grade", "start_date": "2026-01-06",
        "end_date": "2026-03-27", "annual_cost": "0", "paid_by": "partner", "needs": [world.need_b_mental.pk]})
    assert response.status_code == 302
    assert list(Agreement.objects.get(pk=world.agreement_b.pk).needs.all()) == [world.need_b_mental]


def test_decide_page_only_for_the_schools_principal(world, client_as):
    url = reverse("partners:agreement_decide", args=[world.agreement_b.pk])
    assert client_as("principal_a").get(url).status_code == 404
    for name in ("staff_partnerships", "partner_b", "director"):
        assert client_as(name).get(url).status_code in (403, 404), name
    client = client_as("principal_b")
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "decline", "decision_note": ""})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    response = client.post(url, {"decision": "approve", "decision_note": "Glad to have you."})
    assert response.status_code == 302
    agreement = Agreement.objects.get(pk=world.agreement_b.pk)
    assert agreement.status == AgreementStatus.ACTIVE and agreement.decided_by == world.p.principal_b


def test_submit_end_and_renew_by_post(world, client_as):
    client = client_as("staff_partnerships")
    response = client.post(reverse("partners:agreement_renew", args=[world.agreement_a.pk]))
    renewal = Agreement.objects.get(renews=world.agreement_a)
    assert response.status_code == 302 and response.url == reverse("partners:agreement_edit", args=[renewal.pk])
    client.post(reverse("partners:agreement_submit", args=[renewal.pk]))
    assert Agreement.objects.get(pk=renewal.pk).status == AgreementStatus.PENDING
    response = client.post(reverse("partners:agreement_end", args=[world.agreement_a.pk]), {"end_date": "2026-05-01"})
    assert response.status_code == 302
    assert Agreement.objects.get(pk=world.agreement_a.pk).status == AgreementStatus.ENDED
    # A second renewal is refused with the message.
    response = client.post(reverse("partners:agreement_renew", args=[world.agreement_a.pk]), follow=True)
    assert "already renewed" in response.content.decode()


def test_partner_cannot_post_actions(world, client_as):
    client = client_as("partner")
    for name in ("agreement_submit", "agreement_renew"):
        assert client.post(reverse(f"partners:{name}", args=[world.agreement_a.pk])).status_code == 403
    assert client.post(reverse("partners:agreement_renew", args=[world.agreement_b.pk])).status_code == 404
    assert client.get(reverse("partners:agreement_end", args=[world.agreement_a.pk])).status_code == 403


# --- Relationships --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name,status,rows", [("staff_partnerships", 200, True), ("principal_a", 200, True),
                                              ("board", 200, False), ("partner", 403, None), ("staff_ops", 200, True)])
def test_relationships_page(world, client_as, name, status, rows):
    response = client_as(name).get(reverse("partners:relationships"))
    assert response.status_code == status
    if status != 200:
        return
    body = response.content.decode()
    assert 'data-testid="summary"' in body and 'data-testid="year-round-count">1<' in body
    assert ('data-testid="relationship-rows"' in body) is rows
    if name == "board":
        assert "Xochi" not in body and "Alpha Elementary" not in body


def test_principal_sees_only_their_relationships(world, client_as):
    body = client_as("principal_b").get(reverse("partners:relationships")).content.decode()
    assert "Yellow Cab Counseling" in body and "Xochi Arts Project" not in body


# --- Convenings -----------------------------------------------------------------------------------------


def test_convening_list_scoping(world, client_as):
    url = reverse("partners:convening_list")
    assert client_as("board").get(url).status_code == 403
    body = client_as("principal_a").get(url).content.decode()
    assert "Mid-year all-hands" in body and "Bravo meet &amp; greet" not in body
    body = client_as("partner_b").get(url).content.decode()
    assert "Bravo meet &amp; greet" in body


def test_convening_detail_and_attendance(world, client_as):
    url = reverse("partners:convening_detail", args=[world.convening_b.pk])
    assert client_as("principal_a").get(url).status_code == 404
    assert client_as("partner").get(url).status_code == 404
    body = client_as("principal_b").get(url).content.decode()
    assert "Yellow Cab Counseling" in body and 'data-testid="save-attendance"' not in body
    assert client_as("principal_b").post(url, {"partner": world.xp.pk, "attended": "on"}).status_code == 403
    response = client_as("staff_partnerships").post(url, {"partner": world.xp.pk, "attended": "on", "people": "2"})
    assert response.status_code == 302
    assert ConveningAttendance.objects.get(convening=world.convening_b, partner=world.xp).people == 2


def test_convening_add_and_edit(world, client_as):
    url = reverse("partners:convening_add")
    assert client_as("principal_a").get(url).status_code == 403
    assert client_as("partner").get(url).status_code == 403
    response = client_as("staff_partnerships").post(url, {
        "kind": "eoy", "title": "End-of-year celebration", "school_year": world.p.year.pk, "held_on": "2026-06-04"})
    assert response.status_code == 302
    edit = reverse("partners:convening_edit", args=[world.convening_network.pk])
    assert client_as("principal_a").get(edit).status_code == 403
    assert client_as("staff_partnerships").get(edit).status_code == 200


# --- Measures and surveys -------------------------------------------------------------------------------


def test_measure_edit_per_persona(world, client_as):
    url = reverse("partners:measure_edit", args=[world.measure_a.pk])
    assert client_as("partner_b").get(url).status_code == 404
    assert client_as("principal_b").get(url).status_code == 404
    assert client_as("principal_a").get(url).status_code == 403
    response = client_as("partner").get(url)
    assert response.status_code == 200 and 'name="target"' not in response.content.decode()
    response = client_as("partner").post(url, {"actual": "110", "notes": "Spring cohort added"})
    assert response.status_code == 302
    assert Measure.objects.get(pk=world.measure_a.pk).actual == Decimal("110")


def test_measure_add_by_partnerships_staff(world, client_as):
    url = reverse("partners:measure_add", args=[world.agreement_a.pk])
    assert client_as("partner").get(url).status_code == 403
    assert client_as("principal_a").get(url).status_code == 403
    response = client_as("staff_partnerships").post(url, {
        "school_year": world.p.year.pk, "kind": "how_well", "name": "Attendance rate", "unit": "%",
        "higher_is_better": "on", "target": "85"})
    assert response.status_code == 302
    assert Measure.objects.filter(agreement=world.agreement_a, name="Attendance rate").exists()


@pytest.mark.parametrize("name,status", [("staff_partnerships", 200), ("staff_ops", 200), ("admin", 200),
                                         ("principal_a", 403), ("partner", 403), ("board", 403)])
def test_survey_list(world, client_as, name, status):
    response = client_as(name).get(reverse("partners:survey_list"))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert 'data-testid="avg-overall">4.0<' in body and "Yellow Cab Counseling" in body


def test_list_query_counts_do_not_grow_with_rows(world, client_as, django_assert_max_num_queries):
    from datetime import date

    for n in range(15):
        Agreement.objects.create(partner=world.yc, school=world.p.school_b, title=f"Extra {n}", programs="x",
                                 start_date=date(2025, 9, 1), end_date=date(2025, 12, 1))
    client = client_as("staff_partnerships")
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("partners:relationships")).status_code == 200
