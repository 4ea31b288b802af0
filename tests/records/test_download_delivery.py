"""How a version's bytes leave in production: handed to the web server (X-Accel-Redirect, X-Sendfile) or
fetched from S3 through a short-lived signed URL; and that nothing of a version out of reach leaks in any mode."""

import datetime
import hashlib
import re
import urllib.request
import uuid
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from records import services
from records.models import CaseFile, Document, Mark
from tests.factories import CaseTypeFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTENT = "حكم محكمة الأحداث — Judgment of the juvenile court, 2 May 2024.\n".encode()
ARABIC_NAME = "حكم الأحداث 2024.txt"
LEAK_HEADERS = ("X-Accel-Redirect", "X-Sendfile", "Location")


@pytest.fixture
def judge(db):
    return UserFactory(role="judge", clearance="sealed", marks=("JUVENILE",), username="judge-saleh")


@pytest.fixture
def sealed_version(judge):
    """Version 1 of a judgment in a sealed juvenile case; the judge registered the case, so is assigned to it."""
    juvenile = CaseTypeFactory(code="juvenile")
    juvenile.default_level = "sealed"
    juvenile.save()
    juvenile.default_marks.set(Mark.objects.filter(code="JUVENILE"))
    case_file = services.register_case_file(
        CaseFile(
            number="J-41/2024",
            court=InstitutionFactory(),
            case_type=juvenile,
            title="In re S.",
            date_filed=datetime.date(2024, 2, 1),
        ),
        actor=judge,
    )
    assert case_file.level == "sealed"
    document = Document(case=case_file, kind="judgment", title="Judgment", document_date=datetime.date(2024, 5, 2))
    services.add_document(document, actor=judge, file=ContentFile(CONTENT), file_name=ARABIC_NAME)
    return document.versions.get()


@pytest.fixture
def judge_client(client, judge):
    client.force_login(judge)
    return client


def url_of(version):
    return reverse("records:download_version", args=[version.pk])


def filename_star(disposition):
    found = re.search(r"filename\*=UTF-8''([^;\s]+)", disposition)
    return unquote(found.group(1), encoding="utf-8", errors="strict") if found else None


def assert_inert_attachment(response, version):
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert filename_star(disposition) == ARABIC_NAME
    plain = re.search(r'filename="([^"]*)"', disposition).group(1)
    assert plain.isascii() and plain.endswith(".txt")
    assert response["ETag"] == f'"{hashlib.sha256(CONTENT).hexdigest()}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"].split("; ")


def test_x_accel_redirect_hands_the_file_to_nginx_without_a_body(settings, judge_client, sealed_version):
    settings.SENDFILE = "x-accel-redirect"
    settings.SENDFILE_PREFIX = "/protected-originals/"

    response = judge_client.get(url_of(sealed_version))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-originals/" + sealed_version.storage_key
    assert response.content == b""
    assert "X-Sendfile" not in response
    assert_inert_attachment(response, sealed_version)


def test_x_sendfile_names_the_stored_file_which_holds_the_same_bytes(
    settings, judge_client, sealed_version, originals_dir
):
    settings.SENDFILE = "x-sendfile"

    response = judge_client.get(url_of(sealed_version))

    assert response.status_code == 200
    path = response["X-Sendfile"]
    assert path == str(originals_dir / sealed_version.storage_key)
    assert path.startswith("/")
    with open(path, "rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == hashlib.sha256(CONTENT).hexdigest()
    assert response.content == b""
    assert "X-Accel-Redirect" not in response
    assert_inert_attachment(response, sealed_version)


def test_an_ascii_name_is_given_plainly_too(settings, judge_client, judge, sealed_version):
    settings.SENDFILE = "x-accel-redirect"
    document = sealed_version.document
    version = services.add_version(document, ContentFile(b"Signed copy.\n"), author=judge, file_name="signed.txt")

    response = judge_client.get(url_of(version))

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert 'filename="signed.txt"' in disposition and filename_star(disposition) == "signed.txt"
    assert response["X-Accel-Redirect"] == "/protected-originals/" + version.storage_key


@pytest.mark.s3
def test_from_s3_the_view_redirects_to_a_short_lived_signed_url_that_serves_the_bytes_as_an_attachment(
    settings, s3_originals, judge_client, sealed_version
):
    settings.SIGNED_URL_SECONDS = 37

    response = judge_client.get(url_of(sealed_version))

    assert response.status_code == 302
    assert response.content == b""
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    if "X-Amz-Expires" in query:
        assert query["X-Amz-Expires"] == ["37"]
        assert query["X-Amz-Signature"][0]
    else:
        assert int(query["Expires"][0]) > 0 and query["Signature"][0]
    assert response["ETag"] == f'"{hashlib.sha256(CONTENT).hexdigest()}"'
    with urllib.request.urlopen(location) as fetched:
        body = fetched.read()
        disposition = fetched.headers["Content-Disposition"]
    assert body == CONTENT
    assert disposition.startswith("attachment;") and filename_star(disposition) == ARABIC_NAME


@pytest.fixture(params=["x-accel-redirect", "x-sendfile", pytest.param("s3", marks=pytest.mark.s3)])
def delivery(request, settings):
    if request.param == "s3":
        request.getfixturevalue("s3_originals")
    else:
        settings.SENDFILE = request.param
    return request.param


def test_a_version_out_of_reach_is_not_found_in_every_mode_and_nothing_leaks(delivery, client, judge, sealed_version):
    unassigned_judge = UserFactory(role="judge", clearance="sealed", marks=("JUVENILE",))
    clerk = UserFactory(role="clerk")

    for user in (unassigned_judge, clerk):
        client.force_login(user)
        for target in (url_of(sealed_version), reverse("records:download_version", args=[uuid.uuid4()])):
            response = client.get(target)
            assert response.status_code == 404
            assert not [name for name in LEAK_HEADERS if name in response]
            assert "ETag" not in response
            assert sealed_version.storage_key.encode() not in response.content
    client.force_login(judge)
    assert client.get(url_of(sealed_version)).status_code in (200, 302)  # the same request, for one who may


def test_anonymous_is_sent_to_sign_in(settings, client, sealed_version):
    settings.SENDFILE = "x-accel-redirect"

    response = client.get(url_of(sealed_version))

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == reverse("wagtailadmin_login")
    assert parse_qs(target.query)["next"] == [url_of(sealed_version)]
    assert "X-Accel-Redirect" not in response
