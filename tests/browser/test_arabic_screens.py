"""The case list, a case page, a document page and the audit trail in Arabic, in a real browser.

What a clerk reading right to left stumbled on: case numbers and ID numbers broken mid-token or with their
trailing period thrown to the front, timestamps shown time first, the audit trail's values as raw JSON and
system texts, case types and marks left in English. Each screen is checked for what can be checked and
saved as a PNG (in SIJILL_SCREENSHOT_DIR, or the test's own folder, printed) for a person to look at.
"""

import datetime
import os
from pathlib import Path

import pytest
from wagtail.users.models import UserProfile

from records import services
from records.models import CaseFile, Mark
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_background_reading"),
]

PASSWORD = "cedar-lantern-58-orchard"
# A Turkish-style number with a trailing period, a French RG number as a party's ID: both once broken.
NUMBER = "2025/10062 E."
NATIONAL_ID = "2022004346"
# The Saudi commercial judgment of the corpus (sa-jeddah-commercial-court-2022-08-03-ahkam-43292).
TITLE = "حكم المحكمة التجارية في دعوى ثمن منتجات كهربائية"
CLAIMANT = "مؤسسة الأجهزة الكهربائية"
FIRST_FILE = "sa-jeddah-commercial-court-2022-08-03-ahkam-43292-rendered.pdf"
SECOND_FILE = "sa-jeddah-commercial-court-2022-08-03-ahkam-43292.txt"
FAMILY = {"name": "Family", "name_ar": "الأسرة", "name_fr": "Famille"}

# Every text node holding `needle` must sit in an element that isolates it (or between LRI and PDI), keeps it on one line and
# reads it left to right. Answers the offending places, so a failure names them.
NOT_ISOLATED_JS = """
([needle, wraps]) => {
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  const found = [], bad = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.data.includes(needle)) continue;
    found.push(node);
    // Titles and breadcrumbs take no markup: there the identifier is isolated by LRI ... PDI.
    if (node.data.includes('\u2066' + needle + '\u2069')) continue;
    const box = node.parentElement.closest('.sijill-id');
    const style = box && getComputedStyle(box);
    if (!box || style.unicodeBidi !== 'isolate' || (style.whiteSpace !== 'nowrap' && !wraps) || style.direction !== 'ltr') {
      bad.push(node.parentElement.outerHTML.slice(0, 160));
    }
  }
  return found.length ? bad : ['no text node holds ' + needle];
}
"""


# Elements of the table that end past the window's edge, at 1280 pixels: a right-to-left page overflows left.
FITS_JS = """
(selector) => {
  const table = document.querySelector(selector);
  const out = [];
  for (const cell of table.querySelectorAll('th, td')) {
    const box = cell.getBoundingClientRect();
    if (box.left < 0 || box.right > document.documentElement.clientWidth) out.push(cell.outerHTML.slice(0, 120));
  }
  return out;
}
"""


@pytest.fixture
def screenshots(tmp_path):
    """Where the PNGs go: SIJILL_SCREENSHOT_DIR if set, else the test's own folder (printed either way)."""
    folder = Path(os.environ.get("SIJILL_SCREENSHOT_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots in {folder}")

    def shoot(page, name):
        path = folder / f"{name}.png"
        # The admin scrolls inside its own panel, so a tall window rather than a full-page capture.
        page.set_viewport_size({"width": 1280, "height": 1800})
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot


@pytest.fixture
def arabic_registrar():
    # Transactional tests empty every table afterwards, the marks seeded by migration with them.
    Mark.objects.update_or_create(code="FAMILY", defaults=FAMILY)
    user = factories.UserFactory(
        role="registrar", username="salma", password=PASSWORD, first_name="سلمى", last_name="الخطيب", marks=("FAMILY",)
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ar"
    profile.save()
    return user


@pytest.fixture
def commercial_case(arabic_registrar, corpus_file):
    """A commercial case with a party, its status changed, and a document with a version brought back."""
    court = factories.InstitutionFactory(code="SA-JED-COM", name="المحكمة التجارية بجدة")
    case_type = factories.CaseTypeFactory(code="commercial", name="Commercial", name_ar="تجارية", name_fr="Commerciale")
    case_file = factories.CaseFileFactory(
        number=NUMBER,
        court=court,
        case_type=case_type,
        title=TITLE,
        date_filed=datetime.date(2022, 8, 3),
        parties=[{"role": "applicant", "name": CLAIMANT, "national_id": NATIONAL_ID}],
        actor=arabic_registrar,
    )
    case_file.marks.set(Mark.objects.filter(code="FAMILY"))
    services.change_status(case_file, "hearing", actor=arabic_registrar, reason="أُحيلت الدعوى إلى جلسة المرافعة الأولى.", effective_on=datetime.date(2022, 9, 1))
    document = factories.DocumentFactory(case=case_file, title=TITLE, languages=["ara"], actor=arabic_registrar)
    first = services.add_version(document, corpus_file(FIRST_FILE), author=arabic_registrar)
    services.add_version(document, corpus_file(SECOND_FILE), author=arabic_registrar)
    services.revert_to_version(document, first, author=arabic_registrar)
    return CaseFile.objects.get(pk=case_file.pk), document


def assert_isolated(page, needle, wraps=False):
    """`wraps`: a hash, which may break between its digits, but only inside its left-to-right isolate."""
    bad = page.evaluate(NOT_ISOLATED_JS, [needle, wraps])
    assert bad == [], f"{needle!r} is not isolated left to right and unbreakable at: {bad}"


def test_case_list_case_page_document_and_audit_trail_read_right_in_arabic(
    page, sign_in, arabic_registrar, commercial_case, screenshots
):
    case_file, document = commercial_case
    sign_in("salma", PASSWORD)

    assert page.goto("/admin/records/case-files/").ok
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_isolated(page, NUMBER)
    assert_isolated(page, "2022-08-03")
    assert "تجارية" in page.inner_text("table.listing")
    screenshots(page, "1-case-list")

    assert page.goto(f"/admin/records/case-files/inspect/{case_file.pk}/").ok
    assert page.locator("html").get_attribute("dir") == "rtl"
    for needle in (NUMBER, NATIONAL_ID, "2022-08-03", "2022-09-01", str(case_file.pk)):
        assert_isolated(page, needle)
    particulars = page.inner_text(".sijill-particulars")
    assert "تجارية" in particulars and "Commercial" not in particulars
    assert "الأسرة" in page.inner_text("[data-testid=case-marks]")
    # The system's "Registered", stored as a code, is read in the reader's language.
    life_cycle = page.inner_text("#case-history ~ table")
    assert "التسجيل" in life_cycle and "Registered" not in life_cycle
    screenshots(page, "2-case-page")

    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.goto(f"/admin/records/documents/inspect/{document.pk}/").ok
    history = page.inner_text("[data-testid=version-history]")
    assert "Reverted to version" not in history and "استعادة الإصدار" in history
    for version in document.versions.all():
        assert_isolated(page, version.sha256, wraps=True)
    screenshots(page, "3-document-page")  # first, so that a failure below can be looked at
    assert page.evaluate(FITS_JS, "[data-testid=version-history]") == [], "the version history runs off the screen"

    page.set_viewport_size({"width": 1280, "height": 900})  # as the screenshots are taken
    assert page.goto("/admin/audit/").ok
    assert page.locator("html").get_attribute("dir") == "rtl"
    values = page.locator("td.sijill-values").all_inner_texts()
    assert values and not any("{" in text or "}" in text for text in values), values
    assert_isolated(page, NUMBER)
    # A change shows its field under its translated name, the old and the new value.
    assert any("الحالة" in text and "→" in text for text in values), values
    request_id = next((t.strip() for t in page.locator("td.sijill-request").all_inner_texts() if t.strip()), "")
    assert request_id, "no request identifier in the trail"
    # Broken in its column like a hash (between its digits, inside its isolate); once whole, it ran off screen.
    assert_isolated(page, request_id, wraps=True)
    screenshots(page, "4-audit-trail")  # first, so that a failure below can be looked at
    assert page.evaluate(FITS_JS, "table.listing") == [], "the trail runs off the screen"
