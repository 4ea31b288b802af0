"""A row no one could have written through the recorder is named as a broken link, not a traceback."""

import pytest
from django.db import DataError, IntegrityError, transaction

from tests.audit.tampering import tamper

pytestmark = pytest.mark.django_db


def tamper_or_refused(sql, params=()):
    """Write the malformed value; True if the database's own column type or check refused it."""
    try:
        with transaction.atomic():
            tamper(sql, params)
    except (DataError, IntegrityError):
        return True
    return False


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("client_address", "192.0.2.0/24"),  # a network, which inet keeps, not an address
        ("client_address", "not-an-address"),
        ("at", "infinity"),
        ("at", "last tuesday"),
        ("case_ref", "not-a-uuid"),
        ("document_ref", "1234"),
        ("before", "{not json"),
        ("hash", "not-a-hash"),
        ("prev_hash", "Z" * 64),
    ],
)
def test_a_malformed_value_is_named_and_the_check_exits_non_zero(five_events, verify_audit, column, value):
    refused = tamper_or_refused(f"UPDATE audit_auditevent SET {column} = %s WHERE seq = 3", [value])
    if refused:
        # A typed column (PostgreSQL's uuid, jsonb, timestamptz, inet; SQLite's JSON check) cannot hold it.
        assert verify_audit().status == 0
        return
    outcome = verify_audit()
    assert outcome.status == 1, outcome.out
    assert f"BROKEN at event seq 3 (id {five_events[2].pk}): unreadable {column}" in outcome.err
    assert "Traceback" not in outcome.err


def test_a_malformed_row_after_a_sound_one_is_reached(five_events, verify_audit):
    tamper("UPDATE audit_auditevent SET client_address = %s WHERE seq = 5", ["10.0.0.0/8"])
    outcome = verify_audit()
    assert outcome.status == 1
    assert "BROKEN at event seq 5 " in outcome.err and "unreadable client_address" in outcome.err
