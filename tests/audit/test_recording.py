"""What `record` writes: who, about what, in the caller's transaction."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction

from audit import actions, context, trail
from audit.errors import AuditHeadMissing
from audit.models import AuditChainHead, AuditEvent
from tests.audit.tampering import tamper

pytestmark = pytest.mark.django_db


def test_a_target_gives_its_type_id_and_text(clerk):
    group = Group.objects.create(name="Registry of the Court of Appeal")
    event = trail.record(actions.CHANGE, actor=clerk, target=group, before={"name": "Registry"})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.target_type, stored.target_id, stored.target_repr) == (
        "auth.group", str(group.pk), "Registry of the Court of Appeal"
    )
    assert (stored.actor_id, stored.actor_name) == (clerk.pk, clerk.username)


def test_an_empty_target_text_leaves_out_what_the_reader_should_not_see(clerk):
    group = Group.objects.create(name="Sealed: juvenile matter")
    event = trail.record(actions.REFUSED, actor=clerk, target=group, target_repr="")
    assert AuditEvent.objects.get(pk=event.pk).target_repr == ""


def test_long_text_is_cut_to_the_column(clerk):
    group = Group.objects.create(name="x" * 150)
    event = trail.record(actions.CHANGE, target=group, target_repr="y" * 500)
    assert len(AuditEvent.objects.get(pk=event.pk).target_repr) == 300


def test_case_and_document_references_are_kept(clerk):
    case, document = uuid.uuid4(), uuid.uuid4()
    event = trail.record(actions.ADD_VERSION, case_ref=case, document_ref=str(document))
    assert AuditEvent.objects.filter(case_ref=case, document_ref=document).get().pk == event.pk


def test_an_anonymous_actor_is_no_actor():
    event = trail.record(actions.VIEW, actor=AnonymousUser())
    assert (event.actor_id, event.actor_name) == (None, "")


def test_a_rolled_back_transaction_takes_its_event_with_it(clerk):
    trail.record(actions.CREATE, actor=clerk)
    with pytest.raises(RuntimeError), transaction.atomic():
        trail.record(actions.DELETE, actor=clerk)
        raise RuntimeError("the deletion failed")
    third = trail.record(actions.CHANGE, actor=clerk)
    assert list(AuditEvent.objects.values_list("seq", "action")) == [(1, actions.CREATE), (2, actions.CHANGE)]
    assert AuditChainHead.objects.get().hash == third.hash


def test_a_missing_head_is_made_again_on_an_empty_trail():
    tamper("DELETE FROM audit_auditchainhead")  # past its triggers, as only SQL access could
    event = trail.record(actions.VIEW)
    assert event.seq == 1 and event.prev_hash == "0" * 64


def test_a_missing_head_with_events_left_stops_the_trail():
    trail.record(actions.VIEW)
    tamper("DELETE FROM audit_auditchainhead")  # past its triggers, as only SQL access could
    with pytest.raises(AuditHeadMissing):
        trail.record(actions.VIEW)
    assert AuditEvent.objects.count() == 1


def test_every_action_has_a_label():
    names = [name for name in dir(actions) if name.isupper() and name != "LABELS"]
    assert len(names) == 25  # CORRECT_TEXT the newest
    assert {getattr(actions, name) for name in names} == set(actions.LABELS)


def test_events_by_a_signed_in_user_are_protected_from_the_users_deletion(clerk):
    from django.db.models import ProtectedError

    with context.acting(user=clerk):
        trail.record(actions.VIEW)
    with pytest.raises(ProtectedError):
        clerk.delete()
