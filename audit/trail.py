"""The one writer of the audit trail."""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from audit import chain, context
from audit.errors import AuditHeadMissing
from audit.models import GENESIS_HASH, HEAD_ID, AuditChainHead, AuditEvent, EventScope


def record(
    action,
    *,
    actor=None,
    target=None,
    target_type="",
    target_id="",
    target_repr=None,
    case_ref=None,
    document_ref=None,
    level="",
    marks=(),
    before=None,
    after=None,
    scope=(),
):
    """Append an event to the trail and return it.

    `actor` defaults to the user of the current request or `acting` block; anonymous means none.
    `target` (a model instance) gives the target's type, id and text unless they are given; pass
    `target_repr=""` to leave out the text of an object the reader of the trail should not see.
    `level` and `marks` (codes) are the case file's or document's restriction, kept so that the event stays
    readable by those cleared for it after the item is deleted.
    `scope` (case file ids) names the restricted cases that the words an event carries (a search, an export's
    filters) are about: the event is then readable only by those who may see every one of them. The ids are
    kept in `after["scope"]`, so the chain covers them, and indexed in EventScope for the trail's queries.
    The event joins the caller's transaction: if that is rolled back, the event was never written.
    The head row stays locked until that transaction ends, so appends are written one at a time.
    """
    if isinstance(after, Mapping) and "scope" in after:
        raise ValueError("after['scope'] is written by record() from `scope`, never given: verify_audit checks it")
    scoped = sorted({str(uuid) for uuid in (chain.uuid_or_none(ref) for ref in scope) if uuid is not None})
    if scoped:
        after = {**(after or {}), "scope": scoped}
    scope = context.current()
    if actor is None:
        actor = scope.user
    if actor is not None and not actor.is_authenticated:
        actor = None
    if target is not None:
        meta = target._meta
        target_type = target_type or f"{meta.app_label}.{meta.model_name}"
        target_id = target_id or str(target.pk)
        if target_repr is None:
            target_repr = str(target)
    event = AuditEvent(
        actor=actor,
        actor_name=chain.text(actor.get_username())[:150] if actor is not None else "",
        action=chain.text(action)[:40],
        target_type=chain.text(target_type)[:60],
        target_id=chain.text(target_id)[:64],
        target_repr=chain.text(target_repr or "")[:300],
        case_ref=chain.uuid_or_none(case_ref),
        document_ref=chain.uuid_or_none(document_ref),
        level=chain.text(level)[:16],
        marks=",".join(sorted({chain.text(code) for code in marks}))[:200],
        before=chain.jsonable(before),
        after=chain.jsonable(after),
        request_id=chain.text(scope.request_id)[:64],
        client_address=scope.client_address,
    )
    with transaction.atomic():
        head = _locked_head()
        event.seq = head.seq + 1
        event.prev_hash = head.hash
        # Taken under the lock, so times follow the sequence (UTC, to the microsecond both databases keep).
        event.at = timezone.now()
        event.hash = chain.hash_of(event)
        event._append()
        EventScope.objects.bulk_create([EventScope(event=event, case_ref=ref) for ref in scoped])
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


def _locked_head():
    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is not None:
        return head
    # Made by migration 0002; gone only after a flush of the tables, or a removal. With events left, the
    # head cannot be rebuilt from them without hiding a cut-off end, so the trail stops.
    if AuditEvent.objects.exists():
        # A first writer may have committed the head and its first events between the two reads; they
        # commit together, so seeing its events means its head is visible now too.
        head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_ID).first()
        if head is not None:
            return head
        raise AuditHeadMissing("Audit events exist but the chain head is missing; run verify_audit.")
    # Writers racing here all try to create it; get_or_create lets the losers read the winner's row.
    AuditChainHead.objects.get_or_create(pk=HEAD_ID, defaults={"seq": 0, "hash": GENESIS_HASH})
    return AuditChainHead.objects.select_for_update().get(pk=HEAD_ID)
