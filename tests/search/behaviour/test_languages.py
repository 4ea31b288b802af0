"""Arabic, French and Turkish as courts write them, on real corpus text, on every backend."""

import pytest

from search import service
from tests.search.behaviour.reading import found
from tests.search.conftest import corpus_pages

pytestmark = pytest.mark.django_db

RIYADH = "sa-riyadh-commercial-court-2022-ahkam-52854.txt"
JEDDAH = "sa-jeddah-commercial-court-2022-08-03-ahkam-43292.txt"
UBER = "scan-fr-ccass-com-2020-19-19463-p29.gt.txt"
YARGITAY = "tr-yargitay-9hd-2026-01-12-2025-10062-e-2026-20-k.txt"


@pytest.fixture
def courts(shelf, corpus_dir):
    shelf.add(corpus_pages(corpus_dir, RIYADH), title="Riyadh", languages=["ara"])
    shelf.add(corpus_pages(corpus_dir, JEDDAH), title="Jeddah", languages=["ara"])
    shelf.add(corpus_pages(corpus_dir, UBER), title="Uber", languages=["fra"])
    shelf.add(corpus_pages(corpus_dir, YARGITAY), title="Yargitay", languages=["tur"])
    return shelf


@pytest.mark.parametrize("typed", ["المحكمة", "المحكمه", "محكمة", "محكمه", "الْمَحْكَمَةُ", "المحـــكمة", "للمحكمة"])
def test_the_court_in_any_spelling_finds_both_judgments(courts, searching_clerk, typed):
    # Riyadh writes المحكمة, Jeddah للمحكمة: one word once folded, with or without the article.
    assert found(searching_clerk, typed) == {"Riyadh", "Jeddah"}


def test_a_vocalised_word_in_the_judgment_is_found_by_its_bare_spelling(courts, searching_clerk):
    # The Jeddah judgment writes وقضاءً with tanween; a clerk types it bare.
    assert found(searching_clerk, "وقضاء") == {"Jeddah"}


def test_the_claim_with_and_without_the_article(courts, searching_clerk):
    assert found(searching_clerk, "دعوى") >= {"Riyadh"}
    assert found(searching_clerk, "الدعوى") == found(searching_clerk, "دعوى")


def test_eastern_arabic_digits_and_western_digits_find_each_other(courts, searching_clerk):
    assert found(searching_clerk, '"1443"') == found(searching_clerk, '"١٤٤٣"') >= {"Riyadh"}


def test_a_phrase_from_an_arabic_judgment(courts, searching_clerk):
    assert found(searching_clerk, '"تبين عدم وجود وثيقة مصالحة مرفقة في ملف الدعوى"') == {"Riyadh"}


def test_french_without_accents_or_case(courts, searching_clerk):
    assert found(searching_clerk, "equitable") == found(searching_clerk, "ÉQUITABLE") == {"Uber"}
    assert found(searching_clerk, '"tribunal d instance"') == {"Uber"}


def test_french_inflections_where_the_backend_stems(courts, searching_clerk, search_backend):
    if not search_backend.supports_stemming:
        pytest.skip(f"{search_backend.name} does not stem (supports_stemming)")
    # The decision writes "compétent"; a judge types the plural.
    assert found(searching_clerk, "compétents") == {"Uber"}


def test_turkish_dotted_and_dotless_i(courts, searching_clerk):
    for typed in ("MAHKEMESİ", "mahkemesi", "MAHKEMESI"):
        assert found(searching_clerk, typed) == {"Yargitay"}, typed
    assert found(searching_clerk, '"kaynakçı olarak 1.750,00 TL aylık net ücretle çalıştığını"') == {"Yargitay"}
    assert found(searching_clerk, "KAYNAKCI calistigini") == {"Yargitay"}


def test_an_arabic_snippet_shows_the_judgment_as_written_with_the_word_marked(courts, searching_clerk):
    outcome = service.search(searching_clerk, "وقضاء")
    [hit] = outcome.hits
    assert "<mark>وقضاءً</mark>" in hit.snippets[0].html
