"""The clerk's ingest screens: many files to a case, a ZIP with its manifest, a batch's page, the reader."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ingest.models import Batch, ItemState
from records import services
from records.models import CaseFile, Document, Page
from tests.factories import UserFactory
from tests.ingest.conftest import HEADER, drain_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(court, filing_clerk):
    """A civil case the filing clerk registered and sees."""
    from records.models import CaseType

    return services.register_case_file(
        CaseFile(number="RC/0042/2024", court=court, case_type=CaseType.objects.get(code="civil"), date_filed=datetime.date(2024, 1, 10)),
        actor=filing_clerk,
    )


def upload(corpus_dir, name, as_name=None):
    return SimpleUploadedFile(as_name or name.split("/")[-1], (corpus_dir / name).read_bytes())


def test_many_files_uploaded_to_a_case_become_documents_read_in_the_background(client, filing_clerk, case, corpus_dir):
    client.force_login(filing_clerk)
    response = client.post(
        reverse("ingest_upload_to_case", args=[case.pk]),
        {
            "files": [
                upload(corpus_dir, "us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf"),
                upload(corpus_dir, "bad/empty-zero-bytes.pdf"),
                upload(corpus_dir, "sa-riyadh-commercial-court-2022-ahkam-52854.txt"),
            ],
            "kind": "filing",
            "languages": ["eng"],
        },
    )
    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ingest_batch", args=[batch.pk])
    states = dict(batch.items.values_list("path", "state"))
    assert states["empty-zero-bytes.pdf"] == ItemState.FAILED
    assert states["us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf"] == ItemState.READING
    drain_all()

    page = client.get(reverse("ingest_batch", args=[batch.pk])).content.decode()
    assert "empty-zero-bytes.pdf" in page and "empty" in page.lower()
    assert Document.objects.filter(case=case).count() == 2
    assert Page.objects.filter(version__document__case=case).count() == 3  # 2 PDF pages + 1 text file


def test_a_batch_is_its_creators_alone(client, filing_clerk, case, corpus_dir):
    client.force_login(filing_clerk)
    client.post(
        reverse("ingest_upload_to_case", args=[case.pk]),
        {"files": [upload(corpus_dir, "us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf")], "kind": "filing"},
    )
    batch = Batch.objects.get()
    other = UserFactory(role="clerk")
    client.force_login(other)

    assert client.get(reverse("ingest_batch", args=[batch.pk])).status_code == 404
    assert client.post(reverse("ingest_batch", args=[batch.pk])).status_code == 404
    assert batch.name not in client.get(reverse("ingest_batches")).content.decode()


def test_a_zip_with_a_manifest_is_checked_then_filed(client, filing_clerk, court, corpus_dir):
    registrar = UserFactory(role="registrar")
    client.force_login(registrar)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(
            "manifest.csv",
            HEADER + "\nKGL-HC,RS/0001/2003,,civil,2003-01-01,,,,,,judgment,Judgment,eng,,scan/letter.pdf\n"
            "KGL-HC,RS/0002/2003,,civil,2003-01-01,,,,,,judgment,Missing,eng,,scan/missing.pdf\n",
        )
        zipped.write(corpus_dir / "us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf", "scan/letter.pdf")
        zipped.writestr("../evil.pdf", b"%PDF-1.4")
    response = client.post(reverse("ingest_archive"), {"archive": SimpleUploadedFile("box.zip", archive.getvalue())})

    batch = Batch.objects.get()
    assert response.status_code == 302
    drain_all()
    states = {item.row: (item.state, item.error) for item in batch.items.all()}
    assert states[2][0] == ItemState.DONE
    assert states[3][0] == ItemState.FAILED and "missing.pdf" in states[3][1]
    assert "evil.pdf" in states[0][1]  # a refused entry no row names is still reported, for the batch
    assert CaseFile.objects.filter(number="RS/0001/2003").exists()
    batch.refresh_from_db()
    assert batch.location == ""  # the extracted files are gone once every row is filed


def test_a_zip_whose_manifest_cannot_be_read_writes_nothing_and_says_why(client, court):
    client.force_login(UserFactory(role="registrar"))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("manifest.csv", "court,case_number,jugment_date,file\n")
    response = client.post(reverse("ingest_archive"), {"archive": SimpleUploadedFile("box.zip", archive.getvalue())})

    assert response.status_code == 200 and not Batch.objects.exists()
    assert "jugment_date" in response.content.decode()


def test_the_reader_shows_a_page_and_a_correction_is_a_new_revision(client, filing_clerk, case, corpus_dir):
    client.force_login(filing_clerk)
    client.post(
        reverse("ingest_upload_to_case", args=[case.pk]),
        {"files": [upload(corpus_dir, "us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf")], "kind": "filing"},
    )
    drain_all()
    document = Document.objects.get(case=case)

    detail = client.get(reverse("records_document:inspect", args=[document.pk])).content.decode()
    assert reverse("records_document_reader", args=[document.pk]) in detail
    reader = client.get(reverse("records_document_reader", args=[document.pk]) + "?page=2").content.decode()
    assert "Page 2 of 2" in reader
    version = document.versions.get()
    image = client.get(reverse("records:page_image", args=[version.pk, 2]))
    assert image.status_code == 200 and image["Content-Type"] == "image/webp"
    assert image["X-Content-Type-Options"] == "nosniff"

    response = client.post(reverse("records_document_reader", args=[document.pk]) + "?page=2", {"text": "Corrected."})
    assert response.status_code == 302
    page = Page.objects.get(version=version, number=2)
    assert page.text == "Corrected." and page.revision == 2
    assert page.revisions.count() == 2 and page.revisions.get(revision=1).source == "pdf_text"


def test_a_scan_is_read_by_ocr_and_downloads_as_a_searchable_pdf(client, filing_clerk, case, corpus_dir):
    import pypdfium2

    from ingest import ocr
    from tests.conftest import absent

    if not ocr.tesseract_available():
        absent("Tesseract", "install tesseract-ocr")
    client.force_login(filing_clerk)
    scan = "scan-us-scotus-2013-tarrant-v-herrmann-p7.tif"
    client.post(
        reverse("ingest_upload_to_case", args=[case.pk]),
        {"files": [upload(corpus_dir, scan)], "kind": "legacy_scan", "languages": ["eng"]},
    )
    drain_all()
    version = Document.objects.get(case=case).versions.get()
    page = Page.objects.get(version=version)
    assert page.source == "ocr" and page.confidence > 50
    assert "Tarrant" in page.text or "Oklahoma" in page.text

    response = client.get(reverse("records:searchable_pdf", args=[version.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pdf = pypdfium2.PdfDocument(b"".join(response.streaming_content))
    text = pdf[0].get_textpage().get_text_bounded()
    assert len(pdf) == 1 and ("Tarrant" in text or "Oklahoma" in text)
    original = client.get(reverse("records:download_version", args=[version.pk]))
    assert b"".join(original.streaming_content) == (corpus_dir / scan).read_bytes()  # never modified
