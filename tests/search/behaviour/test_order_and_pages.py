"""Sorting by relevance or by date, and paging through results without repeats or gaps."""

import datetime

import pytest

from search import service
from tests.search.behaviour.reading import titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated(shelf):
    for year in (2016, 2019, 2017, 2021, 2018):
        shelf.add([f"Judgment on the custody appeal of {year}."], title=str(year), date=datetime.date(year, 1, 1))
    shelf.add(["A custody appeal with no date."], title="undated", date=None, legislation=True)
    return shelf


def test_newest_and_oldest_first(dated, searching_clerk):
    assert titles(searching_clerk, "custody", order="newest") == ["2021", "2019", "2018", "2017", "2016", "undated"]
    assert titles(searching_clerk, "custody", order="oldest") == ["2016", "2017", "2018", "2019", "2021", "undated"]


def test_pages_of_results_neither_repeat_nor_skip(dated, searching_clerk):
    seen = []
    for offset in range(0, 6, 2):
        outcome = service.search(searching_clerk, "custody", offset=offset, limit=2)
        seen += [hit.document.title for hit in outcome.hits]
        assert outcome.has_next == (offset + 2 < 6)
    assert sorted(seen) == sorted(titles(searching_clerk, "custody", limit=10))


def test_a_search_by_filters_alone_lists_newest_first(dated, searching_clerk):
    assert titles(searching_clerk, "year:2017..2019") == ["2019", "2018", "2017"]


def test_relevance_scores_are_given_and_descend(dated, searching_clerk):
    scores = [hit.score for hit in service.search(searching_clerk, "custody appeal").hits]
    assert all(score is not None for score in scores)
    assert scores == sorted(scores, reverse=True)
