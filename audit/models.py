"""The audit trail's tables: the events, append-only and hash-chained, and the head of the chain."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.errors import AuditImmutable

GENESIS_HASH = "0" * 64
HEAD_ID = 1


class AuditEventQuerySet(models.QuerySet):
    """Reads only: every bulk path that would change or remove events, or add them unchained, is refused."""

    def update(self, **kwargs):
        raise AuditImmutable("Audit events cannot be changed.")

    def delete(self):
        raise AuditImmutable("Audit events cannot be deleted.")

    def bulk_create(self, objs, *args, **kwargs):
        raise AuditImmutable("Audit events are written one by one by audit.trail.record, which chains them.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditImmutable("Audit events cannot be changed.")


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The username at the time, so that the event reads the same after a user is renamed.
    actor_name = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, db_index=True)
    target_type = models.CharField(_("type of object"), max_length=60, blank=True)
    target_id = models.CharField(_("object identifier"), max_length=64, blank=True, db_index=True)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    case_ref = models.UUIDField(_("case file"), null=True, db_index=True)
    document_ref = models.UUIDField(_("document"), null=True, db_index=True)
    # The item's restriction when the event was written (effective level, and mark codes sorted and joined
    # by commas): who may read the event once the item itself is deleted.
    level = models.CharField(_("level"), max_length=16, blank=True, default="", db_default="")
    marks = models.CharField(_("marks"), max_length=200, blank=True, default="", db_default="")
    before = models.JSONField(_("before"), null=True)
    after = models.JSONField(_("after"), null=True)
    request_id = models.CharField(_("request ID"), max_length=64, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        default_permissions = ("view",)
        permissions = [("export_auditevent", _("Can export audit events"))]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.target_repr}".rstrip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutable(f"Audit event {self.seq} cannot be changed.")
        raise AuditImmutable("Audit events are written by audit.trail.record, which chains them.")

    def delete(self, *args, **kwargs):
        raise AuditImmutable(f"Audit event {self.seq} cannot be deleted.")

    def _append(self):
        """The recorder's insert, once seq, hashes and time are set (audit.trail.record)."""
        super().save(force_insert=True)


class EventScope(models.Model):
    """One restricted case file that an event's words are about (audit.trail.record's `scope`): an index of
    the ids the event keeps, hashed, in `after["scope"]`, so that the trail can ask in SQL whether a reader
    may see them all."""

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="scope")
    case_ref = models.UUIDField(_("case file"), db_index=True)

    class Meta:
        verbose_name = _("audit event scope")
        verbose_name_plural = _("audit event scopes")
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["event", "case_ref"], name="audit_event_scope_unique")]

    def __str__(self):
        return f"#{self.event_id} {self.case_ref}"


class AuditChainHead(models.Model):
    """The last event's sequence number and hash, in one row.

    Writers lock this row to append one at a time; the check compares it with the last event, so events cut
    from the end of the trail are noticed. Unlike the events, it is updated on every append.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=HEAD_ID, editable=False)
    seq = models.PositiveBigIntegerField(_("last sequence number"), default=0)
    hash = models.CharField(_("last hash"), max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")
        default_permissions = ()
        constraints = [models.CheckConstraint(condition=models.Q(id=HEAD_ID), name="audit_chain_head_single_row")]

    def __str__(self):
        return f"{self.seq} {self.hash}"
