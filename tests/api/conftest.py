"""Fixtures for the REST API tests: signed-in API clients by role, and a declared record to probe."""

import pytest
from rest_framework.test import APIClient

from records import services
from tests.factories import CaseFileFactory, DocumentFactory

RULING = "us-moctapp-2021-jagels-v-state.pdf"


@pytest.fixture
def api_as():
    """An APIClient signed in with a session, so the plain download view also knows who is asking."""

    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return client_for


@pytest.fixture
def clerk_api(api_as, clerk):
    """The API as the registry clerk."""
    return api_as(clerk)


@pytest.fixture
def registrar_api(api_as, registrar):
    """The API as the registrar, who may also declare and delete."""
    return api_as(registrar)


@pytest.fixture
def outsider_api(api_as, outsider):
    """The API as a signed-in user with no rights over records."""
    return api_as(outsider)


@pytest.fixture
def case_file(clerk):
    """The case the documents in these tests belong to."""
    return CaseFileFactory(number="ED108783", title="Jagels v. State of Missouri", actor=clerk)


@pytest.fixture
def declared_record(registrar, case_file, corpus_file):
    """A judgment with one version (a real ruling), declared a record by the registrar."""
    document = DocumentFactory(case=case_file, title="Jagels v. State, opinion", actor=registrar)
    services.add_version(document, corpus_file(RULING), author=registrar)
    return services.declare_record(document, actor=registrar)
