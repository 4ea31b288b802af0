"""The staff screens answer GET and POST only: Django's delete views would otherwise take the DELETE method
and call the model's delete() past the services (no access rule, no audit event, stored files left)."""

import pytest

from audit.models import AuditEvent
from records import services
from records.models import CaseFile, Document
from tests.factories import CaseFileFactory, DocumentFactory, clear
from tests.leaks import urls

pytestmark = pytest.mark.django_db


def admin_patterns_taking(method):
    return [p for p in urls.all_patterns() if p.route.startswith("admin/") and method in urls.methods_of(p)]


def test_the_enumeration_finds_the_delete_views():
    names = {pattern.name for pattern in admin_patterns_taking("delete")}
    assert {"records_casefile:delete", "records_document:delete"} <= names


@pytest.mark.parametrize("method", ["delete", "put", "patch"])
def test_no_staff_screen_takes_another_method(client, superuser, corpus_file, method):
    clear(superuser, "sealed", ("JUVENILE", "GBV", "FAMILY"))
    case_file = CaseFileFactory()
    document = DocumentFactory(case=CaseFileFactory())
    services.add_version(document, corpus_file("sa-riyadh-commercial-court-2022-ahkam-52854.txt"), author=superuser)
    client.force_login(superuser)
    events = AuditEvent.objects.count()
    asked = 0
    for pattern in urls.all_patterns():
        if not pattern.route.startswith("admin/"):
            continue
        for target in (case_file.pk, document.pk):
            values = {name: str(target) if kind == "id" else urls.plain_values(pattern)[name] for name, kind in pattern.params}
            if (url := urls.url_for(pattern, values)) is None:
                continue
            response = getattr(client, method)(url)
            assert response.status_code == 405, f"{method.upper()} {url} answered {response.status_code}"
            asked += 1
    assert asked > 200
    assert CaseFile.objects.filter(pk=case_file.pk).exists() and Document.objects.filter(pk=document.pk).exists()
    assert AuditEvent.objects.count() == events
