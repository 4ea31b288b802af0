"""Writing past the audit trail's triggers, as an attacker with database access would."""

from contextlib import contextmanager

from django.db import connection, transaction

TABLES = ("audit_auditevent", "audit_auditchainhead", "audit_eventscope")


@contextmanager
def guards_lifted(using_connection=None):
    """The append-only triggers are off inside the block and back on after it, in one transaction."""
    conn = using_connection or connection
    tables = [table for table in TABLES if table in conn.introspection.table_names()]
    if not tables:
        yield
        return
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # ALTER TABLE refuses to run while deferred foreign key checks on the table are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            yield
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            # SQLite cannot disable a trigger: drop them, and create them again from their own text.
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})", tables)
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield
            for _, sql in triggers:
                cursor.execute(sql)


def tamper(sql, params=()):
    """Run raw SQL against the audit tables with the triggers out of the way."""
    with guards_lifted(), connection.cursor() as cursor:
        cursor.execute(sql, params)
