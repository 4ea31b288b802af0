"""Page jobs: one per page, claimed under a lease, written once.

A version to read gets one `PageJob` per page. Workers run `drain`, which claims jobs one at a time until
none is left, so a 500-page file spreads over every worker. A claim is a lease: a worker killed with
SIGKILL (which django-tasks-db never notices) leaves its page to be claimed again once the lease runs
out, and `recover` (run when a worker starts) wakes workers for whatever is left. A page's text is
written under the job's row lock and the page's unique (version, number), so a page that two workers
read ends up with one text, the first written; the other's output is thrown away.
"""

import logging
import os
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from ingest import extract, pages_text, scratch_copy
from ingest.models import BatchItem, ItemState, JobState, PageJob
from records.models import Version

log = logging.getLogger(__name__)


def lease_seconds():
    return getattr(settings, "SIJILL_INGEST_LEASE_SECONDS", 600)


def max_attempts():
    return getattr(settings, "SIJILL_INGEST_MAX_ATTEMPTS", 3)


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"


def schedule(version, *, item=None, languages=()):
    """Make a job for every page of `version` and wake workers; returns the page count.

    Scheduling a version again makes no job twice (the jobs are unique per page)."""
    with scratch_copy.local(version) as path:
        count = extract.count_pages(path)
    PageJob.objects.bulk_create(
        [PageJob(version=version, number=number, item=item, languages="+".join(languages)) for number in range(1, count + 1)],
        ignore_conflicts=True,
    )
    if item is not None:
        BatchItem.objects.filter(pk=item.pk).update(pages=count, state=ItemState.READING, version=version)
    transaction.on_commit(lambda: wake(count))
    return count


def wake(jobs=None):
    """Enqueue enough drains for `jobs` pages (default: all claimable) across the configured workers."""
    if jobs is None:
        jobs = claimable().count()
    for _each in range(min(jobs, settings.SIJILL_TASK_WORKERS)):
        drain.enqueue()


def claimable(now=None):
    now = now or timezone.now()
    return PageJob.objects.filter(Q(state=JobState.PENDING) | Q(state=JobState.RUNNING, lease_until__lt=now))


def claim(name=None):
    """Take the next claimable job under a fresh lease, or None when nothing is left."""
    name = name or worker_name()
    while True:
        now = timezone.now()
        candidates = list(claimable(now).order_by("version_id", "number").values_list("pk", flat=True)[:20])
        if not candidates:
            return None
        for pk in candidates:
            # The conditional update is the claim: of two workers racing for a job, one updates it.
            taken = claimable(now).filter(pk=pk).update(
                state=JobState.RUNNING,
                lease_until=now + timedelta(seconds=lease_seconds()),
                worker=name,
                attempts=F("attempts") + 1,
            )
            if taken:
                return PageJob.objects.select_related("version__document", "item").get(pk=pk)


@task()
def drain():
    """Read pages until no job is left; returns how many this worker read."""
    done = 0
    name = worker_name()
    while (job := claim(name)) is not None:
        run(job, name)
        done += 1
    return done


def recover():
    """Wake workers for pages left behind by a killed worker; returns how many are claimable."""
    left = claimable().count()
    if left:
        log.info("ingest: %s page jobs left from earlier work; waking workers", left)
        wake(left)
    return left


def run(job, name):
    """Read one claimed page and write what it gave, once."""
    if job.attempts > max_attempts():
        _fail(job, name, _("The page was tried %(count)s times and its worker stopped each time; it is left out.") % {"count": max_attempts()})
        return
    started = time.monotonic()
    try:
        with scratch_copy.local(job.version) as path:
            read = extract.read_page(path, job.number, languages=[code for code in job.languages.split("+") if code])
    except Exception as error:  # noqa: BLE001 - any failure of one page is that page's error, not the batch's
        log.warning("ingest: page %s of version %s failed: %s", job.number, job.version_id, error)
        _fail(job, name, str(error) or error.__class__.__name__)
        return
    pages_text.write(job, name, read, seconds=time.monotonic() - started)
    finish_item(job)


def _fail(job, name, message):
    with transaction.atomic():
        PageJob.objects.filter(pk=job.pk, worker=name).exclude(state=JobState.DONE).update(
            state=JobState.FAILED, error=message[:2000], finished_at=timezone.now()
        )
    finish_item(job)


def finish_item(job):
    """When the last page of a batch item is settled, settle the item (and make its searchable PDF)."""
    if job.item_id is None:
        return
    with transaction.atomic():
        item = BatchItem.objects.select_for_update().filter(pk=job.item_id).first()
        if item is None or item.state != ItemState.READING:
            return
        jobs = PageJob.objects.filter(version_id=job.version_id)
        if jobs.exclude(state__in=(JobState.DONE, JobState.FAILED)).exists():
            return
        failed = list(jobs.filter(state=JobState.FAILED).values_list("number", "error"))
        item.state = ItemState.FAILED if failed and len(failed) == item.pages else ItemState.DONE
        item.error = "\n".join(_("page %(number)s: %(error)s") % {"number": number, "error": error} for number, error in failed)
        item.save(update_fields=["state", "error", "updated_at"])
        transaction.on_commit(lambda: pages_text.assemble_searchable_pdf(Version.objects.get(pk=job.version_id)))
        from ingest import batches

        batches.finish_if_done(item.batch_id)

