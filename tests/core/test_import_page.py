"""The import page /imports/: who may use it, the dry-run preview, and applying a previewed file."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equitable.core.imports import _KINDS, ImportKind, import_kinds, register_import_kind
from equitable.network.models import School

pytestmark = pytest.mark.django_db

URL = "/imports/"
SCHOOLS = (
    "cds_code,name,grades,community,membership,joined_on\n"
    "19647330000011,Alpha Elementary,TK-5,Watts,member,2016-07-01\n"
    "19647330000044,Delta Elementary,K-5,Watts,member,8/15/2024\n"
)


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "uploads"


def upload(client, kind: str, content: str, name: str = "schools.csv", **extra):
    file = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    return client.post(URL, {"kind": kind, "file": file, **extra})


def token_of(response) -> str:
    match = re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode())
    assert match, "no confirm form on the page"
    return match.group(1)


def test_url_name_and_nav():
    assert reverse("core:import") == URL


@pytest.mark.parametrize("who", ["admin", "staff_ops", "staff_talent", "staff_academic"])
def test_admin_and_staff_reach_the_page(client_for, who):
    response = client_for(who).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("Schools", "Enrollment", "People", "CDE public school directory"):
        assert label in page
    assert f'href="{URL}"' in page  # the nav item


@pytest.mark.parametrize("who", ["director", "principal_a", "principal_b", "partner", "board"])
def test_others_are_forbidden(client_for, who, _uploads_in_tmp):
    client = client_for(who)
    assert client.get(URL).status_code == 403
    assert upload(client, "schools", SCHOOLS).status_code == 403
    assert client.post(reverse("core:import_apply"), {"token": "0" * 32}).status_code == 403
    assert client.get(reverse("core:import_template", args=["schools"])).status_code == 403
    assert f'href="{URL}"' not in client.get("/").content.decode()
    assert not School.objects.filter(cds_code="19647330000044").exists()
    assert not _uploads_in_tmp.exists() or not any(_uploads_in_tmp.iterdir())


def test_anonymous_is_sent_to_login(client_for):
    response = client_for("anonymous").get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_preview_then_apply(client_for, personas, _uploads_in_tmp):
    client = client_for("staff_ops")
    preview = upload(client, "schools", SCHOOLS)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert 'data-testid="count-created">1<' in page and 'data-testid="count-unchanged">1<' in page
    assert "19647330000044 · Delta Elementary" in page and "Preview (dry run)" in page
    assert not School.objects.filter(cds_code="19647330000044").exists()
    token = token_of(preview)
    assert (_uploads_in_tmp / token).is_file()

    applied = client.post(reverse("core:import_apply"), {"token": token}, follow=True)
    assert applied.status_code == 200
    assert "1 created, 0 updated, 1 unchanged" in applied.content.decode()
    delta = School.objects.get(cds_code="19647330000044")
    assert delta.history.get().history_user == personas.staff_ops
    assert not (_uploads_in_tmp / token).exists()

    again = client.post(reverse("core:import_apply"), {"token": token}, follow=True)
    assert "no longer available" in again.content.decode()
    assert School.objects.filter(cds_code="19647330000044").count() == 1


def test_preview_lists_every_error_and_offers_no_confirmation(client_for, _uploads_in_tmp):
    content = SCHOOLS + "19647330000055,Echo,K-5,Westlake,member,2024-08-15\n1964733,Foxtrot,K-5,Watts,none,\n"
    page = upload(client_for("admin"), "schools", content).content.decode()
    assert 'data-testid="import-errors"' in page and "Nothing was written" in page
    assert "unknown community &#x27;Westlake&#x27;" in page
    assert "<td class=\"num\">4</td><td>community</td>" in page
    assert "<td class=\"num\">5</td><td>cds_code</td>" in page
    assert 'name="token"' not in page
    assert not any(_uploads_in_tmp.iterdir())


def test_staff_of_another_area_gets_row_errors(client_for):
    page = upload(client_for("staff_talent"), "schools", SCHOOLS).content.decode()
    assert "You may not add this school." in page and 'name="token"' not in page


def test_talent_staff_imports_people(client_for, personas):
    content = "first_name,last_name,email,cds_code,role\nRosa,Reyes,rosa@example.org,19647330000011,ilt_member\n"
    client = client_for("staff_talent")
    token = token_of(upload(client, "people", content, name="people.csv"))
    client.post(reverse("core:import_apply"), {"token": token})
    assert personas.school_a.staff.filter(person__email="rosa@example.org", role="ilt_member").exists()


def test_a_token_is_only_good_in_the_session_that_uploaded_it(client_for):
    token = token_of(upload(client_for("admin"), "schools", SCHOOLS))
    other = client_for("staff_ops")
    response = other.post(reverse("core:import_apply"), {"token": token}, follow=True)
    assert "no longer available" in response.content.decode()
    assert not School.objects.filter(cds_code="19647330000044").exists()
    for forged in ("../../equitable.sqlite3", "x" * 32, ""):
        response = other.post(reverse("core:import_apply"), {"token": forged}, follow=True)
        assert "no longer available" in response.content.decode()


def test_form_checks_file_type_and_options(client_for):
    client = client_for("admin")
    page = upload(client, "schools", "nope", name="schools.pdf").content.decode()
    assert "Upload a .csv, .txt, .tsv or .xlsx file." in page
    page = upload(client, "cde-directory", "CDSCode\n", name="d.txt", option_district="19").content.decode()
    assert "A district code is 7 digits" in page


def test_wrong_layout_is_reported_on_row_one(client_for):
    page = upload(client_for("admin"), "cde-directory", SCHOOLS).content.decode()
    assert "missing column(s) CDSCode" in page


def test_template_download(client_for):
    response = client_for("staff_ops").get(reverse("core:import_template", args=["enrollment"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("cds_code,school_year,total,unduplicated,census_day,grade_TK,")
    assert client_for("staff_ops").get(reverse("core:import_template", args=["cde-directory"])).status_code == 404


def test_other_apps_can_register_a_kind():
    from equitable.network.importers import SchoolImporter

    register_import_kind(ImportKind("test-kind", "Test kind", SchoolImporter, order=99))
    try:
        assert "test-kind" in [k.slug for k in import_kinds()]
    finally:
        _KINDS.pop("test-kind")
