"""Imports of the directory and school needs: "partners", "partner-people", "school-needs" — a good file, a
dry run, a bad file that writes nothing and names its rows, a re-import that changes nothing, an export that
re-imports unchanged, and a partner user who may import only their own organization's rows."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from equitable.core.imports import import_kind, run_import
from equitable.core.tabular import render_csv
from equitable.partners.models import NeedsAssessment, Partner, PartnerPerson, SchoolNeed

pytestmark = pytest.mark.django_db

PARTNERS = (
    "name,type,status,focus_areas,communities,languages,capacity_schools,capacity_students,website,email,phone,"
    "address,zip_code\n"
    "Zeta Tutors,tutoring,active,tutoring; college-access,watts;Boyle Heights,\"en, es\",2,150,"
    "https://zeta.example.org,hi@zeta.example.org,555-0101,1 Main St,90002\n"
    "Omega Health,Health and wraparound services,prospective,mental-health,boyle-heights,en,,,,,,,\n"
)


def run(kind, content, *, user=None, dry_run=False, filename="file.csv"):
    data = content.encode() if isinstance(content, str) else content
    return run_import(import_kind(kind).make(acting_user=user), data, filename=filename, dry_run=dry_run)


def errors(result):
    return [str(e) for e in result.errors]


def history_rows():
    return sum(m.history.count() for m in (Partner, PartnerPerson, NeedsAssessment, SchoolNeed))


def test_partners_import_creates_then_changes_nothing(world):
    user = world.staff_partnerships
    dry = run("partners", PARTNERS, user=user, dry_run=True)
    assert dry.ok, errors(dry)
    assert (dry.created, dry.updated, dry.unchanged) == (2, 0, 0)
    assert not Partner.objects.filter(name="Zeta Tutors").exists()

    result = run("partners", PARTNERS, user=user)
    assert result.ok and result.created == 2
    zeta = Partner.objects.get(name="Zeta Tutors")
    assert (zeta.kind, zeta.languages, zeta.capacity_schools, zeta.capacity_students) == ("tutoring", "en,es", 2, 150)
    assert {a.slug for a in zeta.focus_areas.all()} == {"tutoring", "college-access"}
    assert {c.slug for c in zeta.communities.all()} == {"watts", "boyle-heights"}
    assert Partner.objects.get(name="Omega Health").status == "prospective"
    assert zeta.history.first().history_user == user

    before = history_rows()
    again = run("partners", PARTNERS, user=user)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert history_rows() == before


def test_partners_export_reimports_unchanged(world):
    headers, rows = import_kind("partners").exporter(user=world.staff_partnerships)
    assert headers[:3] == ["name", "type", "status"]
    xp = next(r for r in rows if r[0] == "Xochi Arts Project")
    assert xp[3] == "after-school; arts" and xp[4] == "watts" and xp[5] == "en,es"
    result = run("partners", render_csv(headers, rows), user=world.staff_partnerships)
    assert result.ok, errors(result)
    assert result.unchanged == 2 and result.created == result.updated == 0


def test_bad_partner_file_writes_nothing_and_names_rows(world):
    bad = (
        "name,type,focus_areas,languages,capacity_schools\n"
        "New One,arts,arts,en,1\n"
        "Bad Two,spaceships,painting,en;xx,-1\n"
        ",arts,,,\n"
        "Yellow Cab Counseling,health,mental-health,en,one\n"
    )
    before = Partner.objects.count()
    result = run("partners", bad, user=world.staff_partnerships)
    assert not result.ok
    lines = errors(result)
    assert any(line.startswith("row 3, column type:") and "spaceships" in line for line in lines)
    assert "row 3, column focus_areas: unknown focus area(s) painting; known codes: after-school, arts, " \
           "college-access, mental-health, tutoring." in lines
    assert any(line.startswith("row 3, column languages: Unknown language code(s): xx.") for line in lines)
    assert any(line.startswith("row 3, column capacity_schools:") for line in lines)
    assert "row 4, column name: the partner's name is required." in lines
    assert any(line.startswith("row 5, column capacity_schools:") for line in lines)
    assert Partner.objects.count() == before  # row 2 was fine, but nothing is written


def test_partner_file_layout_errors(world):
    result = run("partners", "name,colour\nX,red\n", user=world.staff_partnerships)
    assert not result.ok and errors(result)[0].startswith("row 1: unknown column(s) colour")
    assert run("partners", "name\nBrand New\n", user=world.staff_partnerships).errors[0].column == "type"


def test_partner_user_imports_only_own_organization(world):
    own = "name,phone,languages\nXochi Arts Project,555-0199,en;es;ko\n"
    result = run("partners", own, user=world.p.partner)
    assert result.ok, errors(result)
    world.xp.refresh_from_db()
    assert world.xp.phone == "555-0199" and world.xp.languages == "en,es,ko"

    other = "name,phone\nXochi Arts Project,555-0000\nYellow Cab Counseling,555-0666\n"
    result = run("partners", other, user=world.p.partner)
    assert not result.ok
    assert errors(result) == ["row 3, column name: unknown partner 'Yellow Cab Counseling': you may add rows only "
                              "for your own organization."]
    world.xp.refresh_from_db()
    world.yc.refresh_from_db()
    assert world.xp.phone == "555-0199" and world.yc.phone == ""

    status = run("partners", "name,status\nXochi Arts Project,inactive\n", user=world.p.partner)
    assert errors(status) == ["row 2, column status: Only partnerships staff change a partner's status."]


def test_principal_may_not_import_partners(world):
    result = run("partners", "name,phone\nXochi Arts Project,555-0000\n", user=world.p.principal_a)
    assert errors(result) == ["row 2: you may not change Xochi Arts Project."]


# --- people --------------------------------------------------------------------------------------------------

PEOPLE = (
    "partner,first_name,last_name,email,phone,title,contact_role,primary_contact,works_on_campus,tier\n"
    "Xochi Arts Project,Rae,Runner,rae@xochi.example.org,,Site lead,site,Y,Y,Tier III\n"
    "Xochi Arts Project,Ari,Artist,,,,,N,Y,Tier II\n"
    "Yellow Cab Counseling,Dee,Director,dee@yc.example.org,,ED,executive,Y,N,\n"
)


def test_people_import_upserts_and_moves_the_primary_contact(world):
    user = world.staff_partnerships
    result = run("partner-people", PEOPLE, user=user)
    assert result.ok, errors(result)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 1)
    rae = PartnerPerson.objects.get(first_name="Rae")
    assert rae.is_primary_contact and rae.tier == world.tier3 and rae.contact_role == "site"
    world.xp_contact.refresh_from_db()
    assert not world.xp_contact.is_primary_contact  # one primary contact per organization
    before = history_rows()
    again = run("partner-people", PEOPLE, user=user)
    assert again.ok and again.unchanged == 3 and history_rows() == before


def test_people_export_reimports_unchanged(world):
    headers, rows = import_kind("partner-people").exporter(user=world.staff_partnerships)
    result = run("partner-people", render_csv(headers, rows), user=world.staff_partnerships)
    assert result.ok, errors(result)
    assert result.unchanged == len(rows) == 4


def test_bad_people_file_writes_nothing(world):
    bad = (
        "partner,first_name,last_name,contact_role,primary_contact,works_on_campus,tier\n"
        "Xochi Arts Project,Ok,Person,site,N,N,\n"
        "Nobody Inc,A,B,,N,N,\n"
        "Xochi Arts Project,No,Role,,Y,N,\n"
        "Xochi Arts Project,Off,Campus,,N,N,Tier II\n"
        "Xochi Arts Project,Bad,Tier,,N,Y,Tier IX\n"
        "Xochi Arts Project,Maybe,So,site,perhaps,N,\n"
    )
    before = PartnerPerson.objects.count()
    result = run("partner-people", bad, user=world.staff_partnerships)
    lines = errors(result)
    assert lines[0] == "row 3, column partner: unknown partner 'Nobody Inc': name an organization in the directory " \
                       "that you may see."
    assert "row 4, column contact_role: A primary contact must have a contact role." in lines
    assert any(line.startswith("row 5, column tier: A clearance tier is for people who work on campus") for line in lines)
    assert "row 6, column tier: unknown clearance tier 'Tier IX'; known tiers: Tier I, Tier II, Tier III." in lines
    assert any(line.startswith("row 7, column primary_contact:") for line in lines)
    assert PartnerPerson.objects.count() == before


def test_two_primary_contacts_in_one_file(world):
    two = ("partner,first_name,last_name,contact_role,primary_contact\n"
           "Xochi Arts Project,One,A,site,Y\nXochi Arts Project,Two,B,program,Y\n")
    result = run("partner-people", two, user=world.staff_partnerships)
    assert errors(result) == ["row 3, column primary_contact: Xochi Arts Project already has a primary contact in "
                              "row 2; an organization has one."]


def test_partner_user_imports_people_of_own_organization_only(world):
    own = "partner,first_name,last_name,works_on_campus,tier\nXochi Arts Project,Vi,Volunteer,Y,Tier I\n"
    assert run("partner-people", own, user=world.p.partner).created == 1
    mixed = own.replace("Vi,", "Wu,") + "Yellow Cab Counseling,Xi,Sneaky,N,\n"
    result = run("partner-people", mixed, user=world.p.partner)
    assert errors(result) == ["row 3, column partner: unknown partner 'Yellow Cab Counseling': name an organization "
                              "in the directory that you may see."]
    assert not PartnerPerson.objects.filter(first_name__in=["Wu", "Xi"]).exists()


def test_people_import_from_xlsx(world):
    book = Workbook()
    sheet = book.active
    sheet.append(["partner", "first_name", "last_name", "email"])
    sheet.append(["Yellow Cab Counseling", "Gil", "Group", "gil@yc.example.org"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = run("partner-people", buffer.getvalue(), user=world.staff_partnerships, filename="people.xlsx")
    assert result.ok and result.created == 1


# --- school needs --------------------------------------------------------------------------------------------

NEEDS = (
    "cds_code,school_year,focus_area,priority,grades,groups,students,evidence\n"
    "19647330000011,2025-26,arts,high,TK–5,,400,No credentialed arts teacher on site.\n"
    "19647330000011,2025-26,tutoring,2,3–5,English learners,60,\n"
    "19647330000022,2024-25,College access,low,,,,\n"
    "19647330000022,2024-25,mental-health,HIGH,,,,Survey\n"
)


def test_school_needs_import_creates_assessments_and_is_idempotent(world):
    user = world.staff_partnerships
    dry = run("school-needs", NEEDS, user=user, dry_run=True)
    assert dry.ok, errors(dry)
    assert (dry.created, dry.updated, dry.unchanged) == (3, 0, 1)
    assert not NeedsAssessment.objects.filter(school_year=world.last_year).exists()

    result = run("school-needs", NEEDS, user=user)
    assert result.ok
    assert (result.created, result.updated, result.unchanged) == (3, 0, 1)  # arts at school A is as recorded
    new = NeedsAssessment.objects.get(school=world.p.school_b, school_year=world.last_year)
    assert {(n.focus_area.slug, n.priority) for n in new.needs.all()} == {("college-access", 3),
                                                                         ("mental-health", 1)}
    tutoring = SchoolNeed.objects.get(assessment=world.assessment_a, focus_area=world.tutoring)
    assert (tutoring.priority, tutoring.groups, tutoring.students) == (2, "English learners", 60)

    before = history_rows()
    again = run("school-needs", NEEDS, user=user)
    assert again.ok and again.unchanged == 4 and history_rows() == before

    changed = run("school-needs", NEEDS.replace("tutoring,2,", "tutoring,1,"), user=user)
    assert changed.updated == 1
    tutoring.refresh_from_db()
    assert tutoring.priority == 1


def test_school_needs_export_reimports_unchanged(world):
    headers, rows = import_kind("school-needs").exporter(user=world.staff_partnerships)
    assert ["19647330000011", "2025-26", "arts", "high"] == rows[0][:4]
    result = run("school-needs", render_csv(headers, rows), user=world.staff_partnerships)
    assert result.ok and result.unchanged == len(rows) == 4


def test_bad_school_needs_file_writes_nothing(world):
    bad = (
        "cds_code,school_year,focus_area,priority,students\n"
        "19647330000011,2025-26,college-access,low,\n"
        "19647330000099,2025-26,arts,high,\n"
        "19647330000011,1999-00,arts,urgent,\n"
        "19647330000011,2025-26,painting,,lots\n"
    )
    before = SchoolNeed.objects.count()
    lines = errors(run("school-needs", bad, user=world.staff_partnerships))
    assert "row 3, column cds_code: unknown school 19647330000099: give the CDS code of a school you may see." in lines
    assert any(line.startswith("row 4, column school_year: unknown school year '1999-00'") for line in lines)
    assert "row 4, column priority: 'urgent' is not a priority; write high, medium or low (or 1, 2, 3)." in lines
    assert any(line.startswith("row 5, column focus_area: unknown focus area 'painting'") for line in lines)
    assert "row 5, column priority: give the need's priority: high, medium or low." in lines
    assert any(line.startswith("row 5, column students:") for line in lines)
    assert SchoolNeed.objects.count() == before


def test_principal_imports_needs_of_own_school_only(world):
    own = "cds_code,school_year,focus_area,priority\n19647330000011,2024-25,arts,high\n"
    assert run("school-needs", own, user=world.p.principal_a).created == 1
    other = own + "19647330000022,2025-26,arts,high\n"
    result = run("school-needs", other.replace("arts,high\n19", "arts,low\n19", 1), user=world.p.principal_a)
    assert errors(result) == ["row 3, column cds_code: unknown school 19647330000022: give the CDS code of a school "
                              "you may see."]
    assert SchoolNeed.objects.get(assessment__school_year=world.last_year).priority == 1
    director = run("school-needs", own, user=world.p.director)
    assert not director.ok  # senior directors read needs but do not keep them
