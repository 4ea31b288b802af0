"""PostgreSQL full-text search: tsvector page rows under a GIN index, in the site's own database."""

from django.db import connection, transaction

from search.backends.database.base import DatabaseSearchBackend
from search.backends.database.postgres.compiler import PostgresCompiler, vector
from search.backends.database.postgres.schema import TABLE
from search.models import row_id
from search.query import MatchAll


class PostgresSearchBackend(DatabaseSearchBackend):
    name = "postgresql"
    compiler_class = PostgresCompiler
    page_table = TABLE
    row_column = "id"

    def _search(self, request, reach):
        """A search with words reads the pages through their GIN index, never by a scan of the table.

        A page's vector is stored out of line (TOAST), so the table itself is small and the planner
        prices a scan of it as cheap, then unpacks every vector: 650 ms for a rare word at 100,000 pages
        where the index answers in a few. The setting is changed for these statements only."""
        if isinstance(request.query, MatchAll):
            return super()._search(request, reach)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan')")
            (before,) = cursor.fetchone()
            cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
            try:
                return super()._search(request, reach)
            finally:
                cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [before])

    def insert_pages(self, rows):
        """One COPY for the batch's pages: a reindex writes a million rows, which INSERTs would send one by one."""
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {TABLE} (id, vector) FROM STDIN") as copy:
            for seq, (number, chunk, terms, stems) in rows:
                copy.write_row((row_id(seq, number, chunk), vector(terms, stems)))
