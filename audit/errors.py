"""Errors of the audit trail."""


class AuditError(Exception):
    """Base of the audit trail's errors."""


class AuditImmutable(AuditError):
    """An audit event was about to be changed, deleted or written other than by the recorder."""


class AuditHeadMissing(AuditError):
    """Events exist but the chain head does not: the trail was tampered with, and is not extended blindly."""
