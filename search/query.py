"""The one engine-free search: what to match (query objects) and which documents to consider (a request).

Shaped as modelsearch's queries are (`modelsearch.query`): small objects combined with `&`, `|` and `~`,
compiled by each backend into its own language. Sijill's differ where courts need more: a word is
matched with its stems, a quoted phrase exactly (one quoted word too), a prefix on words as written; and
the request carries the filters, facets, order and page, which the backends' common part applies after
the access rule. Every term here is already folded (search.normalise), so compilers only quote them.
"""

from dataclasses import dataclass, field


class SearchQuery:
    def __and__(self, other):
        return And((self, other))

    def __or__(self, other):
        return Or((self, other))

    def __invert__(self):
        return Not(self)

    def positives(self):
        """The words, phrases and prefixes whose presence makes a hit: what snippets highlight."""
        return []


@dataclass(frozen=True)
class MatchAll(SearchQuery):
    """Every document the filters and the access rule leave: a search by filters alone."""


@dataclass(frozen=True)
class Word(SearchQuery):
    """One folded word, matched as written or by its stem in the document's language."""

    term: str

    def positives(self):
        return [self]


@dataclass(frozen=True)
class Phrase(SearchQuery):
    """Folded words in this order, matched exactly (no stems); one quoted word is an exact word."""

    terms: tuple

    def positives(self):
        return [self]


@dataclass(frozen=True)
class Prefix(SearchQuery):
    """Words beginning with a folded stem, as written (`compéten*`)."""

    term: str

    def positives(self):
        return [self]


@dataclass(frozen=True)
class And(SearchQuery):
    children: tuple

    def positives(self):
        return [found for child in self.children for found in child.positives()]


@dataclass(frozen=True)
class Or(SearchQuery):
    children: tuple

    def positives(self):
        return [found for child in self.children for found in child.positives()]


@dataclass(frozen=True)
class Not(SearchQuery):
    child: SearchQuery


MATCH_ALL = MatchAll()


def split_negatives(query):
    """(positive part, [negated parts]) of a conjunction, so engines that cannot search "not x" alone
    (FTS5, tsquery) start from the positive part or from every document."""
    if isinstance(query, Not):
        return MATCH_ALL, [query.child]
    if isinstance(query, And):
        positive = [child for child in query.children if not isinstance(child, Not)]
        negative = [child.child for child in query.children if isinstance(child, Not)]
        if not positive:
            return MATCH_ALL, negative
        return (positive[0] if len(positive) == 1 else And(tuple(positive))), negative
    return query, []


# Filters, facets, order and the page asked for ----------------------------------------------------------

FACETS = ("court", "year", "kind", "case_type", "language")
ORDERS = ("relevance", "newest", "oldest")


@dataclass(frozen=True)
class Filters:
    """Which documents to consider, by the ids the index keeps; an empty tuple means "any".

    `none` is set when a filter named something that does not exist or that the user may not see: the
    answer is then empty, exactly as for a filter that matches nothing.
    """

    courts: tuple = ()
    case_types: tuple = ()
    kinds: tuple = ()
    languages: tuple = ()
    cases: tuple = ()
    year_from: int | None = None
    year_to: int | None = None
    none: bool = False


@dataclass(frozen=True)
class SearchRequest:
    """A search as a backend receives it: the query, what to consider, what to count, which page."""

    query: SearchQuery = MATCH_ALL
    filters: Filters = field(default_factory=Filters)
    facets: tuple = FACETS
    order: str = "relevance"
    offset: int = 0
    limit: int = 20
    snippets_per_hit: int = 3

    @property
    def ranked(self):
        """Whether the results are ordered by relevance: asked for, and some word to be relevant to."""
        return self.order == "relevance" and bool(self.query.positives())
