"""Community partners in a real browser: partnerships staff drafts and submits an agreement, the school's
principal approves it; a partner user opens the portal and cannot open another partner's pages."""

import pytest

from tests.partners.world import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(live_personas):
    return build_world(live_personas)


def test_staff_submits_and_principal_approves(page_as, live_server, live_world):
    w = live_world
    staff = page_as("staff_partnerships")
    staff.goto(f"{live_server.url}/partners/agreements/")
    assert "Visual arts residency" in staff.locator("main").inner_text()
    staff.get_by_test_id("add").click()
    staff.locator("#id_partner").select_option(str(w.xp.pk))
    staff.locator("#id_school").select_option(str(w.p.school_b.pk))
    shown = staff.locator("#id_needs option:not([hidden])")
    assert sorted(shown.evaluate_all("os => os.map(o => o.value)")) == sorted(
        [str(w.need_b_mental.pk), str(w.need_b_tutoring.pk)])
    staff.locator("#id_school").select_option(str(w.p.school_a.pk))  # the needs picker follows the school
    assert sorted(shown.evaluate_all("os => os.map(o => o.value)")) == sorted(
        [str(w.need_a_arts.pk), str(w.need_a_mental.pk)])
    staff.locator("#id_needs").select_option(str(w.need_a_arts.pk))
    staff.locator("#id_title").fill("Ceramics studio")
    staff.locator("#id_programs").fill("After-school ceramics, grades 3–5")
    staff.locator("#id_start_date").fill("2025-09-01")
    staff.locator("#id_end_date").fill("2026-06-05")
    staff.locator("#id_year_round").check()
    staff.get_by_test_id("save").click()
    staff.wait_for_selector('[data-testid="status"]')
    assert "Draft" in staff.get_by_test_id("status").inner_text()
    assert "Arts" in staff.locator("main").inner_text()
    agreement_url = staff.url
    staff.get_by_test_id("submit").click()
    staff.wait_for_selector('[data-testid="status"]')
    assert "Awaiting principal approval" in staff.get_by_test_id("status").inner_text()
    assert staff.get_by_test_id("decide").count() == 0  # staff do not decide

    principal = page_as("principal_a")
    principal.goto(f"{live_server.url}/")  # the home page says what waits, and leads to it
    principal.locator('[data-testid="waiting"] [data-key="agreements"] a').click()
    assert "Ceramics studio" in principal.locator("main").inner_text()
    principal.goto(agreement_url)
    principal.get_by_test_id("decide").click()
    principal.get_by_label("Approve").check()
    principal.get_by_label("Note").fill("Welcome to Alpha!")
    principal.get_by_test_id("confirm-decision").click()
    principal.wait_for_selector('[data-testid="decision"]')
    assert "Approved" in principal.get_by_test_id("status").inner_text()
    assert "Welcome to Alpha!" in principal.get_by_test_id("decision").inner_text()

    other = page_as("principal_b")
    assert other.goto(agreement_url).status == 404


def test_partner_portal_and_no_other_partner(page_as, live_server, live_world):
    w = live_world
    page = page_as("partner")
    page.get_by_role("link", name="My organization").click()
    page.wait_for_url(f"{live_server.url}/partners/portal/")
    assert page.get_by_test_id("partner-name").inner_text() == "Xochi Arts Project"
    body = page.locator("main").inner_text()
    assert "Ari Artist" in body and "Visual arts residency" in body and "Yellow Cab" not in body
    page.get_by_test_id(f"update-measure-{w.measure_a.pk}").click()
    page.get_by_label("Actual").fill("111")
    page.get_by_test_id("save").click()
    page.wait_for_url(f"{live_server.url}/partners/portal/")
    assert "111" in page.get_by_test_id("measures").inner_text()
    for url in (f"/partners/directory/{w.yc.pk}/", f"/partners/agreements/{w.agreement_b.pk}/",
                f"/partners/clearance/partner/{w.yc.pk}/"):
        assert page.goto(f"{live_server.url}{url}").status == 404, url


def test_partner_uploads_clearance_checks_bad_file_then_good(page_as, live_server, live_world, tmp_path):
    """A malformed upload shows every bad row and writes nothing; a good one is previewed, then saved. A row of
    another partner is refused like any bad row."""
    from equitable.partners.models import ClearanceCheck

    before = ClearanceCheck.objects.count()
    bad = tmp_path / "checks.csv"
    bad.write_text("partner,person,requirement,completed_on,expires_on\n"
                   "Xochi Arts Project,Nico Newhire,Fingerprinting,2026-13-40,\n"
                   "Yellow Cab Counseling,Cora Counselor,Fingerprinting,2026-01-10,\n")
    page = page_as("partner")
    page.goto(f"{live_server.url}/partners/portal/upload/")
    page.get_by_label("What to upload").select_option("clearance-checks")
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_test_id("preview").click()
    errors = page.get_by_test_id("import-errors").inner_text()
    assert "2" in errors and "3" in errors and "completed_on" in errors
    assert page.get_by_test_id("confirm-upload").count() == 0
    assert ClearanceCheck.objects.count() == before

    good = tmp_path / "good.csv"
    good.write_text("partner,person,requirement,completed_on,expires_on\n"
                    "Xochi Arts Project,Nico Newhire,Fingerprinting,2026-01-10,\n")
    page.goto(f"{live_server.url}/partners/portal/upload/")
    page.get_by_label("What to upload").select_option("clearance-checks")
    page.locator("#id_file").set_input_files(str(good))
    page.get_by_test_id("preview").click()
    page.get_by_test_id("confirm-upload").click()
    page.wait_for_url(f"{live_server.url}/partners/portal/")
    assert ClearanceCheck.objects.count() == before + 1


def test_staff_see_expired_and_expiring_items_and_partner_api_stays_scoped(page_as, live_server, live_world):
    w = live_world
    staff = page_as("staff_partnerships")
    staff.goto(f"{live_server.url}/partners/clearance/expiring/?days=30")
    table = staff.get_by_test_id("expiring-table").inner_text()
    assert "Yellow Cab Counseling" in table and "expired" in table      # insurance lapsed 35 days ago
    assert "Xochi Arts Project" in table and "expiring" in table        # insurance ends in 25 days

    partner = page_as("partner")
    own = partner.request.get(f"{live_server.url}/api/v1/partners/organizations/{w.xp.pk}/")
    assert own.status == 200 and own.json()["name"] == "Xochi Arts Project"
    assert partner.request.get(f"{live_server.url}/api/v1/partners/organizations/{w.yc.pk}/").status == 404
    listed = partner.request.get(f"{live_server.url}/api/v1/partners/agreements/").json()["results"]
    assert {a["partner"] for a in listed} == {w.xp.pk}


def test_partner_downloads_measures_edits_the_actual_and_uploads(page_as, live_server, live_world, tmp_path):
    from equitable.partners.models import Measure

    page = page_as("partner")
    page.goto(f"{live_server.url}/partners/portal/upload/")
    with page.expect_download() as download:
        page.get_by_test_id("export-measures").click()
    starting = tmp_path / "measures.csv"
    download.value.save_as(starting)
    text = starting.read_text(encoding="utf-8-sig")
    assert "Students enrolled" in text and "Yellow Cab" not in text
    edited = tmp_path / "edited.csv"
    edited.write_text(text.replace(",120.00,104.00,", ",120.00,118.00,"), encoding="utf-8")
    page.get_by_label("What to upload").select_option("measures")
    page.locator("#id_file").set_input_files(str(edited))
    page.get_by_test_id("preview").click()
    assert "1 would be updated" in page.get_by_test_id("summary").inner_text()
    page.get_by_test_id("confirm-upload").click()
    page.wait_for_url(f"{live_server.url}/partners/portal/")
    assert Measure.objects.get(pk=live_world.measure_a.pk).actual == 118
