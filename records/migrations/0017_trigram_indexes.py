"""Trigram indexes (PostgreSQL's pg_trgm) for the partial matches over party names and case numbers.

The case list's search box, and every search by someone whose searches are audited (search.service names
the cases the typed words are about), look for the text inside party names and case numbers: a LIKE
'%…%' that no b-tree serves. Without these indexes each one reads every party: 40 ms at 250,000 parties,
and a court with millions of cases would wait seconds on every judge's search. pg_trgm ships with
PostgreSQL and is a trusted extension, which the database's owner may create. Where it cannot be created
the look-ups still work, by reading the tables. SQLite has nothing to do.
"""

from django.db import DatabaseError, migrations, transaction

INDEXES = {
    "records_party_name_trgm": ("records_party", "name_key"),
    "records_casefile_number_trgm": ("records_casefile", "number_key"),
    "records_legacynumber_number_trgm": ("records_legacynumber", "number_key"),
}


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as error:
            print(f"\n  records: the pg_trgm extension could not be created ({error}); partial name and number"
                  " matches will read every party and case.")
            return
        for name, (table, column) in INDEXES.items():
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0016_page_text_revisions_refuse_update"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
