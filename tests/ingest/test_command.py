"""`manage.py ingest`: a dry run writes nothing and says what is wrong; a run files, reads and reports.

These tests are transactional: the test settings run a task when it is enqueued, and ingest enqueues its
work when the batch is committed, so the command's batch is done by the time it follows its progress.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ingest.models import Batch, ItemState
from records.models import CaseFile, Page, Version
from tests.ingest.test_filing import FILES, ROWS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def marks(transactional_db):
    """The marks a migration seeds: a transactional test starts from tables its predecessor emptied."""
    from records.models import Mark

    for code, floor in (("JUVENILE", "sealed"), ("GBV", "sealed"), ("FAMILY", "internal")):
        Mark.objects.get_or_create(code=code, defaults={"name": code.capitalize(), "floor": floor})


def run(*args):
    out = io.StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_a_dry_run_reports_every_problem_and_writes_nothing(court, filing_clerk, batch_folder):
    folder = batch_folder(FILES, [*ROWS, "KGL-HC,X/1,,civil,2001-13-01,,,,,,judgment,Bad date,eng,,box-17/letter.pdf"])

    code, output = run(str(folder), "--user", filing_clerk.username, "--dry-run")

    assert code == 1
    assert "Row 5" in output and "2001-13-01" in output and "Dry run: nothing was written." in output
    assert not Batch.objects.exists() and not CaseFile.objects.exists() and not Version.objects.exists()


def test_a_run_files_and_reads_every_row_and_ends_with_a_report(court, filing_clerk, batch_folder):
    folder = batch_folder(FILES, ROWS)

    code, output = run(str(folder), "--user", filing_clerk.username, "--workers", "0")

    assert code == 0, output
    assert "3 files, 3 done, 0 failed" in output and "6 pages read" in output
    assert "ingest (pages" in output  # the progress line
    assert Page.objects.count() == 6  # the 2-page letter, the text file, the 3-page report


def test_a_run_with_a_failed_file_exits_non_zero_naming_it(court, filing_clerk, batch_folder):
    folder = batch_folder(
        {**FILES, "bad.pdf": "bad/truncated-us-taxcourt-2020-bordelon.pdf"},
        [*ROWS, "KGL-HC,RS/CIV/0002/1999,,civil,1999-01-01,,,,,,judgment,Truncated,eng,,bad.pdf"],
    )

    code, output = run(str(folder), "--user", filing_clerk.username, "--workers", "0")

    assert code == 1
    assert "row 5 bad.pdf" in output and "truncated" in output
    assert Batch.objects.get().items.filter(state=ItemState.DONE).count() == 3


def test_an_unknown_user_or_folder_is_refused_before_anything(court, filing_clerk, tmp_path):
    assert run(str(tmp_path), "--user", "nobody")[0] == 2
    code, output = run(str(tmp_path / "missing"), "--user", filing_clerk.username)
    assert code == 2 and "is not a folder" in output
