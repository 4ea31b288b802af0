"""Whatever a client sends, the API answers a JSON 4xx naming the problem, never a server error."""

import json
import uuid

import pytest

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.mark.parametrize(
    "query",
    [
        {"limit": HUGE},
        {"offset": HUGE},
        {"limit": "-1"},
        {"offset": "-5"},
        {"year": HUGE},
        {"year": "-99999999999"},
    ],
)
def test_huge_or_negative_numbers_in_a_list_query_are_refused(registrar_api, case_file, query):
    response = registrar_api.get("/api/v1/case-files/", query)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")


def test_a_limit_above_the_cap_gives_at_most_the_cap(registrar_api, case_file):
    response = registrar_api.get("/api/v1/case-files/", {"limit": "100000"})
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 500


@pytest.mark.parametrize("path", ["/api/v1/case-files/{}/", "/api/v1/documents/{}/", "/api/v1/versions/{}/"])
@pytest.mark.parametrize("pk", [HUGE, "not-a-uuid", "-1"])
def test_an_id_that_is_no_uuid_is_not_found(registrar_api, path, pk):
    response = registrar_api.get(path.format(pk))
    assert response.status_code == 404


@pytest.mark.parametrize("suffix", ["classify.json", "status.json", "assignments.json"])
def test_extra_actions_with_a_format_suffix_answer(registrar_api, case_file, suffix):
    response = registrar_api.post(f"/api/v1/case-files/{case_file.pk}/{suffix}", {}, format="json")
    assert response.status_code < 500
    assert response.status_code != 404 or suffix != "assignments.json"


def test_document_versions_with_a_format_suffix_answer(registrar_api, declared_record):
    response = registrar_api.get(f"/api/v1/documents/{declared_record.pk}/versions.json")
    assert response.status_code == 200
    assert len(response.json()) == 1


def test_deeply_nested_json_is_refused_as_json(registrar_api, case_file):
    body = "[" * 100_000 + "]" * 100_000
    response = registrar_api.post(f"/api/v1/case-files/{case_file.pk}/classify/", body, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_body_too_large_is_refused_as_json(registrar_api, case_file):
    body = json.dumps({"reason": "x" * (25 * 1024 * 1024)})
    response = registrar_api.post(f"/api/v1/case-files/{case_file.pk}/classify/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_a_revert_to_an_unknown_version_is_not_found(registrar_api, declared_record):
    response = registrar_api.post(
        f"/api/v1/documents/{declared_record.pk}/revert/", {"version": str(uuid.uuid4())}, format="json"
    )
    assert response.status_code in (404, 409)


@pytest.mark.django_db
def test_a_nul_character_in_a_query_or_in_basic_credentials_is_a_clear_4xx():
    import base64

    from django.test import Client

    client = Client(raise_request_exception=False)
    answer = client.get("/api/v1/case-files/?number=12%002024")
    assert answer.status_code == 400 and "NUL" in answer.json()["detail"]
    credentials = base64.b64encode(b"clerk\x00:secret").decode()
    answer = client.get("/api/v1/case-files/", HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert answer.status_code == 401 and "NUL" in answer.json()["detail"]
    assert client.get("/admin/records/case-files/?q=%00").status_code == 400
