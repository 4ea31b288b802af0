"""The database itself refuses to change or delete audit events, whoever sends the SQL.

The model and queryset guards cover every path through Django; these triggers also cover raw SQL, other
clients of the database and bugs. PostgreSQL answers with SQLSTATE 23001 (restrict_violation) and SQLite
with RAISE(ABORT), which Django both raise as IntegrityError. PostgreSQL also refuses TRUNCATE, which
fires no row triggers. The owner of the tables can still drop or disable triggers: the hash chain is what
shows that it happened. The chain head is left unguarded, as every append updates it.

On SQLite a table is rebuilt (copied, dropped, renamed) by many schema changes, and its triggers go with
it: a later migration altering audit_auditevent must create these again.
"""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();

CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
"""

POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_refuse_change();
"""

# One statement each: SQLite's driver runs one at a time.
SQLITE_FORWARD = [
    """CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
]


def _by_vendor(postgresql, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(postgresql, params=None)  # RAISE uses % itself
        elif vendor == "sqlite":
            for statement in sqlite:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head")]

    operations = [
        migrations.RunPython(
            _by_vendor(POSTGRESQL_FORWARD, SQLITE_FORWARD), _by_vendor(POSTGRESQL_BACKWARD, SQLITE_BACKWARD)
        )
    ]
