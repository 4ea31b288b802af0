"""The staff search page: query box, facets, page-numbered snippets, pages, the mended query, in three languages."""

import pytest
from wagtail.users.models import UserProfile

from tests.search.conftest import corpus_pages

pytestmark = pytest.mark.django_db

URL = "/admin/search/"


@pytest.fixture
def library(settings, db, corpus_dir):
    settings.SIJILL_ELASTICSEARCH_URL = ""
    from search.backends import get_backend
    from tests.search.conftest import Shelf

    shelf = Shelf(get_backend())
    shelf.add(corpus_pages(corpus_dir, "sa-riyadh-commercial-court-2022-ahkam-52854.txt"), title="حكم المحكمة التجارية بالرياض", languages=["ara"])
    shelf.add(["Nothing here.", "The custody appeal is dismissed."], title="Custody ruling")
    return shelf


def test_the_page_shows_hits_snippets_with_page_numbers_and_facets(library, clerk_client):
    page = clerk_client.get(URL, {"q": "custody"}).content.decode()
    assert "Custody ruling" in page
    assert "<mark>custody</mark>" in page
    assert "Page 2" in page and "page=2" in page
    assert 'data-testid="search-facets"' in page and "Commercial Court, Search" in page
    assert "Documents found: 1" in page


def test_a_facet_link_narrows_the_search(library, clerk_client):
    page = clerk_client.get(URL, {"q": "custody OR المحكمة", "language": "ara"}).content.decode()
    assert "حكم المحكمة التجارية بالرياض" in page and "Custody ruling" not in page


def test_a_malformed_query_shows_results_a_notice_and_did_you_mean(library, clerk_client):
    page = clerk_client.get(URL, {"q": '"custody appeal'}).content.decode()
    assert 'data-testid="search-notice"' in page and "Custody ruling" in page
    assert 'data-testid="search-suggestion"' in page and "&quot;custody appeal&quot;" in page


def test_no_query_shows_the_form_only(library, clerk_client):
    page = clerk_client.get(URL).content.decode()
    assert 'data-testid="search-form"' in page and 'data-testid="search-count"' not in page


@pytest.mark.parametrize("bad", ["abc", "-1", "0", str(10**30)])
def test_a_bad_page_number_is_no_error(library, clerk_client, bad):
    assert clerk_client.get(URL, {"q": "custody", "p": bad}).status_code == 200


def test_the_page_reads_right_to_left_in_arabic(library, clerk, clerk_client):
    profile = UserProfile.get_for_user(clerk)
    profile.preferred_language = "ar"
    profile.save()
    page = clerk_client.get(URL, {"q": "المحكمه"}).content.decode()
    assert 'dir="rtl"' in page
    assert "البحث في الأحكام والتشريعات" in page and "المستندات التي عُثر عليها: 1" in page
    assert "<mark>المحكمة</mark>" in page


def test_the_page_speaks_french(library, clerk, clerk_client):
    profile = UserProfile.get_for_user(clerk)
    profile.preferred_language = "fr"
    profile.save()
    page = clerk_client.get(URL, {"q": "custody"}).content.decode()
    assert "Rechercher dans les décisions et la législation" in page and "Documents trouvés : 1" in page


def test_someone_who_may_not_read_documents_is_refused(library, client, outsider):
    client.force_login(outsider)
    assert client.get(URL, {"q": "custody"}).status_code in (302, 403)


def test_the_reader_is_told_where_the_words_are_on_the_page(library, clerk_client):
    from records.models import Page, PageText

    page = Page.objects.get(version__document__title="Custody ruling", number=2)
    PageText.objects.create(
        page=page, revision=1, text=page.text, source="ocr", unit="px",
        words=[["The", 10, 10, 30, 12, 95], ["custody", 50, 10, 70, 12, 93], ["appeal", 130, 10, 60, 12, 90]],
    )
    page.__class__.objects.filter(pk=page.pk).update(width=200, height=100)
    answer = clerk_client.get(f"/admin/search/highlight/{page.version_id}/2/", {"highlight": "custody"}).json()
    assert answer["spans"] == [[4, 11]]
    assert answer["boxes"] == [[0.25, 0.1, 0.35, 0.12]]


def test_the_places_of_words_on_a_hidden_page_answer_as_a_missing_page(library, clerk_client, settings):
    hidden = library.add(["Custody with the grandmother."], title="Sealed", case_type=library.juvenile)
    version = hidden.versions.get()
    missing = clerk_client.get("/admin/search/highlight/00000000-0000-4000-8000-00000000dead/1/", {"highlight": "custody"})
    refused = clerk_client.get(f"/admin/search/highlight/{version.pk}/1/", {"highlight": "custody"})
    assert refused.status_code == missing.status_code == 404
