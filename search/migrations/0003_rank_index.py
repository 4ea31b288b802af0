"""The PostgreSQL page table's rank index (RUM), when the server offers the extension.

RUM keeps each lexeme's positions in the index, so a ranked search reads its best pages in score order
from the index instead of reading the vector of every page its words are on (search.backends.database.
postgres.compiler.RankIndexCompiler). Without the extension (`postgresql-NN-rum` on Debian), or without
the right to create it, search ranks with ts_rank as before: slower for common words, the same results
otherwise. Once the extension is there, `manage.py migrate search 0002` then `manage.py migrate` makes
the index. SQLite has nothing to do.
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "search_page_rank"  # search.backends.database.postgres.schema.RANK_INDEX, as this migration made it


def create_rank_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone() is None:
            print("\n  search: the PostgreSQL server has no RUM extension; common words will rank more slowly.")
            return
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
        except DatabaseError as error:
            print(f"\n  search: the RUM extension could not be created ({error}); common words will rank more slowly.")
            return
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_page USING rum (vector rum_tsvector_ops)")


def drop_rank_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_drop_access_index"),
    ]

    operations = [
        migrations.RunPython(create_rank_index, drop_rank_index),
    ]
