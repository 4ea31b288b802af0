"""A kept anchor (an event's seq and hash, held outside the database) catches a cut-off end of the trail."""

import pytest
from django.core.management import CommandError

from audit import actions, anchors, trail
from tests.audit.tampering import tamper

pytestmark = pytest.mark.django_db


def cut_back_to(seq, events):
    """Remove the events after `seq` and set the head back to it, as an attacker with SQL access could."""
    tamper("DELETE FROM audit_auditevent WHERE seq > %s", [seq])
    if seq:
        tamper("UPDATE audit_auditchainhead SET seq = %s, hash = %s", [seq, events[seq - 1].hash])
    else:
        tamper("UPDATE audit_auditchainhead SET seq = 0, hash = %s", ["0" * 64])


def test_a_cut_off_end_with_the_head_set_back_passes_without_an_anchor(five_events, verify_audit):
    # Why the anchor is needed: the chain itself cannot tell.
    cut_back_to(3, five_events)
    assert verify_audit("--no-anchor-store").status == 0


def test_an_intact_trail_holds_its_anchor(five_events, verify_audit):
    outcome = verify_audit("--anchor", f"5:{five_events[4].hash}", "--anchor", f"2:{five_events[1].hash}")
    assert outcome.status == 0, outcome.err


def test_a_cut_off_end_is_caught_by_the_anchor(five_events, verify_audit):
    cut_back_to(3, five_events)
    outcome = verify_audit("--no-anchor-store", "--anchor", f"5:{five_events[4].hash}")
    assert outcome.status == 1
    assert "BROKEN at event seq 4 (no row)" in outcome.err
    assert f"anchor 5:{five_events[4].hash}" in outcome.err and "ends at event 3" in outcome.err


def test_a_cut_off_end_hidden_by_new_appends_is_caught(five_events, verify_audit):
    cut_back_to(3, five_events)
    for number in range(2):
        trail.record(actions.VIEW, target_type="records.casefile", target_id=str(10 + number))
    outcome = verify_audit("--no-anchor-store", "--anchor", f"5:{five_events[4].hash}")
    assert outcome.status == 1
    assert "BROKEN at event seq 5 " in outcome.err and "no longer has the anchored hash" in outcome.err


def test_an_emptied_trail_is_caught(five_events, verify_audit):
    cut_back_to(0, five_events)
    outcome = verify_audit("--no-anchor-store", "--anchor", f"5:{five_events[4].hash}")
    assert outcome.status == 1
    assert "BROKEN at event seq 1 (no row)" in outcome.err and "ends at event 0" in outcome.err


def test_each_run_keeps_the_head_in_the_store_and_later_runs_check_it(five_events, verify_audit, audit_anchor_dir):
    assert verify_audit().status == 0
    last = five_events[-1]
    kept = (audit_anchor_dir / anchors.FILE_NAME).read_text().split()
    assert kept[:2] == [str(last.seq), last.hash]
    cut_back_to(3, five_events)
    outcome = verify_audit()
    assert outcome.status == 1
    assert f"anchor {last.seq}:{last.hash}" in outcome.err
    # The store is appended to, never rewritten: the broken run added nothing, the kept line is still there.
    assert (audit_anchor_dir / anchors.FILE_NAME).read_text().split() == kept


def test_the_store_gains_a_line_only_when_the_head_moved(five_events, verify_audit, audit_anchor_dir):
    verify_audit()
    verify_audit()
    trail.record(actions.VIEW)
    verify_audit()
    lines = (audit_anchor_dir / anchors.FILE_NAME).read_text().splitlines()
    last = five_events[-1].seq
    assert [line.split()[0] for line in lines] == [str(last), str(last + 1)]


def test_an_anchor_file_is_read(five_events, verify_audit, tmp_path):
    kept = tmp_path / "kept.txt"
    kept.write_text(f"# copied by hand\n4:{five_events[3].hash}\n5 {five_events[4].hash} 2026-01-01T00:00:00Z\n")
    assert verify_audit("--no-anchor-store", "--anchor-file", str(kept)).status == 0
    cut_back_to(4, five_events)
    outcome = verify_audit("--no-anchor-store", "--anchor-file", str(kept))
    assert outcome.status == 1 and "anchor 5:" in outcome.err


@pytest.mark.parametrize("given", ["5", "x:abc", f"0:{'a' * 64}", "5:short"])
def test_a_malformed_anchor_is_refused(five_events, verify_audit, given):
    with pytest.raises(CommandError, match="anchor"):
        verify_audit("--anchor", given)


def test_the_default_store_is_outside_the_data_directory(settings):
    from sijill.settings import DATA_DIR, SIJILL_AUDIT_ANCHOR_DIR

    assert not SIJILL_AUDIT_ANCHOR_DIR.resolve().is_relative_to(DATA_DIR.resolve())


@pytest.fixture
def anchor_bucket(settings, s3_endpoint, request):
    """A bucket with Object Lock on, as the anchor store."""
    import boto3

    bucket = f"sijill-anchors-{abs(hash(request.node.nodeid)) % 10**10}"
    settings.SIJILL_AUDIT_ANCHOR_S3 = {
        "endpoint_url": s3_endpoint, "region_name": "us-east-1",
        "aws_access_key_id": "testing", "aws_secret_access_key": "testing",
    }
    client = boto3.client("s3", **settings.SIJILL_AUDIT_ANCHOR_S3)
    client.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    settings.SIJILL_AUDIT_ANCHOR_BUCKET = bucket
    settings.SIJILL_AUDIT_ANCHOR_LOCK_MODE = "compliance"
    return client, bucket


def test_with_a_bucket_anchors_are_locked_objects_that_later_runs_check(five_events, verify_audit, anchor_bucket):
    client, bucket = anchor_bucket
    last = five_events[-1]
    assert verify_audit().status == 0
    versions = client.list_object_versions(Bucket=bucket, Prefix=anchors.PREFIX)["Versions"]
    assert len(versions) == 1
    key, version = versions[0]["Key"], versions[0]["VersionId"]
    held = client.head_object(Bucket=bucket, Key=key, VersionId=version)
    assert held["ObjectLockMode"] == "COMPLIANCE"
    with pytest.raises(client.exceptions.ClientError):
        client.delete_object(Bucket=bucket, Key=key, VersionId=version)
    # An overwrite only adds a version: the locked one is still read.
    client.put_object(Bucket=bucket, Key=key, Body=f"{last.seq} {'0' * 64}".encode())
    assert (last.seq, last.hash) in [(anchor.seq, anchor.hash) for anchor in anchors.stored()]
    cut_back_to(3, five_events)
    outcome = verify_audit()
    assert outcome.status == 1
    assert f"anchor {last.seq}:" in outcome.err and f"s3://{bucket}/{key}" in outcome.err
