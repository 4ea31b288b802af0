"""A bad page number on any admin listing is a clear answer, never a server error.

Wagtail's listings read `?p=` through a paginator that turns a number past the end or a word into the
last or the first page, but some views (a workflow's list of pages, for one) page with Django's own
paginator and answered 500. Every admin URL answering GET is asked for pages that do not exist, read from
the URL configuration so a listing added later is asked too.
"""

import pytest

from tests.leaks import urls
from tests.leaks.test_url_leaks import MODELS, client_for
from tests.leaks.world import build

pytestmark = pytest.mark.django_db

BAD_PAGES = ("2", "abc", "-1", str(10**20))


@pytest.fixture
def world(corpus_dir):
    return build(lambda: open(corpus_dir / "us-scotus-2013-tarrant-v-herrmann.pdf", "rb"))


def admin_listing_urls(item):
    """Every admin URL a GET reaches, with identifiers pointing at an item the superuser may see."""
    found = []
    for pattern in urls.all_patterns():
        if not pattern.route.startswith("admin/") or pattern.name in urls.NOT_PROBED or "get" not in pattern.methods:
            continue
        for model in MODELS if pattern.takes_an_id else MODELS[:1]:
            url = urls.url_for(pattern, urls.values_for(pattern, item, model))
            if url is not None and url not in found:
                found.append(url)
    return found


def test_no_admin_listing_answers_a_bad_page_number_with_a_server_error(world):
    users, items = world
    client = client_for(users["superuser"])
    listings = admin_listing_urls(items["internal"])
    assert len(listings) > 100, "the URL configuration was not enumerated"

    errors = [
        (url, page, response.status_code)
        for url in listings
        for page in BAD_PAGES
        if (response := client.get(url, {"p": page})).status_code >= 500
    ]

    assert errors == []
