"""Privileges for a PostgreSQL role that runs Sijill without owning its tables.

A table's owner can drop or disable its triggers, so an application that owns its tables can undo the
database's own guards (declared records, the append-only trail). In production the tables belong to an
owner role that only runs migrations, and the site connects as an application role granted here:
- every table: SELECT, INSERT, UPDATE, DELETE (never TRUNCATE, TRIGGER or REFERENCES);
- the audit trail's events and scopes: SELECT and INSERT only; its head: SELECT, INSERT and UPDATE;
- every sequence: USAGE and SELECT.
`manage.py migrate` run as the owner with SIJILL_DATABASE_APP_ROLE set grants these after every migration
(new tables included); `manage.py grant_app_role ROLE` does it by hand. site/postgresql/roles.sql sets
the two roles up. An owner or superuser can still do anything: keep their credentials off the web hosts.
"""

from django.db import connection as default_connection

APPEND_ONLY = {"audit_auditevent": "SELECT, INSERT", "audit_eventscope": "SELECT, INSERT",
               "audit_auditchainhead": "SELECT, INSERT, UPDATE"}
EVERY_OTHER_TABLE = "SELECT, INSERT, UPDATE, DELETE"


def grant_application_role(role, connection=None):
    """Grant `role` what the site needs on every table and sequence of the current schema; returns the
    number of tables. PostgreSQL only."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        raise ValueError("Application roles are a PostgreSQL setup; SQLite has no roles.")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            raise ValueError(f"PostgreSQL has no role {role!r}: create it first (site/postgresql/roles.sql).")
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
        tables = [name for (name,) in cursor.fetchall()]
        cursor.execute("SELECT current_schema()")
        schema = quote(cursor.fetchone()[0])
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {quote(role)}")
        for table in tables:
            # Revoked first, so a grant made earlier by hand (TRUNCATE, UPDATE on the trail) does not stay.
            cursor.execute(f"REVOKE ALL ON TABLE {quote(table)} FROM {quote(role)}")
            cursor.execute(f"GRANT {APPEND_ONLY.get(table, EVERY_OTHER_TABLE)} ON TABLE {quote(table)} TO {quote(role)}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quote(role)}")
    return len(tables)


def grant_after_migrate(sender, using, **kwargs):
    """post_migrate: keep the application role's grants in step with the tables migrations made."""
    from django.conf import settings
    from django.db import connections

    role = getattr(settings, "SIJILL_DATABASE_APP_ROLE", "")
    if role and connections[using].vendor == "postgresql":
        grant_application_role(role, connections[using])
