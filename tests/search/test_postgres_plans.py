"""PostgreSQL reads a search's pages through the GIN index, even when the page table looks small.

A page's vector is stored out of line, so the planner prices a scan of the page table as cheap and then
unpacks every vector (650 ms for a rare word at 100,000 pages, benchmarks/search_scale.py). Each
statement the search runs against the page table is explained in place, in the search's own transaction
and settings, and none may scan the table.
"""

import pytest
from django.db import connection

from search import parser, service
from search.backends.database.postgres.compiler import narrowed
from tests.audit.databases import postgresql_only
from tests.search.conftest import corpus_pages, search_plans

pytestmark = pytest.mark.django_db


@postgresql_only
@pytest.mark.parametrize("text", ["apportionment", '"red river"', "apportion*", "compact -jagels"])
def test_a_search_reads_the_pages_through_their_index(shelf, judge, corpus_dir, text):
    if shelf.backend.name != "postgresql":
        pytest.skip("the PostgreSQL backend's plans")
    shelf.add(corpus_pages(corpus_dir, "scan-us-scotus-2013-tarrant-v-herrmann-p7.gt.txt"), title="Tarrant")
    shelf.add(corpus_pages(corpus_dir, "scan-us-moctapp-2021-jagels-v-state-p1.gt.txt"), title="Jagels")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_page")
    plans = []

    def explain(execute, sql, params, many, context):
        if "search_page" in sql and not many and sql.lstrip().upper().startswith(("SELECT", "WITH")):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, params)
                plans.append("\n".join(line for (line,) in cursor.fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        outcome = service.search(judge, text)

    assert outcome.count >= 1
    assert plans, "no statement read the page table"
    for plan in plans:
        assert "Seq Scan on search_page" not in plan, plan


@postgresql_only
@pytest.mark.parametrize("text", ["apportionment", '"red river"'])
def test_a_search_looks_up_the_documents_it_found_and_reads_no_other(shelf, judge, corpus_dir, text):
    """The documents a search's words are on are looked up by seq, whatever the planner guesses of how
    many pages the words are on. Guessing from the statistics of a rare word's six forms, it used to join
    every visible document to the pages (benchmarks/search_scale.py: 30 ms where look-ups take 1); this
    shelf is too small to mislead it, so the look-up itself is asserted."""
    if shelf.backend.name != "postgresql":
        pytest.skip("the PostgreSQL backend's plans")
    filler = corpus_pages(corpus_dir, "scan-us-moctapp-2021-jagels-v-state-p1.gt.txt")
    for number in range(30):
        shelf.add(filler, title=f"Filler {number}")
    shelf.add(corpus_pages(corpus_dir, "scan-us-scotus-2013-tarrant-v-herrmann-p7.gt.txt"), title="Tarrant")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    plans, outcome = search_plans(judge, text)
    assert outcome.count == 1
    assert len(plans) == 1
    lines = plans[0].splitlines()
    reads = [line for line in lines if " on search_indexeddocument" in line]
    assert reads, plans[0]
    for line in reads:
        assert "actual rows=1 " in line or "actual rows=0 " in line, plans[0]
    assert any("Index Cond: (seq = ANY (" in line for line in lines), plans[0]


@pytest.mark.parametrize(
    ("text", "narrow"),
    [("court", True), ('"red river"', True), ("apportion*", True), ("court -jury", True), ("court OR jury", True),
     ("-jury", False), ("court OR -jury", False), ("NOT (court jury)", False), ("(court OR appeal) -jury", True)],
)
def test_only_a_query_found_by_its_words_is_looked_up_document_by_document(text, narrow):
    """A query that excludes only finds nearly every document: looking each up costs more than the join."""
    assert narrowed(parser.parse(text).query) is narrow
