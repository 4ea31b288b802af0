"""The common part of the database backends: everything but the text match, written once with the ORM.

Each engine (sqlite/, postgres/) keeps a table of page rows (FTS5, or tsvector with GIN) and compiles the
query's words, phrases and prefixes into its own MATCH or tsquery. This part applies the rest inside the
same SQL statement: the access rule over `IndexedDocument`'s copy of level, marks and case, read with the
live assignment table (records.access.rule_on_copies), the filters, and the document-level AND/OR/NOT as
set operations over the engine's page matches. The documents left are counted, faceted and ordered here;
only the ranking of their pages goes back to the engine.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.expressions import RawSQL

from records import access
from records.models import Document
from search import normalise
from search.backends.base import MAX_AUDITED_CASES, BaseSearchBackend, Hit, Results
from search.models import CHUNK_BITS, MAX_PAGE, IndexedDocument, IndexedMark, PendingDocument, row_range
from search.query import And, MatchAll, Not, Or, Phrase, Prefix, Word

# Words per indexed chunk of a page, and the words repeated at the start of the next chunk so that a
# phrase across the cut is still found.
CHUNK_WORDS = 10_000
CHUNK_OVERLAP = 16
# The column of the index's copy that each facet counts; "language" counts each code of "|ara|fra|".
FACET_COLUMNS = {"court": "court_id", "case_type": "case_type_id", "kind": "kind", "year": "year", "language": "languages"}
ALL_DOCUMENTS = f"SELECT seq AS s FROM {IndexedDocument._meta.db_table}"


def chunks(terms):
    """A page's terms in chunks of CHUNK_WORDS, overlapping by CHUNK_OVERLAP; at least one chunk."""
    if len(terms) <= CHUNK_WORDS:
        return [terms]
    step = CHUNK_WORDS - CHUNK_OVERLAP
    return [terms[start : start + CHUNK_WORDS] for start in range(0, len(terms) - CHUNK_OVERLAP, step)]


def languages_field(codes):
    return "".join(f"|{code}" for code in codes) + "|" if codes else ""


class Ranking(NamedTuple):
    """The SQL that ranks a search's documents inside its one statement (DatabaseCompiler.ranking)."""

    tables: str  # common table expressions, after `m`'s
    select: str  # rows ('top', ...) or ('walk', ...) and ('walked', ...): see DatabaseCompiler.ranking
    params: list  # of `tables`
    walk: int | None = None  # when the engine walks a rank index: the pages walked at most, 0 for all


@dataclass
class Tally:
    count: int = 0
    facets: dict = field(default_factory=dict)
    case_ids: list = field(default_factory=list)
    top: list = field(default_factory=list)  # [(seq, score)] of the ranked page of documents, best first
    pages: list = field(default_factory=list)  # [(seq, page number, score)] of their matching pages
    walk: int | None = None  # Ranking.walk, when the engine walked its rank index (a 'walked' row came)
    walked: list = field(default_factory=list)  # [seq] of the ranked page of documents it found, best first
    walked_pages: int = 0  # how many matching pages it walked
    walked_documents: int = 0  # of how many documents

    def settled(self, end):
        """Whether the walk ranked the documents up to `end`: it found that many, or walked every page."""
        return self.walk == 0 or self.walked_pages < self.walk or self.walked_documents >= end


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

    def scored_pages(self, positives):
        """(sql, params) selecting `id`, `seq` and `score` (higher is better) of every page of the documents
        of the table `m` (their `seq`) that matches any of `positives`: what `ranking` ranks by."""
        raise NotImplementedError

    def ranking(self, positives, offset, limit, walk=True):
        """The Ranking of the documents of the table `m` by their best matching page, best first, ties by
        seq: `tables` adds common table expressions after `m`'s, and `select` gives a ('top', seq, None,
        score, page number, page score) row for every matching page of the documents ranked offset to
        offset + limit. Ranked inside the engine, which returns only these.

        An engine with a rank index may instead walk it, for a search it chooses inside the statement:
        its matching pages in the index's order, best first, the first `Ranking.walk` of them (every one
        when `walk` is false). Documents then rank by their first page in that order, so the first pages
        rank the first documents exactly, ties included. `select` then gives ('walk', seq, position) for
        the documents ranked offset to offset + limit, and one ('walked', None, pages walked, documents
        walked), which tells the search that it walked."""
        pages, params = self.scored_pages(positives)
        tables = (
            f", pages AS MATERIALIZED ({pages}), "
            "top AS (SELECT seq, max(score) AS best FROM pages GROUP BY seq ORDER BY best DESC, seq LIMIT %s OFFSET %s)"
        )
        select = (
            f"SELECT 'top', CAST(top.seq AS TEXT), CAST(NULL AS BIGINT), CAST(top.best AS DOUBLE PRECISION), "
            f"(pages.id >> {CHUNK_BITS}) & {MAX_PAGE}, CAST(pages.score AS DOUBLE PRECISION) "
            "FROM top JOIN pages ON pages.seq = top.seq"
        )
        return Ranking(tables, select, [*params, limit, offset])

    def found(self, query):
        """The condition on IndexedDocument that it matches `query` (not MatchAll)."""
        return Q(seq__in=RawSQL(*self.documents(query)))

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
        # NOT EXISTS, which PostgreSQL joins, rather than NOT IN, a sub-plan it prices into every look-up
        # of a document by seq and so avoids them: a clerk's phrase found in 989 documents read all 90,000
        # visible ones (43 ms; 18 by look-ups).
        hidden = PendingDocument.objects.filter(hidden=True, document_id=OuterRef("document_id"))
        return IndexedDocument.objects.filter(rule).exclude(Exists(hidden))

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
            documents = documents.filter(self.compiler.found(request.query))
        documents = documents.order_by()
        positives = request.query.positives()
        ranked = request.ranked
        window = (positives, request.offset, request.limit)
        tally = self._tally(documents, request.facets, window if ranked else None)
        if ranked and tally.walk is not None:
            if not tally.settled(request.offset + request.limit):  # the first pages held too few documents
                tally = self._tally(documents, (), window, walk=False)
            scores = self.compiler.page_scores(positives, tally.walked) if tally.walked else []
            pages, best = self._best_pages(scores), {}
            for seq, _number, score in scores:
                best[seq] = max(score, best.get(seq, score))
            shown = [(seq, best.get(seq)) for seq in tally.walked]
        elif ranked:
            shown = tally.top
            pages = self._best_pages(tally.pages)
        elif tally.count > request.offset:
            newest = request.order != "oldest"
            by_date = F("date").desc(nulls_last=True) if newest else F("date").asc(nulls_last=True)
            window = documents.order_by(by_date, "seq").values_list("seq", flat=True)[request.offset : request.offset + request.limit]
            shown = [(seq, None) for seq in window]
            pages = self._best_pages(self.compiler.page_scores(positives, [seq for seq, _ in shown])) if positives and shown else {}
        else:
            shown, pages = [], {}
        described = {
            seq: (document_id, case_id)
            for seq, document_id, case_id in IndexedDocument.objects.filter(seq__in=[seq for seq, _score in shown]).values_list("seq", "document_id", "case_id")
        }
        hits = [
            Hit(document_id=described[seq][0], case_id=described[seq][1], score=score, pages=pages.get(seq, [])[: request.snippets_per_hit])
            for seq, score in shown
            if seq in described
        ]
        return Results(count=tally.count, facets=tally.facets, hits=hits, case_ids=tally.case_ids)

    def _tally(self, documents, names, ranking=None, walk=True):
        """The matching documents counted, grouped by each facet, their restricted cases named, and, with
        `ranking` (positives, offset, limit), the page of them best ranked with their matching pages: all
        in one statement, so the documents are found once and never fetched one by one."""
        columns = ("seq", "case_id", "level", "marked", *{FACET_COLUMNS[name] for name in names})
        matching, params = documents.values(*columns).query.sql_with_params()
        # Rows of (kind, value, documents, score, page number, page score); what a kind leaves out is NULL.
        # Typed, as PostgreSQL takes a union's column types from its first part.
        nothing = "CAST(NULL AS DOUBLE PRECISION), CAST(NULL AS BIGINT), CAST(NULL AS DOUBLE PRECISION)"
        groups = [f"SELECT CAST('count' AS TEXT) AS kind, CAST(NULL AS TEXT) AS value, COUNT(*) AS n, {nothing} FROM m"]
        for name in names:
            column = FACET_COLUMNS[name]
            groups.append(f"SELECT '{name}', CAST({column} AS TEXT), COUNT(*), {nothing} FROM m WHERE {column} IS NOT NULL GROUP BY {column}")
        # The cases of confidential, sealed or marked documents, for the audit event's scope (records.auditing
        # narrows them to the cases restricted themselves): the only ones a search's words must be kept under.
        restricted_levels = ", ".join("%s" for _level in access.NEEDS_ASSIGNMENT)
        groups.append(
            f"SELECT 'case', CAST(case_id AS TEXT), COUNT(*), {nothing} FROM m WHERE case_id IS NOT NULL "
            f"AND (level IN ({restricted_levels}) OR marked) GROUP BY case_id LIMIT {MAX_AUDITED_CASES}"
        )
        tables, selects, ranking_params, walk_size = "", [], [], None
        if ranking:
            tables, select, ranking_params, walk_size = self.compiler.ranking(*ranking, walk=walk)
            selects.append(select)
        union = " UNION ALL ".join([*(f"SELECT * FROM ({group}) AS g{n}" for n, group in enumerate(groups)), *selects])
        sql = f"WITH m AS MATERIALIZED ({matching}){tables} {union}"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *ranking_params, *access.NEEDS_ASSIGNMENT])
            rows = cursor.fetchall()
        tally = Tally(facets={name: Counter() for name in names})
        walked = []
        top = {}
        for kind, value, number, score, page, page_score in rows:
            if kind == "count":
                tally.count = number
            elif kind == "case":
                tally.case_ids.append(uuid.UUID(value))
            elif kind == "top":
                top[int(value)] = score
                tally.pages.append((int(value), page, page_score))
            elif kind == "walk":
                walked.append((number, int(value)))
            elif kind == "walked":
                tally.walk, tally.walked_pages, tally.walked_documents = walk_size, number, int(score)
            elif kind == "language":
                for code in value.split("|"):
                    if code:
                        tally.facets[kind][code] += number
            else:
                tally.facets[kind][value if kind == "kind" else int(value)] += number
        tally.top = sorted(top.items(), key=lambda item: (-item[1], item[0]))
        tally.walked = [seq for _position, seq in sorted(walked)]
        tally.facets = {name: dict(counter) for name, counter in tally.facets.items()}
        return tally

    @staticmethod
    def _best_pages(scores):
        """{seq: [page numbers, best first]} from (seq, page number, score) of matching pages (a page's
        chunks each have a score: the page has the best)."""
        best = {}
        for seq, number, score in scores:
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
                self.delete_pages(seqs[entry.document_id])
            self.insert_pages((seqs[entry.document_id], row) for entry in entries for row in self._page_rows(entry))

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
        """(number, chunk, terms, languages) of every chunk of every page of the entry: `languages` are
        those of the document with a stemmer, from which each engine writes the stems its own way."""
        stemmed = normalise.stemmed_languages(entry.languages)
        for number, text in entry.pages:
            if not 1 <= number <= MAX_PAGE:
                continue
            for chunk, terms in enumerate(chunks(normalise.terms(text))):
                yield number, chunk, terms, stemmed

    # What each engine writes -----------------------------------------------------------------------------

    def insert_pages(self, rows):
        """Write (seq, (number, chunk, terms, stemmed languages)) page rows, all of one batch at once."""
        raise NotImplementedError

    def delete_pages(self, seq):
        first, after = row_range(seq)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.page_table} WHERE {self.row_column} >= %s AND {self.row_column} < %s", [first, after])

    def delete_all_pages(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.page_table}")
