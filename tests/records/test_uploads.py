"""Bad input is refused with a message naming the problem, and nothing is half-written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from records import services
from records.errors import UploadRefused
from records.models import Document, Version
from records.upload import checked_upload, clean_file_name
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def stored_files(folder):
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def test_an_empty_file_is_refused_and_nothing_is_stored(clerk, corpus_file, originals_dir):
    document = DocumentFactory()
    with pytest.raises(UploadRefused) as refused:
        services.add_version(document, corpus_file("bad/empty-zero-bytes.pdf"), author=clerk)
    assert refused.value.code == "empty"
    assert "empty-zero-bytes.pdf is empty (0 bytes)" in refused.value.message
    assert not Version.objects.exists() and stored_files(originals_dir) == []


def test_a_png_named_as_pdf_is_refused_naming_both_types(clerk, corpus_file, originals_dir):
    document = DocumentFactory()
    with pytest.raises(UploadRefused) as refused:
        services.add_version(document, corpus_file("bad/png-named-as-pdf-za-sca-2024-p1.pdf"), author=clerk)
    assert refused.value.code == "type_mismatch"
    assert ".pdf file" in refused.value.message and "PNG image (image/png)" in refused.value.message
    assert not Version.objects.exists() and stored_files(originals_dir) == []


def test_a_file_over_the_upload_limit_is_refused_as_soon_as_it_crosses_it(clerk, settings, originals_dir):
    settings.SIJILL_MAX_UPLOAD_BYTES = 1000
    document = DocumentFactory()
    with pytest.raises(UploadRefused) as refused:
        services.add_version(document, SimpleUploadedFile("big.txt", b"x" * 1001), author=clerk)
    assert refused.value.code == "too_large"
    assert "upload limit of 1000\xa0bytes" in refused.value.message and "SIJILL_MAX_UPLOAD_MB" in refused.value.message
    assert not Version.objects.exists() and stored_files(originals_dir) == []


def test_a_stream_without_a_known_size_is_stopped_at_the_limit():
    class Endless(io.RawIOBase):
        read_calls = 0

        def readable(self):
            return True

        def read(self, size=-1):
            self.read_calls += 1
            return b"%PDF-" + b"0" * (size - 5)

    stream = Endless()
    with pytest.raises(UploadRefused, match="larger than the upload limit"):
        with checked_upload("endless.pdf", stream, max_bytes=3 * 1024 * 1024):
            pass
    assert stream.read_calls <= 4


def test_a_pdf_whose_header_follows_an_eof_marker_is_accepted_as_pdf(clerk, corpus_file):
    # iOS appends '%%EOF' before '%PDF-'; readers accept it, so must we.
    document = DocumentFactory()
    version = services.add_version(document, corpus_file("us-moctapp-2021-jagels-v-state.pdf"), author=clerk)
    assert version.media_type == "application/pdf"


@pytest.mark.parametrize(
    "name, problem",
    [
        ("../../etc/passwd", "path separator ('/')"),
        ("scans\\page1.tif", "path separator ('\\\\')"),
        ("ruling\x07.pdf", "control character (U+0007)"),
        ("ruling\n.pdf", "control character (U+000A)"),
        ("judgment\u202efdp.exe", "text-direction override (U+202E)"),
        ("..", "is not a file name"),
        ("   ", "has no name"),
        ("a" * 252 + ".pdf", "the limit is 255"),
    ],
)
def test_a_bad_file_name_is_refused_naming_what_is_wrong(clerk, name, problem, originals_dir):
    document = DocumentFactory()
    with pytest.raises(UploadRefused) as refused:
        services.add_version(document, io.BytesIO(b"plain text"), file_name=name, author=clerk)
    assert problem in refused.value.message
    assert not Version.objects.exists() and stored_files(originals_dir) == []


def test_arabic_and_accented_file_names_are_kept_as_written():
    assert clean_file_name("حكم المحكمة.pdf") == "حكم المحكمة.pdf"
    assert clean_file_name("Arrêt de la Cour.pdf") == "Arrêt de la Cour.pdf"


def test_a_refused_first_file_leaves_no_document_behind(clerk, corpus_file, originals_dir):
    document = Document(case=DocumentFactory().case, kind="judgment", title="Judgment")
    before = Document.objects.count()
    with pytest.raises(UploadRefused):
        services.add_document(document, actor=clerk, file=corpus_file("bad/empty-zero-bytes.pdf"))
    assert Document.objects.count() == before
    assert stored_files(originals_dir) == []


def test_a_database_failure_after_storing_removes_the_stored_bytes(clerk, corpus_file, originals_dir, monkeypatch):
    document = DocumentFactory()

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Version.objects, "create", fail)
    with pytest.raises(RuntimeError):
        services.add_version(document, corpus_file("us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf"), author=clerk)
    assert stored_files(originals_dir) == []


def test_only_legislation_stands_outside_a_case(clerk):
    with pytest.raises(services.RecordsError, match="must belong to a case file"):
        services.add_document(Document(kind="judgment", title="Orphan ruling"), actor=clerk)
    law = services.add_document(Document(kind="legislation", title="Divorce Act 70 of 1979"), actor=clerk)
    assert law.case is None
