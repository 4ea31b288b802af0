"""A clerk in a real browser: uploads a scan and a PDF to a case, follows the batch, reads the pages.

The test settings run background work as soon as it is committed, so the batch is read by the time its
page is shown; in production the same page shows the progress while workers read.
"""

import datetime

import pytest

from ingest import ocr
from records import services
from records.models import CaseFile, CaseType, Institution
from tests import factories
from tests.conftest import absent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "copper-ledger-19-slowly"
SCAN = "scan-us-scotus-2013-tarrant-v-herrmann-p7.tif"
LETTER = "us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf"


@pytest.fixture
def case_file():
    """A clerk and the civil case they registered."""
    clerk = factories.UserFactory(role="clerk", username="grace", password=PASSWORD)
    court = Institution.objects.create(code="NBI-HC", name="High Court at Nairobi", kind="court")
    civil, _ = CaseType.objects.get_or_create(code="civil", defaults={"name": "Civil"})
    return services.register_case_file(
        CaseFile(number="HCCC/118/2013", court=court, case_type=civil, date_filed=datetime.date(2013, 6, 1)),
        actor=clerk,
    )


def test_a_clerk_uploads_two_files_and_reads_the_scan_beside_its_text(page, sign_in, expect, case_file, corpus_dir):
    if not ocr.tesseract_available():
        absent("Tesseract", "install tesseract-ocr")
    sign_in("grace", PASSWORD)
    assert page.goto(f"/admin/records/case-files/inspect/{case_file.pk}/").ok
    page.get_by_role("link", name="Upload files").click()
    page.set_input_files("input[name=files]", [str(corpus_dir / SCAN), str(corpus_dir / LETTER)])
    page.get_by_label("Kind").select_option("legacy_scan")
    page.get_by_label("English").check()
    # The test settings read the pages inside this request (OCR included): give it time on a busy machine.
    with page.expect_navigation(timeout=150_000):
        page.get_by_role("button", name="Upload and read").click()

    expect(page.get_by_test_id("batch-progress")).to_contain_text("2 files: 2 done, 0 failed")
    expect(page.get_by_test_id("batch-items")).to_contain_text(SCAN)
    page.get_by_role("link", name=SCAN.rsplit(".", 1)[0]).click()
    expect(page.get_by_test_id("reading-panel")).to_contain_text("1 of 1 pages read")
    page.get_by_role("link", name="Read the pages").click()

    expect(page.get_by_test_id("reader-page")).to_contain_text("Page 1 of 1")
    expect(page.get_by_test_id("reader-source")).to_contain_text("OCR")
    image = page.locator("img.sijill-page-image")
    expect(image).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", image.element_handle()) > 500  # a real picture, loaded
    expect(page.locator("textarea[name=text]")).to_contain_text("Oklahoma")
    expect(page.get_by_role("link", name="Download searchable PDF")).to_be_visible()
