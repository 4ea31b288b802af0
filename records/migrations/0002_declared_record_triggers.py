"""On PostgreSQL, the database itself refuses to rewrite versions or to change or delete declared records.

The model and queryset guards cover every path through Django; these triggers also cover raw SQL, other
clients of the database and bugs. Errors use SQLSTATE 23001 (restrict_violation), which Django raises as
IntegrityError. Other databases rely on the application guards alone.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION records_refuse_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'version % is immutable: a change is a new version', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM records_document WHERE id = OLD.document_id AND declared_at IS NOT NULL) THEN
        RAISE EXCEPTION 'version % belongs to a declared record and cannot be deleted', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END $$;

CREATE TRIGGER records_version_immutable
    BEFORE UPDATE OR DELETE ON records_version
    FOR EACH ROW EXECUTE FUNCTION records_refuse_version_change();

CREATE FUNCTION records_refuse_declared_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.declared_at IS NULL THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'document % is a declared record and cannot be deleted', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.declared_at IS DISTINCT FROM OLD.declared_at
       OR NEW.declared_by_id IS DISTINCT FROM OLD.declared_by_id
       OR NEW.case_id IS DISTINCT FROM OLD.case_id
       OR NEW.kind IS DISTINCT FROM OLD.kind
       OR NEW.title IS DISTINCT FROM OLD.title
       OR NEW.document_date IS DISTINCT FROM OLD.document_date THEN
        RAISE EXCEPTION 'document % is a declared record: its identity and content cannot change', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER records_document_declared
    BEFORE UPDATE OR DELETE ON records_document
    FOR EACH ROW EXECUTE FUNCTION records_refuse_declared_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS records_document_declared ON records_document;
DROP FUNCTION IF EXISTS records_refuse_declared_change();
DROP TRIGGER IF EXISTS records_version_immutable ON records_version;
DROP FUNCTION IF EXISTS records_refuse_version_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # RAISE uses % itself

    return run


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD))]
