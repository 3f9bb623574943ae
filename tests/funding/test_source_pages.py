"""Funding source pages: finance staff add, edit and delete sources; everyone else may not (403), and a source
an adopted scenario drew from keeps its amount and year."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from equitable.funding import services
from equitable.funding.models import FundingSource
from tests.equity.test_pages import finance_user

pytestmark = pytest.mark.django_db

ADD = "/funding/sources/add/"


@pytest.fixture
def finance():
    client = Client()
    client.force_login(finance_user())
    return client


def _form(personas, **extra):
    return {"name": "Arts Gift", "kind": "philanthropic", "restricted_to": "Arts education", "amount": "250000",
            "school_year": personas.year.pk, **extra}


def test_finance_adds_a_source_and_sees_it_listed(personas, finance):
    page = finance.get("/funding/sources/")
    assert page.status_code == 200 and ADD.encode() in page.content
    response = finance.post(ADD, _form(personas))
    assert response.status_code == 302
    source = FundingSource.objects.get(name="Arts Gift")
    assert source.amount == Decimal("250000") and source.restricted_to == "Arts education"
    assert source.history.first().history_user.username == "finance"
    listed = finance.get("/funding/sources/")
    assert f"/funding/sources/{source.pk}/edit/".encode() in listed.content


def test_bad_input_is_shown_and_nothing_is_saved(personas, finance):
    response = finance.post(ADD, _form(personas, amount="-5"))
    assert response.status_code == 200 and FundingSource.objects.count() == 0
    assert b"greater than or equal to 0" in response.content
    finance.post(ADD, _form(personas))
    duplicate = finance.post(ADD, _form(personas))
    assert duplicate.status_code == 200 and FundingSource.objects.count() == 1
    assert b"already exists" in duplicate.content


def test_edit_and_delete(personas, finance):
    finance.post(ADD, _form(personas))
    source = FundingSource.objects.get()
    response = finance.post(f"/funding/sources/{source.pk}/edit/", _form(personas, amount="300000.50"))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.amount == Decimal("300000.50")
    assert finance.post(f"/funding/sources/{source.pk}/delete/").status_code == 302
    assert not FundingSource.objects.exists()


def test_amount_may_not_drop_below_what_an_adopted_scenario_drew(personas, finance):
    user = finance_user("finance2")
    source = services.funding_source_create(data={"name": "Gift", "kind": "philanthropic", "amount": Decimal("100000"),
                                                  "school_year": personas.year}, acting_user=user)
    scenario = services.scenario_create(name="Even", school_year=personas.year, method="even_pupil", parameters=None,
                                        sources={source: Decimal("80000")}, need_model=None, previous=None,
                                        acting_user=user)
    services.scenario_compute(scenario=scenario, acting_user=user)
    services.scenario_adopt(scenario=scenario, acting_user=user)
    response = finance.post(f"/funding/sources/{source.pk}/edit/", _form(personas, name="Gift", amount="50000"))
    assert response.status_code == 200
    source.refresh_from_db()
    assert source.amount == Decimal("100000")
    deleted = finance.post(f"/funding/sources/{source.pk}/delete/", follow=True)
    assert FundingSource.objects.filter(pk=source.pk).exists()
    assert b"could not be deleted" in deleted.content


@pytest.mark.parametrize("persona", ["staff_ops", "director", "principal_a", "board"])
def test_others_may_not_add_or_edit(personas, client_for, persona):
    user = finance_user()
    source = services.funding_source_create(data={"name": "Gift", "kind": "public", "amount": Decimal("1000"),
                                                  "school_year": personas.year}, acting_user=user)
    client = client_for(persona)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, _form(personas)).status_code == 403
    assert client.post(f"/funding/sources/{source.pk}/edit/", _form(personas)).status_code == 403
    assert client.post(f"/funding/sources/{source.pk}/delete/").status_code == 403
    assert FundingSource.objects.get().amount == Decimal("1000")
    listed = client.get("/funding/sources/")
    assert ADD.encode() not in listed.content
    assert f"/funding/sources/{source.pk}/edit/".encode() not in listed.content


def test_partner_user_reaches_no_source(personas, client_for):
    source = services.funding_source_create(data={"name": "Gift", "kind": "public", "amount": Decimal("1000"),
                                                  "school_year": personas.year}, acting_user=finance_user())
    client = client_for("partner")
    assert client.get(f"/funding/sources/{source.pk}/edit/").status_code == 404
