"""Snippets: highlighted fragments, each with the number of the page it comes from."""

import pytest

from search import service
from tests.search.conftest import corpus_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def statute(shelf, corpus_dir):
    """The UAE decree-law's scanned pages 3 and 4 (ground truth), after two pages of another text."""
    pages = corpus_pages(corpus_dir, "scan-ae-decree-law-39-2022-p1.gt.txt") + corpus_pages(
        corpus_dir, "scan-ae-decree-law-39-2022-p2.gt.txt"
    ) + corpus_pages(corpus_dir, "scan-ae-decree-law-39-2022-p3-4.gt.txt")
    assert len(pages) == 4
    return shelf.add(pages, title="Decree-law 39/2022", languages=["ara"], legislation=True)


def test_each_snippet_names_the_page_it_comes_from(statute, searching_clerk, corpus_dir):
    [hit] = service.search(searching_clerk, '"المخالفات والجزاءات"').hits
    page = next(n for n, text in enumerate(corpus_pages(corpus_dir, "scan-ae-decree-law-39-2022-p3-4.gt.txt"), 3) if "المخالفات والجزاءات" in text)
    assert [snippet.page for snippet in hit.snippets][0] == page
    assert "<mark>المخالفات</mark> <mark>والجزاءات</mark>" in hit.snippets[0].html
    assert f"page={page}" in hit.snippets[0].url


def test_a_word_on_several_pages_gives_a_snippet_per_page(shelf, searching_clerk):
    shelf.add(["First page about custody.", "Nothing here.", "Custody again on the third page."], title="Three")
    [hit] = service.search(searching_clerk, "custody").hits
    assert sorted(snippet.page for snippet in hit.snippets) == [1, 3]


def test_snippet_text_is_escaped(shelf, searching_clerk):
    shelf.add(["<script>alert(1)</script> the custody order"], title="Markup")
    [hit] = service.search(searching_clerk, "custody").hits
    assert "<script>" not in hit.snippets[0].html and "&lt;/script&gt;" in hit.snippets[0].html
