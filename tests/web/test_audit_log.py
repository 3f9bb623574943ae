"""The audit log: network admins only; recent changes across every audited record; filters; CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from equitable.network import services
from equitable.network.models import School
from tests.personas import ALL_PERSONAS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ALL_PERSONAS)
def test_only_network_admins_reach_the_audit_log(personas, client_for, who):
    for url in (reverse("audit_log"), reverse("audit_log") + "?export=csv"):
        response = client_for(who).get(url)
        if who == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        elif who == "admin":
            assert response.status_code == 200
        else:
            assert response.status_code == 403


def _rename_school_a(personas):
    services.school_update(school=personas.school_a, data={"name": "Alpha Renamed"}, acting_user=personas.staff_ops)


def test_audit_log_lists_recent_changes_newest_first(personas, client_for):
    _rename_school_a(personas)
    client = client_for("admin")
    html = client.get(reverse("audit_log")).content.decode()
    assert "Dana Director → Ana Alvarez" in html  # a caseload row, named without extra lookups
    html = client.get(reverse("audit_log") + "?model=network.school").content.decode()
    table = html[html.index('data-testid="audit-table"'):]
    first_row = table[table.index("<tbody>"):table.index("</tr>", table.index("<tbody>"))]
    assert "Alpha Renamed" in first_row and "Staff Ops" in first_row and "changed" in first_row
    assert reverse("network:school_detail", args=[personas.school_a.cds_code]) in first_row


def test_audit_log_filters_by_record_type_and_user(personas, client_for):
    _rename_school_a(personas)
    client = client_for("admin")
    html = client.get(reverse("audit_log") + f"?model=network.school&user={personas.staff_ops.pk}").content.decode()
    assert 'data-testid="count">1 change<' in html
    html = client.get(reverse("audit_log") + "?model=network.school").content.decode()
    assert 'data-testid="count">4 changes<' in html  # three created, one changed
    html = client.get(reverse("audit_log") + "?model=network.school&change=-").content.decode()
    assert "No changes match these filters." in html


def test_audit_log_csv_export_follows_the_filters(personas, client_for):
    _rename_school_a(personas)
    school_b = School.objects.get(pk=personas.school_b.pk)
    services.school_update(school=school_b, data={"zip_code": "90023"}, acting_user=personas.admin)
    response = client_for("admin").get(reverse("audit_log") + "?model=network.school&change=~&export=csv")
    assert response["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["when", "record type", "record id", "record", "who", "change", "reason"]
    assert [(row[3], row[4], row[5]) for row in rows[1:]] == [
        ("Bravo Middle", "Admin", "changed"), ("Alpha Renamed", "Staff Ops", "changed")]


def test_audit_log_pages_and_htmx_partial(personas, client_for):
    for index in range(60):
        services.school_update(school=personas.school_c, data={"city": f"City {index}"}, acting_user=personas.staff_ops)
    client = client_for("admin")
    html = client.get(reverse("audit_log") + "?model=network.school").content.decode()
    assert "page 1 of 2" in html
    response = client.get(reverse("audit_log") + "?model=network.school&page=2", HTTP_HX_REQUEST="true")
    partial = response.content.decode()
    assert "<html" not in partial and partial.lstrip().startswith('<div id="audit-region"')
    assert "page 2 of 2" in partial


def test_deleted_records_are_listed(personas, client_for):
    from equitable.network.models import FeederLink

    link = FeederLink.objects.get(pattern=personas.pattern, school=personas.school_b)
    services.feeder_link_delete(link=link, acting_user=personas.admin)
    html = client_for("admin").get(reverse("audit_log") + "?change=-").content.decode()
    assert "Alpha → Bravo · 2: Bravo Middle" in html and "deleted" in html
