"""Background work under leases: files to file, versions to plan, pages to read.

Three kinds of work, each a row claimed by a conditional update that also sets a lease: a batch item to
file into a case (`BatchItem`), a version whose pages are to be counted (`Reading`), a page to read
(`PageJob`, one per page, so a 500-page file spreads over every worker). Workers run `drain`, which
claims one unit at a time until none is left. A worker killed with SIGKILL (which django-tasks-db never
notices: its task stays "running" for ever) leaves its lease to run out, and the unit is claimed again;
`recover`, run when a worker starts, wakes workers for whatever is left. A lease that runs out later (its
worker was killed while others went on, or just before the restart) is watched: a drain that finds
nothing to claim while others' leases are held leaves a drain deferred to the earliest lease's end, so
nobody has to restart anything for the unit to be taken again. What a unit writes is written
once: a page's text under the job's row lock and the page's unique (version, number), a plan's jobs
under their unique (version, number), a filed file under the item's lock.
"""

import logging
import os
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from ingest import extract, pages_text, scratch_copy
from ingest.models import BatchItem, ItemState, JobState, PageJob, Reading, ReadingState
from ingest.pages import UnreadableFile
from records import media_types
from records.models import Version

log = logging.getLogger(__name__)

# What a page can be read from: PDFs and scans page by page, text files as one page.
_PAGED = {media_types.PDF, "image/tiff", "image/jpeg", "image/png"}
_TEXT_FILES = {media_types.DOCX, media_types.ODT}

# Set when the worker is asked to stop (SIGTERM, Ctrl-C): `drain` ends after the unit in hand, and what
# is left stays claimable for the next worker.
stopping = False


def lease_seconds():
    return getattr(settings, "SIJILL_INGEST_LEASE_SECONDS", 600)


def max_attempts():
    return getattr(settings, "SIJILL_INGEST_MAX_ATTEMPTS", 3)


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"


def is_readable(media_type):
    """Whether ingest can give this type of file a text per page."""
    return media_type in _PAGED or media_type in _TEXT_FILES or media_types.is_text(media_type)


# Asking for work ------------------------------------------------------------------------------------


def request_reading(version_id, *, languages=None):
    """Ask for a version's pages to be read; nothing twice, nothing for a type that has no text."""
    version = Version.objects.select_related("document").filter(pk=version_id).first()
    if version is None or not is_readable(version.media_type):
        return None
    if languages is None:
        languages = version.document.languages or []
    reading, created = Reading.objects.get_or_create(version=version, defaults={"languages": "+".join(languages)})
    if created:
        transaction.on_commit(lambda: wake(1))
    return reading


def wake(units=None):
    """Enqueue enough drains for `units` claimable units (default: all) across the configured workers."""
    if units is None:
        units = claimable_count()
    for _each in range(min(units, settings.SIJILL_TASK_WORKERS)):
        drain.enqueue()


def recover():
    """Wake workers for work left behind by a killed worker (or never started); returns how much is left.

    Also puts together the searchable PDFs a worker killed between settling a version and writing its PDF
    left unmade."""
    for version_id in pages_text.versions_missing_their_pdf():
        pages_text.assemble_searchable_pdf(Version.objects.get(pk=version_id))
    left = claimable_count()
    if left:
        log.info("ingest: %s units of work left from earlier; waking workers", left)
        wake(left)
    watch_leases()
    return left


def _next_lease_end():
    """When the earliest lease held on any unit of work runs out, or None when no unit is held."""
    held = [
        model.objects.filter(state=running, lease_until__isnull=False).order_by("lease_until").values_list(
            "lease_until", flat=True
        ).first()
        for model, _waiting, running, _order in KINDS
    ]
    held.append(
        PageJob.objects.filter(state=JobState.DONE, needs_images=True, lease_until__isnull=False)
        .order_by("lease_until")
        .values_list("lease_until", flat=True)
        .first()
    )
    held = [end for end in held if end is not None]
    return min(held) if held else None


def watch_leases():
    """Leave a drain deferred to the end of the earliest lease held, unless one is already waiting for it.

    Without it a unit whose worker was killed is taken again only when something else wakes a worker.
    Backends that cannot defer a task (the immediate backend of tests) are left alone."""
    end = _next_lease_end()
    if end is None or not drain.get_backend().supports_defer:
        return None
    run_after = end + timedelta(seconds=1)
    if _deferred_drain_waiting(run_after):
        return None
    return drain.using(run_after=run_after).enqueue()


def _deferred_drain_waiting(by):
    """Whether a drain is queued to run by then (a drain queued to run now watches again when it ends)."""
    try:
        from django_tasks_db.models import DBTaskResult, get_date_max
    except ImportError:  # pragma: no cover - another backend that defers: a spare drain costs one query
        return False
    from django_tasks.base import TaskResultStatus

    return (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=drain.module_path)
        .filter(Q(run_after__lte=by) | Q(run_after=get_date_max()))
        .exists()
    )


# Claiming ------------------------------------------------------------------------------------------


def _open(model, waiting, running, now):
    return model.objects.filter(Q(state=waiting) | Q(state=running, lease_until__lt=now))


def _claim(model, waiting, running, order, name):
    """Take the next claimable row of `model` under a fresh lease, or None when nothing is left."""
    while True:
        now = timezone.now()
        candidates = list(_open(model, waiting, running, now).order_by(*order).values_list("pk", flat=True)[:20])
        if not candidates:
            return None
        for pk in candidates:
            # The conditional update is the claim: of two workers racing for a row, one updates it.
            taken = _open(model, waiting, running, now).filter(pk=pk).update(
                state=running,
                lease_until=now + timedelta(seconds=lease_seconds()),
                worker=name,
                attempts=F("attempts") + 1,
            )
            if taken:
                return model.objects.get(pk=pk)


KINDS = (
    (BatchItem, ItemState.WAITING, ItemState.FILING, ("batch__created_at", "row")),
    (Reading, ReadingState.WAITING, ReadingState.PLANNING, ("created_at",)),
    (PageJob, JobState.PENDING, JobState.RUNNING, ("version_id", "number")),
)


def _images_open(now):
    return PageJob.objects.filter(state=JobState.DONE, needs_images=True).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )


def _claim_images(name):
    """A read page whose images are still to make, under a lease of its own (the last kind of work)."""
    while True:
        now = timezone.now()
        candidates = list(_images_open(now).order_by("version_id", "number").values_list("pk", flat=True)[:20])
        if not candidates:
            return None
        for pk in candidates:
            taken = _images_open(now).filter(pk=pk).update(lease_until=now + timedelta(seconds=lease_seconds()), worker=name)
            if taken:
                return PageImages(PageJob.objects.get(pk=pk))


class PageImages:
    """The images of a page read from its text layer: work claimed after every text is read."""

    def __init__(self, job):
        self.job = job


def claimable_count():
    now = timezone.now()
    count = sum(_open(model, waiting, running, now).count() for model, waiting, running, _order in KINDS)
    return count + _images_open(now).count()


def claim(name=None):
    """The next unit of work under this worker's lease: files first, then plans, then pages' text, then
    the images of pages read from a text layer."""
    name = name or worker_name()
    for model, waiting, running, order in KINDS:
        unit = _claim(model, waiting, running, order, name)
        if unit is not None:
            return unit
    return _claim_images(name)


@task()
def drain():
    """Do units of work until none is left (or the worker is stopping); returns how many this one did."""
    done = 0
    name = worker_name()
    while not stopping and (unit := claim(name)) is not None:
        try:
            run(unit, name)
        except ObjectDoesNotExist:
            # The document was deleted while its page was read: its jobs went with it, nothing to write.
            log.info("ingest: %s vanished while it was worked on", unit)
        done += 1
    if not stopping:
        watch_leases()
    return done


def run(unit, name):
    if isinstance(unit, BatchItem):
        from ingest import filing

        filing.file_claimed(unit, name)
    elif isinstance(unit, Reading):
        plan(unit, name)
    elif isinstance(unit, PageImages):
        make_images(unit.job, name)
    else:
        read(unit, name)


def _too_many(unit):
    return unit.attempts > max_attempts()


def _gave_up():
    return _("It was tried %(count)s times and its worker stopped each time; it is left out.") % {
        "count": max_attempts()
    }


def _named(error, path, version):
    """The error with the file named as the clerk knows it, not by its storage key."""
    message = (str(error) or error.__class__.__name__).replace(path.name, version.original_name)
    return UnreadableFile(message)


# Planning: a version's pages counted, a job per page -------------------------------------------------


def plan(reading, name):
    version = Version.objects.get(pk=reading.version_id)
    if _too_many(reading):
        return settle_reading(version.pk, name=name, failure=_gave_up())
    try:
        with scratch_copy.local(version) as path:
            try:
                count = extract.count_pages(path)
            except (UnreadableFile, OSError) as error:
                raise _named(error, path, version) from error
    except (UnreadableFile, OSError) as error:
        log.warning("ingest: version %s cannot be read: %s", version.pk, error)
        return settle_reading(version.pk, name=name, failure=str(error) or error.__class__.__name__)
    with transaction.atomic():
        PageJob.objects.bulk_create(
            [PageJob(version=version, number=number, languages=reading.languages) for number in range(1, count + 1)],
            ignore_conflicts=True,
        )
        planned = Reading.objects.filter(pk=reading.pk, state=ReadingState.PLANNING, worker=name).update(
            state=ReadingState.READING, pages=count, lease_until=None
        )
        if planned:
            BatchItem.objects.filter(version=version, state=ItemState.READING).update(pages=count)
    if planned:
        transaction.on_commit(lambda: wake(count))
    return count


# Reading one page -----------------------------------------------------------------------------------


def read(job, name):
    """Read one claimed page and write what it gave, once."""
    if _too_many(job):
        _fail(job, name, _gave_up())
        return
    started = time.monotonic()
    version = Version.objects.get(pk=job.version_id)
    try:
        with scratch_copy.local(version) as path:
            try:
                result = extract.read_page(
                    path,
                    job.number,
                    languages=[code for code in job.languages.split("+") if code],
                    images=extract.OCR_PAGES,
                )
            except Exception as error:
                raise _named(error, path, version) from error
    except Exception as error:  # noqa: BLE001 - any failure of one page is that page's error, not the batch's
        log.warning("ingest: page %s of version %s failed: %s", job.number, job.version_id, error)
        _fail(job, name, str(error) or error.__class__.__name__)
        return
    pages_text.write(job, name, result, seconds=time.monotonic() - started)
    settle_reading(job.version_id, name=name)


def make_images(job, name):
    """The preview and thumbnail of a page read from its text layer; a failure leaves the page without."""
    version = Version.objects.get(pk=job.version_id)
    try:
        with scratch_copy.local(version) as path:
            preview, thumbnail = extract.text_layer_images(path, job.number)
    except Exception as error:  # noqa: BLE001 - a page without a picture still has its text
        log.warning("ingest: images of page %s of version %s failed: %s", job.number, job.version_id, error)
        preview = thumbnail = None
    pages_text.write_images(job, name, preview, thumbnail)


def _fail(job, name, message):
    PageJob.objects.filter(pk=job.pk, worker=name).exclude(state=JobState.DONE).update(
        state=JobState.FAILED, error=message[:2000], finished_at=timezone.now()
    )
    settle_reading(job.version_id, name=name)


# Settling ------------------------------------------------------------------------------------------


def settle_reading(version_id, *, name=None, failure=None):
    """When every page of a version is settled (or the file failed as a whole), settle its reading and the
    batch items it came from, and put its searchable PDF together."""
    with transaction.atomic():
        reading = Reading.objects.select_for_update().filter(pk=version_id).first()
        if reading is None or reading.state in (ReadingState.DONE, ReadingState.FAILED):
            return
        if failure is not None:
            state, error, pages = ReadingState.FAILED, failure, 0
        else:
            jobs = PageJob.objects.filter(version_id=version_id)
            if jobs.exclude(state__in=(JobState.DONE, JobState.FAILED)).exists():
                return
            failed = list(jobs.filter(state=JobState.FAILED).values_list("number", "error"))
            pages = reading.pages
            state = ReadingState.FAILED if failed and len(failed) == pages else ReadingState.DONE
            error = "\n".join(_("page %(number)s: %(error)s") % {"number": number, "error": err} for number, err in failed)
        Reading.objects.filter(pk=version_id).update(state=state, error=error, finished_at=timezone.now(), lease_until=None)
        items = BatchItem.objects.filter(version_id=version_id, state=ItemState.READING)
        item_state = ItemState.FAILED if state == ReadingState.FAILED else ItemState.DONE
        batch_ids = list(items.values_list("batch_id", flat=True).distinct())
        items.update(state=item_state, error=error, pages=pages)
    if state == ReadingState.DONE:
        pages_text.assemble_searchable_pdf(Version.objects.get(pk=version_id))
    from ingest import batches

    for batch_id in batch_ids:
        batches.finish_if_done(batch_id)


def retry_reading(version_id):
    """Read again the pages of a version that failed (after a fix: a longer timeout, a model installed)."""
    with transaction.atomic():
        failed = PageJob.objects.filter(version_id=version_id, state=JobState.FAILED)
        count = failed.update(state=JobState.PENDING, attempts=0, error="", worker="", lease_until=None, finished_at=None)
        reading = Reading.objects.select_for_update().filter(pk=version_id).first()
        if reading is None:
            return 0
        if reading.pages == 0:  # the file itself failed: count its pages again
            Reading.objects.filter(pk=version_id).update(state=ReadingState.WAITING, attempts=0, error="", finished_at=None)
            count = 1
        elif count:
            Reading.objects.filter(pk=version_id).update(state=ReadingState.READING, error="", finished_at=None)
        if count:
            BatchItem.objects.filter(version_id=version_id, state=ItemState.FAILED).update(
                state=ItemState.READING, error=""
            )
            transaction.on_commit(lambda: wake(count))
    return count
