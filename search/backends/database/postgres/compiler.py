"""Query objects as tsquery values over the page table's vectors, and vectors from folded words.

Lexemes are written as tsquery and tsvector literals, never through to_tsquery or to_tsvector, so what
matches is exactly the folded words of search.normalise: the same on PostgreSQL as on SQLite.
"""

from django.db import connection

from search import normalise
from search.backends.database.base import DatabaseCompiler
from search.backends.database.postgres.schema import TABLE
from search.models import CHUNK_BITS, MAX_PAGE, SEQ_SHIFT, row_range
from search.query import Phrase, Prefix, Word

MAX_POSITION = 16383  # PostgreSQL keeps no higher position
MAX_POSITIONS_PER_WORD = 256  # nor more positions of one lexeme
# ts_rank normalisation 1: divide by 1 + log(length), so a long page does not win by length alone.
RANK_NORMALISATION = 1


def lexeme(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def vector(terms, stems):
    """The tsvector literal of a chunk: each word with its positions, each stem without."""
    positions = {}
    for position, term in enumerate(terms[:MAX_POSITION], start=1):
        found = positions.setdefault(term, [])
        if len(found) < MAX_POSITIONS_PER_WORD:
            found.append(position)
    parts = [f"{lexeme(term)}:{','.join(map(str, places))}" for term, places in positions.items()]
    parts += [lexeme(stem) for stem in stems if stem not in positions]
    return " ".join(parts)


class PostgresCompiler(DatabaseCompiler):
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

    def leaf(self, query):
        return f"SELECT id >> {SEQ_SHIFT} AS s FROM {TABLE} WHERE vector @@ %s::tsquery", [self.tsquery(query)]

    def scored_pages(self, positives):
        expression = " | ".join(self.tsquery(query) for query in positives)
        sql = (
            f"SELECT id, id >> {SEQ_SHIFT} AS seq, ts_rank(vector, q, {RANK_NORMALISATION}) AS score "
            f"FROM {TABLE}, CAST(%s AS tsquery) AS q WHERE vector @@ q AND (id >> {SEQ_SHIFT}) IN (SELECT seq FROM m)"
        )
        return sql, [expression]

    def page_scores(self, positives, seqs):
        expression = " | ".join(self.tsquery(query) for query in positives)
        # The documents' own ranges of row ids, read through the primary key: a few pages each, however
        # common the words.
        ranges = " OR ".join(["(id >= %s AND id < %s)"] * len(seqs))
        sql = (
            f"SELECT id >> {SEQ_SHIFT}, (id >> {CHUNK_BITS}) & {MAX_PAGE}, ts_rank(vector, q, {RANK_NORMALISATION}) "
            f"FROM {TABLE}, CAST(%s AS tsquery) AS q WHERE ({ranges}) AND vector @@ q"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, *(value for seq in seqs for value in row_range(seq))])
            return cursor.fetchall()
