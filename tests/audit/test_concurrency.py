"""Writers appending at the same moment still leave one unbroken, gapless chain."""

import threading

import pytest
from django.db import connection

from audit import actions, chain, trail
from audit.models import AuditEvent
from tests.audit.databases import postgresql_only

WRITERS = 8
EACH = 15


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_a_contiguous_intact_chain(verify_audit):
    start = threading.Barrier(WRITERS)
    failures = []

    def write(number):
        try:
            start.wait()
            for each in range(EACH):
                trail.record(actions.VIEW, target_type="test.writer", target_id=f"{number}-{each}")
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, WRITERS * EACH + 1))
    assert AuditEvent.objects.values("target_id").distinct().count() == WRITERS * EACH
    assert chain.verify_trail().broken is None
    assert verify_audit().status == 0
