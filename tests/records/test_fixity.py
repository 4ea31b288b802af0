import pytest
from django.core.management import CommandError, call_command

from records import services, storage
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_versions(clerk, corpus_file, any_originals):
    document = DocumentFactory()
    names = [
        "us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf",
        "scan-tr-yargitay-9hd-2026-01-12-2025-10062-e-2026-20-k-p1.tif",
        "sa-riyadh-commercial-court-2022-ahkam-52854.txt",
    ]
    return [services.add_version(document, corpus_file(name), author=clerk) for name in names]


def overwrite(any_originals, key, data):
    """Change stored bytes behind Sijill's back, as disk rot or an intruder would."""
    if isinstance(any_originals, tuple):
        client, bucket = any_originals
        client.put_object(Bucket=bucket, Key=f"originals/{key}", Body=data)
    else:
        path = any_originals / key
        path.chmod(0o640)
        path.write_bytes(data)


def remove(any_originals, key):
    if isinstance(any_originals, tuple):
        client, bucket = any_originals
        client.delete_object(Bucket=bucket, Key=f"originals/{key}")
    else:
        (any_originals / key).unlink()


def test_intact_versions_pass_with_progress(three_versions, any_originals, capsys):
    call_command("fixity", every=1)
    out = capsys.readouterr().out
    assert "Checking 3 stored versions." in out
    assert "1/3 checked" in out and "3/3 checked" in out
    assert "All 3 versions match their SHA-256 and their upload events." in out


def test_altered_and_missing_versions_are_each_listed_and_the_command_fails(three_versions, any_originals):
    altered, intact, missing = three_versions
    overwrite(any_originals, altered.storage_key, b"%PDF-1.4 tampered")
    remove(any_originals, missing.storage_key)

    with pytest.raises(CommandError) as failed:
        call_command("fixity")

    report = str(failed.value)
    assert "2 versions and 0 strays" in report
    assert f"ALTERED: version {altered.number}" in report and altered.sha256 in report
    assert f"MISSING: version {missing.number}" in report and missing.storage_key in report
    assert intact.storage_key not in report


def test_a_single_flipped_bit_is_found(three_versions, any_originals):
    target = three_versions[1]
    with storage.open_original(target.storage_key) as stored:
        data = bytearray(stored.read())
    data[len(data) // 2] ^= 0x01
    overwrite(any_originals, target.storage_key, bytes(data))
    with pytest.raises(CommandError, match=f"ALTERED: version {target.number}"):
        call_command("fixity")
