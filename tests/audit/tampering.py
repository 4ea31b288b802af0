"""Writing past the database's own guards (triggers), as an attacker with database access would."""

from contextlib import contextmanager

from django.db import connection, transaction

AUDIT_TABLES = ("audit_auditevent", "audit_auditchainhead", "audit_eventscope")


def guarded_tables(conn=None):
    """Every table that carries triggers of ours: the audit trail's and the records'."""
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
            )
        else:
            cursor.execute("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        return sorted(row[0] for row in cursor.fetchall())


@contextmanager
def guards_lifted(using_connection=None, tables=None):
    """The triggers of `tables` (default: every guarded table) are off inside the block and back on
    after it, in one transaction."""
    conn = using_connection or connection
    tables = [table for table in (tables or guarded_tables(conn)) if table in conn.introspection.table_names()]
    if not tables:
        yield
        return
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # ALTER TABLE refuses to run while deferred foreign key checks on the table are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
            yield
            for table in tables:
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
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


def tamper(sql, params=(), tables=AUDIT_TABLES):
    """Run raw SQL against the audit tables (or `tables`) with their triggers out of the way."""
    with guards_lifted(tables=tables), connection.cursor() as cursor:
        cursor.execute(sql, params)
