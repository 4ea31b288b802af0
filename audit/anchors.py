"""The anchor store: the chain head's seq and hash, kept where the database cannot rewrite them.

An attacker with SQL access can drop the triggers, cut events off the end and set the head back; the
chain that is left is consistent. What shows it is a head kept elsewhere earlier: the chain must still
hold that event with that hash. By default anchors are lines appended to a file in
SIJILL_AUDIT_ANCHOR_DIR, outside the data directory: "SEQ HASH TIME". With SIJILL_AUDIT_ANCHOR_BUCKET set
they are S3 objects instead (`audit-anchors/<seq>`, the same line), each written under Object Lock so
that not even the bucket's owner can remove it before its retention ends; every version of every key is
read, so an overwrite cannot hide an earlier anchor. Each is written only after a check found the chain
intact, so an anchor is never taken from a trail already tampered with.
"""

import datetime
import os
import re
from pathlib import Path

from django.conf import settings

from audit.chain import Anchor

FILE_NAME = "anchors.log"
_GIVEN = re.compile(r"\s*(\d+)\s*[: ]\s*([0-9a-f]{64})(?:\s+(\S+))?\s*")


class AnchorError(ValueError):
    """An anchor given or stored that is not a seq and a hash."""


def parse(text, source=""):
    """`SEQ:HASH` (or `SEQ HASH [TIME]`, as the store writes it) as an Anchor; AnchorError otherwise."""
    found = _GIVEN.fullmatch(text)
    if found is None or int(found[1]) < 1:
        raise AnchorError(f"{text.strip()!r} is not an anchor: give SEQ:HASH, a sequence number from 1 and 64 hex digits")
    return Anchor(int(found[1]), found[2], source)


def read_file(path):
    """The anchors of a file, one a line; blank lines and lines starting with # are left out."""
    path = Path(path)
    anchors = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            anchors.append(parse(line, f"{path}:{number}"))
    return anchors


def store_dir():
    return Path(settings.SIJILL_AUDIT_ANCHOR_DIR)


PREFIX = "audit-anchors/"


def _bucket():
    return settings.SIJILL_AUDIT_ANCHOR_BUCKET


def _client():
    import boto3

    return boto3.client("s3", **settings.SIJILL_AUDIT_ANCHOR_S3)


def stored():
    """Every anchor in the store (none when it does not exist yet)."""
    if _bucket():
        return _stored_in_bucket()
    path = store_dir() / FILE_NAME
    return read_file(path) if path.exists() else []


def _stored_in_bucket():
    client, bucket = _client(), _bucket()
    found = []
    for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=PREFIX):
        for version in page.get("Versions", []):
            body = client.get_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])["Body"]
            found.append(parse(body.read().decode("ascii", "replace"), f"s3://{bucket}/{version['Key']}"))
    return sorted(found, key=lambda anchor: anchor.seq)


def _keep_in_bucket(seq, line, at):
    client, bucket = _client(), _bucket()
    key = f"{PREFIX}{seq:020d}"
    client.put_object(
        Bucket=bucket,
        Key=key,
        Body=line.encode("ascii"),
        ContentType="text/plain",
        ObjectLockMode=settings.SIJILL_AUDIT_ANCHOR_LOCK_MODE.upper(),
        ObjectLockRetainUntilDate=at + datetime.timedelta(days=settings.SIJILL_AUDIT_ANCHOR_RETENTION_DAYS),
    )
    return f"s3://{bucket}/{key}"


def keep(seq, hash_, *, at=None):
    """Append the head to the store, unless it is the last anchor there already; the written Anchor or None."""
    if seq < 1:
        return None
    kept = stored()
    if kept and (kept[-1].seq, kept[-1].hash) == (seq, hash_):
        return None
    at = at or datetime.datetime.now(datetime.UTC)
    line = f"{seq} {hash_} {at.astimezone(datetime.UTC).isoformat(timespec='seconds')}\n"
    if _bucket():
        return Anchor(seq, hash_, _keep_in_bucket(seq, line, at))
    directory = store_dir()
    directory.mkdir(parents=True, exist_ok=True)
    # Appended and synced, never rewritten: a crash leaves at worst a last partial line.
    fd = os.open(directory / FILE_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return Anchor(seq, hash_, str(directory / FILE_NAME))
