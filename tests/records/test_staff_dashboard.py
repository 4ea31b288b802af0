"""The dashboard and the sidebar offer a clerk a search they may use: case files, through the access rule;
the search of pages, which a clerk may not explore, is left to those who may."""

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.search import admin_search_areas

from tests.factories import CaseFileFactory, UserFactory

pytestmark = pytest.mark.django_db


def dashboard(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def search_forms(page):
    return {form["action"]: form for form in page.find_all("form", role="search")}


def test_the_dashboard_offers_a_clerk_a_case_file_search_and_no_page_search(clerk_client):
    forms = search_forms(dashboard(clerk_client))

    assert list(forms) == [reverse("records_casefile:index")]
    assert forms[reverse("records_casefile:index")].find("input", attrs={"name": "q"})["placeholder"] == (
        "Search case files…"
    )


def test_the_dashboard_search_finds_only_case_files_the_clerk_may_see(clerk, clerk_client):
    CaseFileFactory(number="2013/0417", title="Tarrant Regional Water District v. Herrmann", actor=clerk)
    sealer = UserFactory(role="registrar", clearance="sealed")
    CaseFileFactory(number="2013/0418", title="A sealed guardianship", level="sealed", actor=sealer)
    action = next(iter(search_forms(dashboard(clerk_client))))

    listing = clerk_client.get(action, {"q": "2013/041"})

    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Tarrant Regional Water District v. Herrmann" in text and "sealed guardianship" not in text


def test_an_administrator_keeps_the_page_search_beside_the_case_file_search(superuser, client):
    client.force_login(superuser)

    case_files, pages = search_forms(dashboard(client))

    assert case_files == reverse("records_casefile:index")
    assert pages.startswith("/admin/pages/")


def test_the_sidebar_search_of_a_clerk_is_the_case_file_search(clerk):
    request = RequestFactory().get("/admin/")
    request.user = clerk

    areas = admin_search_areas.search_items_for_request(request)

    assert [area.url for area in areas][:1] == [reverse("records_casefile:index")]
