"""The hash chain: an honest trail checks out, and every kind of tampering is caught at its first link."""

import hashlib
import json
import uuid

import pytest

from audit import actions, chain, context, trail
from audit.models import AuditEvent
from tests.audit.tampering import tamper

pytestmark = pytest.mark.django_db


def test_an_empty_trail_is_intact(verify_audit):
    outcome = verify_audit()
    assert outcome.status == 0
    assert outcome.out.strip() == f"Audit trail intact: 0 events, last hash {'0' * 64}"


def test_recorded_events_form_a_chain_the_check_accepts(five_events, verify_audit):
    outcome = verify_audit()
    assert outcome.status == 0, outcome.err
    assert outcome.out.strip() == f"Audit trail intact: 5 events, last hash {five_events[-1].hash}"
    assert [event.seq for event in five_events] == [1, 2, 3, 4, 5]
    assert five_events[0].prev_hash == "0" * 64
    assert [event.prev_hash for event in five_events[1:]] == [event.hash for event in five_events[:-1]]


def test_the_hash_is_sha256_of_sorted_compact_utf8_json(clerk):
    case = uuid.UUID("6f1b3c9e-2a4d-4c1e-9f0a-1b2c3d4e5f60")
    with context.acting(request_id="req-1", client_address="192.0.2.7"):
        event = trail.record(
            actions.CHANGE, actor=clerk, target_type="records.casefile", target_id="7", target_repr="Ḥaddād v. État",
            case_ref=case, before={"b": 1, "a": "x"}, after={"title": "جديد"},
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    # Written out by hand, in the documented form, so that a change to the canonical form fails here.
    at = stored.at.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
    expected = (
        f'{{"action":"change","actor":"{clerk.pk}","actor_name":"{clerk.username}","after":{{"title":"جديد"}},'
        f'"at":"{at}","before":{{"a":"x","b":1}},"case_ref":"6f1b3c9e-2a4d-4c1e-9f0a-1b2c3d4e5f60",'
        f'"client_address":"192.0.2.7","document_ref":null,"prev_hash":"{"0" * 64}","request_id":"req-1",'
        f'"seq":1,"target_id":"7","target_repr":"Ḥaddād v. État","target_type":"records.casefile"}}'
    )
    assert stored.hash == hashlib.sha256(expected.encode("utf-8")).hexdigest()


def test_a_kept_restriction_is_hashed_and_an_event_without_one_hashes_as_before(clerk):
    plain = trail.record(actions.VIEW, actor=clerk, target_type="records.casefile", target_id="1")
    sealed = trail.record(
        actions.VIEW, actor=clerk, target_type="records.casefile", target_id="2", level="sealed",
        marks=["JUVENILE", "GBV", "JUVENILE"],
    )
    plain, sealed = AuditEvent.objects.get(pk=plain.pk), AuditEvent.objects.get(pk=sealed.pk)
    assert (plain.level, plain.marks) == ("", "")
    assert (sealed.level, sealed.marks) == ("sealed", "GBV,JUVENILE")
    hashed = {event.seq: json.loads(chain.canonical(event)) for event in (plain, sealed)}
    assert "level" not in hashed[plain.seq] and "marks" not in hashed[plain.seq]
    assert (hashed[sealed.seq]["level"], hashed[sealed.seq]["marks"]) == ("sealed", "GBV,JUVENILE")
    assert sealed.hash == hashlib.sha256(chain.canonical(sealed)).hexdigest()


@pytest.mark.parametrize(
    ("column", "value"), [("level", "internal"), ("marks", ""), ("marks", "JUVENILE"), ("level", "sealed")]
)
def test_a_lowered_or_added_restriction_is_caught(clerk, verify_audit, column, value):
    for number in range(1, 4):
        trail.record(
            actions.VIEW, actor=clerk, target_type="records.casefile", target_id=str(number),
            level="confidential" if number == 2 else "", marks=["GBV", "JUVENILE"] if number == 2 else (),
        )
    tamper(f"UPDATE audit_auditevent SET {column} = %s WHERE seq = 2", [value])
    outcome = verify_audit()
    assert outcome.status == 1
    assert "BROKEN at event seq 2 " in outcome.err and "hash mismatch" in outcome.err


def test_an_edited_middle_event_is_named(five_events, verify_audit):
    tamper("UPDATE audit_auditevent SET actor_name = %s WHERE seq = 3", ["someone-else"])
    outcome = verify_audit()
    assert outcome.status == 1
    assert f"Audit trail BROKEN at event seq 3 (id {five_events[2].pk}): hash mismatch" in outcome.err
    assert outcome.out == ""


def test_edited_json_is_caught(five_events, verify_audit):
    tamper("UPDATE audit_auditevent SET after = %s WHERE seq = 2", [json.dumps({"query": "innocent"})])
    outcome = verify_audit()
    assert outcome.status == 1
    assert "BROKEN at event seq 2 " in outcome.err


def test_a_deleted_middle_event_is_named_by_the_gap(five_events, verify_audit):
    tamper("DELETE FROM audit_auditevent WHERE seq = 3")
    outcome = verify_audit()
    assert outcome.status == 1
    assert f"Audit trail BROKEN at event seq 4 (id {five_events[3].pk}): sequence gap: event 3" in outcome.err


def test_a_deleted_and_renumbered_event_is_caught_by_the_broken_link(five_events, verify_audit):
    tamper("DELETE FROM audit_auditevent WHERE seq = 3")
    tamper("UPDATE audit_auditevent SET seq = seq - 1 WHERE seq > 3")  # 4 becomes 3, 5 becomes 4
    tamper("UPDATE audit_auditchainhead SET seq = 4, hash = %s", [five_events[4].hash])
    outcome = verify_audit()
    assert outcome.status == 1
    # The former event 4 now says seq 3, which is not what its hash was made from.
    assert f"BROKEN at event seq 3 (id {five_events[3].pk}): hash mismatch" in outcome.err


@pytest.mark.parametrize("swap", ["seq", "contents"])
def test_two_swapped_events_are_caught_at_the_first(five_events, verify_audit, swap):
    second, third = five_events[1], five_events[2]
    if swap == "seq":
        # Through a free number, as seq is unique.
        tamper("UPDATE audit_auditevent SET seq = 99 WHERE id = %s", [second.pk])
        tamper("UPDATE audit_auditevent SET seq = 2 WHERE id = %s", [third.pk])
        tamper("UPDATE audit_auditevent SET seq = 3 WHERE id = %s", [second.pk])
        first_broken_id = third.pk
    else:
        for event, other in ((second, third), (third, second)):
            tamper(
                "UPDATE audit_auditevent SET target_id = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [other.target_id, other.prev_hash, other.hash, event.pk],
            )
        first_broken_id = second.pk
    outcome = verify_audit()
    assert outcome.status == 1
    assert f"Audit trail BROKEN at event seq 2 (id {first_broken_id}):" in outcome.err


def test_a_cut_off_end_is_caught_by_the_head(five_events, verify_audit):
    tamper("DELETE FROM audit_auditevent WHERE seq = 5")
    outcome = verify_audit()
    assert outcome.status == 1
    assert "Audit trail BROKEN at event seq 5 (no row): events 5 to 5 are missing" in outcome.err


def test_a_cut_off_end_with_the_head_moved_back_but_its_hash_kept_is_caught(five_events, verify_audit):
    tamper("DELETE FROM audit_auditevent WHERE seq = 5")
    tamper("UPDATE audit_auditchainhead SET seq = 4")
    outcome = verify_audit()
    assert outcome.status == 1
    assert f"Audit trail BROKEN at event seq 4 (id {five_events[3].pk}): the chain head's hash" in outcome.err


def test_a_deleted_head_is_caught(five_events, verify_audit):
    tamper("DELETE FROM audit_auditchainhead")
    outcome = verify_audit()
    assert outcome.status == 1
    assert "BROKEN at event seq 5" in outcome.err and "head is missing" in outcome.err


def test_an_edited_event_with_its_own_hash_recomputed_is_caught_by_the_next_link(five_events, verify_audit):
    forged = AuditEvent.objects.get(seq=3)
    forged.actor_name = "someone-else"
    forged_hash = hashlib.sha256(chain.canonical(forged)).hexdigest()
    tamper("UPDATE audit_auditevent SET actor_name = %s, hash = %s WHERE seq = 3", ["someone-else", forged_hash])
    outcome = verify_audit()
    assert outcome.status == 1
    assert f"Audit trail BROKEN at event seq 4 (id {five_events[3].pk}): broken link" in outcome.err


def test_an_event_slipped_in_past_the_head_is_caught(five_events, verify_audit):
    last = five_events[-1]
    columns = [
        "seq", "at", "actor_name", "action", "target_type", "target_id", "target_repr", "request_id",
        "prev_hash", "hash",
    ]
    tamper(
        f"INSERT INTO audit_auditevent ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
        [6, last.at.isoformat(), "", "view", "", "", "", "", last.hash, "f" * 64],
    )
    outcome = verify_audit()
    assert outcome.status == 1
    assert "Audit trail BROKEN at event seq 6 " in outcome.err and "beyond the chain head" in outcome.err

