"""Raw SQL against every table of the records and the audit trail, past every Django guard.

The tables are enumerated from the apps, so a new table fails `test_every_table_refuses_truncate` until a
migration guards it. A declared record and its versions are refused every raw write by both databases; the
other records tables are ordinary data changed through the services, and only TRUNCATE is refused there
(PostgreSQL; SQLite has no TRUNCATE, and its bare DELETE runs the row triggers tested here).
"""

import uuid

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from audit import actions, trail
from records.models import CaseFile, Document, Version
from tests.audit.databases import postgresql_only
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

REFUSED = r"immutable|declared record|TRUNCATE"


def tables_of(*app_labels):
    models = (model for label in app_labels for model in apps.get_app_config(label).get_models(include_auto_created=True))
    return sorted({model._meta.db_table for model in models})


def raw(sql, params=()):
    # Its own savepoint, so that a refused statement leaves the test's transaction usable.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def refused(sql, params=()):
    with pytest.raises(IntegrityError, match=REFUSED) as error:
        raw(sql, params)
    return error.value


def immediate_constraints():
    """Foreign keys are checked at commit, which a test never reaches: check them now."""
    if connection.vendor == "postgresql":
        raw("SET CONSTRAINTS ALL IMMEDIATE")
    else:
        connection.check_constraints()


def copy_version_sql():
    columns = "document_id, original_name, media_type, size, sha256, author_id, created_at, change_note"
    return (
        f"INSERT INTO records_version (id, number, storage_key, {columns}) "
        f"SELECT %s, number + 1, storage_key || '.forged', {columns} FROM records_version WHERE document_id = %s"
    )


@postgresql_only
@pytest.mark.parametrize("table", tables_of("records", "audit"))
def test_every_table_refuses_truncate(table, record):
    raw("SET CONSTRAINTS ALL IMMEDIATE")  # else a pending foreign key check refuses first
    error = refused(f'TRUNCATE "{table}" CASCADE')
    assert error.__cause__.sqlstate == "23001"  # restrict_violation
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
            "AND (tgtype & 32) <> 0",  # TRIGGER_TYPE_TRUNCATE: this table's own guard, not a neighbour's
            [table],
        )
        assert cursor.fetchone()[0] == 1
    assert Version.objects.filter(document=record).count() == 1


def test_a_version_cannot_be_inserted_into_a_record(record):
    refused(copy_version_sql(), [uuid.uuid4().hex, record.pk.hex])
    assert record.versions.count() == 1


def test_a_version_cannot_be_rewritten(record):
    refused("UPDATE records_version SET sha256 = %s, storage_key = storage_key || '.swapped'", ["0" * 64])
    assert Version.objects.get(document=record).sha256 != "0" * 64


@pytest.mark.parametrize("where", ["WHERE document_id = %s", ""], ids=["its rows", "the whole table"])
def test_a_records_versions_cannot_be_deleted(record, where):
    refused(f"DELETE FROM records_version {where}", [record.pk.hex] if where else [])
    assert record.versions.count() == 1


@pytest.mark.parametrize(
    "assignment",
    ["declared_at = NULL", "declared_by_id = NULL", "title = 'Rewritten'", "kind = 'order'", "document_date = '1999-01-01'",
     "kind = 'legislation', case_id = NULL"],
)
def test_a_records_identity_cannot_be_rewritten(record, assignment):
    refused(f"UPDATE records_document SET {assignment} WHERE id = %s", [record.pk.hex])
    stored = Document.objects.get(pk=record.pk)
    assert (stored.title, stored.kind, stored.is_declared) == (record.title, record.kind, True)


def test_a_records_languages_may_still_be_corrected(record):
    raw("UPDATE records_document SET languages = '[\"fr\"]' WHERE id = %s", [record.pk.hex])
    assert Document.objects.get(pk=record.pk).languages == ["fr"]


@pytest.mark.parametrize("where", ["WHERE id = %s", ""], ids=["its row", "the whole table"])
def test_a_record_cannot_be_deleted(record, where):
    refused(f"DELETE FROM records_document {where}", [record.pk.hex] if where else [])
    assert Document.objects.filter(pk=record.pk).exists()


def test_the_case_holding_a_record_cannot_be_deleted(record):
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM records_casefile WHERE id = %s", [record.case_id.hex])
        immediate_constraints()
    assert CaseFile.objects.filter(pk=record.case_id).exists()


def test_undeclared_documents_are_still_corrected_and_deleted_raw(clerk, corpus_file):
    from records import services

    document = DocumentFactory()
    services.add_version(document, corpus_file("us-moctapp-2021-jagels-v-state.pdf"), author=clerk)
    raw(copy_version_sql(), [uuid.uuid4().hex, document.pk.hex])
    raw("UPDATE records_document SET title = 'Corrected' WHERE id = %s", [document.pk.hex])
    assert document.versions.count() == 2
    raw("DELETE FROM records_version WHERE document_id = %s", [document.pk.hex])
    raw("DELETE FROM records_document WHERE id = %s", [document.pk.hex])
    assert not Document.objects.filter(pk=document.pk).exists()


def test_a_forged_event_inserted_raw_breaks_the_chain(five_events, verify_audit):
    last = five_events[-1]
    raw(
        "INSERT INTO audit_auditevent (seq, at, actor_name, action, target_type, target_id, target_repr, level, "
        "marks, request_id, prev_hash, hash) VALUES (%s, %s, '', %s, '', '', '', '', '', '', %s, %s)",
        [last.seq + 1, last.at, actions.VIEW, last.hash, "f" * 64],
    )
    outcome = verify_audit()
    assert outcome.status != 0 and f"seq {last.seq + 1} " in outcome.err


def test_a_scope_row_inserted_raw_is_caught(clerk, verify_audit):
    case_ref = uuid.uuid4()
    event = trail.record(actions.SEARCH, actor=clerk, after={"query": "a child's name"}, scope=[case_ref])
    assert verify_audit().status == 0
    raw("INSERT INTO audit_eventscope (event_id, case_ref) VALUES (%s, %s)", [event.pk, uuid.uuid4().hex])
    outcome = verify_audit()
    assert outcome.status != 0 and f"seq {event.seq} " in outcome.err and "scope" in outcome.err


# What a raw INSERT, UPDATE or DELETE meets on each table of the records app, decided table by table. A table
# added later fails the test below until it is entered here, with its row guard tested in this module or the
# reason it has none. Every one of them refuses TRUNCATE on PostgreSQL (test_every_table_refuses_truncate).
ROW_GUARDED = {
    "records_document": "a declared record's identity cannot be rewritten and it cannot be deleted (tests above)",
    "records_version": "no version is rewritten; none is added to or removed from a declared record (tests above)",
    "records_pagetext": "a text revision (the OCR's reading, a person's correction) is never rewritten (test below)",
}
ORDINARY_DATA = {
    # Changed only through the services, which write the audit trail; whoever writes them raw holds the
    # database, and what that changes of access shows nowhere but in the database itself.
    "records_casefile": "a case's particulars and level; the case holding a record cannot be deleted (foreign key)",
    "records_casefile_marks": "a case's marks (kept in step with its `marked` flag by triggers)",
    "records_document_marks": "a document's marks, which classification may change on a declared record too",
    "records_party": "a case's parties",
    "records_legacynumber": "a case's earlier numbers",
    "records_statuschange": "a case's life cycle, written once by the services",
    "records_classificationchange": "the classification history, written once by the services",
    "records_assignment": "who has the need to know a case",
    "records_clearance": "what a user is cleared for",
    "records_clearance_marks": "the marks of a clearance",
    "records_clearancegrant": "raises waiting for a second person",
    "records_route": "which bench a court's restricted cases go to",
    "records_casetype": "reference data, and a case type's floor",
    "records_casetype_default_marks": "the marks of a case type's floor",
    "records_mark": "reference data, and a mark's floor",
    "records_institution": "the court hierarchy",
    # Derived from a version's bytes, which fixity checks: made again from the version if altered.
    "records_page": "a version's pages and the text in force, rewritten by each correction",
    "records_rendition": "page images and thumbnails made from a version",
}


def test_a_raw_update_of_a_page_text_revision_is_refused(corpus_file):
    from django.db import connection, transaction

    from records import services
    from records.models import Page, PageText
    from tests import factories

    clerk = factories.UserFactory(role="clerk")
    document = factories.DocumentFactory(title="Read once", actor=clerk)
    version = services.add_version(document, corpus_file("us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf"), author=clerk)
    page = services.record_page(version, 1, text="As first read.", source="ocr", needs_review=False)
    services.correct_page_text(page, "As corrected by a clerk.", actor=clerk)
    correction = PageText.objects.get(page=page, revision=2)

    with pytest.raises(Exception, match="kept as written"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE records_pagetext SET text = %s WHERE id = %s", ["Rewritten unseen.", correction.pk])
    assert PageText.objects.get(pk=correction.pk).text == "As corrected by a clerk."
    assert Page.objects.get(pk=page.pk).text == "As corrected by a clerk."


def test_every_records_table_has_a_decision_for_raw_row_writes():
    assert set(ROW_GUARDED).isdisjoint(ORDINARY_DATA)
    assert sorted({*ROW_GUARDED, *ORDINARY_DATA}) == tables_of("records")


def test_every_audit_event_table_is_covered_here():
    # An audit table added later needs its own tamper tests before it joins this list.
    assert tables_of("audit") == ["audit_auditchainhead", "audit_auditevent", "audit_eventscope"]
