"""`marked` on case files and documents, kept by the database: true exactly when the item has a mark.

The access rule then looks the marks of an item up only when it has some (one case in ten, say), instead
of once per row of every list and count. A flag that said "no marks" of a marked item would let its marks
go unchecked, so no application code maintains it: triggers set it whenever a mark is added or removed,
and recompute it on every write of the item row itself, so a stale value written back by Django (or by
any SQL) is overruled. Migrations that rebuild these tables on SQLite drop their triggers: a later
migration altering records_casefile or records_document must create them again (tests/records/
test_marked_flag.py fails if they are missing).
"""

from django.db import migrations, models

# (item table, its marks table, the column naming the item)
TABLES = [
    ("records_casefile", "records_casefile_marks", "casefile_id"),
    ("records_document", "records_document_marks", "document_id"),
]


def _postgresql(table, marks, column):
    has_marks = f"EXISTS (SELECT 1 FROM {marks} WHERE {column} = NEW.id)"
    return f"""
CREATE FUNCTION {table}_keep_marked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.marked := {has_marks};
    RETURN NEW;
END $$;

CREATE TRIGGER {table}_marked
    BEFORE INSERT OR UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_keep_marked();

CREATE FUNCTION {marks}_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Rewriting the row lets the item's own trigger recompute the flag.
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE {table} SET marked = marked WHERE id = OLD.{column};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE {table} SET marked = marked WHERE id = NEW.{column};
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER {marks}_touch
    AFTER INSERT OR UPDATE OR DELETE ON {marks}
    FOR EACH ROW EXECUTE FUNCTION {marks}_touch();

UPDATE {table} SET marked = marked;
"""


def _postgresql_backward(table, marks, column):
    return f"""
DROP TRIGGER IF EXISTS {marks}_touch ON {marks};
DROP FUNCTION IF EXISTS {marks}_touch();
DROP TRIGGER IF EXISTS {table}_marked ON {table};
DROP FUNCTION IF EXISTS {table}_keep_marked();
"""


def _sqlite(table, marks, column):
    """One statement each. SQLite's triggers cannot assign NEW, so they correct the row after the write."""

    def has_marks(ref):
        return f"EXISTS (SELECT 1 FROM {marks} WHERE {column} = {ref})"

    def recompute(ref):
        return f"UPDATE {table} SET marked = {has_marks(ref)} WHERE id = {ref};"

    return [
        f"CREATE TRIGGER {marks}_added AFTER INSERT ON {marks} BEGIN {recompute(f'NEW.{column}')} END",
        f"CREATE TRIGGER {marks}_removed AFTER DELETE ON {marks} BEGIN {recompute(f'OLD.{column}')} END",
        f"CREATE TRIGGER {marks}_changed AFTER UPDATE ON {marks} "
        f"BEGIN {recompute(f'OLD.{column}')} {recompute(f'NEW.{column}')} END",
        f"CREATE TRIGGER {table}_marked_on_insert AFTER INSERT ON {table} "
        f"WHEN NEW.marked IS NOT {has_marks('NEW.id')} BEGIN {recompute('NEW.id')} END",
        f"CREATE TRIGGER {table}_marked_on_update AFTER UPDATE OF marked ON {table} "
        f"WHEN NEW.marked IS NOT {has_marks('NEW.id')} BEGIN {recompute('NEW.id')} END",
        f"UPDATE {table} SET marked = {has_marks(f'{table}.id')}",
    ]


def _sqlite_backward(table, marks, column):
    names = [f"{marks}_added", f"{marks}_removed", f"{marks}_changed", f"{table}_marked_on_insert",
             f"{table}_marked_on_update"]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def _by_vendor(postgresql, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for names in TABLES:
            if vendor == "postgresql":
                schema_editor.execute(postgresql(*names), params=None)
            elif vendor == "sqlite":
                for statement in sqlite(*names):
                    schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("records", "0005_seed_marks")]

    operations = [
        migrations.AddField(
            model_name="casefile",
            name="marked",
            field=models.BooleanField(default=False, editable=False, verbose_name="marked"),
        ),
        migrations.AddField(
            model_name="document",
            name="marked",
            field=models.BooleanField(default=False, editable=False, verbose_name="marked"),
        ),
        migrations.RunPython(
            _by_vendor(_postgresql, _sqlite), _by_vendor(_postgresql_backward, _sqlite_backward)
        ),
    ]
