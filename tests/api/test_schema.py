"""The OpenAPI description of the API: only Sijill's own /api/v1/ paths, and free of generator warnings."""

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/case-files/",
    "/api/v1/case-files/{id}/",
    "/api/v1/case-files/{id}/status/",
    "/api/v1/documents/",
    "/api/v1/documents/{id}/",
    "/api/v1/documents/{id}/declare/",
    "/api/v1/documents/{id}/versions/",
    "/api/v1/documents/{id}/revert/",
    "/api/v1/versions/{id}/",
    "/api/v1/institutions/",
    "/api/v1/case-types/",
}


@pytest.fixture
def schema(clerk_api):
    """The schema as the API serves it, in JSON."""
    response = clerk_api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_an_openapi_document(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Sijill API"


def test_the_schema_holds_only_the_api_paths(schema):
    assert schema["paths"]
    assert [path for path in schema["paths"] if not path.startswith("/api/v1/")] == []


def test_the_schema_describes_case_files_documents_versions_and_status_changes(schema):
    assert EXPECTED_PATHS <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/v1/case-files/{id}/status/"]
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/documents/{id}/versions/"])


def test_the_case_file_list_documents_its_look_up_filters(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/case-files/"]["get"]["parameters"]}
    assert {"q", "number", "national_id", "party", "court", "case_type", "status", "year"} <= parameters


def request_fields(schema, path):
    """The fields a client may send as multipart/form-data to POST `path`, with their schemas."""
    body = schema["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    component = body["$ref"].removeprefix("#/components/schemas/")
    return schema["components"]["schemas"][component]["properties"]


def test_a_version_upload_is_described_as_a_multipart_file(schema):
    fields = request_fields(schema, "/api/v1/documents/{id}/versions/")
    assert (fields["file"]["type"], fields["file"]["format"]) == ("string", "binary")
    assert {"file_name", "change_note"} <= set(fields)


def test_registering_a_document_with_its_first_file_is_described(schema):
    fields = request_fields(schema, "/api/v1/documents/")
    assert {"case", "kind", "title"} <= set(fields)
    assert "file" in fields, "POST /api/v1/documents/ takes the first file, but the schema does not say so"
    assert (fields["file"]["type"], fields["file"]["format"]) == ("string", "binary")
    assert {"file_name", "change_note"} <= set(fields)


@pytest.fixture
def fresh_warning_count():
    """drf-spectacular counts warnings per process, so earlier schema generations must not count here."""
    GENERATOR_STATS.reset()
    yield
    GENERATOR_STATS.reset()


def test_the_schema_validates_without_warnings(tmp_path, fresh_warning_count):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    written = yaml.safe_load(target.read_text())
    assert set(written["paths"]) >= EXPECTED_PATHS
