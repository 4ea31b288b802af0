"""The database lets the chain head move only forward, to the newest event, whoever sends the SQL.

Every append inserts an event and then moves the head to it in the same transaction, so the head must
always name the newest event (its seq and hash, or 0 and the genesis hash when there is none) and its seq
must grow. It is never deleted, nor (on PostgreSQL) truncated. An attacker who owns the tables can drop
these triggers as well as the events' ones, cut events off the end and set the head back: the chain that
is left holds, and only an anchor kept outside the database (verify_audit, audit/anchors.py) shows it.
"""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE FUNCTION audit_guard_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    newest_seq bigint := 0;
    newest_hash varchar := repeat('0', 64);
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
        RAISE EXCEPTION 'the audit chain head is never removed: % refused', TG_OP
            USING ERRCODE = 'restrict_violation';
    END IF;
    SELECT seq, hash INTO newest_seq, newest_hash FROM audit_auditevent ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        newest_seq := 0;
        newest_hash := repeat('0', 64);
    END IF;
    IF NEW.seq IS DISTINCT FROM newest_seq OR NEW.hash IS DISTINCT FROM newest_hash
            OR (TG_OP = 'UPDATE' AND (NEW.id <> OLD.id OR NEW.seq <= OLD.seq)) THEN
        RAISE EXCEPTION 'the audit chain head only moves forward, to the newest event: % refused', TG_OP
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER audit_auditchainhead_forward_only
    BEFORE INSERT OR UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION audit_guard_head();

CREATE TRIGGER audit_auditchainhead_no_truncate
    BEFORE TRUNCATE ON audit_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION audit_guard_head();
"""

POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS audit_auditchainhead_no_truncate ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_auditchainhead_forward_only ON audit_auditchainhead;
DROP FUNCTION IF EXISTS audit_guard_head();
"""

_NOT_NEWEST = (
    "NEW.seq IS NOT COALESCE((SELECT max(seq) FROM audit_auditevent), 0) "
    "OR NEW.hash IS NOT COALESCE((SELECT hash FROM audit_auditevent WHERE seq = NEW.seq), "
    "CASE WHEN NEW.seq = 0 THEN '" + "0" * 64 + "' END)"
)

# One statement each: SQLite's driver runs one at a time.
SQLITE_FORWARD = [
    f"""CREATE TRIGGER audit_auditchainhead_forward_only BEFORE UPDATE ON audit_auditchainhead
    WHEN NEW.id IS NOT OLD.id OR NEW.seq <= OLD.seq OR {_NOT_NEWEST}
    BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward, to the newest event: UPDATE refused'); END""",
    f"""CREATE TRIGGER audit_auditchainhead_insert_newest BEFORE INSERT ON audit_auditchainhead
    WHEN {_NOT_NEWEST}
    BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward, to the newest event: INSERT refused'); END""",
    """CREATE TRIGGER audit_auditchainhead_no_delete BEFORE DELETE ON audit_auditchainhead
    BEGIN SELECT RAISE(ABORT, 'the audit chain head is never removed: DELETE refused'); END""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditchainhead_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditchainhead_insert_newest",
    "DROP TRIGGER IF EXISTS audit_auditchainhead_forward_only",
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
    dependencies = [("audit", "0005_event_scope")]

    operations = [
        migrations.RunPython(
            _by_vendor(POSTGRESQL_FORWARD, SQLITE_FORWARD), _by_vendor(POSTGRESQL_BACKWARD, SQLITE_BACKWARD)
        )
    ]
