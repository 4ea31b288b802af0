"""The audit trail end to end: one event per act, with who, what and the values before and after; reads of
restricted items, refusals and sensitive searches; the trail screen, its filters, its reach, and its exports."""

import csv
import datetime
import hashlib
import io
import json
import uuid

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models import Max
from django.urls import reverse
from rest_framework.test import APIClient

from audit import actions
from audit.models import AuditEvent
from records import classification, services
from records.models import Assignment, CaseFile, Document, Mark, Party
from records.staff.audit import reference_of
from tests.factories import CaseTypeFactory, InstitutionFactory, UserFactory, clear

pytestmark = pytest.mark.django_db

CASE_FILES = "/api/v1/case-files/"
DOCUMENTS = "/api/v1/documents/"
PASSWORD = "correct horse battery staple"
FIRST = b"Judgment of the juvenile court, first draft.\n"
SECOND = b"Judgment of the juvenile court, as signed.\n"


def sha(data):
    return hashlib.sha256(data).hexdigest()


def last_seq():
    return AuditEvent.objects.aggregate(top=Max("seq"))["top"] or 0


def events_after(seq):
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


def summary(event):
    return (event.action, event.actor_id, event.target_type, event.target_id)


def another_registrar():
    """Someone to assign a user: nobody assigns themselves."""
    return UserFactory(role="registrar", username=f"assigner-{uuid.uuid4().hex[:8]}")


def api_for(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def court():
    return InstitutionFactory(code="FAM-NBL", name="Family Court of Nablus")


@pytest.fixture
def civil():
    case_type = CaseTypeFactory(code="civil")
    case_type.default_level = "public"
    case_type.save()
    return case_type


@pytest.fixture
def juvenile():
    case_type = CaseTypeFactory(code="juvenile")
    case_type.default_level = "sealed"
    case_type.save()
    case_type.default_marks.set(Mark.objects.filter(code="JUVENILE"))
    return case_type


@pytest.fixture
def cleared_registrar(db):
    return UserFactory(role="registrar", clearance="sealed", marks=("JUVENILE",), username="reg-cleared")


@pytest.fixture
def judge(db):
    return UserFactory(role="judge", clearance="sealed", marks=("JUVENILE",), username="judge-odeh")


def register(actor, court, case_type, number, parties=()):
    case_file = CaseFile(
        number=number, court=court, case_type=case_type, title="In re M.K.", date_filed=datetime.date(2024, 2, 1)
    )
    case_file.parties = [Party(**party) for party in parties]
    return services.register_case_file(case_file, actor=actor)


def with_version(case_file, actor, data=FIRST, name="judgment.txt"):
    document = Document(case=case_file, kind="judgment", title="Judgment", document_date=datetime.date(2024, 5, 2))
    services.add_document(document, actor=actor, file=ContentFile(data), file_name=name)
    return document, document.versions.get()


# One event per act ---------------------------------------------------------------------------------------


def test_registering_a_case_is_one_create_event_with_the_request_id_and_client_address(clerk, court, civil):
    api = api_for(clerk)  # signing in is an event of its own
    start = last_seq()
    response = api.post(
        CASE_FILES,
        {
            "number": "88/2024",
            "court": court.code,
            "case_type": "civil",
            "title": "Haddad v. Haddad",
            "date_filed": "2024-02-01",
            "parties": [{"role": "applicant", "name": "Rana Haddad"}],
            "legacy_numbers": [{"number": "OLD-88"}],
        },
        format="json",
        headers={"X-Request-ID": "req-create-88"},
        REMOTE_ADDR="10.20.30.40",
    )
    assert response.status_code == 201, response.content
    case_file = CaseFile.objects.get(number="88/2024")

    [event] = events_after(start)
    assert summary(event) == (actions.CREATE, clerk.pk, "records.casefile", str(case_file.pk))
    assert (event.actor_name, event.case_ref, event.document_ref, event.before) == (
        clerk.username,
        case_file.pk,
        None,
        None,
    )
    assert {k: event.after[k] for k in ("number", "title", "date_filed", "parties", "legacy_numbers")} == {
        "number": "88/2024",
        "title": "Haddad v. Haddad",
        "date_filed": "2024-02-01",
        "parties": ["applicant: Rana Haddad"],
        "legacy_numbers": ["OLD-88"],
    }
    assert (event.request_id, event.client_address) == ("req-create-88", "10.20.30.40")


def test_a_change_records_the_changed_fields_only_and_a_status_change_its_own_event(clerk, court, civil):
    case_file = register(clerk, court, civil, "89/2024")
    api = api_for(clerk)

    start = last_seq()
    response = api.patch(
        f"{CASE_FILES}{case_file.pk}/", {"title": "Haddad v. Haddad (custody)", "location_box": "B-7"}, format="json"
    )
    assert response.status_code == 200, response.content
    [change] = events_after(start)
    assert summary(change) == (actions.CHANGE, clerk.pk, "records.casefile", str(case_file.pk))
    assert (change.before, change.after) == (
        {"title": "In re M.K.", "location_box": ""},
        {"title": "Haddad v. Haddad (custody)", "location_box": "B-7"},
    )

    start = last_seq()
    response = api.post(
        f"{CASE_FILES}{case_file.pk}/status/",
        {"to_status": "hearing", "reason": "Hearing set", "effective_on": "2024-03-01"},
        format="json",
    )
    assert response.status_code == 201, response.content
    [status] = events_after(start)
    assert summary(status) == (actions.STATUS_CHANGE, clerk.pk, "records.casefile", str(case_file.pk))
    assert (status.before, status.after) == (
        {"status": "filed"},
        {"status": "hearing", "effective_on": "2024-03-01", "reason": "Hearing set"},
    )


def test_versions_revert_declare_and_delete_are_one_event_each(registrar, court, civil):
    case_file = register(registrar, court, civil, "90/2024")
    api = api_for(registrar)

    start = last_seq()
    created = api.post(
        DOCUMENTS,
        {"case": str(case_file.pk), "kind": "judgment", "title": "Judgment", "file": ContentFile(FIRST, name="v1.txt")},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    document = Document.objects.get(pk=created.json()["id"])
    second = api.post(
        f"{DOCUMENTS}{document.pk}/versions/", {"file": ContentFile(SECOND, name="v2.txt")}, format="multipart"
    )
    assert second.status_code == 201, second.content
    first_version = document.versions.get(number=1)
    reverted = api.post(f"{DOCUMENTS}{document.pk}/revert/", {"version": str(first_version.pk)}, format="json")
    assert reverted.status_code == 201, reverted.content
    declared = api.post(f"{DOCUMENTS}{document.pk}/declare/")
    assert declared.status_code == 200, declared.content

    made = events_after(start)
    assert [summary(e) for e in made] == [
        (action, registrar.pk, "records.document", str(document.pk))
        for action in (actions.CREATE, actions.ADD_VERSION, actions.ADD_VERSION, actions.REVERT, actions.DECLARE)
    ]
    assert all((e.case_ref, e.document_ref) == (case_file.pk, document.pk) for e in made)
    assert made[0].after["title"] == "Judgment" and made[0].before is None
    assert [e.after for e in made[1:4]] == [
        {"version": 1, "sha256": sha(FIRST), "size": len(FIRST), "name": "v1.txt", "reverted_from": None},
        {"version": 2, "sha256": sha(SECOND), "size": len(SECOND), "name": "v2.txt", "reverted_from": None},
        {"version": 3, "sha256": sha(FIRST), "size": len(FIRST), "name": "v1.txt", "reverted_from": 1},
    ]
    assert made[4].after == {
        "declared_at": Document.objects.get(pk=document.pk).declared_at.astimezone(datetime.UTC).isoformat()
    }

    mistake, _version = with_version(case_file, registrar)
    start = last_seq()
    assert api.delete(f"{DOCUMENTS}{mistake.pk}/").status_code == 204
    [deleted] = events_after(start)
    assert summary(deleted) == (actions.DELETE, registrar.pk, "records.document", str(mistake.pk))
    assert (deleted.before["title"], deleted.before["kind"], deleted.after) == ("Judgment", "judgment", None)


def test_classify_assign_unassign_and_clearance_are_one_event_each(client, cleared_registrar, judge, court, civil):
    case_file = register(cleared_registrar, court, civil, "91/2024")
    api = api_for(cleared_registrar)
    target = ("records.casefile", str(case_file.pk))

    start = last_seq()
    assert (
        api.post(
            f"{CASE_FILES}{case_file.pk}/classify/", {"level": "sealed", "marks": ["JUVENILE"]}, format="json"
        ).status_code
        == 200
    )
    # Raising a case to sealed routes it by rule: with no route for it, to the court's registry.
    classified, routed = events_after(start)
    assert summary(classified) == (actions.CLASSIFY, cleared_registrar.pk, *target)
    assert summary(routed) == (actions.ASSIGN, cleared_registrar.pk, *target)
    assert routed.after == {"user": None, "group": f"Registry, {court.code}"}
    assert (classified.before, classified.after) == (
        {"level": "internal", "marks": []},
        {"level": "sealed", "marks": ["JUVENILE"], "reason": "", "court_order": "", "by_rule": False},
    )

    classification.assign(case_file, actor=another_registrar(), user=cleared_registrar)
    start = last_seq()
    assert (
        api.post(f"{CASE_FILES}{case_file.pk}/assignments/", {"user": judge.username}, format="json").status_code == 201
    )
    [assigned] = events_after(start)
    assert summary(assigned) == (actions.ASSIGN, cleared_registrar.pk, *target)
    assert (assigned.before, assigned.after) == (None, {"user": judge.username, "group": None})

    client.force_login(cleared_registrar)
    start = last_seq()
    assignment = Assignment.objects.get(case=case_file, user=judge)
    assert client.post(reverse("records_casefile:unassign", args=[case_file.pk, assignment.pk])).status_code == 302
    [unassigned] = events_after(start)
    assert summary(unassigned) == (actions.UNASSIGN, cleared_registrar.pk, *target)
    assert (unassigned.before, unassigned.after) == ({"user": judge.username, "group": None}, None)

    start = last_seq()
    classification.set_clearance(judge, actor=cleared_registrar, level="confidential", marks=["JUVENILE"])
    classification.set_clearance(judge, actor=cleared_registrar, level="confidential", marks=["JUVENILE"])  # no change
    [cleared] = events_after(start)
    assert summary(cleared) == (actions.CLEARANCE, cleared_registrar.pk, "auth.user", str(judge.pk))
    assert (cleared.before, cleared.after) == (
        {"level": "sealed", "marks": ["JUVENILE"]},
        {"level": "confidential", "marks": ["JUVENILE"]},
    )


# Reading: views, downloads, refusals, searches --------------------------------------------------------------


@pytest.fixture
def sealed_case(cleared_registrar, court, juvenile):
    return register(cleared_registrar, court, juvenile, "J-7/2024")


@pytest.fixture
def internal_case(clerk, court, civil):
    return register(clerk, court, civil, "I-7/2024")


def test_seeing_a_sealed_case_page_and_api_detail_is_recorded_but_an_internal_case_is_not(
    client, cleared_registrar, sealed_case, internal_case
):
    client.force_login(cleared_registrar)
    api = api_for(cleared_registrar)

    start = last_seq()
    assert client.get(reverse("records_casefile:inspect", args=[sealed_case.pk])).status_code == 200
    assert api.get(f"{CASE_FILES}{sealed_case.pk}/").status_code == 200
    made = events_after(start)
    assert [summary(e) for e in made] == [
        (actions.VIEW, cleared_registrar.pk, "records.casefile", str(sealed_case.pk))
    ] * 2
    assert all(e.case_ref == sealed_case.pk for e in made)

    start = last_seq()
    assert client.get(reverse("records_casefile:inspect", args=[internal_case.pk])).status_code == 200
    assert api.get(f"{CASE_FILES}{internal_case.pk}/").status_code == 200
    assert events_after(start) == []


def test_seeing_a_confidential_case_through_the_api_is_recorded(cleared_registrar, court, civil):
    case_file = register(cleared_registrar, court, civil, "CONF-1/2024")
    classification.classify_case(case_file, actor=cleared_registrar, level="confidential")
    classification.assign(case_file, actor=another_registrar(), user=cleared_registrar)

    api = api_for(cleared_registrar)
    start = last_seq()
    assert api.get(f"{CASE_FILES}{case_file.pk}/").status_code == 200
    assert [summary(e) for e in events_after(start)] == [
        (actions.VIEW, cleared_registrar.pk, "records.casefile", str(case_file.pk))
    ]


def test_downloading_a_sealed_version_is_recorded_and_an_internal_one_is_not(
    client, cleared_registrar, sealed_case, internal_case
):
    _sealed_doc, sealed_version = with_version(sealed_case, cleared_registrar)
    _doc, internal_version = with_version(internal_case, cleared_registrar)
    client.force_login(cleared_registrar)

    start = last_seq()
    response = client.get(reverse("records:download_version", args=[sealed_version.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == FIRST
    [event] = events_after(start)
    assert summary(event) == (actions.DOWNLOAD, cleared_registrar.pk, "records.version", str(sealed_version.pk))
    assert (event.case_ref, event.document_ref) == (sealed_case.pk, sealed_version.document_id)
    assert event.after == {"version": 1, "sha256": sha(FIRST)}

    start = last_seq()
    response = client.get(reverse("records:download_version", args=[internal_version.pk]))
    assert response.status_code == 200
    assert events_after(start) == []


def test_asking_for_a_case_out_of_reach_and_for_a_missing_one_are_recorded_alike_as_refused(
    client, clerk, sealed_case
):
    """Both are written, keeping what was asked for and nothing of the item, so the event (and who may read
    it) does not depend on whether the item exists."""
    client.force_login(clerk)
    api = api_for(clerk)

    def refusals(pk):
        start = last_seq()
        page = client.get(reverse("records_casefile:inspect", args=[pk]), headers={"X-Request-ID": "req-refused"})
        detail = api.get(f"{CASE_FILES}{pk}/")
        assert (page.status_code, detail.status_code) == (404, 404)
        made = events_after(start)
        assert [summary(e) for e in made] == [(actions.REFUSED, clerk.pk, "records.casefile", str(pk))] * 2
        assert made[0].request_id == "req-refused"
        return [
            (e.case_ref, e.document_ref, e.level, e.marks, e.target_repr, e.after == {"lookup": {"pk": str(pk)}})
            for e in made
        ]

    missing = uuid.uuid4()
    assert refusals(sealed_case.pk) == refusals(missing) == [(None, None, "", "", "", True)] * 2


def test_a_search_on_the_case_list_by_a_mark_holder_is_recorded_and_by_others_not(
    client, clerk, cleared_registrar, internal_case
):
    client.force_login(cleared_registrar)
    start = last_seq()
    assert client.get(reverse("records_casefile:index"), {"q": "Haddad"}).status_code == 200
    [event] = events_after(start)
    assert summary(event) == (actions.SEARCH, cleared_registrar.pk, "records.search", "JUVENILE")
    assert (event.after, event.case_ref) == ({"query": "Haddad"}, None)

    client.force_login(clerk)
    start = last_seq()
    assert client.get(reverse("records_casefile:index"), {"q": "Haddad"}).status_code == 200
    assert events_after(start) == []


def test_a_search_through_the_api_by_a_mark_holder_is_one_event_and_by_others_none(clerk, cleared_registrar):
    api = api_for(cleared_registrar)
    start = last_seq()
    assert api.get(CASE_FILES, {"national_id": "4011 2233"}).status_code == 200
    assert api_for(clerk).get(CASE_FILES, {"national_id": "4011 2233"}).status_code == 200
    made = [e for e in events_after(start) if e.action != actions.LOGIN]
    assert [(summary(e), e.after) for e in made] == [
        (
            (actions.SEARCH, cleared_registrar.pk, "records.search", "JUVENILE"),
            {"query": "", "national_id": "4011 2233"},
        )
    ]


def test_signing_in_and_failing_to_through_the_staff_login_page_are_recorded(client, db):
    user = UserFactory(username="amal", role="registrar")

    start = last_seq()
    failed = client.post("/admin/login/", {"username": "amal", "password": "not the password"}, REMOTE_ADDR="10.0.0.9")
    signed_in = client.post("/admin/login/", {"username": "amal", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")

    assert (failed.status_code, signed_in.status_code) == (200, 302)
    made = events_after(start)
    assert [(e.action, e.actor_id, e.client_address) for e in made] == [
        (actions.LOGIN_FAILED, None, "10.0.0.9"),
        (actions.LOGIN, user.pk, "10.0.0.9"),
    ]
    assert made[0].after == {"username": "amal"}


# The trail screen and its exports ---------------------------------------------------------------------------


@pytest.fixture
def trail_world(client, cleared_registrar, judge, clerk, court, civil, juvenile):
    """A sealed juvenile case and two internal ones, with their events, and a search by a JUVENILE holder."""
    sealed = register(cleared_registrar, court, juvenile, "J-9/2024")
    classification.assign(sealed, actor=cleared_registrar, user=judge)
    internal = register(cleared_registrar, court, civil, "I-9/2024")
    classification.assign(internal, actor=cleared_registrar, user=judge)
    register(clerk, court, civil, "I-10/2024")
    client.force_login(cleared_registrar)
    client.get(reverse("records_casefile:index"), {"q": "Odeh"})
    client.logout()
    search = AuditEvent.objects.get(action=actions.SEARCH)
    assert search.target_id == "JUVENILE"
    return sealed


def listed(client, **params):
    response = client.get("/admin/audit/", params)
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("table.listing tbody tr")
    return sorted(row.find("td").get_text(strip=True) for row in rows)


def seqs(events):
    """The events' references, as the trail's screen and exports name them."""
    return sorted(reference_of(event) for event in events)


def plain_view(sealed):
    """What a reader who may not see the sealed case, and holds no JUVENILE, may read: by the rule, by hand."""
    return [e for e in AuditEvent.objects.all() if e.case_ref != sealed.pk and e.target_type != "records.search"]


def test_the_trail_screen_is_refused_to_a_clerk_and_shown_to_a_registrar_and_an_auditor(client, clerk, registrar, db):
    auditor = UserFactory(role="auditor")
    client.force_login(clerk)
    refused = client.get("/admin/audit/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    start = last_seq()
    export = client.get("/admin/audit/export/", {"format": "csv"})
    assert (export.status_code, export["Location"]) == (302, "/admin/")
    assert events_after(start) == []
    for reader in (registrar, auditor):
        client.force_login(reader)
        assert client.get("/admin/audit/").status_code == 200


def test_the_trail_hides_what_the_reader_may_not_see_and_filters_by_action_and_actor(
    client, trail_world, cleared_registrar, db
):
    sealed = trail_world
    uncleared = UserFactory(role="registrar", clearance="sealed", username="reg-uncleared")
    auditor = UserFactory(role="auditor", username="auditor-plain")

    client.force_login(cleared_registrar)  # cleared and assigned: the whole trail so far
    everything = list(AuditEvent.objects.all())
    assert listed(client) == seqs(everything)
    for reader in (uncleared, auditor):
        client.force_login(reader)
        shown = listed(client)
        assert shown == seqs(plain_view(sealed)) and shown != seqs(everything)

    client.force_login(uncleared)
    assigns = [e for e in plain_view(sealed) if e.action == actions.ASSIGN and e.actor_id == cleared_registrar.pk]
    assert len(assigns) == 1  # the internal case's; the sealed case's is out of reach
    assert listed(client, action="assign", actor="reg-cleared") == seqs(assigns)
    assert listed(client, action="assign", actor="judge-odeh") == []

    # A JUVENILE holder sees the search, but not the sealed case's events without an assignment to it.
    client.force_login(UserFactory(role="auditor", clearance="sealed", marks=("JUVENILE",)))
    assert listed(client, action="search") == seqs(AuditEvent.objects.filter(action=actions.SEARCH))
    creates = [e for e in everything if e.action == actions.CREATE and e.actor_id == cleared_registrar.pk]
    assert len(creates) == 2
    assert listed(client, action="create", actor="reg-cleared") == seqs(e for e in creates if e.case_ref != sealed.pk)
    client.force_login(cleared_registrar)
    assert listed(client, action="create", actor="reg-cleared") == seqs(creates)


def test_exports_hold_exactly_the_filtered_visible_events_and_are_recorded(client, trail_world, db):
    sealed = trail_world
    auditor = UserFactory(role="auditor", username="auditor-export")
    client.force_login(auditor)
    expected = [e for e in plain_view(sealed) if e.action == actions.CREATE]
    assert len(expected) == 2  # the two internal cases; the sealed one is left out

    start = last_seq()
    as_csv = client.get("/admin/audit/export/", {"format": "csv", "action": "create"})
    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(as_csv.streaming_content).decode())))
    as_json = client.get("/admin/audit/export/", {"format": "json", "action": "create"})
    records = json.loads(b"".join(as_json.streaming_content))

    assert sorted(row["reference"] for row in rows) == seqs(expected)
    assert sorted(record["reference"] for record in records) == seqs(expected)
    assert not {"seq", "hash", "prev_hash"} & set(rows[0]) and not {"seq", "hash", "prev_hash"} & set(records[0])
    first = expected[0]
    assert (rows[0]["actor_name"], rows[0]["action"], rows[0]["target_id"], rows[0]["case_ref"]) == (
        first.actor_name,
        "create",
        first.target_id,
        str(first.case_ref),
    )
    assert json.loads(rows[0]["after"]) == first.after == records[0]["after"]
    assert str(sealed.pk) not in json.dumps(records) + json.dumps(rows)

    exports = events_after(start)
    assert [(e.action, e.actor_id) for e in exports] == [(actions.EXPORT, auditor.pk)] * 2
    assert [e.after for e in exports] == [
        {"what": "audit events", "format": fmt, "filters": {"action": "create"}} for fmt in ("csv", "json")
    ]

    out = io.StringIO()
    call_command("verify_audit", stdout=out, stderr=io.StringIO())
    assert f"Audit trail intact: {AuditEvent.objects.count()} events" in out.getvalue()


def test_the_deletion_of_a_document_in_a_case_in_view_is_shown_on_the_trail(client, registrar, court, civil):
    case_file = register(registrar, court, civil, "DEL-1/2024")
    document, _version = with_version(case_file, registrar)
    services.delete_document(document, actor=registrar)
    deleted = AuditEvent.objects.get(action=actions.DELETE)
    assert deleted.case_ref == case_file.pk

    client.force_login(registrar)
    assert listed(client, action="delete") == seqs([deleted])
    records = json.loads(
        b"".join(client.get("/admin/audit/export/", {"format": "json", "action": "delete"}).streaming_content)
    )
    assert [record["reference"] for record in records] == seqs([deleted])


def exported(client, **params):
    response = client.get("/admin/audit/export/", {"format": "json", **params})
    return sorted(record["reference"] for record in json.loads(b"".join(response.streaming_content)))


def test_events_keep_the_restriction_of_their_item(client, cleared_registrar, sealed_case, internal_case, clerk):
    document, version = with_version(sealed_case, cleared_registrar)
    client.force_login(cleared_registrar)
    start = last_seq()
    assert client.get(reverse("records_casefile:inspect", args=[sealed_case.pk])).status_code == 200
    assert client.get(reverse("records_document:inspect", args=[document.pk])).status_code == 200
    viewed = events_after(start)
    # The case page, the document listed on it (its title is seen there), the document page.
    assert [(e.action, e.level, e.marks) for e in viewed] == [(actions.VIEW, "sealed", "JUVENILE")] * 3
    assert [e.document_ref for e in viewed] == [None, document.pk, document.pk]

    # A document may be restricted beyond its case: its events keep both marks.
    family = UserFactory(role="registrar", clearance="sealed", marks=("JUVENILE", "FAMILY"))
    classification.assign(sealed_case, actor=cleared_registrar, user=family)
    classification.classify_document(document, actor=family, level="", marks=["JUVENILE", "FAMILY"])
    client.force_login(family)
    start = last_seq()
    assert client.get(reverse("records_document:inspect", args=[document.pk])).status_code == 200
    assert [(e.level, e.marks) for e in events_after(start)] == [("sealed", "FAMILY,JUVENILE")]

    # An internal case's events keep its level and no marks.
    created = AuditEvent.objects.get(action=actions.CREATE, case_ref=internal_case.pk)
    assert internal_case.level == "internal"
    assert (created.level, created.marks) == ("internal", "")


def test_a_declassification_is_kept_under_the_stricter_state_it_tells_of(cleared_registrar, court, civil):
    case_file = register(cleared_registrar, court, civil, "C-3/2024")
    classification.classify_case(case_file, actor=cleared_registrar, level="sealed", marks=["JUVENILE"])
    start = last_seq()
    classification.declassify_case(case_file, actor=cleared_registrar, reason="Judgment published", court_order="CO-9")
    [declassified] = [e for e in events_after(start) if e.action == actions.CLASSIFY]
    assert declassified.before == {"level": "sealed", "marks": ["JUVENILE"]}
    assert (declassified.level, declassified.marks) == ("sealed", "JUVENILE")


def test_the_trail_of_a_deleted_sealed_case_is_read_by_those_cleared_for_it_and_no_one_else(
    client, cleared_registrar, sealed_case, internal_case, clerk
):
    document, _version = with_version(sealed_case, cleared_registrar)
    client.force_login(cleared_registrar)
    client.get(reverse("records_document:inspect", args=[document.pk]))
    case_pk = sealed_case.pk
    # Deleting a case is for someone who could see anything it may hold: every mark, besides the assignment.
    clear(cleared_registrar, "sealed", ("JUVENILE", "GBV", "FAMILY"))
    services.delete_document(document, actor=cleared_registrar)
    services.delete_case_file(sealed_case, actor=cleared_registrar)
    assert not CaseFile.objects.filter(pk=case_pk).exists()
    its_events = seqs(AuditEvent.objects.filter(case_ref=case_pk))
    deletions = seqs(AuditEvent.objects.filter(case_ref=case_pk, action=actions.DELETE))
    assert len(deletions) == 2 and len(its_events) > 4
    assert {(e.level, e.marks) for e in AuditEvent.objects.filter(case_ref=case_pk, action=actions.DELETE)} == {
        ("sealed", "JUVENILE")
    }

    cleared_auditor = UserFactory(role="auditor", clearance="sealed", marks=("JUVENILE",), username="aud-cleared")
    for reader in (cleared_registrar, cleared_auditor):
        client.force_login(reader)
        assert set(its_events) <= set(listed(client))
        assert listed(client, action="delete") == exported(client, action="delete") == deletions

    no_marks = UserFactory(role="registrar", clearance="sealed", username="reg-no-marks")
    confidential = UserFactory(role="auditor", clearance="confidential", marks=("JUVENILE",), username="aud-conf")
    gbv_only = UserFactory(role="auditor", clearance="sealed", marks=("GBV",), username="aud-gbv")
    for reader in (no_marks, confidential, gbv_only):
        client.force_login(reader)
        shown = listed(client)
        assert not set(its_events) & set(shown)
        assert listed(client, action="delete") == exported(client, action="delete") == []
        assert not set(its_events) & set(exported(client))
        internal_created = AuditEvent.objects.get(action=actions.CREATE, case_ref=internal_case.pk)
        assert reference_of(internal_created) in shown  # the reader does see the trail, only not the sealed case's part


def test_events_of_a_deleted_item_written_before_restrictions_were_kept_stay_hidden(client, clerk, court, civil):
    from audit import trail

    gone = uuid.uuid4()
    old = trail.record(actions.DELETE, actor=clerk, target_type="records.casefile", target_id=str(gone), case_ref=gone)
    kept = trail.record(
        actions.DELETE, actor=clerk, target_type="records.casefile", target_id="x", case_ref=uuid.uuid4(),
        level="internal",
    )
    client.force_login(UserFactory(role="auditor", clearance="sealed", marks=("JUVENILE", "GBV", "FAMILY")))
    assert listed(client, action="delete") == seqs([kept])
    assert reference_of(old) not in exported(client)
