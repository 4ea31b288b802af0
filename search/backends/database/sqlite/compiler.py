"""Query objects as FTS5 MATCH expressions over the page table's `text` and `stems` columns."""

import json

from django.db import connection

from search import normalise
from search.backends.database.base import DatabaseCompiler
from search.backends.database.sqlite.schema import TABLE
from search.models import CHUNK_BITS, MAX_PAGE, SEQ_SHIFT
from search.query import Phrase, Prefix, Word

# The stems column counts for less than the words as written: the exact word ranks first.
WEIGHTS = "1.0, 0.5"


def quoted(text):
    return '"' + text.replace('"', '""') + '"'


class SQLiteCompiler(DatabaseCompiler):
    def match(self, query):
        """The MATCH expression of one word, phrase or prefix."""
        if isinstance(query, Word):
            alternatives = [f"text : {quoted(query.term)}"]
            alternatives += [
                f"stems : {quoted(normalise.stem(query.term, language))}" for language in normalise.STEMMERS
            ]
            return "(" + " OR ".join(alternatives) + ")"
        if isinstance(query, Phrase):
            return f"text : {quoted(' '.join(query.terms))}"
        if isinstance(query, Prefix):
            return f"text : {quoted(query.term)} *"
        raise TypeError(f"{type(query).__name__} is not a word, phrase or prefix.")

    def leaf(self, query):
        return f"SELECT rowid >> {SEQ_SHIFT} AS s FROM {TABLE} WHERE {TABLE} MATCH %s", [self.match(query)]

    def scored_pages(self, positives):
        expression = " OR ".join(self.match(query) for query in positives)
        # bm25() may not run inside an aggregate: `ranking` materialises these scores before grouping them.
        sql = (
            f"SELECT rowid AS id, rowid >> {SEQ_SHIFT} AS seq, -bm25({TABLE}, {WEIGHTS}) AS score "
            f"FROM {TABLE} WHERE {TABLE} MATCH %s AND (rowid >> {SEQ_SHIFT}) IN (SELECT seq FROM m)"
        )
        return sql, [expression]

    def page_scores(self, positives, seqs):
        expression = " OR ".join(self.match(query) for query in positives)
        sql = (
            f"SELECT rowid >> {SEQ_SHIFT}, (rowid >> {CHUNK_BITS}) & {MAX_PAGE}, bm25({TABLE}, {WEIGHTS}) "
            f"FROM {TABLE} WHERE {TABLE} MATCH %s AND (rowid >> {SEQ_SHIFT}) IN (SELECT value FROM json_each(%s))"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, json.dumps(list(seqs))])
            # bm25() is lower for better rows; a score is higher for better ones.
            return [(seq, number, -score) for seq, number, score in cursor.fetchall()]
