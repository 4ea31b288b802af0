"""The rank index (RUM) becomes partial, on a condition every row meets (`id >= 0`), so that the planner
uses it only where a statement states that condition: the walk of a ranked search in score order. Left
whole, it was also chosen to find the pages a query matches, which GIN does faster as it keeps no
positions (search.backends.database.postgres.schema). A server without the index has nothing to do.
"""

from django.db import migrations

INDEX = "search_page_rank"  # search.backends.database.postgres.schema.RANK_INDEX, as this migration makes it


def index_definition(cursor):
    cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
    row = cursor.fetchone()
    return row[0] if row else None


def make_partial(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        definition = index_definition(cursor)
        if definition is None or " WHERE " in definition:
            return
        cursor.execute("SELECT EXISTS (SELECT 1 FROM search_page)")
        if cursor.fetchone()[0]:
            print("\n  search: rebuilding the rank index (about five minutes per million pages).")
        cursor.execute(f"DROP INDEX {INDEX}")
        cursor.execute(f"CREATE INDEX {INDEX} ON search_page USING rum (vector rum_tsvector_ops) WHERE id >= 0")


def make_whole(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        definition = index_definition(cursor)
        if definition is None or " WHERE " not in definition:
            return
        cursor.execute(f"DROP INDEX {INDEX}")
        cursor.execute(f"CREATE INDEX {INDEX} ON search_page USING rum (vector rum_tsvector_ops)")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_pending_hidden_index"),
    ]

    operations = [
        migrations.RunPython(make_partial, make_whole),
    ]
