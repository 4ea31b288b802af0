"""The hash chain: each event's canonical form, its hash, and the check that walks the trail.

An event's hash is the SHA-256 of its canonical form: every field but `hash` itself (`level` and `marks`
only when set), as JSON with sorted keys, no spaces and UTF-8 text. Each event carries the hash of the one
before it (`prev_hash`; 64 zeros for the first), so changing, removing, inserting or reordering events
breaks a link, and the head row catches events cut from the end.

The canonical form is recomputed from the values as loaded from the database, never from stored JSON
text: PostgreSQL's jsonb reorders keys and reformats numbers. Values are therefore reduced to plain JSON
(`jsonable`) before they are stored and hashed, so that what is hashed is exactly what is read back.
"""

import datetime
import decimal
import enum
import hashlib
import ipaddress
import json
import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import connection, models
from django.utils.dateparse import parse_datetime
from django.utils.duration import duration_iso_string
from django.utils.functional import Promise

from audit.models import GENESIS_HASH, HEAD_ID, AuditChainHead, AuditEvent, EventScope

CHUNK_SIZE = 2000
BEYOND = "it was not appended by the recorder, or the head was set back"


@dataclass(frozen=True)
class Break:
    """The first broken link of the chain: which event (id None when it is missing) and why."""

    seq: int
    event_id: int | None
    reason: str


@dataclass(frozen=True)
class Verified:
    """The outcome of checking the whole trail: how many events, the last hash, and the break if any."""

    events: int
    last_hash: str
    broken: Break | None


# Values ------------------------------------------------------------------------------------------------


def text(value):
    """A string that PostgreSQL and UTF-8 accept: NUL and lone surrogates replaced."""
    value = str.__str__(value) if isinstance(value, str) else str(value)
    return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


def jsonable(value):
    """`value` as plain JSON values that read back unchanged from SQLite's text and PostgreSQL's jsonb.

    Dates, times, UUIDs, Decimals and lazy translations become strings; sets become sorted lists; keys
    become strings. Anything else is refused, rather than stored in a form that would not hash the same.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, str | Promise):
        return text(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        plain = {}
        for key, item in value.items():
            name = text(key) if isinstance(key, str) else str(jsonable(key))
            if name in plain:
                raise ValueError(f"Two keys of an audit value both read {name!r}.")
            plain[name] = jsonable(item)
        return plain
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((jsonable(item) for item in value), key=_dumps)
    raise TypeError(f"A {type(value).__name__} cannot be written to the audit trail; pass plain values.")


def _number(value):
    if not math.isfinite(value):
        return str(value)  # JSON has no NaN or infinity, and jsonb refuses them
    if value == 0:
        return 0.0  # jsonb has no negative zero
    if value.is_integer() and "e" in repr(value):
        return int(value)  # jsonb writes 1e+16 out in full, which reads back as an int
    return value


def _dumps(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


# The hash ----------------------------------------------------------------------------------------------


def _instant(value):
    # SQLite gives back naive UTC when USE_TZ is off; both databases keep microseconds.
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def uuid_or_none(value):
    """A UUID from a UUID or its text; a malformed one is refused (ValueError)."""
    return None if value is None else uuid.UUID(str(value))


def _uuid(value):
    return None if value is None else str(uuid_or_none(value))


def _address(value):
    # PostgreSQL's inet and Python may spell one IPv6 address differently; the parsed address is the same.
    return None if value in (None, "") else str(ipaddress.ip_address(value))


def canonical(event):
    """The bytes that are hashed: every field but `hash`, in the one form both databases give back."""
    fields = {
        "seq": event.seq,
        "at": _instant(event.at),
        "actor": None if event.actor_id is None else str(event.actor_id),
        "actor_name": event.actor_name,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "case_ref": _uuid(event.case_ref),
        "document_ref": _uuid(event.document_ref),
        "before": event.before,
        "after": event.after,
        "request_id": event.request_id,
        "client_address": _address(event.client_address),
        "prev_hash": event.prev_hash,
    }
    # Hashed only when set, so events written before these fields existed still verify.
    for name in ("level", "marks"):
        if getattr(event, name):
            fields[name] = getattr(event, name)
    return _dumps(fields).encode("utf-8")


def hash_of(event):
    return hashlib.sha256(canonical(event)).hexdigest()


# Reading rows raw -------------------------------------------------------------------------------------

HASH_TEXT = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Unreadable:
    """A stored row whose `field` does not read as a value of its kind: a break, not a crash."""

    seq: int
    pk: int
    field: str
    detail: str


def _column(field, vendor):
    """The column as text a Python parser can judge, so that no driver conversion fails mid-stream."""
    name = connection.ops.quote_name(field.column)
    if vendor != "postgresql":
        # An expression has no declared type, so Django's sqlite3 converters (which turn a malformed time
        # into None) leave it alone.
        return f"CAST({name} AS TEXT)" if isinstance(field, models.DateTimeField) else name
    if isinstance(field, models.DateTimeField):
        # Fixed ISO form in UTC whatever the session's DateStyle; infinity comes back as its word.
        return (
            f"CASE WHEN isfinite({name}) THEN to_char({name} AT TIME ZONE 'UTC', "
            f"'YYYY-MM-DD\"T\"HH24:MI:SS.US') ELSE {name}::text END"
        )
    if isinstance(field, models.UUIDField | models.JSONField | models.GenericIPAddressField):
        return f"{name}::text"
    return name


def _instant_from(text_value):
    value = parse_datetime(str(text_value))
    if value is None:
        raise ValueError("not a date and time")
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def _address_from(text_value):
    value = str(text_value)
    # PostgreSQL's text of inet adds the mask; a full one is the plain address Django reads back.
    for full in ("/32", "/128"):
        if value.endswith(full):
            value = value.removesuffix(full)
    ipaddress.ip_address(value)
    return value


def _json_from(text_value):
    return json.loads(text_value) if isinstance(text_value, str) else text_value


def _hash_from(text_value):
    if not isinstance(text_value, str) or not HASH_TEXT.fullmatch(text_value):
        raise ValueError("not 64 lowercase hexadecimal digits")
    return text_value


def _parser(field):
    if isinstance(field, models.DateTimeField):
        return _instant_from
    if isinstance(field, models.UUIDField):
        return lambda value: uuid.UUID(str(value))
    if isinstance(field, models.GenericIPAddressField):
        return _address_from
    if isinstance(field, models.JSONField):
        return _json_from
    if field.name in ("hash", "prev_hash"):
        return _hash_from
    return None


def raw_events(*, up_to=None, chunk_size=CHUNK_SIZE):
    """The stored events in seq order, read as raw column text and parsed here, one row at a time.

    Each is an object with the model's attribute names, or an Unreadable naming the first field that does
    not parse. Every concrete field of the model is read, so a field added to the canonical form is too.
    """
    fields = [field for field in AuditEvent._meta.concrete_fields if field.name not in ("id", "seq")]
    vendor = connection.vendor
    columns = ", ".join(["id", "seq", *(_column(field, vendor) for field in fields)])
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    parsers = [_parser(field) for field in fields]
    bound = "" if up_to is None else " AND seq <= %s"
    last = 0
    while True:
        params = [last] + ([] if up_to is None else [up_to]) + [chunk_size]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {table} WHERE seq > %s{bound} ORDER BY seq LIMIT %s", params)
            rows = cursor.fetchall()
        if not rows:
            return
        for pk, seq, *values in rows:
            yield _row(pk, seq, fields, parsers, values)
        last = rows[-1][1]


def _row(pk, seq, fields, parsers, values):
    event = SimpleNamespace(pk=pk, id=pk, seq=seq)
    for field, parse, value in zip(fields, parsers, values, strict=True):
        if value is not None and parse is not None:
            try:
                value = parse(value)
            except (TypeError, ValueError, OverflowError) as error:
                return Unreadable(seq, pk, field.name, f"{str(value)[:80]!r}: {error}")
        setattr(event, field.attname, value)
    return event


# The check ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """An event's seq and hash kept outside the database, and where it was found (for the message)."""

    seq: int
    hash: str
    source: str = ""

    def __str__(self):
        return f"anchor {self.seq}:{self.hash}" + (f" from {self.source}" if self.source else "")


def verify(events, head, *, anchors=(), progress=None):
    """Walk `events` in sequence order and return the first broken link, or None if the chain holds.

    `events` is a queryset (streamed in chunks, never loaded whole) or any iterable in seq order; `head`
    is the AuditChainHead row, or None if it is missing. Each of `anchors` must still be in the chain: its
    event there with its hash. `progress(count)` is called every 1,000 events.
    """
    kept = {}
    for anchor in anchors:
        kept.setdefault(anchor.seq, []).append(anchor)
    if hasattr(events, "iterator"):
        events = events.order_by("seq").iterator(chunk_size=CHUNK_SIZE)
    expected_seq, prev_hash, last = 1, GENESIS_HASH, None
    for event in events:
        if event.seq != expected_seq:
            return Break(event.seq, event.pk, f"sequence gap: event {expected_seq} was expected next; events were removed")
        if head is not None and event.seq > head.seq:
            return Break(event.seq, event.pk, f"the event lies beyond the chain head ({head.seq}): {BEYOND}")
        if isinstance(event, Unreadable):
            return Break(event.seq, event.pk, f"unreadable {event.field} ({event.detail}): the row was written "
                         "past the recorder")
        try:
            recomputed = hash_of(event)
        except (TypeError, ValueError) as error:
            return Break(event.seq, event.pk, f"unreadable contents ({error}): the row was written past the recorder")
        if recomputed != event.hash:
            return Break(event.seq, event.pk, "hash mismatch: the event's contents were altered after it was written")
        if event.prev_hash != prev_hash:
            return Break(
                event.seq,
                event.pk,
                f"broken link: prev_hash is not the hash of event {event.seq - 1}; an event before it was altered, "
                "replaced or reordered",
            )
        for anchor in kept.get(event.seq, ()):
            if anchor.hash != event.hash:
                return Break(
                    event.seq, event.pk,
                    f"the event no longer has the anchored hash ({anchor}): the trail was cut back and written again",
                )
        prev_hash, expected_seq, last = event.hash, expected_seq + 1, event
        if progress is not None and event.seq % 1000 == 0:
            progress(event.seq)
    last_seq = expected_seq - 1
    last_id = None if last is None else last.pk
    beyond = [anchor for anchor in anchors if anchor.seq > last_seq]
    if beyond:
        anchor = max(beyond, key=lambda anchor: anchor.seq)
        return Break(last_seq + 1, None, f"the chain ends at event {last_seq}, before {anchor}: its end was cut off")
    if head is None:
        if last is None:
            return None
        return Break(last_seq, last_id, "the chain head is missing: the trail's end can no longer be checked")
    if head.seq > last_seq:
        return Break(last_seq + 1, None, f"events {last_seq + 1} to {head.seq} are missing: the end of the trail was cut off")
    if head.hash != prev_hash:
        return Break(last_seq, last_id, "the chain head's hash is not this event's hash: the head was altered")
    return None


def verify_trail(*, anchors=(), progress=None):
    """Check the whole stored trail while others keep appending to it.

    The head is read first and the events up to it are walked: every event up to a committed head is
    itself committed. Events past that head are then looked for before the head is read again; any past
    the fresh head were not written by the recorder, which moves the head in the same transaction.
    """
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    events = raw_events(up_to=None if head is None else head.seq)
    broken = verify(events, head, anchors=anchors, progress=progress)
    if broken is None and head is not None:
        furthest = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
        fresh = AuditChainHead.objects.filter(pk=HEAD_ID).first()
        if furthest is not None and furthest > head.seq:
            if fresh is None or furthest > fresh.seq:
                stray = AuditEvent.objects.filter(seq__gt=fresh.seq if fresh else head.seq).order_by("seq").first()
                broken = Break(stray.seq, stray.pk, f"the event lies beyond the chain head: {BEYOND}")
    if broken is None:
        broken = scope_break(up_to=None if head is None else head.seq)
    if head is None:
        return Verified(0, GENESIS_HASH, broken)
    return Verified(head.seq, head.hash, broken)


def scope_break(*, up_to=None):
    """The first event whose EventScope rows are not exactly the case ids its hashed `after["scope"]` keeps.

    The rows decide who may read an event, and the database lets rows be inserted (the recorder does): one
    added past the recorder would hide an event from its readers, so the rows are checked against the chain.
    """
    rows = {}
    kept_rows = EventScope.objects.all() if up_to is None else EventScope.objects.filter(event__seq__lte=up_to)
    for event_id, case_ref in kept_rows.values_list("event_id", "case_ref").iterator(chunk_size=CHUNK_SIZE):
        rows.setdefault(event_id, set()).add(str(case_ref))
    scoped = AuditEvent.objects.filter(after__has_key="scope")
    if up_to is not None:
        scoped = scoped.filter(seq__lte=up_to)
    for pk, seq, after in scoped.order_by("seq").values_list("pk", "seq", "after").iterator(chunk_size=CHUNK_SIZE):
        kept = after.get("scope") if isinstance(after, dict) else None
        expected = {str(ref) for ref in kept} if isinstance(kept, list) else set()
        if rows.pop(pk, set()) != expected:
            return Break(seq, pk, "its scope rows are not the case files its hashed record names: scope rows were "
                         "written or removed past the recorder")
    if rows:
        pk, seq = AuditEvent.objects.filter(pk__in=rows).order_by("seq").values_list("pk", "seq").first() or (None, 0)
        return Break(seq, pk, "scope rows name an event that keeps no scope: they were written past the recorder")
    return None
