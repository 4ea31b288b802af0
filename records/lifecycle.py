"""The life cycle of a case file: filed → hearing → judgment → appeal → closed → executed → archived.

A case may also close early (withdrawn, settled, dismissed), be appealed after it closed, or go back to
hearing after an appeal remits it. Archiving is the end: an archived file only leaves by disposition.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    FILED = "filed", _("Filed")
    HEARING = "hearing", _("Hearing")
    JUDGMENT = "judgment", _("Judgment")
    APPEAL = "appeal", _("Appeal")
    CLOSED = "closed", _("Closed")
    EXECUTED = "executed", _("Executed")
    ARCHIVED = "archived", _("Archived")


TRANSITIONS = {
    Status.FILED: (Status.HEARING, Status.CLOSED),
    Status.HEARING: (Status.JUDGMENT, Status.CLOSED),
    Status.JUDGMENT: (Status.APPEAL, Status.CLOSED),
    Status.APPEAL: (Status.HEARING, Status.JUDGMENT, Status.CLOSED),
    Status.CLOSED: (Status.APPEAL, Status.EXECUTED, Status.ARCHIVED),
    Status.EXECUTED: (Status.ARCHIVED,),
    Status.ARCHIVED: (),
}


def allowed_transitions(status):
    return TRANSITIONS[Status(status)]


def is_allowed(from_status, to_status):
    return Status(to_status) in allowed_transitions(from_status)
