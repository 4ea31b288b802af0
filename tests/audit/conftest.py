"""Fixtures of the audit trail's tests: a short trail, and the check run as a command."""

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from audit import actions, trail
from audit.models import AuditEvent


@dataclass
class Outcome:
    status: int
    out: str
    err: str


@pytest.fixture
def verify_audit():
    """Run `verify_audit` and return its exit status and what it printed."""

    def run(*args):
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("verify_audit", *args, stdout=out, stderr=err)
        except SystemExit as exit_:
            return Outcome(exit_.code, out.getvalue(), err.getvalue())
        return Outcome(0, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def five_events(clerk):
    """Five events by the clerk, seq 1 to 5, the raw material of every tampering test."""
    for number in range(1, 6):
        trail.record(actions.VIEW, actor=clerk, target_type="records.casefile", target_id=str(number))
    return list(AuditEvent.objects.order_by("seq"))
