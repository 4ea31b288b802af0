"""Documents and their versions through the API: registering, uploading real court files, listing and
downloading versions byte for byte, and reverting."""


import pytest

from records import services
from records.models import Document, Version
from tests.digests import sha256_of
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

DOCUMENTS = "/api/v1/documents/"
SCAN = "us-scotus-2013-tarrant-v-herrmann-scan-p1-2.pdf"
SLIP_OPINION = "us-scotus-2013-tarrant-v-herrmann.pdf"
TRANSCRIPT = "za-gjhc-2020-s-v-pietropaolo.docx"
DECREE_SCAN = "scan-ae-decree-law-39-2022-p1.tif"



def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def upload(client, document, handle, **fields):
    return client.post(f"{DOCUMENTS}{document.pk}/versions/", {"file": handle, **fields}, format="multipart")


@pytest.fixture
def document(clerk_api, case_file):
    """A judgment registered through the API, with no file yet."""
    response = clerk_api.post(
        DOCUMENTS,
        {"case": str(case_file.pk), "kind": "judgment", "title": "Tarrant v. Herrmann, opinion", "languages": ["eng"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return Document.objects.get(pk=response.json()["id"])


def test_a_document_registered_as_json_reads_back_without_a_version(clerk_api, clerk, document, case_file):
    body = clerk_api.get(f"{DOCUMENTS}{document.pk}/").json()
    assert (body["case"], body["kind"], body["title"], body["languages"]) == (
        str(case_file.pk),
        "judgment",
        "Tarrant v. Herrmann, opinion",
        ["eng"],
    )
    assert body["is_declared"] is False and body["current_version"] is None
    assert document.created_by == clerk


def test_uploaded_versions_are_listed_with_number_hash_size_type_and_author(
    clerk_api, clerk, document, corpus_file, corpus_dir
):
    for name in (SCAN, SLIP_OPINION, TRANSCRIPT):
        response = upload(clerk_api, document, corpus_file(name), change_note=f"From {name}")
        assert response.status_code == 201, response.json()

    listed = clerk_api.get(f"{DOCUMENTS}{document.pk}/versions/")
    assert listed.status_code == 200
    versions = listed.json()
    assert [v["number"] for v in versions] == [1, 2, 3]
    assert [v["sha256"] for v in versions] == [sha256_of(corpus_dir / n) for n in (SCAN, SLIP_OPINION, TRANSCRIPT)]
    assert [v["size"] for v in versions] == [(corpus_dir / n).stat().st_size for n in (SCAN, SLIP_OPINION, TRANSCRIPT)]
    assert [v["media_type"] for v in versions] == [
        "application/pdf",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]
    assert {v["author"] for v in versions} == {clerk.get_username()}
    assert versions[2]["original_name"] == TRANSCRIPT and versions[2]["change_note"] == f"From {TRANSCRIPT}"
    assert all(v["download_url"] == f"/records/versions/{v['id']}/download/" for v in versions)


def test_the_current_version_of_a_document_is_its_latest_upload(clerk_api, document, corpus_file):
    upload(clerk_api, document, corpus_file(SCAN))
    latest = upload(clerk_api, document, corpus_file(SLIP_OPINION)).json()
    body = clerk_api.get(f"{DOCUMENTS}{document.pk}/").json()
    assert body["current_version"]["id"] == latest["id"] and body["current_version"]["number"] == 2


def test_following_a_download_url_returns_the_uploaded_bytes(clerk_api, document, corpus_file, corpus_dir):
    names = [SCAN, DECREE_SCAN, TRANSCRIPT]
    urls = [upload(clerk_api, document, corpus_file(name)).json()["download_url"] for name in names]
    for name, url in zip(names, urls, strict=True):
        assert download(clerk_api, url) == (corpus_dir / name).read_bytes()


def test_a_document_and_its_first_file_are_registered_in_one_multipart_request(
    clerk_api, clerk, case_file, corpus_file, corpus_dir
):
    response = clerk_api.post(
        DOCUMENTS,
        {
            "case": str(case_file.pk),
            "kind": "judgment",
            "title": "S v Pietropaolo, ex tempore judgment",
            "languages": ["eng"],
            "file": corpus_file(TRANSCRIPT),
            "change_note": "Transcript as filed",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    current = response.json()["current_version"]
    assert current["number"] == 1 and current["sha256"] == sha256_of(corpus_dir / TRANSCRIPT)
    assert current["change_note"] == "Transcript as filed" and current["author"] == clerk.get_username()
    stored = Document.objects.get(pk=response.json()["id"])
    assert stored.languages == ["eng"] and stored.versions.get().original_name == TRANSCRIPT
    assert download(clerk_api, current["download_url"]) == (corpus_dir / TRANSCRIPT).read_bytes()


def test_a_recorded_file_name_can_differ_from_the_uploaded_one(clerk_api, document, corpus_file):
    response = upload(clerk_api, document, corpus_file(SCAN), file_name="حكم المحكمة العليا.pdf")
    assert response.status_code == 201, response.json()
    assert response.json()["original_name"] == "حكم المحكمة العليا.pdf"


def test_legislation_stands_without_a_case(clerk_api, corpus_file, corpus_dir):
    response = clerk_api.post(
        DOCUMENTS,
        {
            "kind": "legislation",
            "title": "Divorce Act 70 of 1979",
            "file": corpus_file("za-divorce-act-70-of-1979.html"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["case"] is None
    assert Document.objects.get(pk=response.json()["id"]).versions.get().media_type == "text/html"


def test_a_judgment_without_a_case_is_refused_naming_the_case(clerk_api, corpus_file, originals_dir):
    response = clerk_api.post(
        DOCUMENTS,
        {"kind": "judgment", "title": "Orphan ruling", "file": corpus_file(SCAN)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "case" and "case file" in response.json()["detail"]
    assert not Document.objects.exists() and not Version.objects.exists()
    assert [path for path in originals_dir.rglob("*") if path.is_file()] == []


def test_documents_are_listed_by_case_and_kind(clerk_api, case_file, document):
    other = DocumentFactory(kind="order", title="Scheduling order")
    by_case = clerk_api.get(DOCUMENTS, {"case": str(case_file.pk)}).json()["results"]
    by_kind = clerk_api.get(DOCUMENTS, {"kind": "order"}).json()["results"]
    assert [d["id"] for d in by_case] == [str(document.pk)]
    assert [d["id"] for d in by_kind] == [str(other.pk)]


def test_a_case_filter_that_is_not_an_id_is_refused_naming_the_case(clerk_api, document):
    response = clerk_api.get(DOCUMENTS, {"case": "ED108783"})
    assert response.status_code == 400
    assert "case" in response.json()


def test_an_undeclared_document_can_be_renamed(clerk_api, document):
    response = clerk_api.patch(
        f"{DOCUMENTS}{document.pk}/", {"title": "Tarrant v. Herrmann, slip opinion"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert Document.objects.get(pk=document.pk).title == "Tarrant v. Herrmann, slip opinion"


def test_a_revert_is_a_new_version_with_the_old_bytes(clerk_api, clerk, document, corpus_file, corpus_dir):
    first = upload(clerk_api, document, corpus_file(SCAN)).json()
    upload(clerk_api, document, corpus_file(SLIP_OPINION))

    response = clerk_api.post(f"{DOCUMENTS}{document.pk}/revert/", {"version": first["id"]}, format="json")

    assert response.status_code == 201, response.json()
    reverted = response.json()
    assert reverted["number"] == 3 and reverted["reverted_from"] == first["id"]
    assert reverted["sha256"] == first["sha256"] and reverted["id"] != first["id"]
    assert reverted["change_note"] == "Reverted to version 1" and reverted["author"] == clerk.get_username()
    assert download(clerk_api, reverted["download_url"]) == (corpus_dir / SCAN).read_bytes()
    assert document.versions.count() == 3


def test_a_revert_to_another_documents_version_is_not_found(clerk_api, clerk, document, corpus_file):
    upload(clerk_api, document, corpus_file(SCAN))
    stranger = DocumentFactory(title="Another judgment")
    foreign = services.add_version(stranger, corpus_file(SLIP_OPINION), author=clerk)
    response = clerk_api.post(f"{DOCUMENTS}{document.pk}/revert/", {"version": str(foreign.pk)}, format="json")
    assert response.status_code == 404
    assert document.versions.count() == 1 and stranger.versions.count() == 1


def test_a_file_sent_with_an_edit_is_refused_pointing_at_versions(clerk_api, case_file, corpus_file):
    created = clerk_api.post("/api/v1/documents/", {"case": str(case_file.pk), "kind": "judgment", "title": "Ruling"}, format="json")
    url = f"/api/v1/documents/{created.data['id']}/"
    response = clerk_api.patch(url, {"file": corpus_file("sa-riyadh-commercial-court-2022-ahkam-52854.txt")}, format="multipart")
    assert response.status_code == 400
    assert "versions/" in str(response.data["file"])
    assert not Version.objects.filter(document_id=created.data["id"]).exists()
