"""Bad files sent to the API are refused with a code and a message naming the problem, and nothing is
stored: no version row, no document, no bytes in the originals storage."""

import pytest

from records.models import Document, Version
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

DOCUMENTS = "/api/v1/documents/"
EMPTY = "bad/empty-zero-bytes.pdf"
PNG_AS_PDF = "bad/png-named-as-pdf-za-sca-2024-p1.pdf"
LETTER = "us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf"


def stored_files(originals_dir):
    """Every file in the originals storage."""
    return [path for path in originals_dir.rglob("*") if path.is_file()] if originals_dir.exists() else []


@pytest.fixture
def document(clerk, case_file):
    """An undeclared judgment with no file yet."""
    return DocumentFactory(case=case_file, title="United States v. Xiang, Rule 28(j) letter", actor=clerk)


def upload(client, document, handle, **fields):
    return client.post(f"{DOCUMENTS}{document.pk}/versions/", {"file": handle, **fields}, format="multipart")


def assert_refused(response, code, *phrases):
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == code and body["field"] == "file"
    for phrase in phrases:
        assert phrase in body["detail"]


def test_a_zero_byte_file_is_refused_as_empty(clerk_api, document, corpus_file, originals_dir):
    response = upload(clerk_api, document, corpus_file(EMPTY))
    assert_refused(response, "empty", "empty-zero-bytes.pdf is empty (0 bytes)")
    assert not Version.objects.exists() and stored_files(originals_dir) == []


def test_a_png_named_as_a_pdf_is_refused_naming_both_types(clerk_api, document, corpus_file, originals_dir):
    response = upload(clerk_api, document, corpus_file(PNG_AS_PDF))
    assert_refused(response, "type_mismatch", ".pdf file", "PNG image (image/png)")
    assert not Version.objects.exists() and stored_files(originals_dir) == []


@pytest.mark.parametrize(
    "file_name, problem",
    [
        ("../../etc/passwd", "path separator ('/')"),
        ("ruling\x07.pdf", "control character (U+0007)"),
    ],
    ids=["path-traversal", "control-character"],
)
def test_a_bad_file_name_is_refused_naming_what_is_wrong(
    clerk_api, document, corpus_file, originals_dir, file_name, problem
):
    response = upload(clerk_api, document, corpus_file(LETTER), file_name=file_name)
    assert_refused(response, "bad_name", problem)
    assert not Version.objects.exists() and stored_files(originals_dir) == []


def test_a_file_over_the_upload_limit_is_refused_as_too_large(
    clerk_api, document, corpus_file, originals_dir, settings
):
    settings.SIJILL_MAX_UPLOAD_BYTES = 10_000
    response = upload(clerk_api, document, corpus_file(LETTER))
    assert_refused(response, "too_large", "upload limit of 9.8\xa0KB", "SIJILL_MAX_UPLOAD_MB")
    assert not Version.objects.exists() and stored_files(originals_dir) == []


def test_a_refused_first_file_leaves_no_document_behind(clerk_api, case_file, corpus_file, originals_dir):
    response = clerk_api.post(
        DOCUMENTS,
        {"case": str(case_file.pk), "kind": "judgment", "title": "MEC Health v M", "file": corpus_file(PNG_AS_PDF)},
        format="multipart",
    )
    assert_refused(response, "type_mismatch", "PNG image")
    assert not Document.objects.exists() and not Version.objects.exists()
    assert stored_files(originals_dir) == []


def test_a_bad_name_given_with_the_first_file_leaves_no_document_behind(
    clerk_api, case_file, corpus_file, originals_dir
):
    response = clerk_api.post(
        DOCUMENTS,
        {
            "case": str(case_file.pk),
            "kind": "filing",
            "title": "Rule 28(j) letter",
            "file": corpus_file(LETTER),
            "file_name": "../../etc/passwd",
        },
        format="multipart",
    )
    assert_refused(response, "bad_name", "path separator")
    assert not Document.objects.exists() and stored_files(originals_dir) == []


def test_an_upload_without_a_file_is_refused_naming_the_file(clerk_api, document, originals_dir):
    response = clerk_api.post(f"{DOCUMENTS}{document.pk}/versions/", {"change_note": "forgot it"}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()
    assert not Version.objects.exists() and stored_files(originals_dir) == []


def test_a_first_file_sent_as_text_is_refused_not_dropped(clerk_api, case_file, originals_dir):
    response = clerk_api.post(
        DOCUMENTS,
        {"case": str(case_file.pk), "kind": "judgment", "title": "Jagels v. State", "file": "jagels.pdf"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()
    assert not Document.objects.exists() and stored_files(originals_dir) == []


def test_a_refused_upload_leaves_the_earlier_versions_as_they_were(clerk_api, document, corpus_file, corpus_dir):
    accepted = upload(clerk_api, document, corpus_file(LETTER))
    refused = upload(clerk_api, document, corpus_file(EMPTY))
    assert accepted.status_code == 201 and refused.status_code == 400
    assert list(document.versions.values_list("number", "original_name")) == [(1, LETTER)]
    again = upload(clerk_api, document, corpus_file("us-ca8-2017-beavers-v-midland-funding-statement-of-issues.pdf"))
    assert again.json()["number"] == 2


def test_the_current_version_sent_again_is_refused_and_not_stored(clerk_api, document, corpus_file, originals_dir):
    assert upload(clerk_api, document, corpus_file(LETTER)).status_code == 201
    stored = stored_files(originals_dir)

    response = upload(clerk_api, document, corpus_file(LETTER))

    assert_refused(response, "same_as_current", f"{LETTER} is identical to version 1, the current version of")
    assert list(document.versions.values_list("number", flat=True)) == [1]
    assert stored_files(originals_dir) == stored
