"""Declaring a document a record from the staff screens, and what the screens refuse afterwards."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from records import services, storage
from records.models import Document, Version
from tests.factories import CaseFileFactory, DocumentFactory

pytestmark = pytest.mark.django_db

JUDGMENT = "us-moctapp-2021-jagels-v-state.pdf"
SCAN = "scan-us-moctapp-2021-jagels-v-state-p1.pdf"


@pytest.fixture
def document(clerk, corpus_file):
    """An undeclared judgment with one version, registered by the clerk."""
    case_file = CaseFileFactory(number="SD 36743", title="Jagels v. State", actor=clerk)
    document = DocumentFactory(case=case_file, title="Jagels v. State, opinion", actor=clerk)
    services.add_version(document, corpus_file(JUDGMENT), author=clerk)
    return document


@pytest.fixture
def record(document, registrar):
    """The same judgment, declared a record by the registrar."""
    return services.declare_record(document, actor=registrar)


def page_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def header_button_labels(response):
    """The labels of the links in the page header (where Wagtail puts a view's buttons)."""
    header = page_of(response).find("header")
    return {link.get_text(" ", strip=True) for link in header.find_all("a")}


def refused(response):
    """A Wagtail refusal: 403, or a redirect away from the view (to the dashboard, with a message)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def test_a_clerk_has_no_declare_button_and_the_declare_view_refuses_him(client, clerk, document):
    client.force_login(clerk)
    inspect = client.get(reverse("records_document:inspect", args=[document.pk]))
    declare_url = reverse("records_document:declare", args=[document.pk])

    assert "Declare as record" not in header_button_labels(inspect)
    assert declare_url not in inspect.content.decode()
    assert "Upload new version" in header_button_labels(inspect)
    assert refused(client.get(declare_url))
    assert refused(client.post(declare_url))
    document.refresh_from_db()
    assert not document.is_declared and document.declared_by is None


def test_a_registrar_declares_a_document_through_the_view(client, registrar, document):
    client.force_login(registrar)
    inspect_url = reverse("records_document:inspect", args=[document.pk])
    declare_url = reverse("records_document:declare", args=[document.pk])
    assert declare_url in page_of(client.get(inspect_url)).find("header").decode()
    confirmation = page_of(client.get(declare_url))
    assert "This cannot be undone." in confirmation.get_text()

    response = client.post(declare_url)

    assert response.status_code == 302 and response["Location"] == inspect_url
    document.refresh_from_db()
    assert document.is_declared and document.declared_by == registrar


def test_the_page_of_a_record_says_it_is_declared_and_offers_no_change(client, registrar, record):
    client.force_login(registrar)
    response = client.get(reverse("records_document:inspect", args=[record.pk]))

    declaration = page_of(response).select_one("[data-testid=declaration]").get_text(" ", strip=True)
    assert declaration.startswith("Declared on ") and f"by {registrar.get_username()}" in declaration
    labels = header_button_labels(response)
    assert "Upload new version" not in labels and "Declare as record" not in labels
    html = response.content.decode()
    for url in ("add_version", "declare", "delete"):
        assert reverse(f"records_document:{url}", args=[record.pk]) not in html
    assert "Make current again" not in html


def test_the_add_version_view_refuses_a_record_and_stores_nothing(
    client, clerk, record, corpus_dir, originals_dir
):
    client.force_login(clerk)
    files_before = sorted(originals_dir.rglob("*"))

    with open(corpus_dir / SCAN, "rb") as upload:
        response = client.post(
            reverse("records_document:add_version", args=[record.pk]),
            {"file": upload, "change_note": "Better scan"},
            follow=True,
        )

    assert response.status_code == 200
    assert "is a declared record; its content cannot change." in response.content.decode()
    assert [v.number for v in record.versions.all()] == [1]
    assert sorted(originals_dir.rglob("*")) == files_before


def test_the_edit_form_of_a_record_shows_its_identity_disabled(client, registrar, record):
    client.force_login(registrar)
    form = page_of(client.get(reverse("records_document:edit", args=[record.pk]))).find("form", method=re.compile("(?i)^post$"))

    for name in ("title", "kind", "document_date", "case"):
        field = form.find(attrs={"name": name})
        assert field is not None and field.has_attr("disabled"), f"{name} can still be edited"
    assert not form.find(attrs={"name": "languages"}).has_attr("disabled")


def test_a_post_that_changes_a_records_title_leaves_it_unchanged(client, registrar, record):
    client.force_login(registrar)
    other_case = CaseFileFactory(number="SD 99999")

    response = client.post(
        reverse("records_document:edit", args=[record.pk]),
        {
            "title": "Rewritten title",
            "kind": "order",
            "document_date": "2000-01-01",
            "case": str(other_case.pk),
            "languages": ["eng", "swa"],
        },
    )

    assert response.status_code == 302  # what may still change (the languages) is saved

    stored = Document.objects.get(pk=record.pk)
    assert (stored.title, stored.kind, stored.document_date, stored.case_id) == (
        record.title, record.kind, record.document_date, record.case_id,
    )
    assert stored.is_declared and stored.languages == ["eng", "swa"]


def test_the_delete_view_refuses_a_record_with_a_message(client, registrar, record):
    client.force_login(registrar)

    response = client.post(reverse("records_document:delete", args=[record.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("records_document:inspect", args=[record.pk])
    assert "is a declared record" in response.content.decode()
    assert Document.objects.filter(pk=record.pk).exists()
    assert record.versions.count() == 1


def test_a_registrar_deletes_an_undeclared_document_with_its_files(
    client, registrar, document, django_capture_on_commit_callbacks
):
    client.force_login(registrar)
    version = document.versions.get()
    assert storage.exists(version.storage_key)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("records_document:delete", args=[document.pk]))

    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not Version.objects.filter(pk=version.pk).exists()
    assert not storage.exists(version.storage_key)


def test_a_clerk_cannot_delete_a_document(client, clerk, document):
    client.force_login(clerk)
    assert refused(client.post(reverse("records_document:delete", args=[document.pk])))
    assert Document.objects.filter(pk=document.pk).exists()
