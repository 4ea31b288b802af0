"""Reading a ranked window from the first pages of a walk in score order (walked_window): a document is
placed only when no page left unwalked could change its place."""

from search.backends.database.base import walked_window


def test_a_walk_that_reached_every_page_ranks_all_of_them_ties_by_seq():
    walk = [(7, 1, 0.9), (3, 2, 0.5), (5, 1, 0.5), (7, 4, 0.4)]
    assert walked_window(walk, 0, 10, size=10) == [(7, 0.9), (3, 0.5), (5, 0.5)]
    assert walked_window(walk, 1, 1, size=10) == [(3, 0.5)]
    assert walked_window(walk, 5, 10, size=10) == []


def test_a_document_counts_once_by_its_best_page():
    walk = [(4, 3, 0.8), (4, 1, 0.7), (2, 1, 0.6), (9, 2, 0.1)]
    assert walked_window(walk, 0, 2, size=4) == [(4, 0.8), (2, 0.6)]


def test_a_document_tied_with_the_last_walked_page_is_not_placed():
    # Pages not walked may score 0.5 too, and a document with a lower seq among them would come first.
    walk = [(8, 1, 0.9), (6, 1, 0.5), (1, 1, 0.5)]
    assert walked_window(walk, 0, 1, size=3) == [(8, 0.9)]
    assert walked_window(walk, 0, 2, size=3) is None


def test_a_window_beyond_the_settled_documents_is_not_read_from_the_walk():
    walk = [(1, 1, 0.9), (2, 1, 0.8), (3, 1, 0.7), (4, 1, 0.6)]
    assert walked_window(walk, 0, 3, size=4) == [(1, 0.9), (2, 0.8), (3, 0.7)]
    assert walked_window(walk, 2, 2, size=4) is None
    assert walked_window(walk, 2, 2, size=5) == [(3, 0.7), (4, 0.6)]
