"""Generic page helpers: column choice, DomainError → form errors, the table template's empty state."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from equitable.core.exceptions import DomainError
from equitable.core.services import validation_to_domain
from equitable.network.tables import PersonTable, SchoolTable
from equitable.web.generic import apply_domain_error


def test_choose_keeps_known_columns_in_the_order_asked():
    assert SchoolTable.choose(["cds_code", "nope", "name", "cds_code"]) == ["cds_code", "name"]


def test_choose_falls_back_to_the_defaults():
    assert SchoolTable.choose([]) == ["name", "level", "grades", "community", "membership", "enrollment"]
    assert SchoolTable.choose(["nope"]) == list(SchoolTable.default_columns)
    assert set(PersonTable.default_columns) <= set(PersonTable.column_names())


def test_column_labels_take_overrides():
    labels = dict(SchoolTable.column_labels({"enrollment": "Enrollment 2030-31"}))
    assert labels["enrollment"] == "Enrollment 2030-31" and labels["cds_code"] == "CDS code"


class _Form(forms.Form):
    name = forms.CharField()
    zip_code = forms.CharField(required=False)


def test_domain_error_lands_on_the_fields_it_names():
    form = _Form({"name": "x"})
    assert form.is_valid()
    error = validation_to_domain(ValidationError({"zip_code": ["bad zip"], "__all__": ["whole record"],
                                                  "by_grade": ["grades off"]}))
    apply_domain_error(form, error)
    assert form.errors["zip_code"] == ["bad zip"]
    assert "whole record" in form.non_field_errors()
    assert "By grade: grades off" in form.non_field_errors()


def test_domain_error_aliases_and_plain_messages():
    form = _Form({"name": "x"})
    form.is_valid()
    apply_domain_error(form, validation_to_domain(ValidationError({"by_grade": ["grades off"]})),
                       aliases={"by_grade": None})
    assert form.non_field_errors() == ["grades off"]
    form = _Form({"name": "x"})
    form.is_valid()
    apply_domain_error(form, DomainError("cannot delete", field="name"))
    assert form.errors["name"] == ["cannot delete"]


@pytest.mark.django_db
def test_table_template_renders_empty_text():
    from django.test import RequestFactory

    from equitable.network.models import School

    request = RequestFactory().get("/network/schools/")
    table = SchoolTable(School.objects.none(), empty_text="Nothing here.")
    html = table.as_html(request)
    assert '<p class="empty" data-testid="empty">Nothing here.</p>' in html
