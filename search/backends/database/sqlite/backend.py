"""SQLite FTS5: the embedded default, in the site's own database file."""

from django.db import connection

from search import normalise
from search.backends.database.base import DatabaseSearchBackend
from search.backends.database.sqlite.compiler import SQLiteCompiler
from search.backends.database.sqlite.schema import TABLE
from search.models import row_id


class SQLiteSearchBackend(DatabaseSearchBackend):
    name = "sqlite"
    compiler_class = SQLiteCompiler
    page_table = TABLE
    row_column = "rowid"

    def insert_pages(self, rows):
        values = (
            (row_id(seq, number, chunk), " ".join(terms), " ".join(normalise.stems(terms, languages)))
            for seq, (number, chunk, terms, languages) in rows
        )
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {TABLE} (rowid, text, stems) VALUES (%s, %s, %s)", values)
