"""PostgreSQL ranks through its rank index (RUM): a ranked search that finds many documents walks the
index's first pages in score order, and gives exactly what walking every matching page gives; one that
finds few scores their pages one by one, and ranks them as the walk does.

The walk is cut short on purpose here (a few pages instead of hundreds), so that it stops inside ties,
before it has found enough documents, or after every page; each time the hits, scores and pages must be
those of the walk over every page. The shelf is small, so the walk is forced (SCORE_ALL_UP_TO)."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import rebuild, service
from search.backends import get_backend
from search.backends.database.postgres.backend import PostgresSearchBackend
from search.backends.database.postgres.compiler import RankIndexCompiler
from search.backends.database.postgres.schema import RANK_INDEX
from tests.audit.databases import postgresql_only
from tests.conftest import absent
from tests.search.conftest import corpus_pages, search_plans

pytestmark = pytest.mark.django_db

TEXTS = [
    "scan-us-scotus-2013-tarrant-v-herrmann-p7.gt.txt",
    "scan-us-moctapp-2021-jagels-v-state-p1.gt.txt",
]


@pytest.fixture
def search_backend(settings, db):
    """The site's PostgreSQL backend, with its rank index."""
    settings.SIJILL_ELASTICSEARCH_URL = ""
    settings.SIJILL_SEARCH_RANK_INDEX = True
    return get_backend()


@pytest.fixture
def ranked_shelf(shelf, corpus_dir):
    """Documents of several pages of real rulings, cut into short pages so that common words are on many,
    and two documents that repeat others' pages, so that scores tie."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RANK_INDEX])
        if not cursor.fetchone()[0]:
            absent("PostgreSQL's RUM extension", "as root `make test` installs postgresql-NN-rum")
    words = [word for name in TEXTS for page in corpus_pages(corpus_dir, name) for word in page.split()]
    pages = [" ".join(words[start : start + 60]) for start in range(0, len(words), 60)]
    for number in range(10):
        shelf.add(pages[number::10], title=f"Ruling {number}")
    shelf.add(pages[0::10], title="Ruling 0, again")
    shelf.add(pages[3::10], title="Ruling 3, again")
    return shelf


def outcome(user, text, offset, limit):
    found = service.search(user, text, offset=offset, limit=limit)
    return found.count, [(hit.document.pk, hit.score, [snippet.page for snippet in hit.snippets]) for hit in found.hits]


@postgresql_only
@pytest.mark.parametrize("text", ["court", "the", "state", '"the court"', "appeal OR jury", "court -jury"])
def test_walking_the_first_pages_of_the_rank_index_ranks_as_walking_them_all(ranked_shelf, judge, monkeypatch, text):
    windows = [(0, 20), (0, 3), (2, 4), (5, 5), (9, 1)]
    monkeypatch.setattr(RankIndexCompiler, "SCORE_ALL_UP_TO", -1)
    monkeypatch.setattr(RankIndexCompiler, "walk_size", lambda self, offset, limit: 0)
    every_page = {window: outcome(judge, text, *window) for window in windows}
    assert any(hits for _count, hits in every_page.values()), "the query finds nothing: nothing is compared"

    walked_all = settled = 0
    for size in (1, 3, 8, 1000):
        monkeypatch.setattr(RankIndexCompiler, "walk_size", lambda self, offset, limit, size=size: size)
        for window in windows:
            with CaptureQueriesContext(connection) as statements:
                assert outcome(judge, text, *window) == every_page[window], (size, window)
            tallies = [query["sql"] for query in statements.captured_queries if query["sql"].startswith("WITH m")]
            assert all("walk AS" in sql for sql in tallies)
            walked_all += len(tallies) == 2
            settled += len(tallies) == 1
    assert settled, "the first pages never held enough documents: the short walk was never what answered"
    assert walked_all, "the first pages always held enough documents: the walk over every page was never taken"


@postgresql_only
@pytest.mark.parametrize("text", ["court", "the", '"the court"', "appeal OR jury", "court -jury", "qqqzzz"])
def test_a_search_that_finds_few_documents_scores_their_pages_and_ranks_them_as_the_walk_does(ranked_shelf, judge, monkeypatch, text):
    walks = []
    real_tally = PostgresSearchBackend._tally

    def tally(self, *args, **kwargs):
        found = real_tally(self, *args, **kwargs)
        walks.append(found.walk)
        return found

    monkeypatch.setattr(PostgresSearchBackend, "_tally", tally)
    scored = outcome(judge, text, 0, 50)
    assert walks == [None], "the search walked the rank index"
    # Window by window, the same order: a document is on one results page only.
    assert [hit for offset in range(0, 12, 3) for hit in outcome(judge, text, offset, 3)[1]] == scored[1][:12]

    walks.clear()
    monkeypatch.setattr(RankIndexCompiler, "SCORE_ALL_UP_TO", -1)
    walked = outcome(judge, text, 0, 50)
    assert walks and walks[0] is not None, "the search did not walk the rank index"
    # The same documents with the same scores and pages, in the same order but for ties: the walk gives
    # equal scores in the index's order, scoring by seq.
    assert scored[0] == walked[0]
    assert sorted(scored[1]) == sorted(walked[1])
    assert [score for _document, score, _pages in scored[1]] == [score for _document, score, _pages in walked[1]]
    if text != "qqqzzz":
        assert scored[1], "the query finds nothing: nothing is compared"


def explained(judge, text):
    """The plans of the search statements of a judge's search for `text`."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_page")
    plans, outcome = search_plans(judge, text)
    assert outcome.count >= 2
    return plans


@postgresql_only
def test_a_ranked_search_of_many_documents_reads_its_best_pages_from_the_rank_index_in_order(ranked_shelf, judge, monkeypatch):
    monkeypatch.setattr(RankIndexCompiler, "SCORE_ALL_UP_TO", -1)
    plans = explained(judge, "court")
    assert len(plans) == 1
    assert f"Index Scan using {RANK_INDEX} on search_page" in plans[0], plans[0]
    assert "Order By: (search_page.vector <=>" in plans[0] or "Order By: (vector <=>" in plans[0], plans[0]
    # The documents a word is on are found through GIN, which reads no positions.
    assert f"Bitmap Index Scan on {RANK_INDEX}" not in plans[0], plans[0]


@postgresql_only
@pytest.mark.parametrize("text", ["court", '"the court"'])
def test_a_ranked_search_of_few_documents_finds_and_scores_their_pages_without_the_rank_index(ranked_shelf, judge, text):
    plans = explained(judge, text)
    assert len(plans) == 1
    # The walk is in the plan, but never runs.
    read = [line for line in plans[0].splitlines() if "never executed" not in line]
    assert not any(RANK_INDEX in line for line in read), plans[0]
    assert any("Bitmap Index Scan on search_page_vector" in line for line in read), plans[0]


@postgresql_only
def test_the_rank_index_is_made_by_the_migrations(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone() is None:
            absent("PostgreSQL's RUM extension", "as root `make test` installs postgresql-NN-rum")
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [RANK_INDEX])
        (definition,) = cursor.fetchone()
    assert "USING rum (vector)" in definition
    # Partial, so that only the walk reads it (search 0005).
    assert "WHERE (id >= 0)" in definition


@postgresql_only
def test_a_full_reindex_writes_the_pages_without_the_rank_index_and_makes_it_again(ranked_shelf, judge):
    before = outcome(judge, "court", 0, 20)
    backend = get_backend()
    dropped = []
    real_index = backend.index

    def index(entries, target=None):
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NULL", [RANK_INDEX])
            dropped.append(cursor.fetchone()[0])
        return real_index(entries, target)

    backend.index = index
    rebuild.reindex(restart=True, backend=backend)
    assert dropped and all(dropped), "pages were written with the rank index in place"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RANK_INDEX])
        assert cursor.fetchone()[0]
    # The same documents, scores and pages; equal scores may come in another order, the index's own.
    after = outcome(judge, "court", 0, 20)
    assert after[0] == before[0] and sorted(after[1]) == sorted(before[1])
    assert [score for _document, score, _pages in after[1]] == sorted((score for _document, score, _pages in after[1]), reverse=True)


@postgresql_only
def test_a_role_that_does_not_own_the_page_table_leaves_the_rank_index_in_place(db):
    role = f"sijill_rank_probe_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RANK_INDEX])
        if not cursor.fetchone()[0]:
            absent("PostgreSQL's RUM extension", "as root `make test` installs postgresql-NN-rum")
        cursor.execute(f"CREATE ROLE {role}")  # undone with the test's transaction
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
        try:
            assert PostgresSearchBackend._as_owner(f"DROP INDEX IF EXISTS {RANK_INDEX}") is False
        finally:
            cursor.execute("RESET ROLE")
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RANK_INDEX])
        assert cursor.fetchone()[0]
