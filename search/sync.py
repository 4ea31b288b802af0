"""Keeping the index in step with records, from records' announcements (records.signals).

Two speeds. Who may see a document is copied at once: a change of level, marks or case reaches the index
in the announcement's handler, which runs when the change commits, inside the request that made it, so the
next search already applies it (assignments and clearances are read live by every search anyway). If that
copy cannot be written, the document is hidden from every search until it is indexed again: search fails
closed. Text and description changes are indexed in the background, debounced: each announcement pushes
the document's due time a little later, up to a longest wait, so a document whose pages are being read
is indexed once its pages are in, not once per page.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from records.models import Document, Version
from search import indexing
from search.models import IndexedDocument, PendingDocument

log = logging.getLogger(__name__)


def debounce_seconds():
    return getattr(settings, "SIJILL_SEARCH_DEBOUNCE_SECONDS", 5)


def longest_wait_seconds():
    return getattr(settings, "SIJILL_SEARCH_LONGEST_WAIT_SECONDS", 120)


# Handlers of records' announcements (connected in SearchConfig.ready) -----------------------------------


def version_added(sender, version_id, **kwargs):
    """A new current version: its pages replace the old ones once they are read."""
    schedule(Version.objects.filter(pk=version_id).values_list("document_id", flat=True))


def pages_changed(sender, version_id, numbers=(), **kwargs):
    schedule(Version.objects.filter(pk=version_id).values_list("document_id", flat=True))


def document_changed(sender, document_id, **kwargs):
    """Level, marks, description or deletion: the access copy now, the rest in the background."""
    copy_access([document_id])
    schedule([document_id])


def case_changed(sender, case_id, **kwargs):
    """What a case's documents inherit (level, marks, court, type, dates) changed, or the case is gone."""
    ids = set(Document.objects.filter(case_id=case_id).values_list("pk", flat=True))
    ids |= set(IndexedDocument.objects.filter(case_id=case_id).values_list("document_id", flat=True))
    copy_access(ids)
    schedule(ids)


# The two speeds ---------------------------------------------------------------------------------------


def copy_access(document_ids):
    """Copy who may see these documents to the index now; on failure hide them until indexed again."""
    ids = list(document_ids)
    if not ids:
        return
    try:
        indexing.refresh_access(ids)
    except Exception:  # noqa: BLE001 - whatever failed, the documents must not stay visible as they were
        log.exception("search: the access copy of %s documents could not be written; they are hidden from search", len(ids))
        hide(ids)


def hide(document_ids):
    """Leave these documents out of every search until the background indexing has written them again."""
    now = timezone.now()
    for document_id in document_ids:
        PendingDocument.objects.update_or_create(
            document_id=document_id,
            defaults={"due_at": now, "token": uuid.uuid4(), "hidden": True},
            create_defaults={"first_at": now, "due_at": now, "token": uuid.uuid4(), "hidden": True},
        )


def schedule(document_ids):
    """Index these documents in the background once their changes settle (debounced)."""
    ids = list(dict.fromkeys(document_ids))
    if not ids:
        return
    now = timezone.now()
    delay, longest = timedelta(seconds=debounce_seconds()), timedelta(seconds=longest_wait_seconds())
    due = now + delay
    with transaction.atomic():
        pending = {row.document_id: row for row in PendingDocument.objects.select_for_update().filter(document_id__in=ids)}
        for document_id in ids:
            row = pending.get(document_id)
            if row is None:
                PendingDocument.objects.create(document_id=document_id, first_at=now, due_at=due, token=uuid.uuid4())
            else:
                row.due_at = min(due, row.first_at + longest)
                row.token = uuid.uuid4()
                row.save(update_fields=["due_at", "token"])
    transaction.on_commit(lambda: wake(due))


def wake(due):
    """Enqueue the background indexing for `due`; a queue that cannot wait runs it now, due or not."""
    from search import tasks

    if tasks.index_pending.get_backend().supports_defer:
        tasks.index_pending.using(run_after=due).enqueue(due_only=True)
    else:
        tasks.index_pending.enqueue(due_only=False)


def index_pending(*, due_only=True, batch=200, now=None):
    """Index the pending documents (those due, or all); returns how many were indexed. A row whose token
    changed while its document was being indexed stays, for the later announcement."""
    now = now or timezone.now()
    done = 0
    while True:
        rows = PendingDocument.objects.order_by("due_at")
        if due_only:
            rows = rows.filter(due_at__lte=now)
        taken = list(rows.values_list("document_id", "token")[:batch])
        if not taken:
            break
        indexing.index_documents([document_id for document_id, _ in taken])
        for document_id, token in taken:
            PendingDocument.objects.filter(document_id=document_id, token=token).delete()
        done += len(taken)
        if len(taken) < batch:
            break
    return done
