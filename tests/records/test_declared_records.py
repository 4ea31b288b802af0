"""A declared record cannot change or be deleted: by the services, the models, querysets and the database."""

import datetime
import io

import pytest

from records import services
from records.errors import RecordDeclared, RecordsError, VersionImmutable
from records.models import Document, Version
from tests.factories import CaseFileFactory, DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(registrar, corpus_file):
    """A judgment with one version, declared a record."""
    document = DocumentFactory()
    services.add_version(document, corpus_file("us-moctapp-2021-jagels-v-state.pdf"), author=registrar)
    return services.declare_record(document, actor=registrar)


def test_declaring_records_who_and_when(record, registrar):
    stored = Document.objects.get(pk=record.pk)
    assert stored.is_declared and stored.declared_by == registrar


def test_a_document_without_a_file_cannot_be_declared(registrar):
    with pytest.raises(RecordsError, match="has no file yet"):
        services.declare_record(DocumentFactory(), actor=registrar)


def test_a_record_cannot_be_declared_twice(record, registrar):
    with pytest.raises(RecordDeclared, match="already declared"):
        services.declare_record(record, actor=registrar)


def test_no_new_version_and_no_revert_for_a_record(record, registrar):
    with pytest.raises(RecordDeclared):
        services.add_version(record, io.BytesIO(b"new text"), file_name="new.txt", author=registrar)
    with pytest.raises(RecordDeclared):
        services.revert_to_version(record, record.versions.get(), author=registrar)
    assert record.versions.count() == 1


def test_a_version_saved_directly_onto_a_record_is_refused(record, registrar):
    first = record.versions.get()
    with pytest.raises(RecordDeclared):
        Version(
            document=record, number=2, storage_key="x/forged.pdf", original_name="forged.pdf",
            media_type="application/pdf", size=1, sha256="0" * 64, author=registrar,
        ).save()
    with pytest.raises(RecordDeclared):
        Version.objects.bulk_create([Version(document=record, number=3, storage_key="y", size=1, sha256="0",
                                             original_name="y", media_type="text/plain", author=registrar)])
    assert list(record.versions.all()) == [first]


@pytest.mark.parametrize(
    "field, value",
    [("title", "Another title"), ("kind", "order"), ("document_date", datetime.date(1999, 1, 1))],
)
def test_the_identity_of_a_record_cannot_change_through_save(record, field, value):
    setattr(record, field, value)
    with pytest.raises(RecordDeclared, match=field):
        record.save()


def test_a_record_cannot_move_to_another_case(record):
    record.case = CaseFileFactory()
    with pytest.raises(RecordDeclared, match="case"):
        record.save()


def test_a_stale_copy_from_before_declaration_cannot_undo_it(registrar, corpus_file):
    document = DocumentFactory()
    services.add_version(document, corpus_file("us-scotus-1891-reagan-v-aiken.html"), author=registrar)
    stale = Document.objects.get(pk=document.pk)
    services.declare_record(document, actor=registrar)
    stale.title = "Changed after the fact"
    with pytest.raises(RecordDeclared):
        stale.save()
    assert Document.objects.get(pk=document.pk).is_declared


def test_the_languages_of_a_record_may_still_be_corrected(record):
    record.languages = ["eng", "fra"]
    record.save()
    assert Document.objects.get(pk=record.pk).languages == ["eng", "fra"]


def test_queryset_updates_of_a_records_identity_are_refused(record):
    with pytest.raises(RecordDeclared):
        Document.objects.filter(pk=record.pk).update(title="Bulk rename")
    with pytest.raises(RecordDeclared):
        Document.objects.filter(pk=record.pk).update(declared_at=None)
    assert Document.objects.get(pk=record.pk).title == record.title


def test_a_record_cannot_be_deleted_on_any_path(record, registrar):
    with pytest.raises(RecordDeclared):
        services.delete_document(record, actor=registrar)
    with pytest.raises(RecordDeclared):
        record.delete()
    with pytest.raises(RecordDeclared):
        Document.objects.filter(pk=record.pk).delete()
    with pytest.raises(VersionImmutable):
        record.versions.all().delete()
    assert Document.objects.filter(pk=record.pk).exists() and record.versions.count() == 1


# Raw SQL past these guards, on both databases: tests/tamper/test_record_tables.py.
