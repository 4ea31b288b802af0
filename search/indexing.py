"""Bringing the index in step with records for given documents: their text, or their access copy only.

Each function takes document ids, re-reads records and writes through the backend in use; a document no
longer in records leaves the index. They are what the signal handlers, the background task and the
commands call (search.sync, search.tasks, reindex).
"""

from search import documents
from search.backends import get_backend


def index_documents(document_ids, backend=None, target=None):
    """Index these documents with their current pages; remove those records no longer holds. `target`:
    a rebuild's new index (Elasticsearch), written alone."""
    backend = backend or get_backend()
    ids = list(dict.fromkeys(document_ids))
    entries = documents.entries(ids)
    backend.index(entries, target=target)
    gone = set(ids) - {entry.document_id for entry in entries}
    if gone:
        backend.remove(gone)
    return len(entries)


def refresh_access(document_ids, backend=None):
    """Copy these documents' level, marks, case and description to the index now, without their text:
    what must hold before the request that changed them returns. Documents records no longer holds
    leave the index."""
    backend = backend or get_backend()
    ids = list(dict.fromkeys(document_ids))
    entries = documents.entries(ids, with_text=False)
    backend.update_access(entries)
    gone = set(ids) - {entry.document_id for entry in entries}
    if gone:
        backend.remove(gone)
    return len(entries)
