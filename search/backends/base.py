"""What every search backend is: capability flags, the request checks, and the common part of a search.

Organised as modelsearch's backends are (`modelsearch/backends/base.py`): a backend compiles the engine-free
query (search.query) into its engine's language and answers with results. What modelsearch lacks, and
Sijill needs, is built here in the same shape: document hits carrying the numbers of their best pages,
the access rule applied inside the engine's query, and facets counted after it.

Semantics every backend keeps (the behaviour suite checks them on each): a word, phrase or prefix matches
within one page; AND, OR and NOT combine at the level of the document, so words on two pages of one
judgment both find it. The access rule and the filters apply before anything is counted.
"""

from dataclasses import dataclass, field

from search.query import FACETS, ORDERS, SearchRequest

MAX_LIMIT = 100
# Deep pages cost every engine the whole ranking up to them; Elasticsearch refuses past 10,000 by default.
MAX_WINDOW = 10_000
# The restricted cases named in a search's audit event (records.auditing keeps at most this many).
MAX_AUDITED_CASES = 1000


class SearchRequestError(ValueError):
    """A request a backend cannot answer; the message names the value and what is accepted instead."""


@dataclass
class Hit:
    """A matching document: its score (None when sorted by date alone) and its best pages, best first."""

    document_id: object
    case_id: object = None
    score: float | None = None
    pages: list = field(default_factory=list)


@dataclass
class Results:
    count: int = 0
    facets: dict = field(default_factory=dict)  # facet -> {value: number of documents}
    hits: list = field(default_factory=list)
    case_ids: list = field(default_factory=list)  # of the matching documents, for the audit event


class BaseSearchBackend:
    """A search engine behind the one service. Subclasses say what they support with the flags below;
    a behaviour test of a feature a backend lacks is skipped with the flag's name, never by backend."""

    name = "base"
    # Words match their inflections in the document's language (Snowball stems, or the engine's analyzers).
    supports_stemming = False
    supports_prefix = True
    supports_facets = True
    # A classification change reaches the index before the request that made it returns.
    supports_synchronous_access = True

    def __init__(self, options=None):
        self.options = options or {}

    # Searching ------------------------------------------------------------------------------------------

    def search(self, request: SearchRequest, reach):
        """Results of `request` for someone with `reach` (records.access.Reach): counted, faceted and paged
        after the access rule and the filters, inside the engine."""
        self.check(request)
        return self._search(request, reach)

    def check(self, request):
        unknown = [name for name in request.facets if name not in FACETS]
        if unknown:
            raise SearchRequestError(f"No facet {', '.join(unknown)}; ask for some of {', '.join(FACETS)}.")
        if request.order not in ORDERS:
            raise SearchRequestError(f"No order {request.order!r}; use one of {', '.join(ORDERS)}.")
        if not 1 <= request.limit <= MAX_LIMIT:
            raise SearchRequestError(f"A page holds 1 to {MAX_LIMIT} results, not {request.limit}.")
        if not 0 <= request.offset or request.offset + request.limit > MAX_WINDOW:
            raise SearchRequestError(
                f"Results are paged up to the {MAX_WINDOW:,}th; narrow the search with filters to reach further."
            )

    def _search(self, request, reach):
        raise NotImplementedError

    # Indexing -------------------------------------------------------------------------------------------

    def index(self, entries, target=None):
        """Add or replace these documents (search.documents.DocumentEntry, with their pages); `target`: a
        rebuild's own index, where the backend builds one beside the searched one."""
        raise NotImplementedError

    def update_access(self, entries):
        """Replace only the access copy (level, marks, case) and description of these documents; fast
        enough to run before the request that changed them returns."""
        raise NotImplementedError

    def remove(self, document_ids):
        raise NotImplementedError

    def stamps(self, document_ids=None):
        """{document id: stamp} of these indexed documents; without ids, (id, stamp) of every indexed
        document, streamed: what search_check compares."""
        raise NotImplementedError

    def reset(self):
        """Empty the index."""
        raise NotImplementedError

    def begin_rebuild(self, run):
        """Prepare a full reindex for `run` (search.models.ReindexRun); returns its target, if any."""
        return ""

    def finish_rebuild(self, run, indexed_ids=None):
        """Make a completed rebuild the one searched; drop what it did not index."""
