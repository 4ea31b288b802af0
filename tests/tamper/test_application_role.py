"""On PostgreSQL the site can run as a role that does not own the tables, and that role cannot undo the
database's guards: no dropping or disabling triggers, no TRUNCATE, no change to audit events."""

import os

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from audit import actions, trail
from tests.audit.databases import postgresql_only

# A role belongs to the whole server, which the two test processes share: one name each.
ROLE = f"sijill_app_probe_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
REFUSED_TO_THE_ROLE = [
    "ALTER TABLE records_version DISABLE TRIGGER USER",
    "DROP TRIGGER records_version_immutable ON records_version",
    "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only",
    "TRUNCATE audit_auditevent CASCADE",
    "TRUNCATE records_document CASCADE",
    "UPDATE audit_auditevent SET action = 'view'",
    "DELETE FROM audit_auditevent",
    "DELETE FROM audit_eventscope",
    "CREATE TABLE records_shadow (id int)",
]


@pytest.fixture
def application_role(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} LOGIN")
    call_command("grant_app_role", ROLE)
    yield
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {ROLE}")
        cursor.execute(f"DROP ROLE {ROLE}")


def as_role():
    """A connection of the application role's own (the test server trusts local roles)."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params.pop("options", None)
    return psycopg.connect(**{**params, "user": ROLE, "password": ""}, autocommit=True)


@postgresql_only
def test_the_application_role_runs_the_site_but_cannot_undo_its_guards(application_role, clerk):
    trail.record(actions.VIEW, actor=clerk, target_type="records.casefile", target_id="1")
    with as_role() as role:
        # What the site does: read, write records, append to the trail and move its head.
        role.execute("SELECT count(*) FROM records_casefile")
        role.execute("INSERT INTO records_institution (code, name, kind, parent_id, is_active) VALUES ('ROLE-T', 'Court', 'court', NULL, true)")
        role.execute("UPDATE records_institution SET name = 'Court of Role' WHERE code = 'ROLE-T'")
        role.execute("DELETE FROM records_institution WHERE code = 'ROLE-T'")
        with role.transaction():
            role.execute("SELECT seq FROM audit_auditchainhead FOR UPDATE")
        for statement in REFUSED_TO_THE_ROLE:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                role.execute(statement)


@postgresql_only
def test_migrate_grants_the_configured_role(application_role, settings):
    settings.SIJILL_DATABASE_APP_ROLE = ROLE
    with connection.cursor() as cursor:
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {ROLE}")
    call_command("migrate", verbosity=0)
    settings.SIJILL_DATABASE_APP_ROLE = ""  # before the role goes: emptying the tables afterwards re-sends post_migrate
    with as_role() as role:
        assert role.execute("SELECT count(*) FROM records_casefile").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            role.execute("UPDATE audit_auditevent SET action = 'view'")


def test_a_missing_role_is_named(db):
    from django.core.management import CommandError

    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL setup"):
            call_command("grant_app_role", ROLE)
        return
    with pytest.raises(CommandError, match=f"no role '{ROLE}'"):
        call_command("grant_app_role", ROLE)
