"""GET /api/v1/search/: the answer's shape, filters, paging, refusals, confidentiality and its schema."""

import pytest

from tests.factories import UserFactory
from tests.search.conftest import Shelf

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/"


@pytest.fixture
def shelf(settings, db):
    settings.SIJILL_ELASTICSEARCH_URL = ""
    from search.backends import get_backend

    shelf = Shelf(get_backend())
    shelf.add(["Nothing here.", "The custody appeal is dismissed."], title="Custody ruling")
    shelf.add(["Custody of the child is granted to the mother."], title="Second ruling", court=shelf.other_court)
    shelf.add(["Social enquiry: custody with the grandmother, Wanjirumbugua."], title="Sealed report",
              kind="social_enquiry_report", case_type=shelf.juvenile)
    return shelf


def test_the_answer_has_the_documented_shape(shelf, clerk_api):
    answer = clerk_api.get(URL, {"q": "custody appeal"}).json()
    assert set(answer) == {"count", "results", "facets", "next", "notice", "suggestion"}
    assert answer["count"] == 1 and answer["next"] is None
    [result] = answer["results"]
    assert set(result) == {"document", "case", "title", "court", "date", "kind", "language", "score", "snippets"}
    assert (result["title"], result["court"], result["kind"], result["language"]) == (
        "Custody ruling", "Commercial Court, Search", "judgment", "eng",
    )
    assert result["snippets"] == [{"page": 2, "html": "The <mark>custody</mark> <mark>appeal</mark> is dismissed."}]
    assert set(answer["facets"]) == {"court", "year", "kind", "case_type", "language"}
    assert answer["facets"]["court"] == [{"value": "SRCH-1", "label": "Commercial Court, Search", "count": 1}]


def test_filters_and_the_next_page(shelf, clerk_api):
    first = clerk_api.get(URL, {"q": "custody", "limit": 1, "order": "newest"}).json()
    assert first["count"] == 2 and len(first["results"]) == 1
    assert "offset=1" in first["next"] and "limit=1" in first["next"]
    second = clerk_api.get(first["next"]).json()
    assert second["next"] is None
    assert {first["results"][0]["title"], second["results"][0]["title"]} == {"Custody ruling", "Second ruling"}
    assert [r["title"] for r in clerk_api.get(URL, {"q": "custody", "court": "SRCH-2"}).json()["results"]] == ["Second ruling"]


def test_a_malformed_query_is_answered_with_a_notice_not_an_error(shelf, clerk_api):
    response = clerk_api.get(URL, {"q": '"custody appeal'})
    assert response.status_code == 200
    assert response.json()["notice"] and response.json()["suggestion"] == '"custody appeal"'


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": "x"}, {"order": "random"}])
def test_bad_paging_or_order_is_refused_clearly(shelf, clerk_api, params):
    response = clerk_api.get(URL, {"q": "custody", **params})
    assert response.status_code == 400 and set(response.json()) & {"limit", "offset", "order"}


def test_anonymous_and_unprivileged_callers_are_refused(shelf, api_as, outsider):
    assert api_as().get(URL, {"q": "custody"}).status_code == 401
    assert api_as(outsider).get(URL, {"q": "custody"}).status_code == 403


def test_a_sealed_documents_words_answer_as_words_that_exist_nowhere(shelf, clerk_api, api_as):
    assert clerk_api.get(URL, {"q": "Wanjirumbugua"}).json() == clerk_api.get(URL, {"q": "Qqzxywvutsr"}).json() | {
        "notice": "", "suggestion": ""
    }
    assert clerk_api.get(URL, {"q": "custody"}).json()["count"] == 2
    judge = UserFactory(role="judge", clearance="sealed", marks=("JUVENILE",))
    judge.groups.add(shelf.bench)
    assert api_as(judge).get(URL, {"q": "Wanjirumbugua"}).json()["count"] == 1


def test_the_schema_describes_the_search(clerk_api):
    schema = clerk_api.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert {"q", "court", "year", "kind", "case_type", "language", "case", "order", "limit", "offset"} <= {
        parameter["name"] for parameter in operation["parameters"]
    }
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][answer]["properties"]) == {"count", "results", "facets", "next", "notice", "suggestion"}
