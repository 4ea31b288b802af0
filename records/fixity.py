"""Fixity: the bytes in storage are still the bytes that were uploaded, and nothing else is stored.

Each version's stored bytes are read again and hashed. A version whose bytes are missing, whose SHA-256 or
size differs from its row, or whose row differs from the hash its upload event keeps in the audit trail
(bytes and row rewritten together) is a problem to report, never to repair here. Stored objects that no
version owns (an upload killed half-way, a file put there by hand) are strays: listed, and moved to
quarantine on request once older than a grace period, never deleted.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from audit import actions, trail
from audit.models import AuditEvent
from records import renditions, storage
from records.models import Rendition, Version

QUARANTINE = "quarantine"
# Page images and searchable PDFs share the bucket under this prefix when the originals live in S3.
RENDITIONS = "renditions"
BATCH = 500  # keys per ownership query: within every database's limit on parameters


@dataclass(frozen=True)
class FixityProblem:
    version: object
    kind: str  # "missing", "altered", "unreadable", "contradicts the trail" or "unrecorded"
    detail: str

    def __str__(self):
        version = self.version
        return (
            f"{self.kind.upper()}: version {version.number} of «{version.document.title}» "
            f"(version id {version.pk}, key {version.storage_key}): {self.detail}"
        )


def recorded_upload(version):
    """The SHA-256 and size the trail recorded when this version was written, or None if it holds none."""
    event = (
        AuditEvent.objects.filter(
            action__in=(actions.ADD_VERSION, actions.REVERT), document_ref=version.document_id,
            after__version=version.number,
        )
        .order_by("seq")
        .values_list("after", flat=True)
        .first()
    )
    return None if event is None else (event.get("sha256"), event.get("size"))


def _trail_problem(version):
    recorded = recorded_upload(version)
    if recorded is None:
        return FixityProblem(version, "unrecorded", "the audit trail holds no upload event for this version")
    if recorded != (version.sha256, version.size):
        sha256, size = recorded
        return FixityProblem(
            version,
            "contradicts the trail",
            f"the row says SHA-256 {version.sha256} ({version.size} bytes), the upload event recorded {sha256} "
            f"({size} bytes): the row was rewritten past Sijill",
        )
    return None


def check_version(version):
    """The FixityProblem of one version, or None when its bytes, its row and its upload event agree."""
    try:
        sha256, size = storage.digest(version.storage_key)
    except Exception as error:  # each storage backend says "missing" in its own way
        if not storage.exists(version.storage_key):
            return FixityProblem(version, "missing", "no bytes are stored under its key")
        return FixityProblem(version, "unreadable", str(error))
    if sha256 != version.sha256 or size != version.size:
        return FixityProblem(
            version,
            "altered",
            f"recorded SHA-256 {version.sha256} ({version.size} bytes), "
            f"stored bytes hash to {sha256} ({size} bytes)",
        )
    return _trail_problem(version)


def check_versions(versions, *, progress=None):
    """Check every version; `progress(done, problem)` is called after each. Returns the problems."""
    problems = []
    for done, version in enumerate(versions, start=1):
        problem = check_version(version)
        if problem:
            problems.append(problem)
        if progress:
            progress(done, problem)
    return problems


# Strays ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stray:
    key: str
    size: int
    written_at: datetime.datetime
    # Which storage: the originals, or the renditions (page images of a version, as telling as its pages).
    store: str = "originals"

    def __str__(self):
        owner = "no version owns it" if self.store == "originals" else "no rendition of a version owns it"
        where = "" if self.store == "originals" else f"{self.store}: "
        return f"STRAY: {where}{self.key} ({self.size} bytes, written {self.written_at:%Y-%m-%d %H:%M} UTC): {owner}"


def _folders(store, folder="", skip=(QUARANTINE, RENDITIONS)):
    """The keys of the files in each folder of the originals below `folder`, folder by folder, `skip` left out."""
    try:
        folders, files = store.listdir(folder)
    except FileNotFoundError:
        return
    yield [f"{folder}/{name}" if folder else name for name in sorted(files)]
    for name in sorted(folders):
        path = f"{folder}/{name}" if folder else name
        if path not in (skip or ()):
            yield from _folders(store, path, skip)


def strays():
    """Every stored object that no version owns, then every page image or searchable PDF that no rendition
    owns (a worker killed between writing a page's images and recording them leaves such files), folder by
    folder (memory stays bounded)."""
    yield from _unowned(storage.originals(), Version, "originals", skip=(QUARANTINE, RENDITIONS))
    yield from _unowned(renditions.store(), Rendition, RENDITIONS, skip=(QUARANTINE,))


def _unowned(store, model, name, *, skip):
    for keys in _folders(store, skip=skip):
        for start in range(0, len(keys), BATCH):
            batch = keys[start : start + BATCH]
            owned = set(model.objects.filter(storage_key__in=batch).values_list("storage_key", flat=True))
            for key in (key for key in batch if key not in owned):
                yield Stray(key, store.size(key), store.get_modified_time(key), store=name)


def quarantined_keys():
    """What quarantine holds, by key (the originals', then the renditions' under renditions/)."""
    held = [key for keys in _folders(storage.originals(), QUARANTINE, skip=None) for key in keys]
    return held + [f"{RENDITIONS}/{key}" for keys in _folders(renditions.store(), QUARANTINE, skip=None) for key in keys]


def quarantine(stray):
    """Move a stray under quarantine/ of its storage (its key kept below it) and record the move; returns the
    new key. Never a deletion: a rendition is derived, but it shows what a page of a version says."""
    if stray.store == "originals":
        target = storage.move(stray.key, f"{QUARANTINE}/{stray.key}")
    else:
        target = renditions.move(stray.key, f"{QUARANTINE}/{stray.key}")
    trail.record(
        actions.QUARANTINE,
        target_type="storage.original" if stray.store == "originals" else "storage.rendition",
        target_id=stray.key[:64],
        target_repr=stray.key[:300],
        after={"quarantined_as": target, "size": stray.size, "written_at": stray.written_at.isoformat()},
    )
    return target


def is_past_grace(stray, grace):
    return timezone.now() - stray.written_at > grace
