"""Writing what a page job read: the page, its first text revision and its images, exactly once.

The page itself is kept by `records.services.record_page`, which refuses a second text for a page; the
job's row lock serialises two workers that read the same page (a lease ran out), so the first write
stands and the other's images are removed. Corrections are later revisions (`correct_page_text`).

The searchable PDF of a version is put together from the pages' own PDFs once every page is read: OCR
pages bring the one-page PDF Tesseract wrote with its invisible text layer, text pages of a born-digital
PDF are taken from the original.
"""

import tempfile

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ingest import scratch_copy
from ingest.models import JobState, PageJob
from records import renditions, services
from records.errors import PageAlreadyRead
from records.models import Page, Rendition, RenditionKind, TextSource


def review_below():
    return getattr(settings, "SIJILL_OCR_REVIEW_BELOW", 80.0)


def _files(preview, thumbnail, searchable_pdf=None):
    """Write the page's images (and its one-page PDF) before any lock is taken: (kind, key, type, size)."""
    made = []
    for kind, data, media in (
        (RenditionKind.PREVIEW, preview, "image/webp"),
        (RenditionKind.THUMBNAIL, thumbnail, "image/webp"),
        (RenditionKind.SEARCHABLE_PDF, searchable_pdf, "application/pdf"),
    ):
        if data:
            try:
                made.append((kind, renditions.write(data, media), media, len(data)))
            except BaseException:
                renditions.remove(*(key for _kind, key, _media, _size in made))
                raise
    return made


def write(job, name, read, *, seconds):
    """Store the page read by `job` unless its page already has a text; returns True when written."""
    result = read.result
    made = _files(read.preview, read.thumbnail, result.searchable_pdf)
    try:
        with transaction.atomic():
            locked = PageJob.objects.select_for_update().select_related("version").get(pk=job.pk)
            if locked.state == JobState.DONE:
                raise PageAlreadyRead("page job already done")
            services.record_page(
                locked.version,
                job.number,
                text=result.text,
                source=result.method,
                needs_review=result.method == TextSource.OCR and (result.confidence or 0) < review_below(),
                width=result.width,
                height=result.height,
                confidence=result.confidence,
                words=result.words,
                unit=result.unit,
                engine=result.engine,
                languages=result.languages,
                renditions=made,
            )
            PageJob.objects.filter(pk=job.pk).update(
                state=JobState.DONE,
                error="",
                finished_at=timezone.now(),
                seconds=seconds,
                worker=name,
                lease_until=None,
                # A text-layer page's images are made after every text is read (ingest.work).
                needs_images=read.preview is None and result.method == TextSource.PDF_TEXT,
            )
    except PageAlreadyRead:
        # Another worker wrote this page first (its lease had run out on this one): theirs stands.
        renditions.remove(*(key for _kind, key, _media, _size in made))
        PageJob.objects.filter(pk=job.pk).exclude(state=JobState.DONE).update(
            state=JobState.DONE, finished_at=timezone.now()
        )
        return False
    except BaseException:
        renditions.remove(*(key for _kind, key, _media, _size in made))
        raise
    return True


def write_images(job, name, preview, thumbnail):
    """Keep a page's images made after its text, once; the job no longer needs them either way."""
    made = _files(preview, thumbnail)
    with transaction.atomic():
        mine = PageJob.objects.select_for_update().filter(pk=job.pk, needs_images=True, worker=name).first()
        kept = mine is not None and made and services.record_page_images(mine.version_id, job.number, made)
        PageJob.objects.filter(pk=job.pk, worker=name).update(needs_images=False, lease_until=None)
    if not kept:
        renditions.remove(*(key for _kind, key, _media, _size in made))


def versions_missing_their_pdf():
    """Versions read in full whose pages brought OCR PDFs but which have no whole searchable PDF."""
    from ingest.models import Reading, ReadingState

    with_parts = Rendition.objects.filter(kind=RenditionKind.SEARCHABLE_PDF, page_number__isnull=False)
    whole = Rendition.objects.filter(kind=RenditionKind.SEARCHABLE_PDF, page_number__isnull=True)
    return list(
        Reading.objects.filter(state=ReadingState.DONE, version_id__in=with_parts.values("version_id"))
        .exclude(version_id__in=whole.values("version_id"))
        .values_list("version_id", flat=True)[:1000]
    )


def assemble_searchable_pdf(version):
    """One PDF for the whole version, from each page's OCR PDF or, for text pages, the original's page.

    Nothing is made for a version without OCR pages: a born-digital PDF is its own searchable PDF.
    """
    import pypdfium2

    if Rendition.objects.filter(version=version, kind=RenditionKind.SEARCHABLE_PDF, page_number__isnull=True).exists():
        return None
    parts = {
        rendition.page_number: rendition
        for rendition in Rendition.objects.filter(version=version, kind=RenditionKind.SEARCHABLE_PDF, page_number__isnull=False)
    }
    if not parts:
        return None
    numbers = list(Page.objects.filter(version=version).order_by("number").values_list("number", flat=True))
    # Put together in a scratch file, not in memory: a 500-page scan makes a PDF of hundreds of MB.
    with tempfile.TemporaryFile(dir=scratch_copy.folder()) as out:
        whole = pypdfium2.PdfDocument.new()
        original = None
        try:
            for number in numbers:
                if number in parts:
                    with renditions.open_rendition(parts[number].storage_key) as handle:
                        part = pypdfium2.PdfDocument(handle.read())
                    whole.import_pages(part)
                    part.close()
                elif version.media_type == "application/pdf":
                    if original is None:
                        with scratch_copy.local(version) as path:
                            original = pypdfium2.PdfDocument(str(path))
                    whole.import_pages(original, [number - 1])
            whole.save(out)
        finally:
            whole.close()
            if original is not None:
                original.close()
        size = out.tell()
        out.seek(0)
        key = renditions.write(out, "application/pdf")
    made = services.record_rendition(version, RenditionKind.SEARCHABLE_PDF, key, "application/pdf", size)
    if made is None:
        renditions.remove(key)
    return made
