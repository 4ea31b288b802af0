"""Writing what a page job read: the page, its first text revision and its images, exactly once.

Corrections are new revisions (`records.services.correct_page_text`); the OCR output stays. The searchable PDF of a version is put
together from the pages' own PDFs once every page is read: OCR pages bring the one-page PDF Tesseract
wrote with its invisible text layer, text pages of a born-digital PDF are taken from the original.
"""

import io

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ingest.models import JobState, PageJob
from records import renditions, storage
from records.models import Page, PageText, Rendition, RenditionKind, TextSource


def review_below():
    return getattr(settings, "SIJILL_OCR_REVIEW_BELOW", 80.0)


def write(job, name, read, *, seconds):
    """Store the page read by `job` unless its page already has a text; returns True when written."""
    result = read.result
    keys = [renditions.write(read.preview, "image/webp"), renditions.write(read.thumbnail, "image/webp")]
    if result.searchable_pdf:
        keys.append(renditions.write(result.searchable_pdf, "application/pdf"))
    try:
        with transaction.atomic():
            locked = PageJob.objects.select_for_update().get(pk=job.pk)
            if locked.state == JobState.DONE or Page.objects.filter(version_id=job.version_id, number=job.number).exists():
                raise _AlreadyRead
            page = Page.objects.create(
                version_id=job.version_id,
                number=job.number,
                width=result.width,
                height=result.height,
                text=result.text,
                source=result.method,
                confidence=result.confidence,
                needs_review=result.method == TextSource.OCR and (result.confidence or 0) < review_below(),
            )
            PageText.objects.create(
                page=page,
                revision=1,
                text=result.text,
                source=result.method,
                confidence=result.confidence,
                words=[list(word) for word in result.words],
                unit=result.unit,
                engine=result.engine[:60],
                languages=result.languages[:60],
            )
            made = [(RenditionKind.PREVIEW, keys[0], "image/webp", read.preview), (RenditionKind.THUMBNAIL, keys[1], "image/webp", read.thumbnail)]
            if result.searchable_pdf:
                made.append((RenditionKind.SEARCHABLE_PDF, keys[2], "application/pdf", result.searchable_pdf))
            Rendition.objects.bulk_create(
                [
                    Rendition(version_id=job.version_id, kind=kind, page_number=job.number, storage_key=key, media_type=media, size=len(data))
                    for kind, key, media, data in made
                ]
            )
            PageJob.objects.filter(pk=job.pk).update(
                state=JobState.DONE, error="", finished_at=timezone.now(), seconds=seconds, worker=name
            )
    except (_AlreadyRead, IntegrityError):
        # Another worker wrote this page first (its lease had run out on this one): theirs stands.
        renditions.remove(*keys)
        PageJob.objects.filter(pk=job.pk).exclude(state=JobState.DONE).update(state=JobState.DONE, finished_at=timezone.now())
        return False
    return True


class _AlreadyRead(Exception):
    pass


def assemble_searchable_pdf(version):
    """One PDF for the whole version, from each page's OCR PDF or, for text pages, the original's page."""
    import pypdfium2

    if Rendition.objects.filter(version=version, kind=RenditionKind.SEARCHABLE_PDF, page_number__isnull=True).exists():
        return None
    parts = {
        rendition.page_number: rendition
        for rendition in Rendition.objects.filter(version=version, kind=RenditionKind.SEARCHABLE_PDF, page_number__isnull=False)
    }
    if not parts:
        return None  # a born-digital PDF is its own searchable PDF
    numbers = list(Page.objects.filter(version=version).order_by("number").values_list("number", flat=True))
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
                    with storage.open_original(version.storage_key) as handle:
                        original = pypdfium2.PdfDocument(handle.read())
                whole.import_pages(original, [number - 1])
        out = io.BytesIO()
        whole.save(out)
    finally:
        whole.close()
        if original is not None:
            original.close()
    data = out.getvalue()
    key = renditions.write(data, "application/pdf")
    try:
        return Rendition.objects.create(
            version=version, kind=RenditionKind.SEARCHABLE_PDF, storage_key=key, media_type="application/pdf", size=len(data)
        )
    except IntegrityError:
        renditions.remove(key)
        return None
