"""A declared record through the API: its identity and content are fixed (409), its languages may still
be corrected, and it cannot be deleted or declared again."""

import pytest

from records.models import Document, Version

pytestmark = pytest.mark.django_db

DOCUMENTS = "/api/v1/documents/"


def snapshot(document):
    """What a declaration fixes: the stored identity and the versions, read fresh from the database."""
    stored = Document.objects.get(pk=document.pk)
    versions = list(Version.objects.filter(document=stored).order_by("number").values_list("id", "sha256"))
    return (stored.case_id, stored.kind, stored.title, stored.document_date, stored.declared_at, versions)


def assert_conflict(response, *phrases):
    assert response.status_code == 409, response.json()
    for phrase in phrases:
        assert phrase in response.json()["detail"]


def test_declaring_through_the_api_records_who_and_when(registrar_api, registrar, clerk, case_file, corpus_file):
    created = registrar_api.post(
        DOCUMENTS,
        {
            "case": str(case_file.pk),
            "kind": "judgment",
            "title": "Jagels v. State, opinion",
            "file": corpus_file("us-moctapp-2021-jagels-v-state.pdf"),
        },
        format="multipart",
    )
    response = registrar_api.post(f"{DOCUMENTS}{created.json()['id']}/declare/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["is_declared"] is True and body["declared_by"] == registrar.get_username()
    assert body["declared_at"] is not None
    assert Document.objects.get(pk=body["id"]).declared_by == registrar


def test_a_document_without_a_file_cannot_be_declared(registrar_api, case_file):
    created = registrar_api.post(
        DOCUMENTS, {"case": str(case_file.pk), "kind": "order", "title": "Scheduling order"}, format="json"
    )
    response = registrar_api.post(f"{DOCUMENTS}{created.json()['id']}/declare/")
    assert response.status_code == 400
    assert "has no file yet" in response.json()["detail"] and response.json()["field"] == "file"
    assert not Document.objects.get(pk=created.json()["id"]).is_declared


def test_a_record_cannot_be_declared_twice(registrar_api, declared_record):
    before = snapshot(declared_record)
    response = registrar_api.post(f"{DOCUMENTS}{declared_record.pk}/declare/")
    assert_conflict(response, "already declared")
    assert snapshot(declared_record) == before


def test_a_declared_document_cannot_be_renamed(clerk_api, declared_record):
    before = snapshot(declared_record)
    response = clerk_api.patch(f"{DOCUMENTS}{declared_record.pk}/", {"title": "Renamed"}, format="json")
    assert_conflict(response, "declared record", "title")
    assert snapshot(declared_record) == before


def test_a_declared_document_cannot_change_kind_or_date(clerk_api, declared_record):
    before = snapshot(declared_record)
    kind = clerk_api.patch(f"{DOCUMENTS}{declared_record.pk}/", {"kind": "order"}, format="json")
    date = clerk_api.patch(f"{DOCUMENTS}{declared_record.pk}/", {"document_date": "2021-01-20"}, format="json")
    assert_conflict(kind, "kind")
    assert_conflict(date, "document_date")
    assert snapshot(declared_record) == before


def test_the_languages_of_a_declared_document_may_still_be_corrected(clerk_api, declared_record):
    before = snapshot(declared_record)
    response = clerk_api.patch(f"{DOCUMENTS}{declared_record.pk}/", {"languages": ["eng", "fra"]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["languages"] == ["eng", "fra"] and response.json()["is_declared"] is True
    assert Document.objects.get(pk=declared_record.pk).languages == ["eng", "fra"]
    assert snapshot(declared_record) == before


def test_a_declared_document_cannot_be_deleted(registrar_api, declared_record, originals_dir):
    before = snapshot(declared_record)
    files = sorted(path for path in originals_dir.rglob("*") if path.is_file())
    response = registrar_api.delete(f"{DOCUMENTS}{declared_record.pk}/")
    assert_conflict(response, "declared record")
    assert snapshot(declared_record) == before
    assert sorted(path for path in originals_dir.rglob("*") if path.is_file()) == files


def test_no_new_version_can_be_uploaded_to_a_declared_record(clerk_api, declared_record, corpus_file, originals_dir):
    before = snapshot(declared_record)
    files = sorted(path for path in originals_dir.rglob("*") if path.is_file())
    response = clerk_api.post(
        f"{DOCUMENTS}{declared_record.pk}/versions/",
        {"file": corpus_file("scan-us-moctapp-2021-jagels-v-state-p1.pdf")},
        format="multipart",
    )
    assert_conflict(response, "declared record")
    assert snapshot(declared_record) == before
    assert sorted(path for path in originals_dir.rglob("*") if path.is_file()) == files


def test_a_declared_record_cannot_be_reverted(clerk_api, declared_record, originals_dir):
    before = snapshot(declared_record)
    files = sorted(path for path in originals_dir.rglob("*") if path.is_file())
    version = declared_record.versions.get()
    response = clerk_api.post(f"{DOCUMENTS}{declared_record.pk}/revert/", {"version": str(version.pk)}, format="json")
    assert_conflict(response, "declared record")
    assert snapshot(declared_record) == before
    assert sorted(path for path in originals_dir.rglob("*") if path.is_file()) == files


def test_a_declared_record_is_still_read_and_downloaded(clerk_api, declared_record, corpus_dir):
    body = clerk_api.get(f"{DOCUMENTS}{declared_record.pk}/").json()
    assert body["is_declared"] is True
    response = clerk_api.get(body["current_version"]["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (corpus_dir / "us-moctapp-2021-jagels-v-state.pdf").read_bytes()
