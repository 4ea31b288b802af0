"""The text of a version, page by page, and the images made from it.

A page's text is kept as revisions: the first from the PDF text layer or OCR, later ones from people
correcting it. Revisions are written once; the page points at the one in force. Renditions (previews,
thumbnails, the searchable PDF) are derived files, stored apart from the originals and never public.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from records.errors import VersionImmutable


class TextSource(models.TextChoices):
    PDF_TEXT = "pdf_text", _("PDF text layer")
    FILE_TEXT = "file_text", _("Text of the file")  # text, HTML, JSON, XML or word-processor files
    OCR = "ocr", _("OCR")
    CORRECTION = "correction", _("Correction")


class Page(models.Model):
    """One page of a version: its size and the text revision in force."""

    version = models.ForeignKey("records.Version", on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("page"))
    # In the unit of the first revision's word boxes: pixels of the page image, or PDF points.
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # The revision in force, copied here so search and the reader need one row per page.
    text = models.TextField(_("text"), blank=True)
    source = models.CharField(_("obtained from"), max_length=16, choices=TextSource.choices)
    confidence = models.FloatField(_("OCR confidence"), null=True, blank=True)
    needs_review = models.BooleanField(_("needs review"), default=False)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="page_number_unique")]
        indexes = [models.Index(fields=["needs_review", "confidence"], name="page_review_queue")]

    def __str__(self):
        return gettext("%(version)s, page %(number)s") % {"version": self.version, "number": self.number}


class PageTextQuerySet(models.QuerySet):
    def update(self, **values):
        raise VersionImmutable(gettext("A page's text revisions are kept as written; a correction is a new revision."))


class PageText(models.Model):
    """One revision of a page's text: who or what produced it, when, and how sure it was."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=TextSource.choices)
    confidence = models.FloatField(null=True, blank=True)
    # [[text, left, top, width, height, confidence], ...] in `unit`: "px" of the page image or "pt" of the PDF.
    words = models.JSONField(default=list, blank=True)
    unit = models.CharField(max_length=4, blank=True)
    engine = models.CharField(max_length=60, blank=True)
    languages = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PageTextQuerySet.as_manager()

    class Meta:
        ordering = ["page", "revision"]
        constraints = [models.UniqueConstraint(fields=["page", "revision"], name="page_text_revision_unique")]

    def __str__(self):
        return f"{self.page} r{self.revision}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise VersionImmutable(gettext("A page's text revisions are kept as written; a correction is a new revision."))
        super().save(*args, **kwargs)


class RenditionKind(models.TextChoices):
    PREVIEW = "preview", _("Page image")
    THUMBNAIL = "thumbnail", _("Thumbnail")
    SEARCHABLE_PDF = "searchable_pdf", _("Searchable PDF")


class Rendition(models.Model):
    """A file made from a version (a page image, a thumbnail, the searchable PDF), kept in `renditions`."""

    version = models.ForeignKey("records.Version", on_delete=models.CASCADE, related_name="renditions")
    kind = models.CharField(max_length=16, choices=RenditionKind.choices)
    page_number = models.PositiveIntegerField(null=True, blank=True)  # empty for the whole-version PDF
    storage_key = models.CharField(max_length=500, unique=True)
    media_type = models.CharField(max_length=127)
    size = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "kind", "page_number"], name="rendition_unique"),
            models.UniqueConstraint(
                fields=["version", "kind"], condition=models.Q(page_number__isnull=True), name="rendition_whole_unique"
            ),
        ]

    def __str__(self):
        return f"{self.version} {self.kind} {self.page_number or ''}".strip()
