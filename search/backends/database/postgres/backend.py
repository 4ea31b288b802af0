"""PostgreSQL full-text search: tsvector page rows under a GIN index, and a RUM rank index where the server
has the extension, in the site's own database."""

from contextlib import nullcontext

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from search.backends.database.base import DatabaseSearchBackend
from search.backends.database.postgres.compiler import PostgresCompiler, RankIndexCompiler, vector
from search.backends.database.postgres.schema import RANK_INDEX, RANK_INDEX_SQL, TABLE
from search.models import row_id
from search.query import MatchAll

INSUFFICIENT_PRIVILEGE = "42501"


class PostgresSearchBackend(DatabaseSearchBackend):
    name = "postgresql"
    compiler_class = PostgresCompiler
    page_table = TABLE
    row_column = "id"

    def _search(self, request, reach):
        """A search with words reads the pages through their index, never by a scan of the table, and a
        ranked one walks the rank index in score order rather than sorting every matching page.

        A page's vector is stored out of line (TOAST), so the table itself is small and the planner
        prices a scan of it, or a sort of its pages by score, as cheap, then unpacks every vector: 650 ms
        for a rare word at 100,000 pages where the index answers in a few. The settings are changed for
        these statements only: restored after them, as a caller's own transaction may go on."""
        if isinstance(request.query, MatchAll):
            return super()._search(request, reach)
        self.compiler = RankIndexCompiler() if self.has_rank_index() else PostgresCompiler()
        settings_off = ["enable_seqscan"]
        if isinstance(self.compiler, RankIndexCompiler) and request.ranked:
            settings_off.append("enable_sort")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(settings_off)), settings_off)
            before = cursor.fetchone()
            for name in settings_off:
                cursor.execute("SELECT set_config(%s, 'off', true)", [name])
            try:
                return super()._search(request, reach)
            finally:
                for name, value in zip(settings_off, before, strict=True):
                    cursor.execute("SELECT set_config(%s, %s, true)", [name, value])

    def has_rank_index(self):
        """Whether the page table has its rank index (RUM; migration search 0003 makes it when the server
        offers the extension). Asked at each search, so an index made or dropped later counts at once.
        The setting SIJILL_SEARCH_RANK_INDEX = False ranks without it (by ts_rank), as a server without
        the extension does."""
        if not getattr(settings, "SIJILL_SEARCH_RANK_INDEX", True):
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RANK_INDEX])
            return cursor.fetchone()[0]

    def begin_rebuild(self, run):
        """A full rebuild writes every page without the rank index, and makes it again in one pass at the
        end (finish_rebuild): RUM updates its index page by page, 65 s per 10,000 pages where GIN takes 5,
        and builds it whole in 4.5 minutes for 1,000,000. Searches meanwhile rank by ts_rank. A role that
        does not own the page table (the application role of site/postgresql/roles.sql) may not drop it:
        the rebuild then writes through it, slowly."""
        self._as_owner(f"DROP INDEX IF EXISTS {RANK_INDEX}")
        return super().begin_rebuild(run)

    def finish_rebuild(self, run, indexed_ids=None):
        super().finish_rebuild(run, indexed_ids)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'")
            if cursor.fetchone() is None:
                return
        # Concurrently, where it may (outside a transaction), so that indexing goes on meanwhile.
        concurrently = "" if connection.in_atomic_block else " CONCURRENTLY"
        self._as_owner(RANK_INDEX_SQL.replace("CREATE INDEX", f"CREATE INDEX{concurrently}", 1))

    @staticmethod
    def _as_owner(sql):
        """Run a statement only the page table's owner may; False when this role may not."""
        try:
            with transaction.atomic() if connection.in_atomic_block else nullcontext(), connection.cursor() as cursor:
                cursor.execute(sql)
        except DatabaseError as error:
            if getattr(error.__cause__, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
                raise
            return False
        return True

    def insert_pages(self, rows):
        """One COPY for the batch's pages: a reindex writes a million rows, which INSERTs would send one by one."""
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {TABLE} (id, vector) FROM STDIN") as copy:
            for seq, (number, chunk, terms, languages) in rows:
                copy.write_row((row_id(seq, number, chunk), vector(terms, languages)))
