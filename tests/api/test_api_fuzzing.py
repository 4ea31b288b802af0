"""Schemathesis against a live server: whatever a client sends, anonymous or signed in as the registrar, the
API answers no server error, and every answer is one the published schema describes (status, media type,
body). Bounded and derandomised, so a run is short and repeatable."""

import base64

import pytest
import requests
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is part of the test extra")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import CaseFileFactory  # noqa: E402

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 15


def basic_auth(user):
    token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def fuzz(base_url, headers, *, schema_headers=None):
    """Every operation of the schema, in both generation modes; the failures, by operation, as text."""
    schema_url = f"{base_url}/api/v1/schema/?format=json"
    schema = schemathesis.openapi.from_url(schema_url, headers=schema_headers or headers)
    session = requests.Session()
    session.headers.update(headers)
    failures = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                case.call_and_validate(base_url=base_url, session=session, checks=CHECKS)

            try:
                run()
            except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - reported all together below
                failures[f"{operation.label} ({mode.value})"] = str(failure)[:2000]
    return "\n\n".join(f"{name}: {text}" for name, text in failures.items())


@pytest.fixture
def seeded(registrar):
    """Something to find, so list and look-up answers carry bodies the schema must describe."""
    CaseFileFactory(number="ED108783", title="Jagels v. State of Missouri", actor=registrar)


def test_the_api_answers_anonymous_clients_as_its_schema_says(live_server, seeded, registrar):
    # The schema is read as the registrar, so every operation is tried; the calls carry no credentials.
    assert fuzz(live_server.url, {}, schema_headers=basic_auth(registrar)) == ""


def test_the_api_answers_the_registrar_as_its_schema_says(live_server, seeded, registrar):
    assert fuzz(live_server.url, basic_auth(registrar)) == ""
