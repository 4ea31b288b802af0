"""Words, exact phrases and prefixes, on every backend."""

import pytest

from search import service
from tests.search.conftest import corpus_pages

pytestmark = pytest.mark.django_db


def found(user, text, **options):
    return [hit.document.title for hit in service.search(user, text, **options).hits]


def test_a_word_finds_the_document_that_holds_it(shelf, searching_clerk, corpus_dir):
    shelf.add(corpus_pages(corpus_dir, "us-cadc-1997-ideal-electronic-v-international-fidelity.txt"), title="Ideal Electronic")
    shelf.add(corpus_pages(corpus_dir, "scan-us-scotus-2013-tarrant-v-herrmann-p7.gt.txt"), title="Tarrant")
    assert found(searching_clerk, "fidelity") == ["Ideal Electronic"]
    assert found(searching_clerk, "apportionment") == ["Tarrant"]
