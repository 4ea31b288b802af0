"""Staff screens for documents: registering one with its first file, the version history, new versions,
refused uploads and reverts."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from records import services
from records.models import Document, Version
from tests.digests import sha256_of
from tests.factories import CaseFileFactory, DocumentFactory, UserFactory
from tests.html_forms import form_data, post_form

pytestmark = pytest.mark.django_db

SCAN = "us-scotus-2013-tarrant-v-herrmann-scan-p1-2.pdf"
SLIP_OPINION = "us-scotus-2013-tarrant-v-herrmann.pdf"


@pytest.fixture
def case_file(clerk):
    """The case the documents belong to."""
    return CaseFileFactory(number="2013/0417", title="Tarrant Regional Water District v. Herrmann", actor=clerk)


@pytest.fixture
def document(clerk, case_file, corpus_file):
    """A judgment whose first version is the scanned paper copy."""
    document = DocumentFactory(case=case_file, title="Tarrant v. Herrmann, opinion", actor=clerk)
    services.add_version(document, corpus_file(SCAN), author=clerk, change_note="Paper copy")
    return document



def stored_files(originals_dir):
    """Every file in the originals storage."""
    return sorted(path for path in originals_dir.rglob("*") if path.is_file()) if originals_dir.exists() else []






def file_inputs(form):
    return {element["name"] for element in form.find_all("input", type="file")}


def history(response):
    """The version history table, as {version number: its row}."""
    assert response.status_code == 200
    table = BeautifulSoup(response.content, "html.parser").select_one("[data-testid=version-history]")
    return {int(row["data-version"]): row for row in table.select("tbody tr")}


def download(client, version):
    response = client.get(reverse("records:download_version", args=[version.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_clerk_adds_a_document_to_a_case_with_its_first_file(
    clerk, clerk_client, case_file, corpus_file, corpus_dir
):
    add_url = reverse("records_document:add")
    form = post_form(clerk_client.get(add_url, {"case": case_file.pk}))
    assert form.get("enctype") == "multipart/form-data", "the add form cannot carry a file"
    assert "file" in file_inputs(form), "the add form has no file field for the first version"
    data = form_data(form)
    assert data["case"] == str(case_file.pk)  # ?case= fills in the case

    response = clerk_client.post(add_url, {
        **data,
        "kind": "judgment",
        "title": "Tarrant v. Herrmann, slip opinion",
        "document_date": "2013-06-13",
        "languages": ["eng"],
        "change_note": "Slip opinion as published",
        "file": corpus_file(SLIP_OPINION),
    })

    document = Document.objects.get(title="Tarrant v. Herrmann, slip opinion")
    assert response.status_code == 302
    assert response["Location"] == reverse("records_document:inspect", args=[document.pk])
    assert (document.case, document.kind, document.document_date, document.languages, document.created_by) == (
        case_file, "judgment", datetime.date(2013, 6, 13), ["eng"], clerk,
    )
    version = document.versions.get()
    assert (version.number, version.original_name, version.author, version.change_note) == (
        1, SLIP_OPINION, clerk, "Slip opinion as published",
    )
    assert version.sha256 == sha256_of(corpus_dir / SLIP_OPINION)
    assert version.size == (corpus_dir / SLIP_OPINION).stat().st_size
    assert download(clerk_client, version) == (corpus_dir / SLIP_OPINION).read_bytes()


def test_a_document_refused_at_registration_leaves_no_trace(clerk_client, case_file, corpus_dir, originals_dir):
    add_url = reverse("records_document:add")
    data = form_data(post_form(clerk_client.get(add_url, {"case": case_file.pk})))
    with open(corpus_dir / "bad" / "png-named-as-pdf-za-sca-2024-p1.pdf", "rb") as upload:
        response = clerk_client.post(add_url, {**data, "kind": "judgment", "title": "MEC v. M", "file": upload})

    assert response.status_code == 200
    assert "is named as a .pdf file but its content is PNG image" in response.content.decode()
    assert not Document.objects.filter(title="MEC v. M").exists()
    assert stored_files(originals_dir) == []


def test_the_document_page_shows_the_version_history(clerk, clerk_client, document, corpus_dir):
    version = document.versions.get()

    rows = history(clerk_client.get(reverse("records_document:inspect", args=[document.pk])))

    assert list(rows) == [1]
    cells = [cell.get_text(" ", strip=True) for cell in rows[1].find_all("td")]
    assert cells[0] == "1 current"
    assert cells[1] == SCAN
    assert cells[2] == clerk.get_full_name()
    assert cells[4] == "Paper copy"
    assert rows[1].find_all("td")[5]["title"] == f"{(corpus_dir / SCAN).stat().st_size} bytes"
    assert cells[6] == "application/pdf"
    assert cells[7] == sha256_of(corpus_dir / SCAN) == version.sha256
    assert rows[1].find("a", href=reverse("records:download_version", args=[version.pk]))


def test_a_new_version_becomes_current_and_the_first_stays_downloadable(
    clerk, clerk_client, document, corpus_file, corpus_dir
):
    url = reverse("records_document:add_version", args=[document.pk])
    form = post_form(clerk_client.get(url))
    assert form.get("enctype") == "multipart/form-data" and file_inputs(form) == {"file"}

    response = clerk_client.post(
        url, {**form_data(form), "file": corpus_file(SLIP_OPINION), "change_note": "Slip opinion, full text"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("records_document:inspect", args=[document.pk])
    first, second = document.versions.order_by("number")
    assert (second.number, second.original_name, second.author, second.change_note) == (
        2, SLIP_OPINION, clerk, "Slip opinion, full text",
    )
    assert second.sha256 == sha256_of(corpus_dir / SLIP_OPINION)
    assert download(clerk_client, first) == (corpus_dir / SCAN).read_bytes()
    assert download(clerk_client, second) == (corpus_dir / SLIP_OPINION).read_bytes()
    page = clerk_client.get(response["Location"])
    rows = history(page)
    assert list(rows) == [2, 1] and "current" in rows[2].find("td").get_text()
    assert "Version 2 stored." in page.content.decode()


@pytest.mark.parametrize(
    "bad_file, problem",
    [
        ("empty-zero-bytes.pdf", "empty-zero-bytes.pdf is empty (0 bytes); nothing was stored."),
        (
            "png-named-as-pdf-za-sca-2024-p1.pdf",
            "png-named-as-pdf-za-sca-2024-p1.pdf is named as a .pdf file but its content is PNG image (image/png)",
        ),
    ],
)
def test_a_refused_upload_shows_the_problem_on_the_form_and_stores_nothing(
    clerk_client, document, corpus_dir, originals_dir, bad_file, problem
):
    url = reverse("records_document:add_version", args=[document.pk])
    files_before = stored_files(originals_dir)
    data = form_data(post_form(clerk_client.get(url)))

    with open(corpus_dir / "bad" / bad_file, "rb") as upload:
        response = clerk_client.post(url, {**data, "file": upload, "change_note": "Corrected copy"})

    assert response.status_code == 200
    form = post_form(response)
    file_field = form.find("input", type="file").find_parent(attrs={"data-field": True})
    assert problem in file_field.get_text(" ", strip=True)
    assert document.versions.count() == 1
    assert stored_files(originals_dir) == files_before


def test_uploading_the_current_version_again_is_refused_on_the_form(clerk_client, document, corpus_file, originals_dir):
    url = reverse("records_document:add_version", args=[document.pk])
    files_before = stored_files(originals_dir)

    response = clerk_client.post(url, {**form_data(post_form(clerk_client.get(url))), "file": corpus_file(SCAN)})

    assert response.status_code == 200
    file_field = post_form(response).find("input", type="file").find_parent(attrs={"data-field": True})
    assert f"{SCAN} is identical to version 1, the current version of" in file_field.get_text(" ", strip=True)
    assert document.versions.count() == 1
    assert stored_files(originals_dir) == files_before


def test_reverting_makes_the_old_bytes_current_as_a_new_version(
    clerk, clerk_client, document, corpus_file, corpus_dir
):
    first = document.versions.get()
    services.add_version(document, corpus_file(SLIP_OPINION), author=clerk)
    page = clerk_client.get(reverse("records_document:inspect", args=[document.pk]))
    revert_url = reverse("records_document:revert", args=[document.pk, first.pk])
    assert history(page)[1].find("a", href=revert_url), "version 1 offers no 'Make current again'"

    response = post_form_of(clerk_client, revert_url)

    assert response.status_code == 302
    assert response["Location"] == reverse("records_document:inspect", args=[document.pk])
    current = document.versions.order_by("-number").first()
    assert (current.number, current.reverted_from, current.author) == (3, first, clerk)
    assert current.sha256 == first.sha256 and current.storage_key != first.storage_key
    assert download(clerk_client, current) == (corpus_dir / SCAN).read_bytes()
    rows = history(clerk_client.get(response["Location"]))
    assert list(rows) == [3, 2, 1] and "copy of version 1" in rows[3].get_text()


def post_form_of(client, url):
    """Submit the confirmation form the page at `url` shows, as the person clicking its button would."""
    form = post_form(client.get(url))
    return client.post(form.get("action") or url, form_data(form))


def test_make_current_again_first_asks_for_confirmation_and_a_get_changes_nothing(
    clerk, clerk_client, document, corpus_file
):
    first = document.versions.get()
    services.add_version(document, corpus_file(SLIP_OPINION), author=clerk)

    response = clerk_client.get(reverse("records_document:revert", args=[document.pk, first.pk]))

    assert response.status_code == 200
    consequence = BeautifulSoup(response.content, "html.parser").select_one("[data-testid=revert-consequence]")
    assert " ".join(consequence.get_text().split()) == (
        f"Version 1 ({SCAN}) of «Tarrant v. Herrmann, opinion» will become current again as a new version, "
        "version 3, a copy of its bytes. The versions in between stay in the history as they are."
    )
    assert " ".join(post_form(response).find("button", type="submit").get_text().split()) == "Make it current as version 3"
    assert list(document.versions.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_the_revert_confirmation_of_a_hidden_document_is_not_found(clerk, corpus_file, client):
    registrar = UserFactory(role="registrar", clearance="sealed")
    sealed = DocumentFactory(case=CaseFileFactory(level="sealed", actor=registrar), title="Sealed ruling", actor=registrar)
    version = services.add_version(sealed, corpus_file(SCAN), author=registrar)
    client.force_login(clerk)

    response = client.get(reverse("records_document:revert", args=[sealed.pk, version.pk]))

    assert response.status_code == 404
    assert sealed.versions.count() == 1


def test_a_version_of_another_document_cannot_be_reverted_to(clerk, clerk_client, document, corpus_file):
    other = DocumentFactory(case=document.case, title="Another paper", actor=clerk)
    foreign = services.add_version(other, corpus_file(SLIP_OPINION), author=clerk)

    url = reverse("records_document:revert", args=[document.pk, foreign.pk])

    assert clerk_client.get(url).status_code == clerk_client.post(url).status_code == 404
    assert Version.objects.filter(document=document).count() == 1
