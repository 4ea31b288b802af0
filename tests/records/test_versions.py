import urllib.request

import pytest
from django.urls import reverse

from records import services, storage
from records.errors import SameAsCurrentVersion, VersionImmutable
from records.models import Version
from tests.digests import sha256_of
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

SCAN = "us-scotus-2013-tarrant-v-herrmann-scan-p1-2.pdf"
SLIP_OPINION = "us-scotus-2013-tarrant-v-herrmann.pdf"



def download(client, version):
    """The bytes as a browser gets them: from the view, or from S3 through the signed URL it answers with."""
    response = client.get(reverse("records:download_version", args=[version.pk]))
    if response.status_code == 302:
        with urllib.request.urlopen(response["Location"]) as signed:
            return signed.read(), signed.headers
    assert response.status_code == 200
    return b"".join(response.streaming_content), response


def test_second_upload_keeps_the_first_version(clerk, corpus_file, corpus_dir, any_originals):
    document = DocumentFactory()
    first = services.add_version(document, corpus_file(SCAN), author=clerk, change_note="Paper copy")
    second = services.add_version(document, corpus_file(SLIP_OPINION), author=clerk, change_note="Full text")

    assert [v.number for v in document.versions.order_by("number")] == [1, 2]
    assert first.sha256 == sha256_of(corpus_dir / SCAN)
    assert second.sha256 == sha256_of(corpus_dir / SLIP_OPINION)
    assert storage.digest(first.storage_key) == (first.sha256, (corpus_dir / SCAN).stat().st_size)
    assert first.storage_key != second.storage_key


def test_a_version_records_author_note_size_name_and_the_type_read_from_its_bytes(clerk, corpus_file, corpus_dir):
    document = DocumentFactory()
    version = services.add_version(
        document, corpus_file("za-gjhc-2020-s-v-pietropaolo.docx"), author=clerk, change_note="Transcript"
    )
    assert version.author == clerk and version.change_note == "Transcript"
    assert version.original_name == "za-gjhc-2020-s-v-pietropaolo.docx"
    assert version.size == (corpus_dir / "za-gjhc-2020-s-v-pietropaolo.docx").stat().st_size
    assert version.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_every_version_downloads_byte_identical(clerk, corpus_file, corpus_dir, client, any_originals):
    document = DocumentFactory()
    names = [SCAN, SLIP_OPINION, "scan-ae-decree-law-39-2022-p1.tif"]
    versions = [services.add_version(document, corpus_file(name), author=clerk) for name in names]
    client.force_login(clerk)
    for name, version in zip(names, versions, strict=True):
        body, response = download(client, version)
        assert body == (corpus_dir / name).read_bytes()
        assert response["Content-Type"] == version.media_type


def test_the_download_is_an_inert_attachment_with_its_hash_as_etag(clerk, corpus_file, client):
    version = services.add_version(DocumentFactory(), corpus_file("us-scotus-1891-reagan-v-aiken.html"), author=clerk)
    client.force_login(clerk)
    _, response = download(client, version)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"] and "default-src 'none'" in response["Content-Security-Policy"]
    assert response["ETag"] == f'"{version.sha256}"'
    again = client.get(reverse("records:download_version", args=[version.pk]), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_download_needs_a_signed_in_user_with_the_right_to_read_documents(clerk, outsider, corpus_file, client):
    version = services.add_version(DocumentFactory(), corpus_file(SCAN), author=clerk)
    url = reverse("records:download_version", args=[version.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    not_permitted = client.get(url)
    missing = client.get(reverse("records:download_version", args=["00000000-0000-0000-0000-000000000000"]))
    assert not_permitted.status_code == missing.status_code == 404


def test_a_revert_is_a_new_version_with_the_old_bytes(clerk, corpus_file, client, corpus_dir):
    document = DocumentFactory()
    first = services.add_version(document, corpus_file(SCAN), author=clerk)
    services.add_version(document, corpus_file(SLIP_OPINION), author=clerk)

    reverted = services.revert_to_version(document, first, author=clerk)

    assert reverted.number == 3 and reverted.reverted_from == first
    assert reverted.sha256 == first.sha256 and reverted.storage_key != first.storage_key
    assert reverted.change_note == "Reverted to version 1"
    client.force_login(clerk)
    assert download(client, reverted)[0] == (corpus_dir / SCAN).read_bytes()
    assert Version.objects.filter(document=document).count() == 3


def test_versions_cannot_be_rewritten_or_deleted_one_by_one(clerk, corpus_file):
    version = services.add_version(DocumentFactory(), corpus_file(SCAN), author=clerk)
    version.change_note = "rewritten"
    with pytest.raises(VersionImmutable):
        version.save()
    with pytest.raises(VersionImmutable):
        Version.objects.filter(pk=version.pk).update(change_note="rewritten")
    with pytest.raises(VersionImmutable):
        version.delete()
    with pytest.raises(VersionImmutable):
        Version.objects.filter(pk=version.pk).delete()
    assert Version.objects.get(pk=version.pk).change_note == ""


def test_many_versions_keep_their_order(clerk):
    import io

    document = DocumentFactory()
    for n in range(1, 26):
        services.add_version(document, io.BytesIO(f"draft {n}".encode()), file_name=f"draft-{n}.txt", author=clerk)
    assert list(document.versions.order_by("number").values_list("number", flat=True)) == list(range(1, 26))


def test_an_undeclared_document_registered_by_mistake_goes_with_its_files(clerk, corpus_file, originals_dir, django_capture_on_commit_callbacks):
    document = DocumentFactory()
    version = services.add_version(document, corpus_file(SCAN), author=clerk)
    assert storage.exists(version.storage_key)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_document(document, actor=clerk)
    assert not Version.objects.filter(pk=version.pk).exists()
    assert not storage.exists(version.storage_key)


def test_the_same_file_as_the_current_version_is_refused_and_stores_nothing(clerk, corpus_file, originals_dir):
    document = DocumentFactory(title="Tarrant v. Herrmann, opinion")
    services.add_version(document, corpus_file(SCAN), author=clerk)
    stored = sorted(originals_dir.rglob("*.pdf"))

    with pytest.raises(SameAsCurrentVersion) as refused:
        services.add_version(document, corpus_file(SCAN), author=clerk, file_name="scan-again.pdf")

    assert refused.value.message.startswith("scan-again.pdf is identical to version 1, the current version of")
    assert (refused.value.field, refused.value.code) == ("file", "same_as_current")
    assert document.versions.count() == 1
    assert sorted(originals_dir.rglob("*.pdf")) == stored


def test_the_bytes_of_an_older_version_may_be_uploaded_again(clerk, corpus_file):
    document = DocumentFactory()
    first = services.add_version(document, corpus_file(SCAN), author=clerk)
    services.add_version(document, corpus_file(SLIP_OPINION), author=clerk)

    third = services.add_version(document, corpus_file(SCAN), author=clerk)

    assert third.number == 3 and third.sha256 == first.sha256 and third.reverted_from is None
