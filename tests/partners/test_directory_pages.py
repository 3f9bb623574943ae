"""Directory and school-needs pages per persona: who may read, add and edit partners, their people, focus
areas, needs assessments and needs; a partner user reaches only their own organization."""

from __future__ import annotations

import pytest

from equitable.partners.models import FocusArea, NeedsAssessment, Partner, PartnerPerson, SchoolNeed

pytestmark = pytest.mark.django_db

LIST = "/partners/directory/"


def detail(pk):
    return f"/partners/directory/{pk}/"


def edit(pk):
    return f"/partners/directory/{pk}/edit/"


PARTNER_POST = {"name": "Zeta Tutors", "kind": "tutoring", "status": "active", "languages": ["en", "ko"],
                "capacity_schools": "2", "email": "hi@zeta.example.org"}


# --- the list ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "names"), [
    ("admin", {"Xochi Arts Project", "Yellow Cab Counseling"}),
    ("staff_partnerships", {"Xochi Arts Project", "Yellow Cab Counseling"}),
    ("staff_ops", {"Xochi Arts Project", "Yellow Cab Counseling"}),
    ("director", {"Xochi Arts Project", "Yellow Cab Counseling"}),
    ("principal_a", {"Xochi Arts Project", "Yellow Cab Counseling"}),
    ("partner", {"Xochi Arts Project"}),
    ("partner_b", {"Yellow Cab Counseling"}),
])
def test_partner_list_is_scoped(world, client_as, who, names):
    response = client_as(who).get(LIST, {"export": "csv"})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()[1:]
    assert {line.split(",")[0] for line in lines} == names


def test_board_may_not_open_the_directory(world, client_as):
    assert client_as("board").get(LIST).status_code == 403
    assert client_as("board").get(detail(world.xp.pk)).status_code == 404


def test_partner_list_filters_and_columns(world, client_as):
    client = client_as("staff_ops")
    page = client.get(LIST)
    assert page.status_code == 200 and "Xochi Arts Project" in page.content.decode()
    assert "Add a partner" not in page.content.decode()  # operations staff read only

    def names(**params):
        text = client.get(LIST, {"export": "csv", **params}).content.decode("utf-8-sig")
        return {line.split(",")[0] for line in text.splitlines()[1:]}

    assert names(q="xochi") == {"Xochi Arts Project"}
    assert names(kind="health") == {"Yellow Cab Counseling"}
    assert names(focus_area="arts") == {"Xochi Arts Project"}
    assert names(community="boyle-heights") == {"Yellow Cab Counseling"}
    assert names(language="es") == {"Xochi Arts Project"}
    assert names(language="en") == {"Xochi Arts Project", "Yellow Cab Counseling"}
    assert names(status="inactive") == set()
    header = client.get(LIST, {"export": "csv", "columns": ["name", "email", "capacity_students"]})
    assert header.content.decode("utf-8-sig").splitlines()[:2] == ["Name,Email,Capacity (students)",
                                                                    "Xochi Arts Project,hello@xochi.example.org,400"]
    xlsx = client.get(LIST, {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


# --- the detail page -----------------------------------------------------------------------------------------

def test_detail_shows_profile_contacts_and_people(world, client_as):
    page = client_as("staff_partnerships").get(detail(world.xp.pk))
    assert page.status_code == 200
    text = page.content.decode()
    for expected in ("Arts", "After-school", "Watts", "Spanish", "Paz Portal", "Ari Artist", "Tier II", "Tier III",
                     f"/partners/directory/{world.xp.pk}/edit/", f"/partners/directory/{world.xp.pk}/people/add/"):
        assert expected in text, expected


def test_principal_reads_but_does_not_edit(world, client_as):
    client = client_as("principal_a")
    page = client.get(detail(world.xp.pk)).content.decode()
    assert "Edit profile" not in page and "Add a person" not in page
    assert client.get(edit(world.xp.pk)).status_code == 403
    assert client.post(edit(world.xp.pk), {**PARTNER_POST, "name": "Hijacked"}).status_code == 403
    assert client.get("/partners/directory/add/").status_code == 403
    assert client.get(f"/partners/people/{world.xp_contact.pk}/edit/").status_code == 403
    assert Partner.objects.filter(name="Hijacked").count() == 0


def test_partner_user_reaches_only_their_organization(world, client_as):
    client = client_as("partner")
    assert client.get(detail(world.xp.pk)).status_code == 200
    for url in (detail(world.yc.pk), edit(world.yc.pk), f"/partners/directory/{world.yc.pk}/people/add/",
                f"/partners/people/{world.yc_counselor.pk}/edit/"):
        assert client.get(url).status_code == 404, url
    assert client.post(edit(world.yc.pk), PARTNER_POST).status_code == 404
    assert client.get("/partners/directory/add/").status_code == 403


def test_staff_add_and_edit_a_partner(world, client_as):
    client = client_as("staff_partnerships")
    assert client.get("/partners/directory/add/").status_code == 200
    response = client.post("/partners/directory/add/", {**PARTNER_POST, "focus_areas": [world.tutoring.pk],
                                                        "communities": [world.p.watts.pk]})
    partner = Partner.objects.get(name="Zeta Tutors")
    assert response.status_code == 302 and response.url == detail(partner.pk)
    assert partner.languages == "en,ko" and list(partner.focus_areas.all()) == [world.tutoring]
    assert partner.history.first().history_user == world.staff_partnerships

    response = client.post(edit(partner.pk), {**PARTNER_POST, "status": "inactive", "languages": ["es"]})
    partner.refresh_from_db()
    assert response.status_code == 302 and partner.status == "inactive" and partner.languages == "es"
    assert list(partner.focus_areas.all()) == []


def test_duplicate_partner_name_is_a_form_error(world, client_as):
    response = client_as("staff_partnerships").post("/partners/directory/add/",
                                                    {**PARTNER_POST, "name": "xochi arts project"})
    assert response.status_code == 200
    assert "A partner named “xochi arts project” is already in the directory." in response.content.decode()


def test_partner_user_edits_own_profile_but_not_status(world, client_as):
    client = client_as("partner")
    form = client.get(edit(world.xp.pk))
    assert form.status_code == 200 and 'name="status"' not in form.content.decode()
    response = client.post(edit(world.xp.pk), {"name": "Xochi Arts Project", "kind": "arts", "status": "inactive",
                                               "languages": ["en", "es", "ko"], "phone": "555-0100",
                                               "focus_areas": [world.arts.pk]})
    assert response.status_code == 302
    world.xp.refresh_from_db()
    assert world.xp.phone == "555-0100" and world.xp.languages == "en,es,ko"
    assert world.xp.status == "active"  # the status field is not theirs to change


def test_people_add_and_edit(world, client_as):
    client = client_as("partner")
    url = f"/partners/directory/{world.xp.pk}/people/add/"
    response = client.post(url, {"first_name": "Rae", "last_name": "Runner", "email": "rae@xochi.example.org",
                                 "contact_role": "site", "is_primary_contact": "on"})
    assert response.status_code == 302
    rae = PartnerPerson.objects.get(first_name="Rae")
    world.xp_contact.refresh_from_db()
    assert rae.is_primary_contact and not world.xp_contact.is_primary_contact  # one primary contact

    bad = client.post(f"/partners/people/{world.xp_artist.pk}/edit/",
                      {"first_name": "Ari", "last_name": "Artist", "is_primary_contact": "on"})
    assert bad.status_code == 200 and "A primary contact must have a contact role." in bad.content.decode()
    ok = client.post(f"/partners/people/{world.xp_artist.pk}/edit/",
                     {"first_name": "Ari", "last_name": "Artist", "works_on_campus": "on", "tier": world.tier3.pk})
    assert ok.status_code == 302
    world.xp_artist.refresh_from_db()
    assert world.xp_artist.tier == world.tier3
    assert client_as("principal_a").get(url).status_code == 403


# --- focus areas ---------------------------------------------------------------------------------------------

def test_focus_areas(world, client_as):
    assert "Add a focus area" not in client_as("principal_a").get("/partners/focus-areas/").content.decode()
    assert client_as("principal_a").get("/partners/focus-areas/add/").status_code == 403
    assert client_as("partner").get(f"/partners/focus-areas/{world.arts.pk}/edit/").status_code == 403
    assert client_as("board").get("/partners/focus-areas/").status_code == 403
    client = client_as("staff_partnerships")
    assert client.post("/partners/focus-areas/add/", {"name": "Food", "slug": "food"}).status_code == 302
    duplicate = client.post("/partners/focus-areas/add/", {"name": "ARTS", "slug": "arts-2"})
    assert "A focus area named “ARTS” already exists." in duplicate.content.decode()
    assert client.post(f"/partners/focus-areas/{world.arts.pk}/edit/",
                       {"name": "Arts and music", "slug": "arts"}).status_code == 302
    assert FocusArea.objects.get(slug="arts").name == "Arts and music"


# --- needs assessments ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "schools"), [
    ("staff_partnerships", {"Alpha Elementary", "Bravo Middle"}),
    ("staff_ops", {"Alpha Elementary", "Bravo Middle"}),
    ("director", {"Alpha Elementary"}),
    ("principal_a", {"Alpha Elementary"}),
    ("principal_b", {"Bravo Middle"}),
])
def test_assessment_list_is_scoped(world, client_as, who, schools):
    text = client_as(who).get("/partners/needs/", {"export": "csv"}).content.decode("utf-8-sig")
    assert {line.split(",")[0] for line in text.splitlines()[1:]} == schools


@pytest.mark.parametrize("who", ["partner", "board"])
def test_needs_are_not_for_partners_or_board(world, client_as, who):
    client = client_as(who)
    assert client.get("/partners/needs/").status_code == 403
    assert client.get(f"/partners/needs/{world.assessment_a.pk}/").status_code == 404
    assert client.get("/partners/landscape/").status_code == 403


def test_assessment_detail_shows_coverage_and_gaps(world, client_as):
    page = client_as("principal_a").get(f"/partners/needs/{world.assessment_a.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    arts_row = text.split('data-testid="need-arts"')[1].split("</tr>")[0]
    mental_row = text.split('data-testid="need-mental-health"')[1].split("</tr>")[0]
    assert "Xochi Arts Project" in arts_row and "gap" in mental_row
    assert "2 needs: 1 covered, 1 gaps" in text
    assert client_as("principal_a").get(f"/partners/needs/{world.assessment_b.pk}/").status_code == 404


def test_principal_keeps_own_school_needs(world, client_as):
    client = client_as("principal_a")
    response = client.post("/partners/needs/add/", {"school": world.p.school_a.pk,
                                                    "school_year": world.last_year.pk, "status": "draft",
                                                    "languages": ["es"]})
    assert response.status_code == 302
    new = NeedsAssessment.objects.get(school=world.p.school_a, school_year=world.last_year)
    assert new.languages == "es"
    other = client.post("/partners/needs/add/", {"school": world.p.school_b.pk, "school_year": world.last_year.pk,
                                                 "status": "draft"})
    assert other.status_code == 200 and not NeedsAssessment.objects.filter(school=world.p.school_b,
                                                                           school_year=world.last_year).exists()
    add = client.post(f"/partners/needs/{new.pk}/add-need/", {"focus_area": world.tutoring.pk, "priority": 1})
    assert add.status_code == 302
    duplicate = client.post(f"/partners/needs/{new.pk}/add-need/", {"focus_area": world.tutoring.pk, "priority": 2})
    assert "This assessment already has a need for Tutoring." in duplicate.content.decode()
    need = SchoolNeed.objects.get(assessment=new)
    assert client.post(f"/partners/school-needs/{need.pk}/edit/",
                       {"focus_area": world.tutoring.pk, "priority": 3, "grades": "3–5"}).status_code == 302
    need.refresh_from_db()
    assert (need.priority, need.grades) == (3, "3–5")
    assert client.post(f"/partners/school-needs/{need.pk}/edit/", {"delete": "1"}).status_code == 302
    assert not SchoolNeed.objects.filter(pk=need.pk).exists()
    assert client.get(f"/partners/school-needs/{world.need_b_mental.pk}/edit/").status_code == 404
    assert client.get(f"/partners/needs/{world.assessment_b.pk}/add-need/").status_code == 404


def test_director_reads_needs_but_does_not_edit(world, client_as):
    client = client_as("director")
    assert client.get(f"/partners/needs/{world.assessment_a.pk}/").status_code == 200
    assert client.get(f"/partners/needs/{world.assessment_a.pk}/edit/").status_code == 403
    assert client.get(f"/partners/needs/{world.assessment_a.pk}/add-need/").status_code == 403
    assert client.get("/partners/needs/add/").status_code == 403


def test_staff_edit_an_assessment(world, client_as):
    client = client_as("staff_partnerships")
    url = f"/partners/needs/{world.assessment_b.pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "final", "conducted_on": "2025-09-15", "languages": ["en", "es", "ko"],
                                 "stakeholders": "families (survey)"})
    assert response.status_code == 302
    world.assessment_b.refresh_from_db()
    assert world.assessment_b.status == "final" and world.assessment_b.languages == "en,es,ko"


# --- query counts stay flat as the directory grows -----------------------------------------------------------

def _count_queries(client, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_partners(world, client_as):
    client = client_as("staff_partnerships")
    few = (_count_queries(client, LIST), _count_queries(client, "/api/v1/partners/organizations/"),
           _count_queries(client, "/partners/needs/"))
    for n in range(12):
        partner = Partner.objects.create(name=f"Extra {n}", kind="arts", languages="en")
        partner.focus_areas.set([world.arts, world.tutoring])
        partner.communities.set([world.p.watts])
        PartnerPerson.objects.create(partner=partner, first_name="P", last_name=str(n), contact_role="site",
                                     is_primary_contact=True)
    many = (_count_queries(client, LIST), _count_queries(client, "/api/v1/partners/organizations/"),
            _count_queries(client, "/partners/needs/"))
    assert many == few
