"""The common part of the database backends: everything but the text match, written once with the ORM.

Each engine (sqlite/, postgres/) keeps a table of page rows (FTS5, or tsvector with GIN) and compiles the
query's words, phrases and prefixes into its own MATCH or tsquery. This part applies the rest inside the
same SQL statement: the access rule over `IndexedDocument`'s copy of level, marks and case, read with the
live assignment table (records.access.rule_on_copies), the filters, and the document-level AND/OR/NOT as
set operations over the engine's page matches. The documents left are counted, faceted and ordered here;
only the ranking of their pages goes back to the engine.
"""

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL

from records import access
from records.models import Document
from search import normalise
from search.backends.base import BaseSearchBackend, Hit, Results, Row, by_date, count_facets
from search.models import MAX_PAGE, IndexedDocument, IndexedMark, PendingDocument, row_range
from search.query import And, MatchAll, Not, Or, Phrase, Prefix, Word

# Words per indexed chunk of a page, and the words repeated at the start of the next chunk so that a
# phrase across the cut is still found.
CHUNK_WORDS = 10_000
CHUNK_OVERLAP = 16
ROW_FIELDS = ("seq", "document_id", "case_id", "court_id", "case_type_id", "kind", "languages", "year", "date")
ALL_DOCUMENTS = f"SELECT seq AS s FROM {IndexedDocument._meta.db_table}"


def chunks(terms):
    """A page's terms in chunks of CHUNK_WORDS, overlapping by CHUNK_OVERLAP; at least one chunk."""
    if len(terms) <= CHUNK_WORDS:
        return [terms]
    step = CHUNK_WORDS - CHUNK_OVERLAP
    return [terms[start : start + CHUNK_WORDS] for start in range(0, len(terms) - CHUNK_OVERLAP, step)]


def languages_field(codes):
    return "".join(f"|{code}" for code in codes) + "|" if codes else ""


class DatabaseCompiler:
    """Turns query objects into SQL over one engine's page table; subclasses write the leaves."""

    def leaf(self, query):
        """(sql, params) selecting `s`, the seq of every document with a page matching a word, phrase or
        prefix."""
        raise NotImplementedError

    def page_scores(self, positives, seqs):
        """[(seq, page number, score)] of the pages of documents `seqs` matching any of `positives`; a
        higher score is a better page."""
        raise NotImplementedError

    def top_documents(self, positives, seqs, limit):
        """[(seq, score)] of the `limit` best of documents `seqs` by their best page matching any of
        `positives`, best first, ties by seq: ranked inside the engine, which returns only these."""
        raise NotImplementedError

    def documents(self, query):
        """(sql, params) selecting the seqs of the documents matching `query`: AND, OR and NOT as set
        operations over documents, so that words on different pages of one document find it."""
        if isinstance(query, MatchAll):
            return ALL_DOCUMENTS, []
        if isinstance(query, Word | Phrase | Prefix):
            return self.leaf(query)
        if isinstance(query, Not):
            return self._combine("EXCEPT", [(ALL_DOCUMENTS, []), self.documents(query.child)])
        if isinstance(query, Or):
            return self._combine("UNION", [self.documents(child) for child in query.children])
        if isinstance(query, And):
            positive = [self.documents(child) for child in query.children if not isinstance(child, Not)]
            negative = [self.documents(child.child) for child in query.children if isinstance(child, Not)]
            found = self._combine("INTERSECT", positive or [(ALL_DOCUMENTS, [])])
            return self._combine("EXCEPT", [found, *negative]) if negative else found
        raise TypeError(f"{type(query).__name__} is not a search query the database backends compile.")

    @staticmethod
    def _combine(operator, parts):
        if len(parts) == 1:
            return parts[0]
        sql = f" {operator} ".join(f"SELECT s FROM ({part}) AS q{n}" for n, (part, _params) in enumerate(parts))
        return sql, [param for _sql, params in parts for param in params]


class DatabaseSearchBackend(BaseSearchBackend):
    """Search in the site's own database: the page table is the engine's, the rest is Django's."""

    compiler_class = DatabaseCompiler
    supports_stemming = True

    def __init__(self, options=None):
        super().__init__(options)
        self.compiler = self.compiler_class()

    # Searching ------------------------------------------------------------------------------------------

    def visible(self, reach):
        """The indexed documents `reach` may see: records' own rule, over the index's copy."""
        rule = access.rule_on_copies(reach, marks=IndexedMark, owner_field="entry_id", case_field="case_id")
        hidden = PendingDocument.objects.filter(hidden=True).values("document_id")
        return IndexedDocument.objects.filter(rule).exclude(document_id__in=hidden)

    @staticmethod
    def filtered(documents, filters):
        if filters.courts:
            documents = documents.filter(court_id__in=filters.courts)
        if filters.case_types:
            documents = documents.filter(case_type_id__in=filters.case_types)
        if filters.kinds:
            documents = documents.filter(kind__in=filters.kinds)
        if filters.cases:
            documents = documents.filter(case_id__in=filters.cases)
        if filters.languages:
            either = Q()
            for code in filters.languages:
                either |= Q(languages__contains=f"|{code}|")
            documents = documents.filter(either)
        if filters.year_from is not None:
            documents = documents.filter(year__gte=filters.year_from)
        if filters.year_to is not None:
            documents = documents.filter(year__lte=filters.year_to)
        return documents

    def _search(self, request, reach):
        if request.filters.none:
            return Results(facets={name: {} for name in request.facets})
        documents = self.filtered(self.visible(reach), request.filters)
        if not isinstance(request.query, MatchAll):
            sql, params = self.compiler.documents(request.query)
            documents = documents.filter(seq__in=RawSQL(sql, params))
        rows = [Row._make(values) for values in documents.order_by().values_list(*ROW_FIELDS)]
        positives = request.query.positives()
        end = request.offset + request.limit
        if request.order == "relevance" and positives and rows:
            top = self.compiler.top_documents(positives, [row.seq for row in rows], end)
            by_seq = {row.seq: row for row in rows}
            shown = [(by_seq[seq], score) for seq, score in top[request.offset : end]]
        else:
            shown = [(row, None) for row in by_date(rows, request.order)[request.offset : end]]
        pages = self._best_pages(positives, [row.seq for row, _score in shown]) if positives and shown else {}
        hits = [
            Hit(document_id=row.document_id, case_id=row.case_id, score=score, pages=pages.get(row.seq, [])[: request.snippets_per_hit])
            for row, score in shown
        ]
        return Results(
            count=len(rows),
            facets=count_facets(rows, request.facets),
            hits=hits,
            case_ids=list({row.case_id for row in rows if row.case_id is not None}),
        )

    def _best_pages(self, positives, seqs):
        """{seq: [page numbers, best first]} of the pages of these documents that match."""
        best = {}
        for seq, number, score in self.compiler.page_scores(positives, seqs):
            by_page = best.setdefault(seq, {})
            by_page[number] = max(score, by_page.get(number, score))
        return {seq: sorted(by_page, key=lambda number: (-by_page[number], number)) for seq, by_page in best.items()}

    # Indexing -------------------------------------------------------------------------------------------

    def index(self, entries, target=None):
        entries = list(entries)
        if not entries:
            return
        with transaction.atomic():
            seqs = self._write_copies(entries)
            for entry in entries:
                seq = seqs[entry.document_id]
                self.delete_pages(seq)
                self.insert_pages(seq, self._page_rows(entry))

    def update_access(self, entries):
        entries = list(entries)
        if entries:
            with transaction.atomic():
                self._write_copies(entries, only_existing=True)

    def remove(self, document_ids):
        ids = list(document_ids)
        with transaction.atomic():
            for seq in IndexedDocument.objects.filter(document_id__in=ids).values_list("seq", flat=True):
                self.delete_pages(seq)
            IndexedDocument.objects.filter(document_id__in=ids).delete()

    def stamps(self, document_ids=None):
        if document_ids is not None:
            return dict(IndexedDocument.objects.filter(document_id__in=list(document_ids)).values_list("document_id", "stamp"))
        return IndexedDocument.objects.order_by("document_id").values_list("document_id", "stamp").iterator(chunk_size=5000)

    def finish_rebuild(self, run, indexed_ids=None):
        """An in-place rebuild ends by removing what records no longer holds."""
        orphans = IndexedDocument.objects.exclude(document_id__in=Document.objects.values("pk"))
        self.remove(list(orphans.values_list("document_id", flat=True)))

    def reset(self):
        with transaction.atomic():
            self.delete_all_pages()
            IndexedDocument.objects.all().delete()

    def _write_copies(self, entries, only_existing=False):
        """Upsert the documents' copies and their marks; {document id: seq}."""
        fields = {
            entry.document_id: {
                "version_id": entry.version_id,
                "case_id": entry.case_id,
                "court_id": entry.court_id,
                "case_type_id": entry.case_type_id,
                "kind": entry.kind,
                "languages": languages_field(entry.languages),
                "year": entry.year,
                "date": entry.date,
                "title": entry.title[:400],
                "level": entry.level,
                "marked": bool(entry.mark_ids),
                **({} if only_existing else {"stamp": entry.stamp}),
            }
            for entry in entries
        }
        existing = dict(IndexedDocument.objects.filter(document_id__in=list(fields)).values_list("document_id", "seq"))
        for document_id, values in fields.items():
            if document_id in existing:
                IndexedDocument.objects.filter(seq=existing[document_id]).update(**values)
            elif not only_existing:
                existing[document_id] = IndexedDocument.objects.create(document_id=document_id, **values).seq
        IndexedMark.objects.filter(entry_id__in=list(existing.values())).delete()
        IndexedMark.objects.bulk_create(
            [IndexedMark(entry_id=existing[entry.document_id], mark_id=mark) for entry in entries if entry.document_id in existing for mark in entry.mark_ids]
        )
        return existing

    def _page_rows(self, entry):
        """(number, chunk, terms, stems) of every chunk of every page of the entry."""
        stemmed = normalise.stemmed_languages(entry.languages)
        for number, text in entry.pages:
            if not 1 <= number <= MAX_PAGE:
                continue
            for chunk, terms in enumerate(chunks(normalise.terms(text))):
                yield number, chunk, terms, normalise.stems(terms, stemmed)

    # What each engine writes -----------------------------------------------------------------------------

    def insert_pages(self, seq, rows):
        raise NotImplementedError

    def delete_pages(self, seq):
        first, after = row_range(seq)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.page_table} WHERE {self.row_column} >= %s AND {self.row_column} < %s", [first, after])

    def delete_all_pages(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.page_table}")
