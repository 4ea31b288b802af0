"""A malformed query is never an error: its words are searched, the user is told, and a mended query offered."""

import pytest

from search import service

pytestmark = pytest.mark.django_db


@pytest.fixture
def one(shelf):
    shelf.add(["The child custody appeal is allowed."], title="Custody")
    return shelf


@pytest.mark.parametrize("typed", ['"custody appeal', "(custody OR", "custody AND", "custody) appeal", "NOT"])
def test_a_malformed_query_finds_its_words_with_a_notice_and_a_suggestion(one, searching_clerk, typed):
    outcome = service.search(searching_clerk, typed)
    assert outcome.notice
    if typed != "NOT":
        assert [hit.document.title for hit in outcome.hits] == ["Custody"]
        assert outcome.suggestion and not service.search(searching_clerk, outcome.suggestion).notice


def test_a_well_formed_query_has_no_notice(one, searching_clerk):
    outcome = service.search(searching_clerk, '"custody appeal" OR divorce')
    assert (outcome.notice, outcome.suggestion, outcome.count) == ("", "", 1)
