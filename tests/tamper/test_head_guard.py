"""The chain head moves only forward, in step with an appended event, whoever sends the SQL."""

import pytest
from django.db import IntegrityError, connection, transaction

from audit import actions, trail
from tests.audit.databases import postgresql_only

pytestmark = pytest.mark.django_db


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def head():
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq, hash FROM audit_auditchainhead")
        return cursor.fetchall()


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        ("UPDATE audit_auditchainhead SET seq = seq - 1", []),  # set back, keeping the newest hash
        (
            "UPDATE audit_auditchainhead SET seq = seq - 1, "
            "hash = (SELECT hash FROM audit_auditevent WHERE seq = audit_auditchainhead.seq - 1)",
            [],
        ),
        ("UPDATE audit_auditchainhead SET seq = 0, hash = %s", ["0" * 64]),
        ("UPDATE audit_auditchainhead SET hash = %s", ["f" * 64]),
        ("UPDATE audit_auditchainhead SET seq = seq + 1", []),  # ahead of every event
        ("DELETE FROM audit_auditchainhead", []),
    ],
)
def test_the_head_cannot_be_moved_by_raw_sql(five_events, sql, params):
    with pytest.raises(IntegrityError, match="audit chain head"):
        raw(sql, params)
    assert head() == [(five_events[-1].seq, five_events[-1].hash)]


def test_a_second_head_row_cannot_be_inserted(five_events):
    with pytest.raises(IntegrityError):
        raw("INSERT INTO audit_auditchainhead (id, seq, hash) VALUES (2, %s, %s)", [five_events[-1].seq, five_events[-1].hash])
    assert head() == [(five_events[-1].seq, five_events[-1].hash)]


def test_appends_still_move_the_head(five_events):
    sixth = trail.record(actions.VIEW)
    assert head() == [(five_events[-1].seq + 1, sixth.hash)]


@postgresql_only
def test_postgresql_refuses_to_truncate_the_head(five_events):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(IntegrityError, match="audit chain head"):
        raw("TRUNCATE audit_auditchainhead")
    assert head() == [(five_events[-1].seq, five_events[-1].hash)]
