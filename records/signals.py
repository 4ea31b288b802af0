"""What the records core announces to the apps built on it (ingest, search, retention).

`records` imports none of those apps; each listens to these signals, connected in its own
`AppConfig.ready()`. A signal is sent once the change is committed, with identifiers only: a listener
re-reads what it needs, and never acts on a change that was rolled back.
"""

from django.db import transaction
from django.dispatch import Signal

# version_id: a version's bytes were stored (an upload, a revert, an import); its pages are to be read.
version_added = Signal()
# version_id, numbers: the text of these pages was written or corrected.
pages_changed = Signal()
# document_id: the document's description, level or marks changed, or it was deleted.
document_changed = Signal()
# case_id: what a case's documents inherit changed (court, type, number, dates, level, marks, status),
# or the case was deleted.
case_changed = Signal()


def announce(signal, **ids):
    """Send `signal` with `ids` after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: signal.send(sender=None, **ids), robust=True)
