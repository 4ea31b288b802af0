"""Query objects as tsquery values over the page table's vectors, and vectors from folded words.

Lexemes are written as tsquery and tsvector literals, never through to_tsquery or to_tsvector, so what
matches is exactly the folded words of search.normalise: the same on PostgreSQL as on SQLite.
"""

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from search import normalise
from search.backends.database.base import DatabaseCompiler, Ranking
from search.backends.database.postgres.schema import RANK_INDEX_CONDITION, TABLE
from search.models import CHUNK_BITS, MAX_PAGE, SEQ_SHIFT, IndexedDocument, row_range
from search.query import And, Not, Or, Phrase, Prefix, Word

MAX_POSITION = 16383  # PostgreSQL keeps no higher position
MAX_POSITIONS_PER_WORD = 256  # nor more positions of one lexeme
# ts_rank normalisation 1: divide by 1 + log(length), so a long page does not win by length alone.
RANK_NORMALISATION = 1


def lexeme(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def vector(terms, languages):
    """The tsvector literal of a chunk: each word at its positions, weighted A, and each of its stems in
    `languages` at the same positions, unweighted (D). Ranking then counts a word's other forms for less
    than the word as written (ts_rank weighs A 1.0 and D 0.1), and every lexeme has positions, which the
    rank index (RUM) needs to score a page at all."""
    positions = {}
    for position, term in enumerate(terms[:MAX_POSITION], start=1):
        found = positions.setdefault(term, [])
        if len(found) < MAX_POSITIONS_PER_WORD:
            found.append(position)
    stems = {}
    for term, places in positions.items():
        for language in languages:
            stems.setdefault(normalise.stem(term, language), []).extend(places)
    parts = [f"{lexeme(term)}:{','.join(f'{place}A' for place in places)}" for term, places in positions.items()]
    parts += [f"{lexeme(stem)}:{','.join(map(str, sorted(places)[:MAX_POSITIONS_PER_WORD]))}" for stem, places in stems.items()]
    return " ".join(parts)


def narrowed(query):
    """Whether the documents `query` finds are among those of its words, phrases and prefixes, rather than
    every document but some."""
    if isinstance(query, Word | Phrase | Prefix):
        return True
    if isinstance(query, Or):
        return all(map(narrowed, query.children))
    if isinstance(query, And):
        return any(narrowed(child) for child in query.children if not isinstance(child, Not))
    return False  # Not, MatchAll


class PostgresCompiler(DatabaseCompiler):
    """Scores pages with ts_rank, reading each matching page's vector."""

    # A page's score from its `vector` and the query `q`; higher is better.
    score = f"ts_rank(vector, q, {RANK_NORMALISATION})"

    def tsquery(self, query):
        """The tsquery literal of one word, phrase or prefix."""
        if isinstance(query, Word):
            alternatives = [lexeme(query.term)]
            alternatives += [lexeme(normalise.stem(query.term, language)) for language in normalise.STEMMERS]
            return "(" + " | ".join(dict.fromkeys(alternatives)) + ")"
        if isinstance(query, Phrase):
            return "(" + " <-> ".join(lexeme(term) for term in query.terms) + ")"
        if isinstance(query, Prefix):
            return f"{lexeme(query.term)}:*"
        raise TypeError(f"{type(query).__name__} is not a word, phrase or prefix.")

    def found(self, query):
        """Documents found by their words are looked up by seq, one by one: `= ANY` an array of them, which
        the planner cannot size and reads through the primary key. As `IN`, it sized the pages of a rare
        word (46) by the statistics of its six forms (16,000) and read every visible document to join
        them: 30 ms where the look-ups take 1, and a common word's 14,000 look-ups take no longer than
        the join. A query that only excludes (`-word`) finds nearly every document: joined, as before
        (90,000 look-ups take 220 ms, the join 150)."""
        if not narrowed(query):
            return super().found(query)
        sql, params = self.documents(query)
        table = connection.ops.quote_name(IndexedDocument._meta.db_table)
        return RawSQL(f"{table}.seq = ANY(ARRAY(SELECT DISTINCT s FROM ({sql}) AS found))", params, output_field=BooleanField())

    def any_of(self, positives):
        return " | ".join(self.tsquery(query) for query in positives)

    def leaf(self, query):
        return f"SELECT id >> {SEQ_SHIFT} AS s FROM {TABLE} WHERE vector @@ %s::tsquery", [self.tsquery(query)]

    def scored_pages(self, positives):
        sql = (
            f"SELECT id, id >> {SEQ_SHIFT} AS seq, {self.score} AS score "
            f"FROM {TABLE}, CAST(%s AS tsquery) AS q WHERE vector @@ q AND ((id >> {SEQ_SHIFT}) IN (SELECT seq FROM m)) IS TRUE"
        )
        return sql, [self.any_of(positives)]

    def page_scores(self, positives, seqs):
        # The documents' own ranges of row ids, read through the primary key: a few pages each, however
        # common the words. `IS TRUE` keeps the planner from reading the words' index as well, which for
        # a phrase of a common word costs ten times the pages themselves. The score in double precision,
        # as the search's statement gives it (a real read as text would be rounded).
        ranges = " OR ".join(["(id >= %s AND id < %s)"] * len(seqs))
        sql = (
            f"SELECT id >> {SEQ_SHIFT}, (id >> {CHUNK_BITS}) & {MAX_PAGE}, CAST({self.score} AS DOUBLE PRECISION) "
            f"FROM {TABLE}, CAST(%s AS tsquery) AS q WHERE ({ranges}) AND (vector @@ q) IS TRUE"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.any_of(positives), *(value for seq in seqs for value in row_range(seq))])
            return cursor.fetchall()


class RankIndexCompiler(PostgresCompiler):
    """With the rank index (RUM, which keeps each lexeme's positions in the index), pages are scored by
    RUM's own measure, and a ranked search takes one of two ways, chosen inside its statement by how many
    documents it found (the same for every window of one search, so results pages follow one order):

    - up to SCORE_ALL_UP_TO documents, their matching pages are found through GIN and each one's vector
      is read and scored: 16 ms for the 1,000 pages of a phrase at 1,000,000 pages. Ties by seq.
    - beyond, the search walks the rank index in score order, best first, for its first pages only.
      Documents rank by their first page in the walk, so the first pages rank the first documents
      exactly, ties in the index's own order, and the vectors of the thousands of other pages a common
      word is on are never read: ts_rank reads them all, 260 ms for a word on 21,851 pages, where walking
      the first 200 takes about 10 (benchmarks/search_scale.py). The walk reads the positions of every
      word of the query from the index, so it costs more than scoring a few pages: 60 ms for that phrase.
    """

    score = "rum_ts_score(vector, q)"
    # Documents found up to which their pages are scored one by one rather than walked: about 3,000
    # pages, 45 ms, against 25 ms to walk the first pages of a common word and 60 for a phrase.
    SCORE_ALL_UP_TO = 2000
    # A ranked window ending at most this far down walks the index's first pages; a deeper one, or one
    # whose first pages held too few documents, walks them all.
    WALK_WINDOW = 200
    # Pages walked per document of the window: a document may have many pages high in the order.
    WALK_PAGES_PER_DOCUMENT = 10
    WALK_MINIMUM = 200

    def few(self):
        """The condition, inside the search's statement, under which pages are scored rather than walked."""
        return f"(SELECT COUNT(*) FROM m) <= {int(self.SCORE_ALL_UP_TO)}"

    def walk_size(self, offset, limit):
        """How many pages to walk for the window, 0 for every page."""
        if offset + limit > self.WALK_WINDOW:
            return 0
        return max(self.WALK_MINIMUM, self.WALK_PAGES_PER_DOCUMENT * (offset + limit))

    def scored_pages(self, positives):
        sql, params = super().scored_pages(positives)
        return f"{sql} AND {self.few()}", params

    def ranking(self, positives, offset, limit, walk=True):
        scored = super().ranking(positives, offset, limit)
        size = self.walk_size(offset, limit) if walk else 0
        expression = self.any_of(positives)
        # The query is written out, not joined in, as the index orders only by a constant. The access
        # rule and filters (the documents of `m`) are a filter on the walk, not a join, which would lose
        # the index's order: `IS TRUE` keeps the planner from turning it into one. The index's own
        # condition lets the planner read it (schema.RANK_INDEX_CONDITION). The position of a row is
        # counted over the walk as the index gives it (no ORDER BY in the window: none is needed).
        tables = (
            f"{scored.tables}, walk AS MATERIALIZED (SELECT id >> {SEQ_SHIFT} AS seq, row_number() OVER () AS position FROM ("
            f"SELECT id FROM {TABLE} WHERE NOT {self.few()} AND {RANK_INDEX_CONDITION} AND vector @@ %s::tsquery "
            f"AND ((id >> {SEQ_SHIFT}) IN (SELECT seq FROM m)) IS TRUE "
            f"ORDER BY vector <=> %s::tsquery{' LIMIT %s' if size else ''}) AS pages), "
            "firsts AS (SELECT seq, min(position) AS first FROM walk GROUP BY seq)"
        )
        select = (
            f"{scored.select} UNION ALL "
            "SELECT * FROM (SELECT 'walk', CAST(seq AS TEXT), first, CAST(NULL AS DOUBLE PRECISION), "
            f"CAST(NULL AS BIGINT), CAST(NULL AS DOUBLE PRECISION) FROM firsts ORDER BY first LIMIT {int(limit)} OFFSET {int(offset)}) AS w "
            "UNION ALL SELECT 'walked', NULL, (SELECT COUNT(*) FROM walk), CAST((SELECT COUNT(*) FROM firsts) AS DOUBLE PRECISION), "
            f"CAST(NULL AS BIGINT), CAST(NULL AS DOUBLE PRECISION) WHERE NOT {self.few()}"
        )
        return Ranking(tables, select, [*scored.params, expression, expression, *([size] if size else [])], walk=size)
