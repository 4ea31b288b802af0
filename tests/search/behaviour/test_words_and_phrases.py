"""Words, exact phrases and prefixes, matched within a page, on every backend."""

import pytest

from search import service
from tests.search.behaviour.reading import found, titles
from tests.search.conftest import corpus_pages

pytestmark = pytest.mark.django_db

TARRANT = "scan-us-scotus-2013-tarrant-v-herrmann-p7.gt.txt"
JAGELS = "scan-us-moctapp-2021-jagels-v-state-p1.gt.txt"
IDEAL = "us-cadc-1997-ideal-electronic-v-international-fidelity.txt"


@pytest.fixture
def opinions(shelf, corpus_dir):
    """Three real opinions; the second has two pages, from two sources, so words sit on different pages."""
    shelf.add(corpus_pages(corpus_dir, IDEAL), title="Ideal Electronic")
    shelf.add(corpus_pages(corpus_dir, TARRANT) + corpus_pages(corpus_dir, JAGELS), title="Tarrant and Jagels")
    shelf.add(corpus_pages(corpus_dir, TARRANT), title="Tarrant")
    return shelf


def test_a_word_finds_the_documents_that_hold_it(opinions, searching_clerk):
    assert found(searching_clerk, "fidelity") == {"Ideal Electronic"}
    assert found(searching_clerk, "apportionment") == {"Tarrant", "Tarrant and Jagels"}
    assert found(searching_clerk, "Alessi") == {"Tarrant and Jagels"}


def test_a_word_that_is_nowhere_finds_nothing(opinions, searching_clerk):
    outcome = service.search(searching_clerk, "zanzibarite")
    assert (outcome.count, outcome.hits) == (0, [])


def test_a_phrase_finds_its_words_in_that_order_only(opinions, searching_clerk):
    assert found(searching_clerk, '"equitable apportionment among the Signatory States"') == {"Tarrant", "Tarrant and Jagels"}
    assert found(searching_clerk, '"apportionment equitable"') == set()
    # Both words are in the Tarrant opinion, not side by side.
    assert found(searching_clerk, "Compact tributaries") == {"Tarrant", "Tarrant and Jagels"}
    assert found(searching_clerk, '"Compact tributaries"') == set()


def test_a_phrase_ignores_punctuation_and_case_as_the_text_does(opinions, searching_clerk):
    assert found(searching_clerk, '"RULE 24.035 MOTION FOR POST-CONVICTION RELIEF"') == {"Tarrant and Jagels"}


def test_a_phrase_does_not_run_across_a_page_break(shelf, searching_clerk):
    shelf.add(["The court held that the marriage", "irretrievable break-down was proved."], title="Two pages")
    assert found(searching_clerk, "marriage irretrievable") == {"Two pages"}
    assert found(searching_clerk, '"marriage irretrievable"') == set()


def test_words_on_different_pages_of_one_document_find_it(opinions, searching_clerk):
    assert found(searching_clerk, "apportionment Jagels") == {"Tarrant and Jagels"}


def test_a_prefix_finds_the_words_it_begins(opinions, searching_clerk):
    assert found(searching_clerk, "apportion*") == {"Tarrant", "Tarrant and Jagels"}
    assert found(searching_clerk, "fidel*") == {"Ideal Electronic"}
    assert found(searching_clerk, "zanzib*") == set()


def test_a_word_finds_its_inflections_where_the_backend_stems(opinions, searching_clerk, search_backend):
    if not search_backend.supports_stemming:
        pytest.skip(f"{search_backend.name} does not stem (supports_stemming)")
    # The opinion writes "tributaries"; a judge types the singular.
    assert found(searching_clerk, "tributary") == {"Tarrant", "Tarrant and Jagels"}


def test_a_quoted_word_is_matched_as_written_not_by_its_stem(opinions, searching_clerk):
    assert found(searching_clerk, '"tributary"') == set()
    assert found(searching_clerk, '"tributaries"') == {"Tarrant", "Tarrant and Jagels"}


def test_a_document_with_the_word_more_often_ranks_first(shelf, searching_clerk, corpus_dir):
    # Pages of about the same length: the Jagels opinion with the word added once, and the Tarrant
    # opinion, which is about the Compact.
    shelf.add([corpus_pages(corpus_dir, JAGELS)[0] + " Compact."], title="Once")
    shelf.add(corpus_pages(corpus_dir, TARRANT), title="Often")
    assert titles(searching_clerk, "Compact")[0] == "Often"
