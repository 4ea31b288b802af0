"""Background work under leases: claimed once, claimed again when its worker is gone, written once."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from ingest import extract, work
from ingest.models import JobState, PageJob, Reading, ReadingState
from records import renditions, services
from records.models import CaseFile, CaseType, Document, Page, Rendition
from tests.ingest.conftest import drain_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(court, filing_clerk, corpus_file):
    """A filing whose one version (a two-page born-digital PDF) waits to be read."""
    case = services.register_case_file(
        CaseFile(number="W/1/2024", court=court, case_type=CaseType.objects.get(code="civil"), date_filed=datetime.date(2024, 1, 1)),
        actor=filing_clerk,
    )
    return services.add_document(
        Document(case=case, kind="filing", title="Letter", languages=["eng"]),
        actor=filing_clerk,
        file=corpus_file("us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf"),
    )


def test_every_stored_version_is_read_once_committed(document, filing_clerk, corpus_file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.add_version(document, corpus_file("us-ca8-2017-beavers-v-midland-funding-statement-of-issues.pdf"), author=filing_clerk)

    reading = Reading.objects.get(pk=version.pk)
    assert reading.languages == "eng"
    drain_all()
    assert Page.objects.filter(version=version).count() == 3
    assert Reading.objects.get(pk=version.pk).state == ReadingState.DONE


def test_a_file_of_a_type_without_text_is_not_read(document, filing_clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    wave = b"RIFF$\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00D\xac\x00\x00\x88X\x01\x00\x02\x00\x10\x00data\x00\x00\x00\x00"
    version = services.add_version(document, SimpleUploadedFile("hearing.wav", wave), author=filing_clerk)

    assert work.request_reading(version.pk) is None
    assert not Reading.objects.filter(pk=version.pk).exists()


def test_a_unit_is_claimed_by_one_worker_only(document):
    version = document.versions.get()
    work.request_reading(version.pk)
    first = work.claim("host:1")
    second = work.claim("host:2")

    assert isinstance(first, Reading) and first.worker == "host:1"
    assert second is None  # the one unit is under the first worker's lease


def test_a_lease_run_out_lets_another_worker_claim_the_unit(document):
    version = document.versions.get()
    work.request_reading(version.pk)
    work.claim("host:1")
    Reading.objects.filter(pk=version.pk).update(lease_until=timezone.now() - timedelta(seconds=1))

    again = work.claim("host:2")

    assert again.pk == version.pk and again.worker == "host:2" and again.attempts == 2


def test_a_page_read_by_two_workers_keeps_the_first_text_and_drops_the_others_files(document, monkeypatch):
    real = extract.read_page
    # Images made with the text, as for an OCR page, so the late worker has files to drop.
    monkeypatch.setattr(extract, "read_page", lambda path, number, **kwargs: real(path, number, **{**kwargs, "images": True}))
    version = document.versions.get()
    work.request_reading(version.pk)
    work.plan(work.claim("host:1"), "host:1")
    job = work.claim("host:1")
    assert isinstance(job, PageJob)
    # host:1 stalls; its lease runs out and host:2 reads and writes the page first.
    PageJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    taken = work.claim("host:2")
    assert taken.pk == job.pk
    work.read(taken, "host:2")
    written = Rendition.objects.filter(version=version, page_number=job.number).count()
    removed = []
    monkeypatch.setattr(renditions, "remove", lambda *keys: removed.extend(keys))

    work.read(job, "host:1")  # the stalled worker comes back with its own reading

    assert Page.objects.filter(version=version, number=job.number).count() == 1
    assert Page.objects.get(version=version, number=job.number).revisions.count() == 1
    assert Rendition.objects.filter(version=version, page_number=job.number).count() == written
    assert len(removed) == 2  # its preview and thumbnail, written before it learnt it was late


def test_a_page_that_fails_is_that_pages_problem_and_the_others_are_read(document, monkeypatch):
    real = extract.read_page

    def failing(path, number, **kwargs):
        if number == 2:
            raise RuntimeError("Tesseract failed (1): image too small")
        return real(path, number, **kwargs)

    monkeypatch.setattr(extract, "read_page", failing)
    version = document.versions.get()
    work.request_reading(version.pk)
    drain_all()

    reading = Reading.objects.get(pk=version.pk)
    assert reading.state == ReadingState.DONE and "page 2: Tesseract failed" in reading.error
    assert PageJob.objects.get(version=version, number=2).state == JobState.FAILED
    assert Page.objects.filter(version=version).count() == 1

    monkeypatch.setattr(extract, "read_page", real)
    assert work.retry_reading(version.pk) == 1
    drain_all()
    assert Page.objects.filter(version=version).count() == 2
    assert Reading.objects.get(pk=version.pk).error == ""


def test_a_page_whose_worker_died_too_often_is_left_out_with_a_reason(document, settings):
    settings.SIJILL_INGEST_MAX_ATTEMPTS = 2
    version = document.versions.get()
    work.request_reading(version.pk)
    work.plan(work.claim("host:1"), "host:1")
    job = PageJob.objects.get(version=version, number=1)
    PageJob.objects.filter(pk=job.pk).update(attempts=2, state=JobState.RUNNING, lease_until=timezone.now() - timedelta(seconds=1))

    drain_all()

    job.refresh_from_db()
    assert job.state == JobState.FAILED and "tried 2 times" in job.error
    assert Page.objects.filter(version=version, number=2).exists()


def test_recover_wakes_workers_for_what_a_killed_worker_left(document, settings, monkeypatch):
    version = document.versions.get()
    work.request_reading(version.pk)
    work.claim("dead-host:1")
    Reading.objects.filter(pk=version.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    woken = []
    monkeypatch.setattr(work, "wake", woken.append)

    assert work.recover() == 1
    assert woken == [1]


def test_a_lease_still_held_when_workers_run_again_is_watched_by_a_deferred_drain(document, settings):
    """A worker killed while others go on (or just before a restart): its unit's lease has not run out when
    the last drain ends, so a drain is left deferred to the lease's end, once, in the real task queue."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    version = document.versions.get()
    work.request_reading(version.pk)
    unit = work.claim("dead-host:1")
    held_until = Reading.objects.get(pk=unit.pk).lease_until

    assert work.recover() == 0  # nothing claimable yet: the lease is held
    work.recover()  # a second worker starting: no second deferred drain for the same lease
    work.drain.call()  # a drain ending with nothing to claim does not add one either

    deferred = list(DBTaskResult.objects.filter(task_path=work.drain.module_path))
    assert len(deferred) == 1
    assert deferred[0].run_after == held_until + timedelta(seconds=1)
    assert deferred[0].status == "READY"


def test_no_drain_is_deferred_when_no_lease_is_held(document, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    version = document.versions.get()
    work.request_reading(version.pk)
    Reading.objects.filter(pk=version.pk).update(state=ReadingState.DONE)

    work.drain.call()

    assert not DBTaskResult.objects.filter(task_path=work.drain.module_path).exists()


def test_recover_makes_the_searchable_pdf_a_killed_worker_left_unmade(document):
    import io

    import pypdfium2

    from records.models import RenditionKind

    version = document.versions.get()
    work.request_reading(version.pk)
    drain_all()
    one_page = pypdfium2.PdfDocument.new()
    one_page.new_page(595, 842)
    out = io.BytesIO()
    one_page.save(out)
    data = out.getvalue()
    # As if page 1 had been read by OCR and the worker died before putting the whole PDF together.
    Rendition.objects.create(
        version=version, kind=RenditionKind.SEARCHABLE_PDF, page_number=1,
        storage_key=renditions.write(data, "application/pdf"), media_type="application/pdf", size=len(data),
    )

    work.recover()

    whole = Rendition.objects.get(version=version, kind=RenditionKind.SEARCHABLE_PDF, page_number__isnull=True)
    with renditions.open_rendition(whole.storage_key) as handle:
        assert len(pypdfium2.PdfDocument(handle.read())) == 2  # page 1 from OCR, page 2 from the original


def test_a_text_layer_pages_images_are_made_after_every_text(document):
    version = document.versions.get()
    work.request_reading(version.pk)
    work.plan(work.claim("host:1"), "host:1")
    for _page in range(2):
        work.read(work.claim("host:1"), "host:1")

    assert Page.objects.filter(version=version).count() == 2  # searchable already
    assert not Rendition.objects.filter(version=version).exists()
    images = work.claim("host:1")
    assert isinstance(images, work.PageImages)
    work.run(images, "host:1")
    drain_all()
    assert Rendition.objects.filter(version=version, kind="preview").count() == 2
    assert Rendition.objects.filter(version=version, kind="thumbnail").count() == 2
    assert not PageJob.objects.filter(version=version, needs_images=True).exists()


def test_a_document_deleted_while_its_page_is_read_ends_that_work_quietly(document, filing_clerk, monkeypatch):
    version = document.versions.get()
    work.request_reading(version.pk)
    work.plan(work.claim("host:1"), "host:1")
    real = extract.read_page

    def read_then_delete(path, number, **kwargs):
        read = real(path, number, **kwargs)
        services.delete_document(document, actor=filing_clerk)  # a registrar removes it meanwhile
        return read

    monkeypatch.setattr(extract, "read_page", read_then_delete)

    assert work.drain.call() >= 1
    assert not PageJob.objects.filter(version_id=version.pk).exists()
    assert not Page.objects.exists()
