"""Words in the audit trail about restricted cases (searches, an export's filters) are as restricted as the
cases: read only by those who may see every case they are about, with the writer's level and marks.
Restricted items seen in lists are recorded as seen."""

import pytest
from django.test import Client
from django.urls import reverse

from audit import actions
from audit.models import AuditEvent
from records.staff.audit import visible_events
from tests.factories import UserFactory
from tests.leaks.world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(corpus_dir):
    return build(lambda: open(corpus_dir / "us-scotus-2013-tarrant-v-herrmann.pdf", "rb"))


def signed_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def trail_as(user):
    client = signed_in(user)
    page = client.get(reverse("audit_event:index")).content.decode()
    for fmt in ("csv", "json"):
        response = client.get(reverse("audit_event:export") + f"?format={fmt}")
        page += b"".join(response.streaming_content).decode()
    return page


@pytest.fixture
def readers(world):
    users, _items = world
    bench = users["judge_assigned"].groups.get(name__startswith="juvenile bench")
    marks_only = UserFactory(role="auditor", username="aud-marks-only", clearance="internal", marks=("JUVENILE",))
    cleared_unassigned = UserFactory(role="auditor", username="aud-unassigned", clearance="sealed", marks=("JUVENILE",))
    on_the_bench = UserFactory(role="auditor", username="aud-bench", clearance="sealed", marks=("JUVENILE",))
    on_the_bench.groups.through.objects.create(user=on_the_bench, group=bench)
    return {"marks_only": marks_only, "unassigned": cleared_unassigned, "bench": on_the_bench}


def test_a_judges_search_for_a_child_is_read_only_by_those_who_may_see_the_childs_case(world, readers):
    users, items = world
    child = items["sealed_juvenile"]
    judge = signed_in(users["judge_assigned"])
    assert judge.get(reverse("records_casefile:index") + f"?party={child.party_names[0]}").status_code == 200
    assert judge.get(f"/api/v1/case-files/?national_id={child.national_ids[0]}").status_code == 200
    searches = AuditEvent.objects.filter(action=actions.SEARCH, actor=users["judge_assigned"])
    assert searches.count() == 2
    assert all(event.after["scope"] == [str(child.case.pk)] for event in searches)

    for name in ("marks_only", "unassigned"):
        trail = trail_as(readers[name])
        assert child.party_names[0] not in trail and child.national_ids[0] not in trail, name
    trail = trail_as(readers["bench"])
    assert child.party_names[0] in trail and child.national_ids[0] in trail


def test_an_export_filtered_by_a_sealed_case_keeps_its_filter_from_readers_who_may_not_see_the_case(world, readers):
    users, items = world
    sealed = items["sealed_juvenile"].case
    investigator = readers["bench"]
    response = signed_in(investigator).get(reverse("audit_event:export") + f"?format=csv&case_ref={sealed.pk}")
    assert b"".join(response.streaming_content)
    [export] = AuditEvent.objects.filter(action=actions.EXPORT, actor=investigator)
    assert export.after["scope"] == [str(sealed.pk)]
    for name in ("marks_only", "unassigned"):
        assert str(sealed.pk) not in trail_as(readers[name]), name
    colleague = UserFactory(role="auditor", username="aud-bench-2", clearance="sealed", marks=("JUVENILE",))
    colleague.groups.through.objects.create(user=colleague, group=investigator.groups.get(name__startswith="juvenile"))
    assert visible_events(colleague).filter(pk=export.pk).exists()
    assert not visible_events(readers["unassigned"]).filter(pk=export.pk).exists()


def test_restricted_cases_seen_in_the_case_list_and_the_api_list_are_recorded(world):
    users, items = world
    judge = users["judge_assigned"]
    client = signed_in(judge)
    before = AuditEvent.objects.filter(action=actions.VIEW, actor=judge).count()
    page = client.get(reverse("records_casefile:index"))
    assert items["sealed_juvenile"].case.number in page.content.decode()
    listed = set(AuditEvent.objects.filter(action=actions.VIEW, actor=judge).values_list("case_ref", flat=True)[before:])
    assert {items["sealed_juvenile"].case.pk, items["confidential"].case.pk} <= listed
    assert items["internal"].case.pk not in listed
    before = AuditEvent.objects.filter(action=actions.VIEW, actor=judge).count()
    client.get("/api/v1/case-files/")
    client.get("/api/v1/documents/")
    api_seen = AuditEvent.objects.filter(action=actions.VIEW, actor=judge).order_by("seq")[before:]
    assert {event.case_ref for event in api_seen} == {items["sealed_juvenile"].case.pk, items["confidential"].case.pk}
    assert any(event.document_ref == items["sealed_juvenile"].document.pk for event in api_seen)
