"""What services pass as before/after is stored as plain JSON that reads back, and hashes, the same."""

import datetime
import decimal
import enum
import uuid

import pytest
from django.utils.translation import gettext_lazy

from audit import actions, chain, trail
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

CASE = uuid.UUID("0b5f2f7e-8a31-4e0e-a7d2-5b7c6c1f9e01")


class Level(enum.Enum):
    SEALED = "sealed"


def test_rich_values_are_stored_as_plain_json_and_the_chain_holds(verify_audit):
    trail.record(
        actions.STATUS_CHANGE,
        before={"status": "open", "marks": {"juvenile", "family", "adoption"}},
        after={
            "effective_on": datetime.date(2024, 3, 1),
            "decided_at": datetime.datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
            "case": CASE,
            "fee": decimal.Decimal("12.50"),
            "label": gettext_lazy("Registered"),
            "level": Level.SEALED,
            "pages": (1, 2),
            "ids": {3, 1, 2},
            "nested": {"when": datetime.time(14, 5), "keys": {7: "seven"}},
            "confidence": 0.875,
            "big": 1e20,
            "negative_zero": -0.0,
            "not_a_number": float("nan"),
            "nul": "a\x00b",
        },
    )
    stored = AuditEvent.objects.get()
    assert stored.before == {"status": "open", "marks": ["adoption", "family", "juvenile"]}
    assert stored.after == {
        "effective_on": "2024-03-01",
        "decided_at": "2024-03-01T08:30:15.123456+00:00",
        "case": "0b5f2f7e-8a31-4e0e-a7d2-5b7c6c1f9e01",
        "fee": "12.50",
        "label": "Registered",
        "level": "sealed",
        "pages": [1, 2],
        "ids": [1, 2, 3],
        "nested": {"when": "14:05:00", "keys": {"7": "seven"}},
        "confidence": 0.875,
        "big": 100000000000000000000,
        "negative_zero": 0.0,
        "not_a_number": "nan",
        "nul": "a\ufffdb",
    }
    assert verify_audit().status == 0


def test_what_is_read_back_hashes_as_it_was_written(clerk):
    written = trail.record(
        actions.CHANGE,
        actor=clerk,
        case_ref=str(CASE).upper(),
        document_ref=CASE,
        before={"title": "Ancien titre", "ratio": 1 / 3},
        after={"title": "عنوان جديد", "tiny": 1.5e-7, "huge_int": 10**30},
    )
    read = AuditEvent.objects.get(pk=written.pk)
    assert read.case_ref == CASE and read.document_ref == CASE
    assert read.at == written.at
    assert chain.canonical(read) == chain.canonical(written)
    assert chain.hash_of(read) == read.hash == written.hash


@pytest.mark.parametrize("address", ["192.0.2.33", "2001:db8::1", "::ffff:192.0.2.1", "fe80::1:0:0:1"])
def test_client_addresses_hash_the_same_as_read_back(address):
    from audit import context

    with context.acting(client_address=address):
        written = trail.record(actions.VIEW)
    read = AuditEvent.objects.get(pk=written.pk)
    assert chain.hash_of(read) == written.hash


def test_times_are_stored_in_utc_to_the_microsecond():
    written = trail.record(actions.VIEW)
    read = AuditEvent.objects.get(pk=written.pk)
    assert read.at.utcoffset() == datetime.timedelta(0)
    assert read.at == written.at
    assert read.at.isoformat(timespec="microseconds") == written.at.isoformat(timespec="microseconds")


def test_a_value_that_cannot_be_written_plainly_is_refused_before_anything_is_stored(clerk):
    with pytest.raises(TypeError, match="User"):
        trail.record(actions.CHANGE, after={"user": clerk})
    with pytest.raises(ValueError, match="both read"):
        trail.record(actions.CHANGE, after={1: "one", "1": "uno"})
    assert not AuditEvent.objects.exists()
