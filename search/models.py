"""What search keeps beside the records: its copy of each indexed document, and its own bookkeeping.

The database backends keep one `IndexedDocument` per document: the fields filters, facets and order read,
and a copy of the document's effective level, marks and case, on which the access rule is applied inside
the query (records.access.rule_on_copies). Its `seq` numbers the document inside the engines' page tables,
whose row id packs the document's seq, the page number and a chunk number (`row_id`), so a page hit names
its document and page without a look-up. Chunks split very long pages (a whole statute read from one HTML
file is one page): PostgreSQL keeps word positions up to 16,383 only, and phrases need positions.

The copy names records by id only, without foreign keys: deleting a document in records never waits on
search, and search removes its copy on the announcement (search.sync).
"""

from django.db import models

PAGE_BITS = 16
CHUNK_BITS = 4
SEQ_SHIFT = PAGE_BITS + CHUNK_BITS
MAX_PAGE = (1 << PAGE_BITS) - 1
MAX_CHUNK = (1 << CHUNK_BITS) - 1


def row_id(seq, number, chunk=0):
    """The page table's row id of one chunk of one page of a document."""
    return (seq << SEQ_SHIFT) | (number << CHUNK_BITS) | chunk


def row_range(seq):
    """[first, after) row ids of every page of the document numbered `seq`."""
    return seq << SEQ_SHIFT, (seq + 1) << SEQ_SHIFT


class IndexedDocument(models.Model):
    seq = models.BigAutoField(primary_key=True)
    document_id = models.UUIDField(unique=True)
    version_id = models.UUIDField(null=True)
    case_id = models.UUIDField(null=True, db_index=True)
    court_id = models.BigIntegerField(null=True)
    case_type_id = models.BigIntegerField(null=True)
    kind = models.CharField(max_length=32)
    # "|ara|fra|": each language between bars, so a filter is one LIKE and a facet one split.
    languages = models.CharField(max_length=120, blank=True)
    year = models.IntegerField(null=True)
    date = models.DateField(null=True)
    title = models.CharField(max_length=400)
    # The effective level (the document's own if higher, else its case's) and whether it has any mark,
    # its own or its case's: what records.access reads of an item, copied.
    level = models.CharField(max_length=16)
    marked = models.BooleanField(default=False)
    # What the copy was made from; search_check compares it with what records hold now.
    stamp = models.CharField(max_length=64)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        # No index on the access columns: most documents are open, so it would not narrow a search, and
        # SQLite, without statistics, would walk it instead of looking up the few documents a word found.
        indexes = [models.Index(fields=["date", "seq"], name="search_doc_date")]

    def __str__(self):
        return f"{self.title} ({self.document_id})"


class IndexedMark(models.Model):
    """One mark of an indexed document (its own or its case's), as the access rule looks marks up."""

    entry = models.ForeignKey(IndexedDocument, on_delete=models.CASCADE, related_name="marks")
    mark_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "mark_id"], name="search_mark_unique")]

    def __str__(self):
        return f"{self.entry_id}: {self.mark_id}"


class PendingDocument(models.Model):
    """A document whose text or description changed and is to be indexed again once changes settle.

    Debouncing: every announcement pushes `due_at` a little later (up to `first_at` + the longest wait),
    so a document whose 300 pages are being read is indexed once, when its pages are in.
    """

    document_id = models.UUIDField(primary_key=True)
    first_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    # Changed on every announcement: a worker removes the row only if nothing was announced meanwhile.
    token = models.UUIDField()
    # Set when the copy of the document's level and marks could not be brought up to date at once: every
    # search leaves the document out until it is indexed again (failing closed, never open).
    hidden = models.BooleanField(default=False)

    class Meta:
        # Every search leaves out the hidden ones. Without an index on them, PostgreSQL prices that
        # look-up as a scan, which the search disables for the page table's sake (PostgresSearchBackend):
        # the disabled scan's price then steered the documents' join away from the index (26 ms to
        # read all 100,000 documents where looking up the 989 found takes 3).
        indexes = [models.Index(fields=["document_id"], condition=models.Q(hidden=True), name="search_pending_hidden")]

    def __str__(self):
        return f"{self.document_id} due {self.due_at:%Y-%m-%d %H:%M:%S}"


class ReindexRun(models.Model):
    """A `reindex` run: where it got to, so an interrupted run resumes instead of starting over."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    backend = models.CharField(max_length=40)
    # Elasticsearch: the new index being filled, to which the alias moves at the end.
    target = models.CharField(max_length=200, blank=True)
    last_document_id = models.UUIDField(null=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.backend} reindex of {self.started_at:%Y-%m-%d %H:%M}: {self.done}/{self.total}"
