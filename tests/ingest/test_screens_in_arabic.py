"""The upload screen, a batch's page and a manifest's report as a clerk reading Arabic gets them.

Read from the HTML the test client gets: right to left, in Arabic, with the case number kept whole (a title takes
no markup, so LRI ... PDI), a file being filed not called by the document kind that shares its English word, and
the report's lists joined with the Arabic comma. The browser suite looks at how the case screens are drawn.
"""

import datetime
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.users.models import UserProfile

from ingest.models import Batch, ItemState
from records import display, services
from records.models import CaseFile, CaseType, DocumentKind
from tests.factories import UserFactory
from tests.ingest.conftest import HEADER, drain_all

pytestmark = pytest.mark.django_db

# A Turkish-style number with a trailing period: on an Arabic page, the period once jumped to the front.
NUMBER = "2025/10062 E."
LETTER = "us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf"


def reads_arabic(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ar"
    profile.save()
    return user


def main_text(response):
    """The page's title and main content as text, tags dropped: what the clerk reads."""
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    main = html[html.index('<main'):html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", title + " " + main).split())


@pytest.fixture
def case(court, filing_clerk):
    """A civil case under a number with a trailing period, registered by a clerk who reads Arabic."""
    reads_arabic(filing_clerk)
    return services.register_case_file(
        CaseFile(number=NUMBER, court=court, case_type=CaseType.objects.get(code="civil"), date_filed=datetime.date(2024, 1, 10)),
        actor=filing_clerk,
    )


def test_the_upload_screen_is_arabic_and_keeps_the_case_number_whole_in_its_title(client, filing_clerk, case):
    client.force_login(filing_clerk)
    text = main_text(client.get(reverse("ingest_upload_to_case", args=[case.pk])))

    assert f"رفع ملفات: {display.isolated_text(NUMBER)}" in text
    assert "العودة إلى ملف القضية" in text and "رفع وقراءة" in text
    assert "Upload" not in text and "Back to" not in text


def test_a_batch_page_is_arabic_and_names_a_files_state_not_the_document_kind(client, filing_clerk, case, corpus_dir):
    client.force_login(filing_clerk)
    files = [SimpleUploadedFile(LETTER, (corpus_dir / LETTER).read_bytes()), SimpleUploadedFile("empty.pdf", b"")]
    client.post(reverse("ingest_upload_to_case", args=[case.pk]), {"files": files, "kind": "filing", "languages": ["eng"]})
    batch = Batch.objects.get()
    drain_all()
    text = main_text(client.get(reverse("ingest_batch", args=[batch.pk])))

    for heading in ("التقدّم", "المصدر", "تاريخ البدء", "الملفات", "الصفحات", "مشكلة أو ملاحظة"):
        assert heading in text, heading
    assert "رفع ملفات" in text  # the batch's source, where the button's verb would read "رفع"
    assert "مكتمل" in text and "فشل" in text
    for english in ("Progress", "Started at", "Problem or note", "files:", "Done", "Failed"):
        assert english not in text, english
    batch.items.update(state=ItemState.FILING)
    filing = main_text(client.get(reverse("ingest_batch", args=[batch.pk])))
    assert "الإيداع في الملف" in filing
    assert str(DocumentKind.FILING.label) not in filing  # "Filing", the document kind, is another word in Arabic


def test_a_refused_manifest_is_reported_in_arabic_with_the_arabic_comma(client, court):
    client.force_login(reads_arabic(UserFactory(role="registrar")))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("manifest.csv", HEADER + "\nNOPE,RS/0002/2003,,civil,03/04/2021,,,,,,judgment,Missing,eng,,scan/missing.pdf\n")
    response = client.post(reverse("ingest_archive"), {"archive": SimpleUploadedFile("box.zip", archive.getvalue())})

    assert response.status_code == 200 and not Batch.objects.exists()
    report = re.search(r'<pre dir="auto">(.*?)</pre>', response.content.decode(), re.S).group(1)
    assert "لم يُكتب شيء" in main_text(response)
    assert "قُرئ الكشف بترميز" in report and "محكمة غير معروفة" in report
    assert "\u2068الصف \u20682\u2069\u2069، \u2068court\u2069" in report
    assert "," not in report.replace("&#x27;", "'")
