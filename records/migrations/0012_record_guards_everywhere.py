"""The database refuses every raw write that would rewrite or remove a declared record, on both databases.

0002 gave PostgreSQL row triggers for UPDATE and DELETE. They missed two paths: an INSERT of a version
into a declared record (a new current version, under the record's identity), and TRUNCATE, which fires no
row trigger and emptied the versions, documents and (with CASCADE) case files at once. PostgreSQL now
refuses both; every table of this app refuses TRUNCATE, since nothing in Sijill ever truncates one.

SQLite gets the same row rules as triggers (it has no TRUNCATE: a bare DELETE runs the row triggers). An
upsert's DO UPDATE runs the UPDATE triggers too, so `bulk_create(update_conflicts=True)` is refused here
even when the queryset's own guard is bypassed.

On SQLite a table rebuilt by a schema change loses its triggers, and a table named in another table's
trigger cannot be renamed: a later migration that rebuilds records_document or records_version must drop
these first (`drop_sqlite`) and create them again after (`create_sqlite`), as 0010 does for the flags.
"""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION records_refuse_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'version % is immutable: a change is a new version', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM records_document WHERE id = NEW.document_id AND declared_at IS NOT NULL) THEN
            RAISE EXCEPTION 'document % is a declared record: no version can be added to it', NEW.document_id
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM records_document WHERE id = OLD.document_id AND declared_at IS NOT NULL) THEN
        RAISE EXCEPTION 'version % belongs to a declared record and cannot be deleted', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END $$;

DROP TRIGGER IF EXISTS records_version_immutable ON records_version;
CREATE TRIGGER records_version_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON records_version
    FOR EACH ROW EXECUTE FUNCTION records_refuse_version_change();

CREATE FUNCTION records_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'TRUNCATE of % refused: records leave only by disposition', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;
"""

POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS records_version_immutable ON records_version;
CREATE TRIGGER records_version_immutable
    BEFORE UPDATE OR DELETE ON records_version
    FOR EACH ROW EXECUTE FUNCTION records_refuse_version_change();
"""

FIXED = ("declared_at", "declared_by_id", "case_id", "kind", "title", "document_date")
_DECLARED = "EXISTS (SELECT 1 FROM records_document WHERE id = {ref} AND declared_at IS NOT NULL)"

# One statement each: SQLite's driver runs one at a time. Messages match PostgreSQL's.
SQLITE_TRIGGERS = {
    "records_version_no_update": """CREATE TRIGGER records_version_no_update BEFORE UPDATE ON records_version
    BEGIN SELECT RAISE(ABORT, 'versions are immutable: a change is a new version'); END""",
    "records_version_declared_delete": f"""CREATE TRIGGER records_version_declared_delete
    BEFORE DELETE ON records_version WHEN {_DECLARED.format(ref="OLD.document_id")}
    BEGIN SELECT RAISE(ABORT, 'a version of a declared record cannot be deleted'); END""",
    "records_version_declared_insert": f"""CREATE TRIGGER records_version_declared_insert
    BEFORE INSERT ON records_version WHEN {_DECLARED.format(ref="NEW.document_id")}
    BEGIN SELECT RAISE(ABORT, 'a declared record gets no new version'); END""",
    "records_document_declared_delete": """CREATE TRIGGER records_document_declared_delete
    BEFORE DELETE ON records_document WHEN OLD.declared_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a declared record cannot be deleted'); END""",
    "records_document_declared_update": f"""CREATE TRIGGER records_document_declared_update
    BEFORE UPDATE ON records_document
    WHEN OLD.declared_at IS NOT NULL AND ({" OR ".join(f"NEW.{name} IS NOT OLD.{name}" for name in FIXED)})
    BEGIN SELECT RAISE(ABORT, 'a declared record: its identity and content cannot change'); END""",
}


def record_tables(apps):
    """Every table of this app, its many-to-many tables included."""
    config = apps.get_app_config("records")
    return sorted({model._meta.db_table for model in config.get_models(include_auto_created=True)})


def create_sqlite(schema_editor):
    drop_sqlite(schema_editor)
    for statement in SQLITE_TRIGGERS.values():
        schema_editor.execute(statement, params=None)


def drop_sqlite(schema_editor):
    for name in SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


def no_truncate(table):
    return (
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}; "
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION records_refuse_truncate();"
    )


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD, params=None)  # RAISE uses % itself
        for table in record_tables(apps):
            schema_editor.execute(no_truncate(table), params=None)
    elif vendor == "sqlite":
        create_sqlite(schema_editor)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in record_tables(apps):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}", params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS records_refuse_truncate()", params=None)
        schema_editor.execute(POSTGRESQL_BACKWARD, params=None)
    elif vendor == "sqlite":
        drop_sqlite(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("records", "0011_mark_floors_and_routes")]

    operations = [migrations.RunPython(forward, backward)]
