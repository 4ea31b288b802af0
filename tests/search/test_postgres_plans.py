"""PostgreSQL reads a search's pages through the GIN index, even when the page table looks small.

A page's vector is stored out of line, so the planner prices a scan of the page table as cheap and then
unpacks every vector (650 ms for a rare word at 100,000 pages, benchmarks/search_scale.py). Each
statement the search runs against the page table is explained in place, in the search's own transaction
and settings, and none may scan the table.
"""

import pytest
from django.db import connection

from search import service
from tests.audit.databases import postgresql_only
from tests.search.conftest import corpus_pages

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
