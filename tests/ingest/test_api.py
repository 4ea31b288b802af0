"""Ingest through the API: files to a case, a batch's progress, the text of pages and their correction."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ingest.models import Batch
from records import services
from records.models import CaseFile, CaseType, Page
from tests.factories import UserFactory
from tests.ingest.conftest import drain_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(court, filing_clerk):
    """A civil case the filing clerk registered and sees."""
    return services.register_case_file(
        CaseFile(number="RC/0043/2024", court=court, case_type=CaseType.objects.get(code="civil"), date_filed=datetime.date(2024, 2, 1)),
        actor=filing_clerk,
    )


def test_files_posted_for_a_case_make_a_batch_and_its_pages_are_read(client, filing_clerk, case, corpus_dir):
    client.force_login(filing_clerk)
    letter = (corpus_dir / "us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf").read_bytes()
    response = client.post(
        "/api/v1/batches/",
        {"case": str(case.pk), "files": [SimpleUploadedFile("letter.pdf", letter)], "kind": "filing", "languages": ["eng"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["items"][0]["state"] == "reading" and body["items"][0]["case"] == str(case.pk)
    drain_all()

    batch = client.get(f"/api/v1/batches/{body['id']}/").json()
    assert batch["progress"]["finished"] and batch["progress"]["pages_done"] == 2
    version = Page.objects.filter(version__document__case=case).first().version
    pages = client.get(f"/api/v1/versions/{version.pk}/pages/").json()
    assert [page["number"] for page in pages["results"]] == [1, 2]
    first = client.get(f"/api/v1/versions/{version.pk}/pages/1/").json()
    assert first["source"] == "pdf_text" and first["unit"] == "pt" and first["words"]


def test_a_page_text_correction_through_the_api_keeps_the_first_reading(client, filing_clerk, case, corpus_dir):
    client.force_login(filing_clerk)
    letter = (corpus_dir / "us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf").read_bytes()
    client.post("/api/v1/batches/", {"case": str(case.pk), "files": [SimpleUploadedFile("letter.pdf", letter)]})
    drain_all()
    version = Page.objects.filter(version__document__case=case).first().version

    response = client.patch(
        f"/api/v1/versions/{version.pk}/pages/1/", {"text": "Corrected text."}, content_type="application/json"
    )

    assert response.status_code == 200 and response.json()["revision"] == 2
    assert Page.objects.get(version=version, number=1).revisions.get(revision=1).source == "pdf_text"


def test_another_users_batch_is_answered_as_one_that_does_not_exist(client, filing_clerk, case, corpus_dir):
    client.force_login(filing_clerk)
    letter = (corpus_dir / "us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf").read_bytes()
    client.post("/api/v1/batches/", {"case": str(case.pk), "files": [SimpleUploadedFile("letter.pdf", letter)]})
    batch = Batch.objects.get()
    client.force_login(UserFactory(role="clerk"))

    hidden = client.get(f"/api/v1/batches/{batch.pk}/")
    missing = client.get("/api/v1/batches/00000000-0000-4000-8000-00000000dead/")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    assert client.get("/api/v1/batches/").json()["count"] == 0


def test_an_archive_without_a_usable_manifest_is_a_400_naming_the_problem(client, court):
    import io
    import zipfile

    client.force_login(UserFactory(role="registrar"))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("notes.txt", "no manifest here")
    response = client.post("/api/v1/batches/", {"archive": SimpleUploadedFile("box.zip", archive.getvalue())})

    assert response.status_code == 400 and "manifest" in str(response.json()["archive"])
    assert not Batch.objects.exists()


def test_a_file_already_in_the_case_is_not_stored_again(client, filing_clerk, case, corpus_dir):
    client.force_login(filing_clerk)
    letter = (corpus_dir / "us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf").read_bytes()
    client.post("/api/v1/batches/", {"case": str(case.pk), "files": [SimpleUploadedFile("letter.pdf", letter)]})

    again = client.post(
        "/api/v1/batches/", {"case": str(case.pk), "files": [SimpleUploadedFile("same-letter.pdf", letter)]}
    ).json()

    assert again["items"][0]["state"] in ("reading", "done") and "not stored again" in again["items"][0]["note"]
    assert case.documents.count() == 1
