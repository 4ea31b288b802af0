"""Writing past the audit trail's triggers, as an attacker with database access would."""

from contextlib import contextmanager

from django.db import connection, transaction

TABLE = "audit_auditevent"


@contextmanager
def guards_lifted(using_connection=None):
    """The append-only triggers are off inside the block and back on after it, in one transaction."""
    conn = using_connection or connection
    if TABLE not in conn.introspection.table_names():
        yield
        return
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # ALTER TABLE refuses to run while deferred foreign key checks on the table are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            yield
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            # SQLite cannot disable a trigger: drop them, and create them again from their own text.
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
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
