"""The page tables refuse TRUNCATE like every other table of this app (see 0012)."""

from django.db import migrations

TABLES = ("records_page", "records_pagetext", "records_rendition")


def no_truncate(table):
    return (
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}; "
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION records_refuse_truncate();"
    )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(no_truncate(table), params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}", params=None)


class Migration(migrations.Migration):
    dependencies = [("records", "0013_pages")]

    operations = [migrations.RunPython(forward, backward)]
