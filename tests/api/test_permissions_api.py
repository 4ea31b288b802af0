"""Who may do what through the API: anonymous callers and outsiders are refused, clerks register and
upload, only registrars declare records and delete documents."""

import pytest

from records import services
from records.models import CaseFile, Document, Version
from tests.factories import CaseFileFactory, CaseTypeFactory, DocumentFactory, InstitutionFactory

pytestmark = pytest.mark.django_db

CASE_FILES = "/api/v1/case-files/"
RULING = "us-moctapp-2021-jagels-v-state.pdf"


def new_case_payload():
    return {
        "number": "ED108783",
        "court": InstitutionFactory(code="MO-CTAPP-ED").code,
        "case_type": CaseTypeFactory(code="criminal").code,
        "date_filed": "2020-02-14",
    }


@pytest.fixture
def document(clerk, case_file, corpus_file):
    """An undeclared judgment with one version, registered by the clerk."""
    document = DocumentFactory(case=case_file, title="Jagels v. State, opinion", actor=clerk)
    services.add_version(document, corpus_file(RULING), author=clerk)
    return document


def test_an_anonymous_caller_cannot_list_case_files(api_as):
    CaseFileFactory()
    response = api_as(None).get(CASE_FILES)
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_an_anonymous_caller_cannot_register_a_case_file(api_as):
    response = api_as(None).post(CASE_FILES, new_case_payload(), format="json")
    assert response.status_code in (401, 403)
    assert not CaseFile.objects.exists()


def test_a_user_without_records_permissions_cannot_list_case_files(outsider_api):
    CaseFileFactory()
    response = outsider_api.get(CASE_FILES)
    assert response.status_code == 403
    assert "results" not in response.json()


def test_a_user_without_records_permissions_cannot_register_a_case_file(outsider_api):
    response = outsider_api.post(CASE_FILES, new_case_payload(), format="json")
    assert response.status_code == 403
    assert not CaseFile.objects.exists()


def test_the_clerk_may_list_and_register_case_files(clerk_api):
    existing = CaseFileFactory(number="SS076/2018")
    listed = clerk_api.get(CASE_FILES)
    created = clerk_api.post(CASE_FILES, new_case_payload(), format="json")
    assert listed.status_code == 200
    assert [case["number"] for case in listed.json()["results"]] == [existing.number]
    assert created.status_code == 201, created.json()
    assert CaseFile.objects.filter(pk=created.json()["id"], number="ED108783").exists()


def test_the_clerk_may_upload_a_version(clerk_api, document, corpus_file):
    response = clerk_api.post(
        f"/api/v1/documents/{document.pk}/versions/",
        {"file": corpus_file("us-scotus-2013-tarrant-v-herrmann.pdf")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert document.versions.count() == 2


def test_the_clerk_cannot_declare_a_record(clerk_api, document):
    response = clerk_api.post(f"/api/v1/documents/{document.pk}/declare/")
    assert response.status_code == 403
    assert "records.declare_document" in response.json()["detail"]
    assert not Document.objects.get(pk=document.pk).is_declared


def test_the_clerk_cannot_delete_a_document(clerk_api, document):
    response = clerk_api.delete(f"/api/v1/documents/{document.pk}/")
    assert response.status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()
    assert document.versions.count() == 1


def test_the_clerk_cannot_delete_a_case_file(clerk_api, clerk):
    case_file = CaseFileFactory(actor=clerk)
    response = clerk_api.delete(f"{CASE_FILES}{case_file.pk}/")
    assert response.status_code == 403
    assert CaseFile.objects.filter(pk=case_file.pk).exists()


def test_the_registrar_may_declare_a_record(registrar_api, registrar, document):
    response = registrar_api.post(f"/api/v1/documents/{document.pk}/declare/")
    assert response.status_code == 200, response.json()
    assert response.json()["is_declared"] is True
    assert response.json()["declared_by"] == registrar.get_username()
    stored = Document.objects.get(pk=document.pk)
    assert stored.is_declared and stored.declared_by == registrar


def test_the_registrar_may_delete_an_undeclared_document_with_its_files(
    registrar_api, document, originals_dir, django_capture_on_commit_callbacks
):
    assert any(path.is_file() for path in originals_dir.rglob("*"))
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_api.delete(f"/api/v1/documents/{document.pk}/")
    assert response.status_code == 204
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not Version.objects.filter(document_id=document.pk).exists()
    assert [path for path in originals_dir.rglob("*") if path.is_file()] == []


def test_a_version_can_be_read_by_the_clerk(clerk_api, document, clerk):
    version = document.versions.get()
    response = clerk_api.get(f"/api/v1/versions/{version.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["number"], body["sha256"]) == (str(version.pk), 1, version.sha256)
    assert body["document"] == str(document.pk) and body["author"] == clerk.get_username()


def test_a_version_cannot_be_read_by_an_outsider(outsider_api, document):
    version = document.versions.get()
    response = outsider_api.get(f"/api/v1/versions/{version.pk}/")
    assert response.status_code == 403
    assert "sha256" not in response.json()


def test_an_outsider_cannot_read_documents_or_change_case_status(outsider_api, document):
    listed = outsider_api.get("/api/v1/documents/")
    moved = outsider_api.post(
        f"{CASE_FILES}{document.case_id}/status/", {"to_status": "hearing", "reason": "Listed"}, format="json"
    )
    assert listed.status_code == moved.status_code == 403
    assert CaseFile.objects.get(pk=document.case_id).status == "filed"


def test_the_clerk_reads_case_types_and_courts_by_their_codes(clerk_api):
    court = InstitutionFactory(code="ZA-SCA", name="Supreme Court of Appeal of South Africa")
    CaseTypeFactory(code="family")
    courts = clerk_api.get("/api/v1/institutions/ZA-SCA/")
    types = clerk_api.get("/api/v1/case-types/")
    assert courts.status_code == types.status_code == 200
    assert courts.json()["name"] == court.name
    assert [kind["code"] for kind in types.json()["results"]] == ["family"]
