"""Upserts (`bulk_create(update_conflicts=True)`) cannot rewrite a declared record or any version.

The querysets refuse with a message; past them (Django's own QuerySet, `save_base`) the databases' triggers
refuse, since an upsert's DO UPDATE runs the UPDATE triggers on both.
"""

import pytest
from django.db import IntegrityError, models, transaction

from records.errors import RecordDeclared, VersionImmutable
from records.models import Document, Version
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def rewritten(record):
    return Document(
        id=record.pk, case_id=record.case_id, kind=record.kind, title="Rewritten by an upsert",
        created_by_id=record.created_by_id, declared_at=None,
    )


def forged(version):
    return Version(
        id=version.pk, document_id=version.document_id, number=version.number, storage_key=version.storage_key + ".x",
        original_name=version.original_name, media_type=version.media_type, size=version.size, sha256="0" * 64,
        author_id=version.author_id,
    )


DOCUMENT_UPSERT = {"update_conflicts": True, "unique_fields": ["id"], "update_fields": ["title", "declared_at"]}
VERSION_UPSERT = {"update_conflicts": True, "unique_fields": ["id"], "update_fields": ["sha256", "storage_key"]}


def assert_intact(record, version):
    stored = Document.objects.get(pk=record.pk)
    assert (stored.title, stored.is_declared) == (record.title, True)
    assert Version.objects.filter(pk=version.pk).values_list("sha256", "storage_key").get() == (
        version.sha256, version.storage_key,
    )


def test_an_upsert_of_a_declared_document_is_refused(record):
    version = record.versions.get()
    with pytest.raises(RecordDeclared, match="upsert"):
        Document.objects.bulk_create([rewritten(record)], **DOCUMENT_UPSERT)
    assert_intact(record, version)


def test_an_upsert_of_a_version_is_refused(record):
    version = record.versions.get()
    with pytest.raises(VersionImmutable, match="upsert"):
        Version.objects.bulk_create([forged(version)], **VERSION_UPSERT)
    with pytest.raises(VersionImmutable, match="upsert"):
        Version.objects.bulk_create([forged(version)], None, False, True, ["sha256"], ["id"])  # positionally
    assert_intact(record, version)


@pytest.mark.parametrize("kind", ["document", "version"])
def test_the_database_refuses_an_upsert_past_the_querysets(record, kind):
    version = record.versions.get()
    plain = models.QuerySet(Document if kind == "document" else Version)
    objs, upsert = ([rewritten(record)], DOCUMENT_UPSERT) if kind == "document" else ([forged(version)], VERSION_UPSERT)
    with pytest.raises(IntegrityError), transaction.atomic():
        plain.bulk_create(objs, **upsert)
    assert_intact(record, version)


def test_the_database_refuses_save_base_past_the_model(record):
    version = record.versions.get()
    stale = rewritten(record)
    stale.created_at = record.created_at
    with pytest.raises(IntegrityError), transaction.atomic():
        stale.save_base(force_update=True)
    assert_intact(record, version)


def test_undeclared_documents_may_still_be_upserted(clerk):
    document = DocumentFactory(created_by=clerk)
    copy = Document(id=document.pk, case_id=document.case_id, kind=document.kind, title="Corrected", created_by=clerk)
    Document.objects.bulk_create([copy], **DOCUMENT_UPSERT)
    assert Document.objects.get(pk=document.pk).title == "Corrected"
