"""The "clearance-checks" import: good, bad, dry run, re-import unchanged, other organization's rows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from equitable.core.imports import import_kind, run_import
from equitable.partners.importers.clearance import ClearanceCheckImporter, export_checks
from equitable.partners.models import ClearanceCheck
from tests.partners.world import TODAY

pytestmark = pytest.mark.django_db

HEADER = "partner,person,requirement,completed_on,expires_on,reference\n"


def csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def run(user, data: bytes, *, dry_run=False):
    return run_import(ClearanceCheckImporter(acting_user=user, today=TODAY), data, filename="checks.csv",
                      dry_run=dry_run)


def test_kind_is_registered():
    kind = import_kind("clearance-checks")
    assert kind is not None and kind.importer is ClearanceCheckImporter


def test_good_file_creates_then_reimport_is_unchanged(world):
    today = TODAY.isoformat()
    data = csv(f"Xochi Arts Project,Nico Newhire,Fingerprinting,{today},,LS-1",
               f"Xochi Arts Project,,Insurance certificate,{today},{(TODAY + timedelta(days=365)).isoformat()},POL-9",
               f"xochi arts project,paz@xochi.example.org,TB clearance,{today},,")
    before = ClearanceCheck.objects.count()
    result = run(world.p.partner, data)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert ClearanceCheck.objects.count() == before + 3
    tb = ClearanceCheck.objects.get(person=world.xp_contact, requirement=world.tb)
    assert tb.expires_on == TODAY + timedelta(days=4 * 365) and tb.verified_by is None
    again = run(world.p.partner, data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = run(world.p.partner, csv(f"Xochi Arts Project,Nico Newhire,Fingerprinting,{today},,LS-2"))
    assert changed.updated == 1
    assert ClearanceCheck.objects.get(person=world.xp_new, requirement=world.fingerprints).reference == "LS-2"


def test_dry_run_writes_nothing(world):
    before = ClearanceCheck.objects.count()
    result = run(world.staff_partnerships,
                 csv(f"Yellow Cab Counseling,,Insurance certificate,{TODAY.isoformat()},"
                     f"{(TODAY + timedelta(days=365)).isoformat()},"), dry_run=True)
    assert result.ok and result.created == 1 and ClearanceCheck.objects.count() == before


def test_bad_rows_write_nothing_and_report_every_error(world):
    before = ClearanceCheck.objects.count()
    future = (TODAY + timedelta(days=5)).isoformat()
    result = run(world.staff_partnerships, csv(
        f"Xochi Arts Project,Nico Newhire,Fingerprinting,{TODAY.isoformat()},,ok",
        "Nobody Inc,,Insurance certificate,2026-01-01,,",
        "Xochi Arts Project,Nico Newhire,Insurance certificate,2026-01-01,,",
        "Xochi Arts Project,,TB clearance,2026-01-01,,",
        f"Xochi Arts Project,Nico Newhire,TB clearance,{future},,",
        "Xochi Arts Project,Zed Nobody,TB clearance,2026-01-01,,",
        "Xochi Arts Project,Nico Newhire,Karate,not a date,,",
        "Xochi Arts Project,Cora Counselor,TB clearance,2026-01-01,,",
    ))
    assert not result.ok and ClearanceCheck.objects.count() == before
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert errors[(3, "partner")] == "unknown partner 'Nobody Inc'."
    assert errors[(4, "requirement")] == "“Insurance certificate” is an organization item; it cannot be attached to a person."
    assert errors[(5, "person")] == "“TB clearance” is a person item; say whose check it is."
    assert errors[(6, "completed_on")] == "A check cannot be completed in the future."
    assert errors[(7, "person")] == "no person 'Zed Nobody' at Xochi Arts Project."
    assert errors[(8, "requirement")] == "unknown requirement 'Karate'."
    assert (8, "completed_on") in errors
    assert errors[(9, "person")] == "no person 'Cora Counselor' at Xochi Arts Project."


def test_partner_user_cannot_import_another_orgs_rows(world):
    before = ClearanceCheck.objects.count()
    result = run(world.p.partner, csv(
        f"Xochi Arts Project,Nico Newhire,Fingerprinting,{TODAY.isoformat()},,",
        f"Yellow Cab Counseling,,Insurance certificate,{TODAY.isoformat()},,"))
    assert not result.ok and ClearanceCheck.objects.count() == before
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "partner", "unknown partner 'Yellow Cab Counseling'.")]
    # A principal sees the partner but may not add checks.
    result = run(world.p.principal_b, csv(f"Yellow Cab Counseling,,Insurance certificate,{TODAY.isoformat()},,"))
    assert [(e.row, e.column) for e in result.errors] == [(2, "partner")]
    assert "you may not add clearance checks" in result.errors[0].message


def test_layout_errors(world):
    result = run(world.staff_partnerships, b"partner,requirement\nXochi Arts Project,TB clearance\n")
    assert not result.ok and result.errors[0].row == 1
    result = run(world.staff_partnerships, (HEADER.strip() + ",colour\n").encode())
    assert not result.ok and "unknown column" in result.errors[0].message


def test_export_reimports_unchanged(world):
    headers, rows = export_checks(user=world.p.partner)
    assert headers == ["partner", "person", "requirement", "completed_on", "expires_on", "reference"]
    assert {r[0] for r in rows} == {"Xochi Arts Project"}
    data = (",".join(headers) + "\n" + "\n".join(",".join(str(v) for v in r) for r in rows) + "\n").encode()
    result = run(world.p.partner, data)
    assert result.ok, result.errors
    assert result.unchanged == len(rows) and result.created == 0
