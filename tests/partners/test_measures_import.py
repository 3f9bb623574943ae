"""The "measures" import (Results-Based Accountability): partnerships staff add and change measures; a partner
user updates the actual and notes of their own measures, by the import or the portal's upload, and nothing
else; bad rows write nothing; the export re-imports unchanged."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equitable.core.imports import import_kind, run_import
from equitable.partners.importers.measures import MeasureImporter, export_measures
from equitable.partners.models import Measure

pytestmark = pytest.mark.django_db

HEADER = "partner,school,agreement,school_year,measure,kind,unit,higher_is_better,target,actual,notes\n"
AGREEMENT = "Xochi Arts Project,{cds},Visual arts residency,2025-26"


def csv(world, *lines: str, header: str = HEADER) -> bytes:
    prefix = AGREEMENT.format(cds=world.p.school_a.cds_code)
    return (header + "\n".join(line.replace("@A", prefix) for line in lines) + "\n").encode()


def run(user, data: bytes, *, dry_run=False):
    return run_import(MeasureImporter(acting_user=user), data, filename="measures.csv", dry_run=dry_run)


def test_kind_is_registered_and_offered_in_the_portal():
    kind = import_kind("measures")
    assert kind is not None and kind.importer is MeasureImporter and kind.exporter is export_measures


def test_staff_add_and_change_measures_and_reimport_is_unchanged(world):
    data = csv(world, "@A,Sessions held,how_much,sessions,Y,60,58,",
               "@A,Students enrolled,,,,130,104,raised the target")
    result = run(world.staff_partnerships, data)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    sessions = Measure.objects.get(name="Sessions held")
    # the renewal chain repeats the title: the agreement that runs in 2025-26 is the one meant
    assert sessions.agreement == world.agreement_a and sessions.actual == Decimal("58")
    enrolled = Measure.objects.get(pk=world.measure_a.pk)
    assert enrolled.target == Decimal("130") and enrolled.kind == "how_much" and enrolled.unit == "students"
    again = run(world.staff_partnerships, data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_partner_updates_actuals_and_notes_only(world):
    result = run(world.p.partner, csv(world, "@A,Students enrolled,,,,,111,spring count"))
    assert result.ok, result.errors
    measure = Measure.objects.get(pk=world.measure_a.pk)
    assert (measure.actual, measure.notes, measure.target) == (Decimal("111"), "spring count", Decimal("120"))
    refused = run(world.p.partner, csv(world, "@A,Students enrolled,,,,200,111,",
                                       "@A,A brand new measure,how_well,%,Y,,50,"))
    assert not refused.ok
    messages = {(e.row, e.column): e.message for e in refused.errors}
    assert "update the actual and notes only" in messages[(2, "target")]
    assert "partnerships staff add measures" in messages[(3, "measure")]
    assert Measure.objects.get(pk=world.measure_a.pk).target == Decimal("120")
    assert not Measure.objects.filter(name="A brand new measure").exists()


def test_other_partner_and_other_staff_are_refused(world):
    data = csv(world, "@A,Students enrolled,,,,,1,")
    other = run(world.partner_b_user, data)
    assert not other.ok and "that you may see" in other.errors[0].message
    talent = run(world.p.staff_talent, data)
    assert not talent.ok and "only partnerships staff" in talent.errors[0].message
    assert Measure.objects.get(pk=world.measure_a.pk).actual == Decimal("104")


def test_bad_rows_write_nothing_and_name_each_problem(world):
    before = Measure.objects.count()
    result = run(world.staff_partnerships, csv(
        world, "@A,Good row,how_much,,Y,1,1,",
        f"Xochi Arts Project,{world.p.school_a.cds_code},Visual arts residency,2030-31,Wrong year,how_much,,,,,",
        "@A,No kind,,,,,,",
        "@A,Bad numbers,better_off,,maybe,lots,,",
        "Nobody,00000000000000,Nothing,2025-26,Orphan,how_much,,,,,"))
    assert not result.ok and Measure.objects.count() == before
    columns = {(e.row, e.column) for e in result.errors}
    assert {(3, "school_year"), (4, "kind"), (5, "higher_is_better"), (5, "target"), (6, "agreement")} <= columns
    layout = run(world.staff_partnerships, b"school_year,measure,colour\n2025-26,x,red\n")
    assert not layout.ok and "unknown column(s) colour" in layout.errors[0].message


def test_dry_run_and_export_reimport(world):
    before = Measure.objects.count()
    assert run(world.staff_partnerships, csv(world, "@A,Dry,how_much,,,,,"), dry_run=True).created == 1
    assert Measure.objects.count() == before
    headers, rows = export_measures(user=world.p.partner)
    assert headers[0] == "agreement_id" and len(rows) == 2
    text = ",".join(headers) + "\n" + "\n".join(",".join(str(c) for c in r) for r in rows) + "\n"
    again = run(world.p.partner, text.encode())
    assert again.ok and again.unchanged == 2
    assert export_measures(user=world.partner_b_user)[1] == []


def test_portal_upload_and_starting_file(world, client_as):
    client = client_as("partner")
    page = client.get(reverse("partners:portal_upload")).content.decode()
    assert 'data-testid="export-measures"' in page and 'value="measures"' in page
    starting = client.get(reverse("partners:portal_export", args=["measures"]))
    assert starting.status_code == 200 and "Students enrolled" in starting.content.decode("utf-8-sig")
    assert client.get(reverse("partners:portal_export", args=["partners"])).status_code == 404
    assert client_as("staff_partnerships").get(reverse("partners:portal_export", args=["measures"])).status_code == 403
    upload = SimpleUploadedFile("measures.csv", csv(world, "@A,Students enrolled,,,,,117,"), content_type="text/csv")
    response = client.post(reverse("partners:portal_upload"), {"kind": "measures", "file": upload})
    assert response.status_code == 200, response.content.decode()[:2000]
    token = re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)
    assert client.post(reverse("partners:portal_upload_confirm"), {"token": token}).status_code == 302
    assert Measure.objects.get(pk=world.measure_a.pk).actual == Decimal("117")
