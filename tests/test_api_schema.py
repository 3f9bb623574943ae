"""The OpenAPI schema: it requires login, generates without warnings, and the live API conforms to it.

schemathesis drives the read endpoints in-process (through the WSGI application, no server) with
an admin token, a few generated examples per operation, and checks that no answer is a server error
and every answer matches the status codes, content types and bodies the schema documents.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/schema/"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 6


@pytest.mark.parametrize("who", ["anonymous"])
def test_schema_requires_login(personas, client_for, api_for, who):
    assert client_for(who).get(SCHEMA_URL).status_code in (401, 403)
    assert api_for(who).get(SCHEMA_URL, HTTP_ACCEPT="application/json").status_code in (401, 403)
    assert client_for(who).get("/api/docs/").status_code in (401, 403)


@pytest.mark.parametrize("who", ["admin", "principal_a", "board"])
def test_logged_in_users_get_a_valid_schema(personas, client_for, api_for, who):
    for client in (client_for(who), api_for(who)):
        response = client.get(SCHEMA_URL, HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        document = response.json()
        validate_schema(document)
        assert "/api/v1/schools/{cds_code}/" in document["paths"]
        assert "/api/v1/schools/{cds_code}/history/" in document["paths"]


def test_docs_pages_render_for_logged_in_users(personas, client_for):
    client = client_for("staff_ops")
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/redoc/").status_code == 200


def test_schema_generates_without_warnings(tmp_path):
    """The same check as `equitable spectacular --validate --fail-on-warn`."""
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/enrollment/" in target.read_text()


def _run_operation(operation, headers: dict, **fixed) -> int:
    """Run generated cases of one operation; returns how many calls were made."""
    calls = []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(**fixed))
    def run(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        calls.append(response.status_code)

    run()
    return len(calls)


@pytest.fixture
def wsgi_app():
    """The real WSGI application, kept from closing the test's database connection between requests
    (as Django's test client does): the test runs inside a transaction on that connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_read_endpoints_conform_to_the_schema(personas, wsgi_app):
    token, _ = Token.objects.get_or_create(user=personas.admin)
    headers = {"Authorization": f"Token {token.key}"}
    app = wsgi_app
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, app, headers=headers).include(method="GET")
    # Real keys, so detail and history answers are checked with data (not only as 404s).
    real_keys = {
        "cds_code": personas.school_a.cds_code,
        "slug": personas.watts.slug,
        "name": personas.year.name,
        "code": "undup",
    }
    from tests.outcomes.test_selectors import build_outcomes

    outcomes = build_outcomes(personas)
    from tests.funding.test_pages import build_money

    money = build_money(personas)
    from tests.partners.world import build_world

    world = build_world(personas)
    # Partner endpoints first: their paths are checked before the generic keys above.
    partner_ids = {
        "/api/v1/partners/organizations/": world.xp.pk,
        "/api/v1/partners/people/": world.xp_artist.pk,
        "/api/v1/partners/focus-areas/": world.arts.slug,
        "/api/v1/partners/needs-assessments/": world.assessment_a.pk,
        "/api/v1/partners/needs/": world.need_a_arts.pk,
        "/api/v1/partners/clearance-requirements/": world.tb.pk,
        "/api/v1/partners/clearance-tiers/": world.tier2.pk,
        "/api/v1/partners/clearance-checks/": world.xp.checks.first().pk,
        "/api/v1/partners/campus-approvals/": world.approval_artist_a.pk,
        "/api/v1/partners/agreements/": world.agreement_a.pk,
        "/api/v1/partners/convenings/": world.convening_network.pk,
        "/api/v1/partners/measures/": world.measure_a.pk,
        "/api/v1/partners/surveys/": world.survey_xp.pk,
    }
    real_ids = {
        "/api/v1/outcomes/": outcomes.a_ela.pk,
        "/api/v1/goals/": outcomes.goal_network.pk,
        "/api/v1/enrollment/": personas.enrollment_a.pk,
        "/api/v1/feeder-patterns/": personas.pattern.pk,
        "/api/v1/people/": personas.person_principal_a.pk,
        "/api/v1/staff-assignments/": personas.assignment_a.pk,
        "/api/v1/caseloads/": personas.person_principal_a.supported_by.get().pk,
        "/api/v1/indicator-values/": money.need.undup.values.first().pk,
        "/api/v1/need-models/": money.need.seni.pk,
        "/api/v1/need-scores/": money.need.score_a.pk,
        "/api/v1/funding-sources/": money.philanthropy.pk,
        "/api/v1/scenarios/": money.equitable.pk,
        "/api/v1/allocations/": money.equitable.allocations.first().pk,
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    # 8 endpoints × list, retrieve, history; outcomes list, retrieve; goals × 3; need: indicators, indicator values,
    # need scores × list, retrieve, need models × list, retrieve, history; funding: sources, allocations × list,
    # retrieve, scenarios × list, retrieve, history, tiers; partners: organizations, people, focus areas, needs
    # assessments, needs, clearance checks, campus approvals, agreements, convenings, measures × list, retrieve,
    # history; clearance requirements, tiers, surveys × list, retrieve; expiring and matches lists
    assert len(operations) == 46 + 38
    calls = 0
    for operation in operations:
        calls += _run_operation(operation, headers)
        names = [p.name for p in operation.path_parameters]
        if names:
            (name,) = names
            value = next((v for k, v in partner_ids.items() if operation.path.startswith(k)), None)
            if value is None:
                value = real_keys.get(name) or next(v for k, v in real_ids.items() if operation.path.startswith(k))
            case = operation.Case(path_parameters={name: value})
            response = case.call(headers=headers)
            assert response.status_code == 200, (operation.label, response.text)
            case.validate_response(response, checks=CHECKS, headers=headers)
            calls += 1
    assert calls >= 29
