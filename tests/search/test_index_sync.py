"""The index follows records: at once for who may see a document, debounced in the background for text."""

import datetime
import uuid

import pytest
from django.utils import timezone

from records import services
from records.models import Page
from search import indexing, service, sync
from search.models import PendingDocument
from tests.search.behaviour.reading import found

pytestmark = pytest.mark.django_db


@pytest.fixture
def database(settings, db):
    """The site's database backend (these tests are about sync, not about engines)."""
    settings.SIJILL_ELASTICSEARCH_URL = ""
    from search.backends import get_backend

    return get_backend()


@pytest.fixture
def shelf(database):
    from tests.search.conftest import Shelf

    return Shelf(database)


def test_announcements_for_one_document_are_debounced_into_one_pending_row(shelf, queued_tasks, settings, committed):
    settings.SIJILL_SEARCH_DEBOUNCE_SECONDS = 30
    settings.SIJILL_SEARCH_LONGEST_WAIT_SECONDS = 45
    document = shelf.add(["Text."], index=False)
    PendingDocument.objects.all().delete()
    queued_tasks.clear()
    with committed():
        sync.schedule([document.pk])
    first = PendingDocument.objects.get(pk=document.pk)
    with committed():
        sync.schedule([document.pk])
    again = PendingDocument.objects.get(pk=document.pk)
    assert PendingDocument.objects.count() == 1
    assert again.due_at >= first.due_at and again.token != first.token
    assert again.due_at <= first.first_at + datetime.timedelta(seconds=45)
    # Each announcement queued the background task for its due time.
    assert [result.task.run_after for result in queued_tasks.results] == [first.due_at, again.due_at]


def test_only_documents_whose_changes_settled_are_indexed(shelf, queued_tasks, searching_clerk):
    waiting = shelf.add(["The custody hearing."], title="Waiting", index=False)
    settled = shelf.add(["The custody order."], title="Settled", index=False)
    PendingDocument.objects.all().delete()
    now = timezone.now()
    PendingDocument.objects.create(document_id=waiting.pk, first_at=now, due_at=now + datetime.timedelta(minutes=5), token=uuid.uuid4())
    PendingDocument.objects.create(document_id=settled.pk, first_at=now, due_at=now, token=uuid.uuid4())
    assert sync.index_pending(due_only=True, now=now) == 1
    assert found(searching_clerk, "custody") == {"Settled"}
    assert list(PendingDocument.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_a_corrected_page_is_searchable_by_its_new_words(shelf, committed, searching_clerk):
    document = shelf.add(["The custody of the chi1d is granted."], title="OCR page")
    page = Page.objects.get(version__document=document)
    with committed():
        services.correct_page_text(page, "The custody of the child is granted.", actor=shelf.registrar)
    assert found(searching_clerk, "child") == {"OCR page"}
    assert found(searching_clerk, "chi1d") == set()


def test_a_new_version_replaces_the_old_versions_pages(shelf, committed, searching_clerk):
    document = shelf.add(["The first draft of the ruling."], title="Drafted")
    shelf.new_version(document, ["The final ruling, signed."])
    with committed():
        sync.version_added(sender=None, version_id=document.versions.order_by("-number").first().pk)
    assert found(searching_clerk, "signed") == {"Drafted"}
    assert found(searching_clerk, "draft") == set()


def test_a_failed_access_copy_hides_the_document_until_it_is_indexed_again(shelf, committed, searching_clerk, monkeypatch, queued_tasks):
    document = shelf.add(["Guardianship ordered."], title="Hidden on failure")

    def broken(ids, backend=None):
        raise ConnectionError("index unreachable")

    monkeypatch.setattr(indexing, "refresh_access", broken)
    with committed():
        services.update_document(document, actor=shelf.registrar)
        document.title = "Renamed"
        services.update_document(document, actor=shelf.registrar)
    assert PendingDocument.objects.get(pk=document.pk).hidden
    assert found(searching_clerk, "guardianship") == set()
    monkeypatch.undo()
    sync.index_pending(due_only=False)
    assert found(searching_clerk, "guardianship") == {"Renamed"}


def test_a_search_never_raises_for_an_unknown_filter_value(shelf, searching_clerk):
    outcome = service.search(searching_clerk, "x", filters={"year": ["abc"], "language": ["klingon"]})
    assert outcome.count == 0 and outcome.notice
