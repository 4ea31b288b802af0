"""On SQLite, an index holding what the access rule reads first, so counting the visible cases walks the
index instead of every wide case row (a 100,000-case list: about 74 ms to 50 ms per count). `marked`
leads, not `level`: led by level, SQLite took the index for the list's `level IN (...)` too, and then
sorted every visible case instead of walking the list's own order index (a page: 1 ms to 250 ms).

PostgreSQL is left without it: there the planner picks the index-only scan although the sequential scan
is faster. Not declared in the model's Meta for that reason, so a later migration that rebuilds
records_casefile on SQLite drops it; tests/records/test_marked_flag.py checks that it is still used.
"""

from django.db import migrations

INDEX = "records_casefile_access"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON records_casefile (marked, level, id)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("records", "0006_marked_flags")]

    operations = [migrations.RunPython(create, drop)]
