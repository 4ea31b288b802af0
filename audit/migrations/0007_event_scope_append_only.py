"""An event's scope rows are as append-only as the event: the database refuses to change, delete or (on
PostgreSQL) truncate them. Removing one would let readers outside the scope read the event's words; the
scope is also kept, hashed, in the event's `after`, so the chain shows a tampered index."""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE TRIGGER audit_eventscope_append_only
    BEFORE UPDATE OR DELETE ON audit_eventscope
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_eventscope_no_truncate
    BEFORE TRUNCATE ON audit_eventscope
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS audit_eventscope_no_truncate ON audit_eventscope;
DROP TRIGGER IF EXISTS audit_eventscope_append_only ON audit_eventscope;
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER audit_eventscope_no_update BEFORE UPDATE ON audit_eventscope
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_eventscope_no_delete BEFORE DELETE ON audit_eventscope
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_eventscope_no_delete", "DROP TRIGGER IF EXISTS audit_eventscope_no_update"]


def _by_vendor(postgresql, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(postgresql, params=None)
        elif vendor == "sqlite":
            for statement in sqlite:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_chain_head_triggers")]

    operations = [
        migrations.RunPython(
            _by_vendor(POSTGRESQL_FORWARD, SQLITE_FORWARD), _by_vendor(POSTGRESQL_BACKWARD, SQLITE_BACKWARD)
        )
    ]
