"""The clerk's daily round in a real browser: sign in, find a case by ID, upload a new version."""

import re

import pytest
from django.utils import translation
from wagtail.users.models import UserProfile

from records import services
from records.lifecycle import Status
from records.models import CaseFile
from tests import factories
from tests.digests import sha256_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_background_reading"),
]

FIRST_FILE = "us-scotus-2013-tarrant-v-herrmann-scan-p1-2.pdf"
NEW_FILE = "us-scotus-2013-tarrant-v-herrmann.pdf"
PASSWORD = "lantern-orchard-47-quietly"
NATIONAL_ID = "7841 2209 5563"



def follow(page, act):
    """Do what leads to another page, and check that the page it leads to answered well."""
    with page.expect_navigation() as navigation:
        act()
    response = navigation.value
    status = response.status if response else None
    assert response is not None and response.ok, f"{page.url} answered HTTP {status}"


@pytest.fixture
def case_with_document(corpus_file):
    """A clerk, and a case with a party and a judgment whose first version is a real scan."""
    clerk = factories.UserFactory(
        role="clerk", username="amina", password=PASSWORD, first_name="Amina", last_name="Haddad"
    )
    case_file = factories.CaseFileFactory(
        number="2013/0417",
        title="Tarrant Regional Water District v. Herrmann",
        parties=[
            {"role": "applicant", "name": "Tarrant Regional Water District", "national_id": NATIONAL_ID},
            {"role": "respondent", "name": "Rudolf John Herrmann", "national_id": "1102 3344 5566"},
        ],
        actor=clerk,
    )
    # Another case, so that finding the right one by ID is a real look-up.
    factories.CaseFileFactory(number="2013/0418", title="Someone else v. Another", actor=clerk)
    document = factories.DocumentFactory(case=case_file, title="Tarrant v. Herrmann, opinion", actor=clerk)
    first = services.add_version(document, corpus_file(FIRST_FILE), author=clerk, change_note="Paper copy")
    return clerk, case_file, document, first


def test_a_clerk_finds_a_case_by_national_id_and_uploads_a_new_version(
    page, sign_in, expect, case_with_document, corpus_dir
):
    clerk, case_file, document, first = case_with_document

    sign_in("amina", PASSWORD)

    # The case list's search box, with the ID typed as one run of digits.
    assert page.goto("/admin/records/case-files/").ok
    search = page.locator("main input[name=q]")  # not the sidebar's search
    search.fill(NATIONAL_ID.replace(" ", ""))
    search.press("Enter")
    # The list narrows to the one case: the other case's row goes, the party's case stays.
    expect(page.get_by_role("link", name="2013/0418", exact=True)).to_have_count(0)
    result = page.get_by_role("link", name=case_file.number, exact=True)
    expect(result).to_have_count(1)

    follow(page, result.click)
    page.wait_for_selector("[data-testid=case-number]")
    assert page.inner_text("[data-testid=case-number]") == case_file.number
    assert NATIONAL_ID in page.inner_text("#case-parties + table")

    follow(page, page.get_by_role("link", name=document.title, exact=True).click)
    page.wait_for_selector("[data-testid=version-history]")

    follow(page, page.get_by_role("link", name="Upload new version").click)
    page.set_input_files("input[name=file]", str(corpus_dir / NEW_FILE))
    page.fill("textarea[name=change_note]", "Slip opinion, full text")
    follow(page, page.get_by_role("button", name="Upload", exact=True).click)
    expect(page.get_by_text("Version 2 stored.")).to_be_visible()

    history = page.locator("[data-testid=version-history]")
    history.wait_for()
    rows = history.locator("tbody tr")
    assert rows.evaluate_all("rows => rows.map(row => row.dataset.version)") == ["2", "1"]
    newest = history.locator("tr[data-version='2']")
    newest_text = newest.inner_text()
    assert "Amina Haddad" in newest_text
    assert "Slip opinion, full text" in newest_text
    assert NEW_FILE in newest_text
    assert newest.locator("code.sijill-hash").inner_text().strip() == sha256_of(corpus_dir / NEW_FILE)
    oldest = history.locator("tr[data-version='1']")
    assert "Paper copy" in oldest.inner_text()
    assert oldest.locator("code.sijill-hash").inner_text().strip() == sha256_of(corpus_dir / FIRST_FILE)

    # Version 1 still downloads byte for byte, in the clerk's own session.
    href = oldest.get_by_role("link", name="Download").get_attribute("href")
    assert str(first.pk) in href
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.body() == (corpus_dir / FIRST_FILE).read_bytes()

    assert list(document.versions.order_by("number").values_list("number", "author__username")) == [
        (1, "amina"),
        (2, "amina"),
    ]


def test_the_admin_turns_right_to_left_for_a_user_who_reads_arabic(page, sign_in):
    user = factories.UserFactory(role="clerk", username="layla", password=PASSWORD)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ar"
    profile.save()
    factories.CaseFileFactory(number="١٢/٢٠٢٤", actor=user)

    sign_in("layla", PASSWORD)
    assert page.goto("/admin/records/case-files/").ok

    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "ar"
    assert page.get_by_role("link", name="١٢/٢٠٢٤", exact=True).is_visible()
    # Wagtail's own labels are translated too, not just laid out right to left.
    assert re.search("[\u0600-\u06ff]", page.get_attribute("main input[name=q]", "placeholder"))
    # And Sijill's own: the list's heading and the case's status.
    with translation.override("ar"):
        heading, status = str(CaseFile._meta.verbose_name_plural), str(Status.FILED.label)
    assert re.search("[\u0600-\u06ff]", heading) and re.search("[\u0600-\u06ff]", status)
    assert heading in page.inner_text("h1, h2") or heading in page.title()
    assert status in page.inner_text("table")
