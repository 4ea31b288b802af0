"""AND, OR, NOT (and + / -) and parentheses, combining documents, on every backend."""

import pytest

from tests.search.behaviour.reading import found
from tests.search.conftest import corpus_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(shelf, corpus_dir):
    shelf.add(corpus_pages(corpus_dir, "scan-us-scotus-2013-tarrant-v-herrmann-p7.gt.txt"), title="Tarrant")
    shelf.add(corpus_pages(corpus_dir, "scan-us-moctapp-2021-jagels-v-state-p1.gt.txt"), title="Jagels")
    shelf.add(corpus_pages(corpus_dir, "scan-fr-ccass-com-2020-19-19463-p29.gt.txt"), title="Uber", languages=["fra"])
    return shelf


def test_or_finds_either(library, searching_clerk):
    assert found(searching_clerk, "apportionment OR Jagels") == {"Tarrant", "Jagels"}


def test_and_needs_both(library, searching_clerk):
    assert found(searching_clerk, "apportionment AND Jagels") == set()
    assert found(searching_clerk, "Compact AND Texas") == {"Tarrant"}


def test_not_and_minus_exclude(library, searching_clerk):
    assert found(searching_clerk, "court NOT Jagels") == found(searching_clerk, "court -Jagels")
    assert "Jagels" not in found(searching_clerk, "court -Jagels")


def test_plus_requires(library, searching_clerk):
    assert found(searching_clerk, "+Compact +Texas") == {"Tarrant"}


def test_parentheses_group(library, searching_clerk):
    assert found(searching_clerk, "(Jagels OR Uber) AND tribunal") == {"Uber"}
    assert found(searching_clerk, "Jagels OR (Uber AND tribunal)") == {"Jagels", "Uber"}


def test_exclusions_alone_keep_every_other_document(library, searching_clerk):
    assert found(searching_clerk, "-Jagels") == {"Tarrant", "Uber"}
