"""Audit events are never changed or deleted: not through Django, for anyone, nor by raw SQL."""

import pytest
from django.db import IntegrityError, connection, transaction

from audit import actions, trail
from audit.errors import AuditImmutable
from audit.models import AuditEvent
from tests.audit.databases import postgresql_only

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(superuser):
    """An event by an administrator: being one opens no path to changing it."""
    return trail.record(actions.CHANGE, actor=superuser, target_type="records.casefile", target_id="1")


def raw(sql, params=()):
    # Its own savepoint, so that the refused statement leaves the test's transaction usable.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_saving_an_existing_event_is_refused(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    stored.action = actions.VIEW
    with pytest.raises(AuditImmutable):
        stored.save()
    with pytest.raises(AuditImmutable):
        stored.save(update_fields=["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == actions.CHANGE


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.get(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(event):
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(action=actions.VIEW)
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == actions.CHANGE


def test_events_are_not_written_past_the_recorder(event):
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.create(seq=2, at=event.at, action=actions.VIEW, prev_hash=event.hash, hash="0" * 64)
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.bulk_create([AuditEvent(seq=2, at=event.at, action=actions.VIEW)])
    assert AuditEvent.objects.count() == 1


def test_the_database_refuses_an_update_by_raw_sql(event):
    with pytest.raises(IntegrityError, match="append-only: UPDATE refused"):
        raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["view", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == actions.CHANGE


def test_the_database_refuses_a_delete_by_raw_sql(event):
    with pytest.raises(IntegrityError, match="append-only: DELETE refused"):
        raw("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@postgresql_only
def test_postgresql_refuses_truncate(event):
    with connection.cursor() as cursor:
        # Otherwise PostgreSQL refuses first for another reason: the event's foreign key check is pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(IntegrityError, match="append-only: TRUNCATE refused") as refused:
        raw("TRUNCATE audit_auditevent, audit_eventscope")  # both, or the scope's foreign key refuses first
    assert refused.value.__cause__.sqlstate == "23001"  # restrict_violation
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@postgresql_only
def test_postgresql_refuses_with_restrict_violation(event):
    with pytest.raises(IntegrityError) as refused:
        raw("UPDATE audit_auditevent SET action = 'view'")
    assert refused.value.__cause__.sqlstate == "23001"


def test_the_chain_head_moves_with_each_append(event):
    # Unguarded on purpose: the head is rewritten by every append, and checked against the last event.
    second = trail.record(actions.VIEW)
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq, hash FROM audit_auditchainhead")
        assert cursor.fetchall() == [(2, second.hash)]


def test_the_triggers_are_in_place_on_this_database():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal"
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'")
        names = sorted(name for (name,) in cursor.fetchall())
    expected = {
        "postgresql": ["audit_auditevent_append_only", "audit_auditevent_no_truncate"],
        "sqlite": ["audit_auditevent_no_delete", "audit_auditevent_no_update"],
    }
    assert names == expected[connection.vendor]


def test_an_events_scope_rows_are_append_only(db):
    from audit.models import EventScope

    case_ref = "6f1f8f52-3c1e-4d4e-9a59-0d9f0d6b8a11"
    event = trail.record(actions.SEARCH, after={"query": "x"}, scope=[case_ref])
    [row] = EventScope.objects.filter(event=event)
    for statement in ("UPDATE audit_eventscope SET case_ref = case_ref", "DELETE FROM audit_eventscope"):
        with pytest.raises(IntegrityError, match="append-only"):
            raw(statement)
    assert EventScope.objects.filter(pk=row.pk).exists()
