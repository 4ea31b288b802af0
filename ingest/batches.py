"""Batches as the clerk sees them: starting one (uploaded files, a ZIP, a server folder), its progress, its
end, and a retry of what failed.

A batch is its creator's: the list and its pages show a person their own batches only. Its items name
files and rows the creator handed in; the cases and documents they became are linked only for someone who
may see them (records.access).
"""

import shutil
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ingest import filing, sources, work
from ingest.manifest import Manifest, known_from_database, read_manifest
from ingest.models import Batch, BatchItem, ItemState, JobState, PageJob, Reading, ReadingState

OPEN_ITEMS = (ItemState.WAITING, ItemState.FILING, ItemState.READING)
RATE_WINDOW = timedelta(minutes=10)  # pages finished in this window set the pace for "time left"


def visible_batches(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return Batch.objects.none()
    return Batch.objects.filter(created_by=user)


def folder():
    """Where an uploaded archive's files wait to be filed: private, inside the data directory."""
    path = Path(settings.DATA_DIR) / "batches"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


# Starting ------------------------------------------------------------------------------------------


def check_folder(path, manifest_file=None):
    """(source, manifest) of a server folder, every row checked; nothing is written."""
    source = sources.FolderSource(path)
    if manifest_file is None:
        return source, sources.load(source, known_from_database())
    raw = Path(manifest_file).read_bytes()
    manifest = read_manifest(raw, known_from_database(), check_file=source.check)
    return source, manifest


def start_from_folder(path, manifest, *, actor, name=None):
    """File the valid rows of a checked manifest from a server folder; None when no row is valid."""
    if not manifest.rows:
        return None
    return filing.start_batch(
        actor=actor, source=Batch.Source.FOLDER, name=name or str(path), manifest=manifest, location=Path(path).resolve()
    )


def start_from_archive(archive, *, actor, name):
    """(batch or None, manifest) of an uploaded ZIP with its manifest; its files wait in a private folder
    until they are filed. Nothing is written when no row is valid."""
    with sources.ZipSource(archive, label=name) as source:
        manifest = sources.load(source, known_from_database())
        if not manifest.rows:
            return None, manifest
        batch_id = uuid.uuid4()
        location = folder() / str(batch_id)
        Path(source.temporary).rename(location)  # same file system: the extracted files move, not copy
        source.temporary = None
    try:
        batch = filing.start_batch(
            actor=actor, source=Batch.Source.ARCHIVE, name=name, manifest=manifest, location=location, batch_id=batch_id
        )
    except BaseException:
        shutil.rmtree(location, ignore_errors=True)
        raise
    return batch, manifest


def start_from_uploads(uploads, *, actor, case, kind, languages, name=None):
    """Each uploaded file filed at once as a new document of `case`; one failing does not stop the others."""
    batch = Batch.objects.create(
        name=(name or _("%(count)s files for case %(number)s") % {"count": len(uploads), "number": case.number})[:300],
        source=Batch.Source.UPLOAD,
        created_by=actor,
    )
    for number, upload in enumerate(uploads, start=1):
        filing.file_upload(batch, number, upload, actor=actor, case=case, kind=kind, languages=languages)
    finish_if_done(batch.pk)
    return batch


def empty_manifest_problem(message):
    manifest = Manifest(encoding=None)
    manifest.add(0, "", message)
    return manifest


# Progress ------------------------------------------------------------------------------------------


@dataclass
class Progress:
    files: int
    waiting: int  # not filed yet
    reading: int
    done: int
    failed: int
    pages: int  # known so far (a file's pages are known once counted)
    pages_done: int
    pages_failed: int
    pages_per_minute: float
    seconds_left: float | None

    @property
    def finished(self):
        return self.waiting == 0 and self.reading == 0

    @property
    def settled(self):
        return self.done + self.failed

    @property
    def minutes_left(self):
        return None if self.seconds_left is None else max(1, round(self.seconds_left / 60))


def progress(batch):
    items = batch.items.aggregate(
        files=Count("pk"),
        waiting=Count("pk", filter=Q(state__in=(ItemState.WAITING, ItemState.FILING))),
        reading=Count("pk", filter=Q(state=ItemState.READING)),
        done=Count("pk", filter=Q(state=ItemState.DONE)),
        failed=Count("pk", filter=Q(state=ItemState.FAILED)),
    )
    versions = batch.items.filter(version__isnull=False).values("version_id")
    jobs = PageJob.objects.filter(version_id__in=versions).aggregate(
        pages=Count("pk"),
        done=Count("pk", filter=Q(state=JobState.DONE)),
        failed=Count("pk", filter=Q(state=JobState.FAILED)),
        recent=Count("pk", filter=Q(state=JobState.DONE, finished_at__gte=timezone.now() - RATE_WINDOW)),
    )
    unplanned = Reading.objects.filter(
        pk__in=versions, state__in=(ReadingState.WAITING, ReadingState.PLANNING)
    ).count()
    rate = _rate(versions, jobs["recent"])
    left = jobs["pages"] - jobs["done"] - jobs["failed"]
    planned_files = max(1, batch.items.filter(pages__gt=0).count())
    left += (unplanned + items["waiting"]) * jobs["pages"] / planned_files if jobs["pages"] else 0
    return Progress(
        files=items["files"],
        waiting=items["waiting"],
        reading=items["reading"],
        done=items["done"],
        failed=items["failed"],
        pages=jobs["pages"],
        pages_done=jobs["done"],
        pages_failed=jobs["failed"],
        pages_per_minute=rate,
        seconds_left=(left / rate * 60) if rate and left else (0.0 if not left else None),
    )


def _rate(versions, recent):
    """Pages per minute over the recent window (or since the first page of the window finished)."""
    if not recent:
        return 0.0
    since = timezone.now() - RATE_WINDOW
    first = (
        PageJob.objects.filter(version_id__in=versions, state=JobState.DONE, finished_at__gte=since)
        .order_by("finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    minutes = max((timezone.now() - first).total_seconds() / 60, 1 / 60)
    return recent / minutes if recent > 1 else 0.0


# Ending and retrying --------------------------------------------------------------------------------


def finish_if_done(batch_id):
    """Close a batch whose every file is settled; drop an archive's files once none is left to file."""
    batch = Batch.objects.filter(pk=batch_id).first()
    if batch is None:
        return
    items = batch.items
    if batch.source == Batch.Source.ARCHIVE and batch.location:
        if not items.filter(state__in=(ItemState.WAITING, ItemState.FILING)).exists():
            _remove_location(batch)
    if not items.filter(state__in=OPEN_ITEMS).exists():
        Batch.objects.filter(pk=batch_id, finished_at__isnull=True).update(finished_at=timezone.now())


def _remove_location(batch):
    location = Path(batch.location)
    if location.parent == folder():  # never anything but an archive's own folder
        shutil.rmtree(location, ignore_errors=True)
    Batch.objects.filter(pk=batch.pk).update(location="")


def retry(batch):
    """Try the failed files again: pages read again; rows not filed filed again from the server folder (an
    uploaded file that was refused must be uploaded again). Returns how many files were sent back."""
    sent = 0
    refile = batch.source == Batch.Source.FOLDER and batch.location and Path(batch.location).is_dir()
    with transaction.atomic():
        failed = batch.items.select_for_update().filter(state=ItemState.FAILED)
        for item in failed:
            if item.version_id is not None:
                sent += 1 if work.retry_reading(item.version_id) else 0
            elif refile and item.details:
                BatchItem.objects.filter(pk=item.pk).update(state=ItemState.WAITING, attempts=0, error="", worker="")
                sent += 1
        if sent:
            Batch.objects.filter(pk=batch.pk).update(finished_at=None)
            transaction.on_commit(lambda: work.wake(sent))
    return sent
