"""Query objects and requests as Elasticsearch searches (elasticsearch.dsl), with the access rule as a filter.

Words, phrases and prefixes are nested queries on the pages, so they match within one page; AND, OR and
NOT combine them at the level of the document, as the database backends do. The access rule is the one of
records.access, written over the fields the index copies (effective level, marks, case) with the user's
reach and their live assignments: a filter, so totals and aggregations are counted after it.
"""

from dataclasses import dataclass

from elasticsearch.dsl import Q, Search

from records.access import NEEDS_ASSIGNMENT
from search.backends.elasticsearch.mapping import LANGUAGE_FIELDS, stemmed_field
from search.query import And, MatchAll, Not, Or, Phrase, Prefix, Word

FACET_FIELDS = {"court": "court_id", "year": "year", "kind": "kind", "case_type": "case_type_id", "language": "languages"}
FACET_SIZES = {"year": 500}
FACET_SIZE = 200


@dataclass(frozen=True)
class AccessTerms:
    """records.access's rule for one user, as the values an Elasticsearch filter needs, read live."""

    open_levels: tuple
    assigned_levels: tuple
    assigned_case_ids: tuple  # the cases assigned to the user or their groups, now
    excluded_mark_ids: tuple  # every mark the user is not cleared for
    hidden_document_ids: tuple = ()  # documents whose access copy could not be written (search.sync)

    def query(self):
        allowed = [Q("terms", level=list(self.open_levels))]
        if self.assigned_levels and self.assigned_case_ids:
            allowed.append(
                Q("bool", filter=[Q("terms", level=list(self.assigned_levels)), Q("terms", case_id=[str(pk) for pk in self.assigned_case_ids])])
            )
        refused = []
        if self.excluded_mark_ids:
            refused.append(Q("terms", marks=list(self.excluded_mark_ids)))
        if self.hidden_document_ids:
            refused.append(Q("terms", document_id=[str(pk) for pk in self.hidden_document_ids]))
        return Q("bool", should=allowed, minimum_should_match=1, must_not=refused)


class ElasticsearchCompiler:
    def leaf(self, query):
        """The page-level query of one word, phrase or prefix (not yet nested)."""
        if isinstance(query, Word):
            alternatives = [Q("match", **{"pages.text": {"query": query.term}})]
            alternatives += [Q("match", **{f"pages.{stemmed_field(code)}": {"query": query.term}}) for code in LANGUAGE_FIELDS]
            return Q("bool", should=alternatives, minimum_should_match=1)
        if isinstance(query, Phrase):
            return Q("match_phrase", **{"pages.text": {"query": " ".join(query.terms)}})
        if isinstance(query, Prefix):
            return Q("prefix", **{"pages.text": {"value": query.term}})
        raise TypeError(f"{type(query).__name__} is not a word, phrase or prefix.")

    def documents(self, query):
        """The document-level query: leaves nested in the pages, combined with bool."""
        if isinstance(query, MatchAll):
            return Q("match_all")
        if isinstance(query, Word | Phrase | Prefix):
            return Q("nested", path="pages", score_mode="max", query=self.leaf(query))
        if isinstance(query, Not):
            return Q("bool", must=[Q("match_all")], must_not=[self.documents(query.child)])
        if isinstance(query, Or):
            return Q("bool", should=[self.documents(child) for child in query.children], minimum_should_match=1)
        if isinstance(query, And):
            return Q(
                "bool",
                must=[self.documents(child) for child in query.children if not isinstance(child, Not)] or [Q("match_all")],
                must_not=[self.documents(child.child) for child in query.children if isinstance(child, Not)],
            )
        raise TypeError(f"{type(query).__name__} is not a search query the Elasticsearch backend compiles.")

    def best_pages(self, positives, size):
        """A query adding nothing to the score that names each hit's best pages (inner hits)."""
        return Q(
            "nested",
            path="pages",
            score_mode="max",
            query=Q("bool", should=[self.leaf(query) for query in positives], minimum_should_match=1),
            inner_hits={"name": "pages", "size": size, "_source": {"includes": ["pages.number"]}},
            boost=0,
        )

    @staticmethod
    def filters(filters):
        found = []
        if filters.courts:
            found.append(Q("terms", court_id=list(filters.courts)))
        if filters.case_types:
            found.append(Q("terms", case_type_id=list(filters.case_types)))
        if filters.kinds:
            found.append(Q("terms", kind=list(filters.kinds)))
        if filters.languages:
            found.append(Q("terms", languages=list(filters.languages)))
        if filters.cases:
            found.append(Q("terms", case_id=[str(pk) for pk in filters.cases]))
        if filters.year_from is not None or filters.year_to is not None:
            bounds = {key: value for key, value in (("gte", filters.year_from), ("lte", filters.year_to)) if value is not None}
            found.append(Q("range", year=bounds))
        return found

    def search(self, request, access_terms, *, audited_cases=1000):
        """The whole search: query, access rule and filters as filters, facets, order and page."""
        positives = request.query.positives()
        query = Q(
            "bool",
            must=[self.documents(request.query)],
            filter=[access_terms.query(), *self.filters(request.filters)],
            should=[self.best_pages(positives, request.snippets_per_hit)] if positives else [],
        )
        search = Search().query(query).extra(track_total_hits=True, from_=request.offset, size=request.limit)
        search = search.source(["document_id", "case_id"])
        for name in request.facets:
            search.aggs.bucket(name, "terms", field=FACET_FIELDS[name], size=FACET_SIZES.get(name, FACET_SIZE))
        # The cases of confidential, sealed or marked documents, for the audit event's scope, as the database
        # backends name them: a common word's thousand most frequent cases would be mostly open ones.
        restricted = Q("bool", should=[Q("terms", level=[level.value for level in NEEDS_ASSIGNMENT]), Q("exists", field="marks")], minimum_should_match=1)
        search.aggs.bucket("cases", "filter", filter=restricted).bucket("ids", "terms", field="case_id", size=audited_cases)
        return search.sort(*self.order(request))

    @staticmethod
    def order(request):
        by_date = {"order": "asc" if request.order == "oldest" else "desc", "missing": "_last"}
        if request.ranked:
            return [{"_score": {"order": "desc"}}, {"date": {"order": "desc", "missing": "_last"}}, {"document_id": "asc"}]
        return [{"date": by_date}, {"document_id": "asc"}]
