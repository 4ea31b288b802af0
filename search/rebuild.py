"""A full reindex that streams in bounded memory, reports its progress and resumes after an interruption.

Documents are read in batches, in the order of their ids, and each batch is written before the next is
read, so memory holds one batch. The run records the last id it wrote (search.models.ReindexRun): a run
cut short (a killed process, a lost connection) is taken up from there by the next `reindex`. The
database backends index in place, and searches keep answering from what is already indexed; Elasticsearch
fills a new index beside the searched one and moves its alias at the end.
"""

import time
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from records.models import Document
from search import indexing
from search.backends import get_backend
from search.models import ReindexRun

BATCH = 200


@dataclass
class Progress:
    done: int  # documents indexed by the run, before an interruption too
    total: int
    seconds: float  # since this process took the run up
    this_session: int  # documents indexed in those seconds
    resumed: bool

    @property
    def rate(self):
        return self.this_session / self.seconds if self.seconds > 0 else 0.0

    def __str__(self):
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        left = (self.total - self.done) / self.rate if self.rate else 0
        return f"{self.done:,} / {self.total:,} documents{share}, {self.rate:.0f} documents/s, about {left / 60:.0f} min left"


def current_run(backend):
    return ReindexRun.objects.filter(backend=backend.name, finished_at__isnull=True).order_by("-started_at").first()


def reindex(*, batch=BATCH, restart=False, report=None, finishing=None, backend=None):
    """Index every document; resume the unfinished run unless `restart`. `report(Progress)` after each
    batch, and `finishing()` before the backend's last step, which may take minutes (PostgreSQL builds
    its rank index, Elasticsearch moves its alias). Returns the finished run."""
    backend = backend or get_backend()
    run = current_run(backend)
    resumed = run is not None and not restart
    if run is not None and restart:
        ReindexRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
        run = None
    if run is None:
        run = ReindexRun.objects.create(backend=backend.name, total=Document.objects.count())
        run.target = backend.begin_rebuild(run) or ""
        run.save(update_fields=["target"])
    started, done_before = time.monotonic(), run.done
    documents = Document.objects.order_by("pk").values_list("pk", flat=True)
    while True:
        remaining = documents.filter(pk__gt=run.last_document_id) if run.last_document_id else documents
        ids = list(remaining[:batch])
        if not ids:
            break
        indexing.index_documents(ids, backend=backend, target=run.target or None)
        run.last_document_id, run.done = ids[-1], run.done + len(ids)
        run.save(update_fields=["last_document_id", "done"])
        if report:
            report(Progress(run.done, max(run.total, run.done), time.monotonic() - started, run.done - done_before, resumed))
        connection.queries_log.clear()  # with DEBUG on, Django would keep every query of the run
    if finishing:
        finishing()
    backend.finish_rebuild(run)
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    return run
