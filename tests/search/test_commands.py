"""reindex (resumable, bounded, with progress) and search_check (exit codes)."""

import pytest
from django.core.management import CommandError, call_command

from search import indexing, rebuild
from search.models import IndexedDocument, ReindexRun
from tests.search.behaviour.reading import found

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(settings, db):
    settings.SIJILL_ELASTICSEARCH_URL = ""
    from search.backends import get_backend
    from tests.search.conftest import Shelf

    return Shelf(get_backend())


@pytest.fixture
def unindexed(shelf):
    """Five documents records hold and the index does not."""
    documents = [shelf.add([f"Custody ruling number {n}."], title=f"Ruling {n}", index=False) for n in range(5)]
    IndexedDocument.objects.all().delete()
    return documents


def test_reindex_indexes_every_document_and_reports_progress(unindexed, searching_clerk, capsys):
    call_command("reindex", "--batch", "2")
    out = capsys.readouterr().out
    assert "2 / 5 documents (40%)" in out and "5 / 5 documents (100%)" in out
    assert out.index("5 / 5 documents (100%)") < out.index("finishing the index") < out.index("Indexed 5 documents.")
    assert found(searching_clerk, "custody") == {f"Ruling {n}" for n in range(5)}
    assert ReindexRun.objects.get().finished_at is not None


def test_an_interrupted_reindex_resumes_where_it_stopped(unindexed, searching_clerk, monkeypatch, capsys):
    real = indexing.index_documents
    calls = []

    def failing_on_the_second_batch(ids, **kwargs):
        calls.append(list(ids))
        if len(calls) == 2:
            raise ConnectionError("the database went away")
        return real(ids, **kwargs)

    monkeypatch.setattr(indexing, "index_documents", failing_on_the_second_batch)
    with pytest.raises(CommandError, match="resume"):
        call_command("reindex", "--batch", "2")
    run = ReindexRun.objects.get()
    assert (run.done, run.finished_at) == (2, None)
    monkeypatch.setattr(indexing, "index_documents", real)
    call_command("reindex", "--batch", "2")
    assert "Resuming" in capsys.readouterr().out
    run.refresh_from_db()
    assert run.done == 5 and run.finished_at is not None
    assert found(searching_clerk, "custody") == {f"Ruling {n}" for n in range(5)}


def test_reindex_reads_one_batch_at_a_time(unindexed, monkeypatch):
    sizes = []
    real = indexing.index_documents
    monkeypatch.setattr(indexing, "index_documents", lambda ids, **kwargs: sizes.append(len(ids)) or real(ids, **kwargs))
    rebuild.reindex(batch=2)
    assert sizes == [2, 2, 1]


def test_search_check_passes_on_a_current_index_and_fails_on_missing_stale_or_leftover(unindexed, shelf):
    with pytest.raises(CommandError, match="5 missing"):
        call_command("search_check")
    call_command("reindex")
    call_command("search_check")  # no error: exit 0
    IndexedDocument.objects.filter(document_id=unindexed[0].pk).update(stamp="old")
    IndexedDocument.objects.filter(document_id=unindexed[1].pk).delete()
    with pytest.raises(CommandError, match="1 missing, 1 stale, 0 left over"):
        call_command("search_check")
    call_command("search_check", "--fix")
    call_command("search_check")
