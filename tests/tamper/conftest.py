"""The tamper suite: what someone with the database, the storage or the process in hand can do, and what
catches it. Its fixtures are the audit tests' (a short trail, verify_audit run as a command) and a record."""

import pytest

from records import services
from tests.audit.conftest import five_events, verify_audit  # noqa: F401 (fixtures)
from tests.factories import DocumentFactory


@pytest.fixture
def record(registrar, corpus_file):
    """A judgment with one version, declared a record."""
    document = DocumentFactory()
    services.add_version(document, corpus_file("us-moctapp-2021-jagels-v-state.pdf"), author=registrar)
    return services.declare_record(document, actor=registrar)
