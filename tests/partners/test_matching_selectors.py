"""Matching on the partner world: school A's suggestions (xp first for arts, with its reasons; yc not
suggested), the CLI table and its errors, the network assignment, and accepting a suggestion."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.partners.models import Agreement, Partner, SchoolNeed
from equitable.partners.selectors import matching as sel
from equitable.partners.services.matching import ACCEPT_STAFF_ONLY, ALREADY_COVERED, suggestion_accept

pytestmark = pytest.mark.django_db


def test_school_a_ranks_xp_first_with_reasons(world):
    matches = sel.school_matches(world.p.school_a, world.p.year)
    names = [s.partner for s in matches.suggestions]
    assert names[0] == "Xochi Arts Project"
    first = matches.suggestions[0]
    assert first.reasons[0] == "Covers Arts (high priority)"
    assert "Serves Watts" in first.reasons
    assert "Works in Spanish" in first.reasons
    assert "Already a partner here" in first.reasons
    assert "Past results: 87 % of targets met" in first.reasons
    assert any(r.startswith("Clearance: ") for r in first.reasons)
    assert first.covered_need_ids == (world.need_a_arts.pk,)


def test_yc_covers_only_mental_health_not_arts(world):
    matches = sel.school_matches(world.p.school_a, world.p.year)
    by_name = {s.partner: s for s in matches.suggestions}
    # yc is suggested for A's mental-health need only, never for the arts need
    assert world.need_a_arts.pk not in by_name["Yellow Cab Counseling"].covered_need_ids
    arts_partners = [s.partner for s in matches.suggestions if world.need_a_arts.pk in s.covered_need_ids]
    assert arts_partners == ["Xochi Arts Project"]


def test_partner_without_fit_is_not_suggested(world):
    Partner.objects.create(name="Zeta College Access", kind="college_access").focus_areas.set([world.college])
    names = [s.partner for s in sel.school_matches(world.p.school_a, world.p.year).suggestions]
    assert "Zeta College Access" not in names


def test_inactive_partner_is_not_a_candidate(world):
    world.yc.status = "inactive"
    world.yc.save()
    names = [s.partner for s in sel.school_matches(world.p.school_a, world.p.year).suggestions]
    assert names == ["Xochi Arts Project"]


def test_match_table_headers_and_rows(world):
    headers, rows = sel.match_table(world.p.school_a.cds_code)
    assert headers == ["rank", "partner", "score", "focus_fit", "community", "language", "capacity_left",
                       "clearance", "past_results", "reasons"]
    assert rows[0][0] == 1 and rows[0][1] == "Xochi Arts Project"
    assert rows[0][4] == "yes" and rows[0][5] == "en,es"
    assert isinstance(rows[0][2], float) and rows[0][2] == round(rows[0][2], 3)
    assert "; " in rows[0][9]
    assert sel.match_table(world.p.school_a.cds_code, limit=1)[1] == rows[:1]


def test_match_table_errors(world):
    with pytest.raises(sel.MatchInputError, match="No school with CDS code '00000000000000'"):
        sel.match_table("00000000000000")
    with pytest.raises(sel.MatchInputError, match="No school year named '1999-00'"):
        sel.match_table(world.p.school_a.cds_code, year="1999-00")
    with pytest.raises(sel.MatchInputError, match="has no needs assessment for 2024-25"):
        sel.match_table(world.p.school_a.cds_code, year="2024-25")


def test_cli_match_csv(world):
    buf = io.StringIO()
    call_command("partners", "match", "--school", world.p.school_a.cds_code, "--format", "csv", stdout=buf)
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert rows[0] == sel.MATCH_HEADERS
    assert rows[1][:2] == ["1", "Xochi Arts Project"]


def test_cli_unknown_school_exits_2(world):
    with pytest.raises(CommandError) as info:
        call_command("partners", "match", "--school", "99999999999999", "--format", "csv", stdout=io.StringIO())
    assert info.value.returncode == 2
    assert "99999999999999" in str(info.value)


def test_scoped_suggestions(world):
    p = world.p
    assert sel.suggestions_for(p.principal_a, p.school_a.pk) is not None
    assert sel.suggestions_for(p.principal_a, p.school_a.cds_code) is not None
    assert sel.suggestions_for(p.director, p.school_a.pk) is not None
    assert sel.suggestions_for(p.principal_b, p.school_a.pk) is None
    assert sel.suggestions_for(p.partner, p.school_a.pk) is None
    assert sel.suggestions_for(p.board, p.school_a.pk) is None
    assert sel.suggestions_for(world.staff_partnerships, p.school_b.pk) is not None


def test_network_assignment_shows_covered_and_proposed(world):
    network = sel.network_matches(world.p.year)
    states = {(r.school.name, r.need.focus_area.name): (r.state, r.partner.name if r.partner else None)
              for r in network.rows}
    # A's arts need is covered by xp's approved agreement; B's mental health by yc's pending one
    assert states[("Alpha Elementary", "Arts")] == ("approved", "Xochi Arts Project")
    assert states[("Bravo Middle", "Mental health")] == ("pending", "Yellow Cab Counseling")
    # yc (capacity 1) already holds B, so it cannot take A's mental-health need
    assert ("Alpha Elementary", "Mental health") not in states
    assert network.needs == 4


def test_accept_creates_one_draft_and_is_audited(world):
    yc = world.yc
    yc.capacity_schools = 3
    yc.save()
    network = sel.network_matches(world.p.year)
    row = next(r for r in network.proposed if r.need == world.need_a_mental)
    assert row.partner == yc
    before = Agreement.objects.count()
    agreement = suggestion_accept(school=row.school, partner=row.partner,
                                  needs=SchoolNeed.objects.filter(pk__in=row.group_need_ids),
                                  acting_user=world.staff_partnerships)
    assert Agreement.objects.count() == before + 1
    assert agreement.status == "draft"
    assert list(agreement.needs.all()) == [world.need_a_mental]
    assert agreement.start_date == world.p.year.start_date and agreement.end_date == world.p.year.end_date
    assert agreement.history.first().history_user == world.staff_partnerships
    # the next run shows it as accepted and proposes nothing more for it
    again = sel.network_matches(world.p.year)
    row = next(r for r in again.rows if r.need == world.need_a_mental)
    assert row.state == "accepted" and row.agreement == agreement
    with pytest.raises(DomainError) as info:
        suggestion_accept(school=world.p.school_a, partner=yc, needs=[world.need_a_mental],
                          acting_user=world.staff_partnerships)
    assert info.value.message == ALREADY_COVERED.format(need="Mental health", year="2025-26", pk=agreement.pk,
                                                        status="Draft")
    assert Agreement.objects.count() == before + 1


def test_accept_is_for_partnerships_staff(world):
    for user in (world.p.staff_ops, world.p.principal_a, world.p.partner):
        with pytest.raises(NotPermitted, match=ACCEPT_STAFF_ONLY):
            suggestion_accept(school=world.p.school_a, partner=world.yc, needs=[world.need_a_mental],
                              acting_user=user)


def test_accept_refuses_a_partner_outside_the_focus_area(world):
    with pytest.raises(DomainError, match="does not work in Mental health"):
        suggestion_accept(school=world.p.school_a, partner=world.xp, needs=[world.need_a_mental],
                          acting_user=world.staff_partnerships)
    with pytest.raises(DomainError, match="is not one of Alpha Elementary's needs"):
        suggestion_accept(school=world.p.school_a, partner=world.yc, needs=[world.need_b_mental],
                          acting_user=world.staff_partnerships)
