"""Whether the index holds what records hold: documents missing from it, stale in it, or left over.

A document's stamp (search.documents) sums up its current version's pages and revisions and the copy of
its description and access; comparing stamps needs no text. Records are read in batches and the index is
asked for the same ids, so memory holds one batch; the index is then walked once for what records no
longer hold.
"""

from dataclasses import dataclass, field

from records.models import Document
from search import documents
from search.backends import get_backend
from search.models import PendingDocument

BATCH = 500


@dataclass
class Report:
    checked: int = 0
    missing: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    orphaned: list = field(default_factory=list)
    hidden: list = field(default_factory=list)  # access copies that failed and are kept out of search

    @property
    def problems(self):
        return len(self.missing) + len(self.stale) + len(self.orphaned) + len(self.hidden)


def check(*, backend=None, batch=BATCH):
    backend = backend or get_backend()
    report = Report()
    last = None
    ordered = Document.objects.order_by("pk").values_list("pk", flat=True)
    while True:
        ids = list((ordered.filter(pk__gt=last) if last else ordered)[:batch])
        if not ids:
            break
        last = ids[-1]
        indexed = backend.stamps(ids)
        for entry in documents.entries(ids, with_text=False):
            report.checked += 1
            stamp = indexed.get(entry.document_id)
            if stamp is None:
                report.missing.append(entry.document_id)
            elif stamp != entry.stamp:
                report.stale.append(entry.document_id)
    known = set()
    for document_id, _stamp in backend.stamps():
        known.add(document_id)
        if len(known) >= batch:
            report.orphaned += _gone(known)
            known = set()
    report.orphaned += _gone(known)
    report.hidden = list(PendingDocument.objects.filter(hidden=True).values_list("document_id", flat=True))
    return report


def _gone(document_ids):
    present = set(Document.objects.filter(pk__in=list(document_ids)).values_list("pk", flat=True))
    return sorted(set(document_ids) - present, key=str)
