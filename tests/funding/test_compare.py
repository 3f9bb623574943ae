"""Two scenarios side by side (/funding/compare/): the metrics, each school the user may see in both, and the
totals by need tier — for home-office staff every school, for principals their own, for board viewers the
network picture only; drafts stay hidden outside the home office, and partner users are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.funding.test_pages import B_MARK, _csv, build_money

pytestmark = pytest.mark.django_db

COMPARE = reverse("funding:scenario_compare")


@pytest.fixture
def money(personas):
    return build_money(personas)


def compare(money, a=None, b=None) -> str:
    return f"{COMPARE}?a={(a or money.even).pk}&b={(b or money.equitable).pk}"


def test_staff_see_every_school_in_both_and_the_differences(personas, money, client_for):
    client = client_for("staff_ops")
    html = client.get(compare(money)).content.decode()
    row_a = html.split(f'data-testid="compare-{personas.school_a.cds_code}"')[1].split("</tr>")[0]
    # Alpha: $200,000 ($500 per pupil) evenly, $312,345 ($781) equitably: +112,345, +281 per pupil
    assert "$200,000" in row_a and "$500" in row_a and "$312,345" in row_a and "$781" in row_a
    assert "+112,345" in row_a and "+281" in row_a and "Highest" in row_a
    row_b = html.split(f'data-testid="compare-{personas.school_b.cds_code}"')[1].split("</tr>")[0]
    assert "-112,345" in row_b and "Low" in row_b
    assert html.index(personas.school_a.name) < html.index(personas.school_b.name)  # highest need first
    gini = html.split('data-testid="compare-gini_per_pupil"')[1].split("</tr>")[0]
    assert "0.00" in gini and "0.21" in gini
    assert "<svg" in html.split('data-testid="chart"')[1]
    rows = _csv(client.get(compare(money) + "&export=csv"))
    assert rows[0][:4] == ["School", "CDS code", "Need tier", "Even 2025-26: amount"]
    assert [r[0] for r in rows[1:]][:1] == [personas.school_a.name] and len(rows) == 5
    # a draft computed by finance compares with an adopted one for the home office
    assert client.get(compare(money, money.draft)).status_code == 200


@pytest.mark.parametrize("who", ["principal_a", "director"])
def test_principals_see_their_own_school_only(personas, money, client_for, who):
    client = client_for(who)
    html = client.get(compare(money)).content.decode()
    assert f'data-testid="compare-{personas.school_a.cds_code}"' in html
    assert personas.school_b.name not in html and B_MARK not in html and "187655" not in html
    assert 'data-testid="compare-tiers"' in html
    export = client.get(compare(money) + "&export=csv").content.decode("utf-8-sig")
    assert personas.school_a.name in export and personas.school_b.name not in export
    assert client.get(compare(money, money.draft)).status_code == 404  # a draft is not theirs to see


def test_board_sees_the_network_picture_only(personas, money, client_for):
    client = client_for("board")
    html = client.get(compare(money)).content.decode()
    assert personas.school_a.name not in html and personas.school_b.name not in html and B_MARK not in html
    assert 'data-testid="compare-schools"' not in html
    tiers = html.split('data-testid="compare-tiers"')[1].split("</table>")[0]
    assert "$500" in tiers and "$793" in tiers  # tier 1 per pupil, even and equitable
    assert "Low" in tiers and "$313" not in tiers  # school B's tier holds one school: count only
    assert client.get(compare(money) + "&export=csv").status_code == 403
    assert client.get(compare(money, money.draft)).status_code == 404


def test_partner_is_refused_and_a_bad_id_is_not_found(money, client_for):
    assert client_for("partner").get(compare(money)).status_code == 403
    staff = client_for("staff_ops")
    assert staff.get(f"{COMPARE}?a={money.even.pk}&b=999999").status_code == 404
    assert staff.get(f"{COMPARE}?a={money.even.pk}&b=x").status_code == 404


def test_the_chooser_without_two_scenarios(money, client_for):
    html = client_for("staff_ops").get(f"{COMPARE}?a={money.even.pk}").content.decode()
    assert 'data-testid="compare-form"' in html and "Choose two scenarios" in html
    assert f'<option value="{money.even.pk}" selected>' in html
    detail = client_for("staff_ops").get(reverse("funding:scenario_detail", args=[money.even.pk])).content.decode()
    assert f'{COMPARE}?a={money.even.pk}' in detail
