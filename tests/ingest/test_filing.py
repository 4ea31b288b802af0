"""Filing a manifest's rows into case files and documents, through the records services, and again."""

import pytest

from ingest import batches
from ingest.models import BatchItem, ItemState, Reading
from records import access
from records.models import CaseFile, Document, Level, Page, Version
from tests.ingest.conftest import drain_all

pytestmark = pytest.mark.django_db

FILES = {
    "box-17/letter.pdf": "us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf",
    "box-17/decision.txt": "tr-yargitay-9hd-2026-01-12-2025-10062-e-2026-20-k.txt",
    "box-18/report.pdf": "us-ca8-2017-beavers-v-midland-funding-statement-of-issues.pdf",
}
ROWS = [
    "KGL-HC,RS/CIV/0001/1998,,civil,1998-02-03,1998-09-10,1999-01-05,Alice Uwase;Jean Habimana,applicant;respondent,,judgment,Judgment of 1998,eng,B-17,box-17/letter.pdf",
    "KGL-HC,RS/CIV/0001/1998,,civil,1998-02-03,1998-09-10,1999-01-05,Alice Uwase;Jean Habimana,applicant;respondent,,order,,tur,B-17,box-17/decision.txt",
    "KGL-HC,,RP/JUV/0007/2001,juvenile,2001-05-05,,,Eric Mugisha,child,1990-04-01,social_enquiry_report,Report,eng,B-18,box-18/report.pdf",
]


def _run(folder, clerk):
    source, manifest = batches.check_folder(folder)
    batch = batches.start_from_folder(folder, manifest, actor=clerk)
    drain_all()
    return batch, manifest


def test_rows_become_cases_and_documents_whose_pages_are_read(court, filing_clerk, batch_folder):
    batch, manifest = _run(batch_folder(FILES, ROWS), filing_clerk)

    assert manifest.ok
    civil = CaseFile.objects.get(number="RS/CIV/0001/1998")
    assert civil.court == court and civil.status == "closed"
    assert str(civil.date_judgment) == "1998-09-10" and str(civil.date_closed) == "1999-01-05"
    assert civil.location_box == "B-17"
    assert sorted(civil.parties.values_list("name", flat=True)) == ["Alice Uwase", "Jean Habimana"]
    titles = sorted(Document.objects.filter(case=civil).values_list("title", "kind"))
    assert titles == [("Judgment of 1998", "judgment"), ("decision", "order")]
    letter = Version.objects.get(document__title="Judgment of 1998")
    assert Page.objects.filter(version=letter).count() == 2
    assert "border searches should be limited to offenses" in " ".join(
        " ".join(Page.objects.filter(version=letter).values_list("text", flat=True)).split()
    )
    decision = Version.objects.get(document__title="decision")
    assert "1.750,00 TL aylık net ücretle" in Page.objects.get(version=decision).text
    items = list(batch.items.order_by("row"))
    assert [item.state for item in items] == [ItemState.DONE] * 3
    assert all(item.details == {} for item in items)  # the rows' names are not kept once filed
    batch.refresh_from_db()
    assert batch.finished_at is not None


def test_a_juvenile_row_is_sealed_by_rule_before_anyone_sees_it(court, filing_clerk, batch_folder):
    _run(batch_folder(FILES, ROWS), filing_clerk)

    juvenile = CaseFile.objects.get(number="RP/JUV/0007/2001")
    assert juvenile.level == Level.SEALED
    assert set(juvenile.marks.values_list("code", flat=True)) == {"JUVENILE"}
    assert not access.can_see(filing_clerk, juvenile)
    assert juvenile.legacy_numbers.get().number == "RP/JUV/0007/2001"
    assert not access.visible_pages(filing_clerk).filter(version__document__case=juvenile).exists()


def test_running_the_same_manifest_again_creates_nothing_twice(court, filing_clerk, batch_folder):
    folder = batch_folder(FILES, ROWS)
    _run(folder, filing_clerk)
    counts = (CaseFile.objects.count(), Document.objects.count(), Version.objects.count(), Page.objects.count())

    again, _manifest = _run(folder, filing_clerk)

    assert (CaseFile.objects.count(), Document.objects.count(), Version.objects.count(), Page.objects.count()) == counts
    items = list(again.items.order_by("row"))
    assert [item.state for item in items] == [ItemState.DONE] * 3
    assert all("not stored again" in item.note for item in items)
    # The sealed case, out of the clerk's sight, was found by the earlier batch, not registered a second time.
    assert CaseFile.objects.filter(number="RP/JUV/0007/2001").count() == 1


def test_a_case_is_found_by_its_legacy_number(court, filing_clerk, batch_folder):
    row = "KGL-HC,,OLD/55/1987,civil,1987-01-01,,,,,,judgment,Old ruling,eng,,box-17/letter.pdf"
    _run(batch_folder({"box-17/letter.pdf": FILES["box-17/letter.pdf"]}, [row]), filing_clerk)
    later = "KGL-HC,,OLD/55/1987,civil,1987-01-01,,,,,,order,Later order,tur,,box-17/decision.txt"

    _run(batch_folder({"box-17/decision.txt": FILES["box-17/decision.txt"]}, [later]), filing_clerk)

    case = CaseFile.objects.get()
    assert sorted(case.documents.values_list("title", flat=True)) == ["Later order", "Old ruling"]


def test_bad_files_fail_alone_with_a_clear_reason_and_the_batch_goes_on(court, filing_clerk, batch_folder, corpus_dir):
    files = {
        **FILES,
        "bad/truncated.pdf": "bad/truncated-us-taxcourt-2020-bordelon.pdf",
        "bad/png-named.pdf": "bad/png-named-as-pdf-za-sca-2024-p1.pdf",
        "bad/empty.pdf": b"",
    }
    rows = [
        *ROWS,
        "KGL-HC,RS/CIV/0002/1999,,civil,1999-01-01,,,,,,judgment,Truncated,eng,,bad/truncated.pdf",
        "KGL-HC,RS/CIV/0003/1999,,civil,1999-01-01,,,,,,judgment,Lying name,eng,,bad/png-named.pdf",
        "KGL-HC,RS/CIV/0004/1999,,civil,1999-01-01,,,,,,judgment,Empty,eng,,bad/empty.pdf",
        "NO-SUCH-COURT,RS/CIV/0005/1999,,civil,1999-01-01,,,,,,judgment,Unknown court,eng,,box-17/letter.pdf",
        "KGL-HC,RS/CIV/0006/1999,,civil,1999-02-30,,,,,,judgment,No such day,eng,,box-17/letter.pdf",
        "KGL-HC,RS/CIV/0007/1999,,civil,1999-01-01,,,,,,judgment,Climbing,eng,,../outside.pdf",
    ]
    batch, manifest = _run(batch_folder(files, rows), filing_clerk)

    by_row = {item.row: item for item in batch.items.all()}
    assert [by_row[row].state for row in (2, 3, 4)] == [ItemState.DONE] * 3
    truncated = by_row[5]
    assert truncated.state == ItemState.FAILED and "damaged or truncated PDF" in truncated.error
    kept = Version.objects.get(document__title="Truncated")  # accepted, so its bytes are kept
    assert kept.size == (corpus_dir / "bad/truncated-us-taxcourt-2020-bordelon.pdf").stat().st_size
    assert by_row[6].state == ItemState.FAILED and "png" in by_row[6].error.lower()
    assert by_row[7].state == ItemState.FAILED and "empty" in by_row[7].error.lower()
    assert "Unknown court" in by_row[8].error and by_row[8].path == "box-17/letter.pdf"
    assert "1999-02-30" in by_row[9].error
    assert "climbs out" in by_row[10].error
    assert not CaseFile.objects.filter(number__in=["RS/CIV/0003/1999", "RS/CIV/0004/1999", "RS/CIV/0005/1999"]).exists()
    assert batch.items.filter(state=ItemState.FAILED).count() == 6


def test_a_refused_file_leaves_no_case_behind(court, filing_clerk, batch_folder):
    rows = ["KGL-HC,RS/CIV/0009/1999,,civil,1999-01-01,,,,,,judgment,Empty,eng,,empty.pdf"]
    batch, _manifest = _run(batch_folder({"empty.pdf": b""}, rows), filing_clerk)

    assert batch.items.get().state == ItemState.FAILED
    assert not CaseFile.objects.filter(number="RS/CIV/0009/1999").exists()


def test_a_failed_row_is_filed_by_a_retry_once_its_file_is_fixed(court, filing_clerk, batch_folder, corpus_dir):
    rows = ["KGL-HC,RS/CIV/0010/1999,,civil,1999-01-01,,,,,,judgment,Fixed later,eng,,later.pdf"]
    folder = batch_folder({"later.pdf": b""}, rows)
    batch, _manifest = _run(folder, filing_clerk)
    assert batch.items.get().state == ItemState.FAILED

    (folder / "later.pdf").write_bytes((corpus_dir / FILES["box-17/letter.pdf"]).read_bytes())
    assert batches.retry(batch) == 1
    drain_all()

    item = BatchItem.objects.get(batch=batch)
    assert item.state == ItemState.DONE and item.error == ""
    assert Reading.objects.get(pk=item.version_id).state == "done"


def test_someone_elses_hidden_case_is_not_found_by_its_number(court, filing_clerk, batch_folder, corpus_dir):
    """A second clerk naming the number of a sealed case they cannot see gets a case of their own, held as a
    number conflict for a registrar: their file does not vanish into the hidden case, which would confirm it."""
    from tests.factories import UserFactory

    _run(batch_folder(FILES, ROWS), filing_clerk)
    sealed = CaseFile.objects.get(number="RP/JUV/0007/2001")
    other = UserFactory(role="clerk", username="second-clerk")
    row = "KGL-HC,,RP/JUV/0007/2001,civil,2001-05-05,,,,,,judgment,Guess,eng,,guess.pdf"
    folder = batch_folder({"guess.pdf": "us-ca8-2017-beavers-v-midland-funding-statement-of-issues.pdf"}, [row])

    batch, _manifest = _run(folder, other)

    item = batch.items.get()
    assert item.state == ItemState.DONE and item.case_id != sealed.pk
    assert access.can_see(other, item.case) and item.case.number_held
    assert not sealed.documents.filter(title="Guess").exists()
