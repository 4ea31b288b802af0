"""Fixity finds bytes no version owns and files swapped together with their row, locally and on S3."""

import datetime
import hashlib
import os

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit import actions
from audit.models import AuditEvent
from records import fixity, services, storage
from records.models import Version
from tests.audit.tampering import tamper
from tests.factories import DocumentFactory
from tests.records.test_fixity import overwrite

pytestmark = pytest.mark.django_db

OLD = timezone.now() - datetime.timedelta(days=3)


def a_version(clerk, corpus_file):
    return services.add_version(DocumentFactory(), corpus_file("sa-riyadh-commercial-court-2022-ahkam-52854.txt"), author=clerk)


@pytest.fixture
def version(clerk, corpus_file, any_originals):
    return a_version(clerk, corpus_file)


@pytest.fixture
def local_version(clerk, corpus_file, originals_dir):
    """Local files only: the test sets a stray's write time, which S3 keeps for itself."""
    return a_version(clerk, corpus_file)


def stray_file(any_originals, key, data, *, written_at=OLD):
    """Bytes left in the originals with no version, as a worker killed mid-upload leaves them."""
    if isinstance(any_originals, tuple):
        client, bucket = any_originals
        client.put_object(Bucket=bucket, Key=f"originals/{key}", Body=data)
        return  # S3 keeps its own write time: a test of the grace period on S3 passes grace_hours=0
    path = any_originals / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (written_at.timestamp(), written_at.timestamp()))


def run_fixity(**options):
    try:
        call_command("fixity", **options)
    except CommandError as failed:
        return str(failed)
    return None


def test_a_half_written_upload_is_reported_as_a_stray(version, any_originals):
    stray_file(any_originals, "2026/11/0123abcd.pdf", b"%PDF-1.7 half of a sealed ruling")
    report = run_fixity(grace_hours=0)
    assert report is not None and "STRAY: 2026/11/0123abcd.pdf (32 bytes" in report and "1 strays" in report
    assert version.storage_key not in report


def test_a_recent_stray_is_reported_but_not_counted(local_version, originals_dir, capsys):
    stray_file(originals_dir, "2026/12/inprogress.pdf", b"%PDF being written", written_at=timezone.now())
    assert run_fixity(grace_hours=24) is None
    assert "STRAY: 2026/12/inprogress.pdf" in capsys.readouterr().out


def test_quarantine_moves_old_strays_keeps_their_bytes_and_records_it(version, any_originals):
    data = b"%PDF-1.7 half of a sealed ruling"
    stray_file(any_originals, "2026/11/0123abcd.pdf", data)
    assert run_fixity(quarantine=True, grace_hours=0) is None
    assert fixity.quarantined_keys() == ["quarantine/2026/11/0123abcd.pdf"]
    with storage.open_original("quarantine/2026/11/0123abcd.pdf") as kept:
        assert kept.read() == data
    assert not storage.exists("2026/11/0123abcd.pdf")
    event = AuditEvent.objects.get(action=actions.QUARANTINE)
    assert event.target_repr == "2026/11/0123abcd.pdf" and event.after["size"] == len(data)
    assert run_fixity() is None  # what quarantine holds is no longer a stray
    assert storage.exists(version.storage_key)


def test_quarantine_leaves_recent_strays_in_place(local_version, originals_dir):
    stray_file(originals_dir, "2026/12/inprogress.pdf", b"%PDF being written", written_at=timezone.now())
    assert run_fixity(quarantine=True, grace_hours=1) is None
    assert storage.exists("2026/12/inprogress.pdf") and fixity.quarantined_keys() == []


def test_a_file_swapped_with_its_row_contradicts_the_trail(version, any_originals):
    forged = b"a different ruling, put in place of the original"
    overwrite(any_originals, version.storage_key, forged)
    digest = hashlib.sha256(forged).hexdigest()
    tamper(
        "UPDATE records_version SET sha256 = %s, size = %s WHERE id = %s",
        [digest, len(forged), version.pk.hex],
        tables=["records_version"],
    )
    assert Version.objects.get(pk=version.pk).sha256 == digest
    report = run_fixity()
    assert report is not None and "CONTRADICTS THE TRAIL" in report and version.sha256 in report


def test_a_version_without_its_upload_event_is_reported(version):
    # A row saved past the services has no upload event: fixity names it.
    copy = Version(
        document_id=version.document_id, number=version.number + 1, storage_key=storage.copy(version.storage_key),
        original_name=version.original_name, media_type=version.media_type, size=version.size,
        sha256=version.sha256, author_id=version.author_id,
    )
    copy.save()
    report = run_fixity()
    assert report is not None and f"UNRECORDED: version {copy.number}" in report


def test_a_page_image_no_rendition_owns_is_a_stray_and_is_quarantined(local_version, originals_dir, settings):
    """A worker killed between writing a page's images and recording them leaves files showing what a page
    says: fixity reports them beside the originals' strays, and quarantine keeps them, never deletes."""
    from records import renditions, services
    from records.models import RenditionKind

    kept = renditions.write(b"RIFF....WEBPVP8 a page of a sealed ruling", "image/webp")
    page = services.record_page(local_version, 1, text="Page one.", source="ocr", needs_review=False,
                                renditions=[(RenditionKind.PREVIEW, kept, "image/webp", 10)])
    stray = renditions.write(b"RIFF....WEBPVP8 an image nobody recorded", "image/webp")
    location = settings.STORAGES["renditions"]["OPTIONS"]["location"]
    os.utime(location / stray, (OLD.timestamp(), OLD.timestamp()))

    report = run_fixity(grace_hours=0)
    assert report is not None and f"STRAY: renditions: {stray}" in report and "no rendition" in report
    assert kept not in report and page.pk

    assert run_fixity(quarantine=True, grace_hours=0) is None
    assert fixity.quarantined_keys() == [f"renditions/quarantine/{stray}"]
    assert (location / "quarantine" / stray).read_bytes() == b"RIFF....WEBPVP8 an image nobody recorded"
    assert (location / kept).exists()
