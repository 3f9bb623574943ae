"""Funding pages per persona: scenarios (each school's amount, per pupil, tier, difference from even; metrics;
the even and equitable splits side by side; LCFF beside philanthropy), sources, exports, and the finance
staff's forms (create and compute, infeasible options, adopt then locked, new version)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from equitable.equity.models import NeedScore
from equitable.funding.models import Allocation, FundingSource, Scenario, ScenarioSource
from equitable.network.models import Enrollment, School
from tests.equity.test_pages import NeedData, build_need, finance_user

pytestmark = pytest.mark.django_db

SCENARIOS = "/funding/"
SOURCES = "/funding/sources/"
B_MARK = "187,655"  # school B's amount in the equitable scenario: never shown to those outside school B


@dataclass
class MoneyData:
    need: NeedData
    school_d: School
    school_e: School
    philanthropy: FundingSource
    title_one: FundingSource
    even: Scenario
    equitable: Scenario
    draft: Scenario


def _scenario(personas, name, method, *, status, need_model=None, parameters=None, metrics=None, draws=(),
              rows=(), adopted=False):
    scenario = Scenario.objects.create(
        name=name, school_year=personas.year, method=method, need_model=need_model, parameters=parameters or {},
        pool=sum((amount for _source, amount in draws), Decimal(0)), metrics=metrics or {}, status=status,
        adopted_at=datetime(2025, 9, 15, 18, tzinfo=UTC) if adopted else None,
        adopted_by=personas.admin if adopted else None,
    )
    for source, amount in draws:
        ScenarioSource.objects.create(scenario=scenario, source=source, amount=amount)
    for school, enrollment, score, tier, amount, even, sup, conc in rows:
        Allocation.objects.create(scenario=scenario, school=school, enrollment=enrollment, need_score=score,
                                  need_tier=tier, amount=Decimal(amount), per_pupil=Decimal(amount) / enrollment,
                                  even_amount=Decimal(even), lcff_supplemental=sup, lcff_concentration=conc)
    return scenario


def build_money(personas, need: NeedData | None = None) -> MoneyData:
    """Two more Watts schools (D and E, Highest need with A; B alone is Low), two sources, two adopted
    scenarios (an even split and an equitable one, by need tier) and a computed draft, written as stored results
    so the pages are tested apart from the engine."""
    need = need or build_need(personas)
    a, b = personas.school_a, personas.school_b
    d, e = (School.objects.create(cds_code=cds, name=name, level="elementary", grade_low=0, grade_high=5,
                                  community=personas.watts, network=personas.network, membership="member")
            for cds, name in [("19647330000044", "Delta Elementary"), ("19647330000055", "Echo Elementary")])
    for school, total, rank in [(d, 350, 1), (e, 300, 1)]:
        Enrollment.objects.create(school=school, school_year=personas.year, total=total, unduplicated=total - 20)
        NeedScore.objects.create(need_model=need.seni, school=school, score=Decimal(100), rank=rank, tier=1,
                                 tier_name="Highest", contributions={"undup": 66.6667, "ela": 33.3333})
    philanthropy = FundingSource.objects.create(name="Watts Fund", kind="philanthropic", amount=Decimal(1_000_000),
                                                school_year=personas.year)
    title_one = FundingSource.objects.create(name="Title I set-aside", kind="public", amount=Decimal(500_000),
                                             restricted_to="Title I schoolwide", school_year=personas.year)
    draws = [(philanthropy, Decimal(300_000)), (title_one, Decimal(200_000))]
    lcff_a = (Decimal("1085000.00"), Decimal("1650000.00"))
    lcff_b = (Decimal("1620000.00"), Decimal("2300000.00"))
    even = _scenario(personas, "Even 2025-26", "even_pupil", status="adopted", adopted=True, draws=draws,
                     metrics={"gini_per_pupil": 0.0, "tier_ratio": 1.0, "share_to_highest_quintile": 0.4,
                              "need_correlation": None},
                     rows=[(a, 400, Decimal(100), 1, "200000", "200000", *lcff_a),
                           (b, 600, Decimal(25), 4, "300000", "300000", *lcff_b),
                           (d, 350, Decimal(100), 1, "175000", "175000", None, None),
                           (e, 300, Decimal(100), 1, "150000", "150000", None, None)])
    equitable = _scenario(personas, "Equitable 2025-26", "tiered", status="adopted", adopted=True,
                          need_model=need.seni, parameters={"tier_rates": [3, 2.5, 2, 1.5, 1]}, draws=draws,
                          metrics={"gini_per_pupil": 0.2142, "tier_ratio": 2.4966, "share_to_highest_quintile": 0.6247,
                                   "need_correlation": 1.0},
                          rows=[(a, 400, Decimal(100), 1, "312345", "200000", *lcff_a),
                                (b, 600, Decimal(25), 4, "187655", "300000", *lcff_b),
                                (d, 350, Decimal(100), 1, "280000", "175000", None, None),
                                (e, 300, Decimal(100), 1, "240000", "150000", None, None)])
    draft = _scenario(personas, "Draft idea", "proportional", status="computed", need_model=need.seni,
                      parameters={"need_multiplier": 2.0},
                      draws=[(philanthropy, Decimal(100_000)), (title_one, Decimal(50_000))],
                      metrics={"gini_per_pupil": 0.1, "tier_ratio": 1.8, "share_to_highest_quintile": 0.5,
                               "need_correlation": 1.0},
                      rows=[(a, 400, Decimal(100), 1, "80000", "60000", None, None),
                            (b, 600, Decimal(25), 4, "70000", "90000", None, None)])
    return MoneyData(need=need, school_d=d, school_e=e, philanthropy=philanthropy, title_one=title_one, even=even, equitable=equitable,
                     draft=draft)


@pytest.fixture
def money(personas):
    return build_money(personas)


@pytest.fixture
def finance_client(personas, client):
    client.force_login(finance_user())
    return client


def url(scenario, name="scenario_detail") -> str:
    return reverse(f"funding:{name}", args=[scenario.pk])


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- The list of scenarios and sources -----------------------------------------------------------------------


@pytest.mark.parametrize(("who", "sees_draft"), [
    ("admin", True), ("staff_ops", True), ("staff_talent", True), ("director", False), ("principal_a", False),
    ("principal_b", False), ("board", False),
])
def test_scenario_list_per_persona(money, client_for, who, sees_draft):
    html = client_for(who).get(SCENARIOS).content.decode()
    assert "Even 2025-26" in html and "Equitable 2025-26" in html
    assert ("Draft idea" in html) is sees_draft
    assert ('data-testid="add"' in html) is (who == "admin")


def test_scenario_list_refuses_partner_and_sends_anonymous_to_login(money, client_for):
    assert client_for("partner").get(SCENARIOS).status_code == 403
    assert client_for("partner").get(SOURCES).status_code == 403
    response = client_for("anonymous").get(SCENARIOS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_scenario_list_export_and_filters(money, finance_client):
    html = finance_client.get(SCENARIOS).content.decode()
    assert 'data-testid="add"' in html
    rows = _csv(finance_client.get(SCENARIOS + "?export=csv&status=adopted"))
    assert rows[0][:5] == ["Scenario", "School year", "Method", "Pool", "Status"]
    assert sorted(r[0] for r in rows[1:]) == ["Equitable 2025-26", "Even 2025-26"]
    equitable = next(r for r in rows if r[0] == "Equitable 2025-26")
    assert equitable[2] == "Per-pupil rate by need tier" and equitable[4] == "Adopted (locked)"
    assert "0.2142" in equitable and "2.4966" in equitable
    assert finance_client.get(SCENARIOS + "?export=xlsx").content[:2] == b"PK"


def test_scenario_list_query_count_is_pinned(personas, money, client_for, django_assert_max_num_queries):
    client = client_for("staff_ops")
    client.get(SCENARIOS)
    with django_assert_max_num_queries(8) as first:
        client.get(SCENARIOS)
    for n in range(8):
        _scenario(personas, f"Extra {n}", "even_school", status="adopted", adopted=True, need_model=money.need.seni,
                  draws=[(money.philanthropy, Decimal(1))])
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(SCENARIOS)


@pytest.mark.parametrize("who", ["admin", "staff_ops", "director", "principal_a", "board"])
def test_sources_for_readers(money, client_for, who):
    html = client_for(who).get(SOURCES).content.decode()
    assert "Watts Fund" in html and "Title I set-aside" in html and "Title I schoolwide" in html


def test_sources_export_and_filter(money, client_for):
    rows = _csv(client_for("staff_ops").get(SOURCES + "?export=csv&kind=public"))
    assert rows[0][:4] == ["Source", "Kind", "Restricted to", "Amount"]
    assert [r[:4] for r in rows[1:]] == [["Title I set-aside", "Public", "Title I schoolwide", "500000.00"]]


def test_sources_query_count_is_pinned(personas, money, client_for, django_assert_max_num_queries):
    client = client_for("board")
    client.get(SOURCES)
    with django_assert_max_num_queries(8) as first:
        client.get(SOURCES)
    for n in range(8):
        FundingSource.objects.create(name=f"Gift {n}", kind="philanthropic", amount=1, school_year=personas.year)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(SOURCES)


# --- A scenario's page ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "staff_ops", "staff_academic"])
def test_scenario_page_for_home_office(personas, money, client_for, who):
    html = client_for(who).get(url(money.equitable)).content.decode()
    row_a = html.split(f'data-testid="allocation-{personas.school_a.cds_code}"')[1].split("</tr>")[0]
    assert "$312,345" in row_a and "$781" in row_a and "Highest" in row_a and "+112,345" in row_a
    assert "$2,735,000" in row_a  # LCFF supplemental + concentration, public dollars beside philanthropy
    row_b = html.split(f'data-testid="allocation-{personas.school_b.cds_code}"')[1].split("</tr>")[0]
    assert "$187,655" in row_b and "-112,345" in row_b and "Low" in row_b
    assert 'data-testid="metric-gini_per_pupil"><div class="figure">0.21<' in html
    assert 'data-testid="metric-tier_ratio"><div class="figure">2.50<' in html
    assert 'data-testid="metric-share_to_highest_quintile"><div class="figure">62.5%<' in html
    assert 'data-testid="metric-need_correlation"><div class="figure">1.00<' in html
    chart = html.split('data-testid="chart"')[1]
    assert "<svg" in chart and "Even split" in chart and "Alpha Elementary" in chart
    assert 'data-testid="draws"' in html and "Watts Fund" in html and "Public" in html
    assert 'data-testid="why-' not in html  # the drill-down lives on the need model's page for staff
    assert "<script>" not in html


def test_scenario_page_locked_for_everyone_once_adopted(money, client_for):
    html = client_for("admin").get(url(money.equitable)).content.decode()
    locked = html.split('data-testid="locked"')[1].split("</p>")[0]
    assert "Adopted on 2025-09-15 by Admin" in locked
    assert 'data-testid="edit"' not in html and 'data-testid="compute"' not in html
    assert 'data-testid="adopt"' not in html and 'data-testid="copy"' in html


@pytest.mark.parametrize(("who", "school"), [("principal_a", "school_a"), ("principal_b", "school_b"),
                                             ("director", "school_a")])
def test_principals_see_their_own_row_and_why(personas, money, client_for, who, school):
    html = client_for(who).get(url(money.equitable)).content.decode()
    mine, other = getattr(personas, school), personas.school_b if school == "school_a" else personas.school_a
    assert f'data-testid="allocation-{mine.cds_code}"' in html
    assert f'data-testid="allocation-{other.cds_code}"' not in html and other.name not in html
    why = html.split(f'data-testid="why-{mine.cds_code}"')[1].split("</article>")[0]
    assert "need tier" in why and "Unduplicated pupils" in why and "Contribution" in why
    assert 'data-testid="tiers"' in html  # the network picture by tier
    assert 'data-testid="edit"' not in html and 'data-testid="copy"' not in html
    if school == "school_a":
        assert B_MARK not in html
        assert "Why Alpha Elementary is in the Highest need tier" in why
        export = client_for(who).get(url(money.equitable) + "?export=csv").content.decode("utf-8-sig")
        assert mine.name in export and other.name not in export and B_MARK.replace(",", "") not in export


@pytest.mark.parametrize("who", ["director", "principal_a", "principal_b", "board"])
def test_drafts_are_not_found_outside_the_home_office(money, client_for, who):
    assert client_for(who).get(url(money.draft)).status_code == 404


def test_board_sees_the_network_picture_only(personas, money, client_for):
    client = client_for("board")
    html = client.get(url(money.equitable)).content.decode()
    assert 'data-testid="aggregates-only"' in html and 'data-testid="metrics"' in html
    assert personas.school_a.name not in html and personas.school_b.name not in html and B_MARK not in html
    tier_1 = html.split('data-testid="tier-1"')[1].split("</tr>")[0]
    assert "$832,345" in tier_1 and "$793" in tier_1 and "$500" in tier_1 and ">3<" in tier_1
    tier_4 = html.split('data-testid="tier-4"')[1].split("</tr>")[0]  # school B alone: only its count
    assert ">1<" in tier_4 and tier_4.count(">*<") == 5
    chart = html.split('data-testid="chart"')[1]
    assert "<svg" in chart and "Highest" in chart and "Alpha" not in chart
    assert client.get(url(money.equitable) + "?export=csv").status_code == 403
    tiers = _csv(client.get(url(money.equitable) + "?table=tiers&export=csv"))
    assert tiers[0][0] == "Need tier" and [r[0] for r in tiers[1:]] == ["Highest", "Low"]
    assert tiers[1][:3] == ["Highest", "3", "1050"] and float(tiers[1][3]) == 832345 and tiers[2] == ["Low", "1", "*", "*", "*", "*", "*"]


def test_partner_and_unknown(money, client_for):
    assert client_for("partner").get(url(money.equitable)).status_code == 403
    assert client_for("staff_ops").get(reverse("funding:scenario_detail", args=[99999])).status_code == 404


def test_allocation_export(personas, money, client_for):
    rows = _csv(client_for("staff_ops").get(url(money.equitable) + "?export=csv"))
    assert rows[0] == ["School", "CDS code", "Enrollment", "Need score", "Need tier", "Amount", "Per pupil",
                       "Even split", "Difference from even", "LCFF supplemental (est.)", "LCFF concentration (est.)"]
    a = next(r for r in rows if r[0] == personas.school_a.name)
    assert a[4:] == ["Highest", "312345.00", "780.86", "200000.00", "112345.00", "1085000.00", "1650000.00"]
    assert client_for("staff_ops").get(url(money.equitable) + "?export=xlsx").content[:2] == b"PK"


def test_draft_page_for_other_staff_is_read_only(money, client_for):
    client = client_for("staff_ops")
    html = client.get(url(money.draft)).content.decode()
    assert 'data-testid="status">Computed<' in html
    assert 'data-testid="edit"' not in html and 'data-testid="adopt"' not in html and 'data-testid="copy"' not in html
    assert client.post(url(money.draft, "scenario_compute")).status_code == 403
    assert client.get(url(money.draft, "scenario_edit")).status_code == 403
    assert client.post(url(money.draft, "scenario_adopt")).status_code == 403
    assert client.post(url(money.draft, "scenario_copy"), {"name": "Mine"}).status_code == 403
    assert client.get(reverse("funding:scenario_add")).status_code == 403
    money.draft.refresh_from_db()
    assert money.draft.status == "computed" and not Scenario.objects.filter(name="Mine").exists()


# --- Finance staff: create and compute, infeasible options, adopt then locked, new version --------------------


def test_finance_sees_the_draft_actions(money, finance_client):
    html = finance_client.get(url(money.draft)).content.decode()
    assert 'data-testid="edit"' in html and 'data-testid="compute"' in html and 'data-testid="adopt"' in html


def _form(personas, money, **extra) -> dict:
    data = {"name": "Even per school", "school_year": personas.year.pk, "method": "even_school",
            "need_model": "", "previous": "", f"source_{money.philanthropy.pk}": "100000",
            "spend_exactly": "on", "compute": "1"}
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def test_finance_creates_and_computes_a_scenario(personas, money, finance_client):
    pytest.importorskip("equitable.funding.allocation")
    html = finance_client.get(reverse("funding:scenario_add")).content.decode()
    assert f'name="source_{money.philanthropy.pk}"' in html and 'name="tier_rates"' in html
    response = finance_client.post(reverse("funding:scenario_add"), _form(personas, money))
    scenario = Scenario.objects.get(name="Even per school")
    assert response.status_code == 302 and response["Location"] == url(scenario)
    assert scenario.status == "computed" and scenario.pool == Decimal(100_000)
    amounts = {a.school_id: a.amount for a in scenario.allocations.all()}
    assert set(amounts) == {personas.school_a.pk, personas.school_b.pk, money.school_d.pk, money.school_e.pk}
    assert set(amounts.values()) == {Decimal(25_000)}
    page = finance_client.get(url(scenario)).content.decode()
    assert 'data-testid="adopt"' in page


def test_finance_saves_a_draft_with_tier_rates(personas, money, finance_client):
    response = finance_client.post(reverse("funding:scenario_add"), _form(
        personas, money, name="Tiers", method="tiered", need_model=money.need.seni.pk,
        tier_rates="3, 2.5, 2, 1.5, 1", compute=None, draft="1"))
    scenario = Scenario.objects.get(name="Tiers")
    assert response.status_code == 302 and scenario.status == "draft"
    assert scenario.parameters == {"tier_rates": [3.0, 2.5, 2.0, 1.5, 1.0]}
    assert 'data-testid="not-computed"' in finance_client.get(url(scenario)).content.decode()


def test_infeasible_options_are_a_clear_error_and_nothing_is_saved(personas, money, finance_client):
    pytest.importorskip("equitable.funding.allocation")
    response = finance_client.post(reverse("funding:scenario_add"), _form(
        personas, money, name="Too many floors", method="proportional", need_model=money.need.seni.pk,
        floor="80000"))
    html = response.content.decode()
    assert response.status_code == 200
    errors = html.split('data-testid="form-errors"')[1].split("</div>")[0]
    assert "floor" in errors.lower()
    assert not Scenario.objects.filter(name="Too many floors").exists()


def test_bad_form_input_is_shown_on_the_fields(personas, money, finance_client):
    response = finance_client.post(reverse("funding:scenario_add"), _form(
        personas, money, name="Even 2025-26", tier_rates="3, 2", hold_harmless="2"))
    html = response.content.decode()
    assert 'data-testid="error-tier_rates"' in html and 'data-testid="error-hold_harmless"' in html
    response = finance_client.post(reverse("funding:scenario_add"), _form(personas, money, name="Even 2025-26"))
    assert 'data-testid="error-name"' in response.content.decode()
    response = finance_client.post(reverse("funding:scenario_add"), _form(
        personas, money, name="Needs a model", method="tiered"))
    assert "choose a need model" in response.content.decode()
    assert Scenario.objects.count() == 3


def test_finance_edits_and_recomputes_a_draft(personas, money, finance_client):
    pytest.importorskip("equitable.funding.allocation")
    edit = url(money.draft, "scenario_edit")
    html = finance_client.get(edit).content.decode()
    assert 'value="Draft idea"' in html and 'value="2.0"' in html
    response = finance_client.post(edit, _form(personas, money, name="Draft idea", method="even_pupil",
                                               need_model=money.need.seni.pk))
    assert response.status_code == 302
    money.draft.refresh_from_db()
    assert money.draft.method == "even_pupil" and money.draft.status == "computed"
    assert len({a.per_pupil for a in money.draft.allocations.all()}) == 1  # even per pupil


def test_adopt_asks_for_confirmation_then_locks(money, finance_client):
    adopt = url(money.draft, "scenario_adopt")
    confirm = finance_client.get(adopt).content.decode()
    assert "Once adopted, the scenario is locked" in confirm and 'data-testid="confirm-adopt"' in confirm
    money.draft.refresh_from_db()
    assert money.draft.status == "computed"
    response = finance_client.post(adopt, follow=True)
    html = response.content.decode()
    money.draft.refresh_from_db()
    assert money.draft.status == "adopted" and money.draft.adopted_by.username == "finance"
    assert "Adopted on" in html and "by Fin" in html
    assert 'data-testid="edit"' not in html and 'data-testid="compute"' not in html
    # locked: no edit, compute or second adoption, in the UI or by a crafted request
    assert finance_client.get(url(money.draft, "scenario_edit")).status_code == 403
    assert finance_client.post(url(money.draft, "scenario_compute")).status_code == 403
    assert finance_client.post(adopt).status_code == 403


def test_adopting_a_draft_is_refused_with_a_message(personas, money, finance_client):
    draft = _scenario(personas, "Uncomputed", "even_pupil", status="draft",
                      draws=[(money.philanthropy, Decimal(1000))])
    response = finance_client.post(url(draft, "scenario_adopt"))
    assert response.status_code == 400 and "before adopting it" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_new_version_of_an_adopted_scenario(money, finance_client):
    copy_url = url(money.equitable, "scenario_copy")
    assert 'value="Equitable 2025-26 (new version)"' in finance_client.get(copy_url).content.decode()
    response = finance_client.post(copy_url, {"name": "Equitable v2"})
    copy = Scenario.objects.get(name="Equitable v2")
    assert response.status_code == 302 and response["Location"] == url(copy)
    assert copy.status == "draft" and copy.method == "tiered" and copy.need_model_id == money.need.seni.pk
    assert copy.parameters == money.equitable.parameters
    money.equitable.refresh_from_db()
    assert money.equitable.status == "adopted"


def test_compute_error_is_a_message(personas, money, finance_client):
    empty = _scenario(personas, "Empty pool", "even_pupil", status="draft")
    response = finance_client.post(url(empty, "scenario_compute"), follow=True)
    assert response.status_code == 200 and "could not be computed" in response.content.decode()


# --- The home page and the navigation ------------------------------------------------------------------------


def test_home_shows_adopted_even_beside_equitable_by_school_for_staff(money, client_for):
    html = client_for("staff_ops").get("/").content.decode()
    panel = html.split('data-testid="home-allocations"')[1].split("</section>")[0]
    assert "<svg" in panel and "Even 2025-26" in panel and "Equitable 2025-26" in panel
    assert "Alpha Elementary" in panel and "Bravo Middle" in panel and "Draft idea" not in panel


@pytest.mark.parametrize("who", ["board", "principal_a", "director"])
def test_home_shows_tiers_only_outside_the_home_office(personas, money, client_for, who):
    html = client_for(who).get("/").content.decode()
    panel = html.split('data-testid="home-allocations"')[1].split("</section>")[0]
    assert "<svg" in panel and "Highest" in panel
    assert personas.school_b.name not in panel and B_MARK not in panel
    if who == "board":
        assert personas.school_a.name not in panel


def test_home_without_adopted_scenarios_or_for_partners(personas, client_for):
    assert 'data-testid="home-allocations"' not in client_for("staff_ops").get("/").content.decode()


def test_home_partner_sees_no_allocations(money, client_for):
    assert 'data-testid="home-allocations"' not in client_for("partner").get("/").content.decode()


def test_navigation_has_need_and_resources(money, client_for):
    html = client_for("principal_a").get("/").content.decode()
    nav = html.split('id="sidenav"')[1].split("</nav>")[0]
    assert "Need and resources" in nav
    for name in ("equity:model_list", "equity:indicator_list", "funding:scenario_list", "funding:source_list"):
        assert reverse(name) in nav
    partner = client_for("partner").get("/").content.decode()
    assert reverse("funding:scenario_list") not in partner
