"""Every MANIFEST row with an `expected` phrase: the phrase, quoted, finds its document in the top 3, on
a page where the phrase is.

Pages are made as ingest makes them: the PDF text layer or OCR through ingest.extract, once per session
(OCR costs seconds a page); the text of a TXT, HTML, JSON, XML or DOCX file is one page. Which page is right is read independently: a scan's ground truth, a
PDF's own text layer through pypdfium2, page 1 for files without pages.
"""

import csv
from pathlib import Path

import pypdfium2
import pytest
from django.conf import settings as django_settings

from search import normalise, service
from tests.conftest import absent

pytestmark = pytest.mark.django_db
TOP = 3


def manifest_rows(corpus_dir):
    with open(corpus_dir / "MANIFEST.csv", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["expected"].strip() and not row["file"].startswith("bad/")]


def ingest_pages(path, language):
    """The pages as ingest reads them for a page job: text layer, OCR in the document's language, or the
    text of a file without pages as one page."""
    from ingest import extract

    count = extract.count_pages(path)
    return [extract.read_page(path, number, languages=[language], images=False).result.text for number in range(1, count + 1)]


@pytest.fixture(scope="session")
def corpus_documents():
    """(row, pages) for every row with an expected phrase, the pages read once for the whole session."""
    corpus_dir = Path(django_settings.CORPUS_DIR)
    if not (corpus_dir / "MANIFEST.csv").exists():
        absent("The shared corpus", f"expected at {corpus_dir}; set SIJILL_CORPUS_DIR")
    read = [(row, ingest_pages(corpus_dir / row["file"], row["language"])) for row in manifest_rows(corpus_dir)]
    return corpus_dir, read


def holds(text, phrase):
    words, page = normalise.terms(phrase), normalise.terms(text)
    return any(page[i : i + len(words)] == words for i in range(len(page) - len(words) + 1))


def right_pages(corpus_dir, row, pages):
    """The pages where the phrase is, read without ingest where the corpus allows it."""
    phrase, path = row["expected"], corpus_dir / row["file"]
    truth = path.parent / (path.stem + ".gt.txt")
    if truth.exists():
        independent = [page for page in truth.read_text(encoding="utf-8").split("\f")]
    elif path.suffix == ".pdf":
        document = pypdfium2.PdfDocument(path)
        independent = [document[n].get_textpage().get_text_range() for n in range(len(document))]
    else:
        independent = pages
    found = {number for number, text in enumerate(independent, 1) if holds(text, phrase)}
    return found or {number for number, text in enumerate(pages, 1) if holds(text, phrase)}


def test_every_expected_phrase_finds_its_document_in_the_top_three_on_the_right_page(corpus_documents, settings, searching_clerk):
    settings.SIJILL_ELASTICSEARCH_URL = ""
    from search.backends import get_backend
    from tests.search.conftest import Shelf

    corpus_dir, read = corpus_documents
    shelf = Shelf(get_backend())
    documents = {}
    for row, pages in read:
        documents[row["file"]] = shelf.add(
            pages, title=row["file"], languages=[row["language"]], kind=row["kind"], legislation=row["kind"] == "legislation"
        )
    failures = []
    for row, pages in read:
        outcome = service.search(searching_clerk, f'"{row["expected"]}"', limit=TOP)
        top = [hit.document.title for hit in outcome.hits]
        hit = next((hit for hit in outcome.hits if hit.document.title == row["file"]), None)
        wanted = right_pages(corpus_dir, row, pages)
        if hit is None:
            failures.append(f"{row['file']}: {row['expected']!r} not in the top {TOP} ({outcome.count} found: {top})")
        elif not hit.snippets or hit.snippets[0].page not in wanted:
            failures.append(f"{row['file']}: first snippet on page {hit.snippets[0].page if hit.snippets else None}, the phrase is on {sorted(wanted)}")
    assert failures == [], "\n".join(failures)
    assert len(read) >= 30
