"""PostgreSQL full-text search: tsvector page rows under a GIN index, in the site's own database."""

from django.db import connection

from search.backends.database.base import DatabaseSearchBackend
from search.backends.database.postgres.compiler import PostgresCompiler, vector
from search.backends.database.postgres.schema import TABLE
from search.models import row_id


class PostgresSearchBackend(DatabaseSearchBackend):
    name = "postgresql"
    compiler_class = PostgresCompiler
    page_table = TABLE
    row_column = "id"

    def insert_pages(self, seq, rows):
        values = [(row_id(seq, number, chunk), vector(terms, stems)) for number, chunk, terms, stems in rows]
        if values:
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {TABLE} (id, vector) VALUES (%s, %s::tsvector)", values)
