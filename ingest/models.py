"""The state of ingest work: batches of files, each file's fate, each version's reading, each page's job.

Everything here survives a restart. Work is claimed under a lease (a file to file, a version to plan, a
page to read); a worker killed mid-task leaves its lease to run out and the work to be claimed again, and
what the work writes is written once whatever happens (unique rows, conditional updates).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Batch(models.Model):
    """Files handed in together: uploaded to a case, a ZIP with a manifest, or a server folder."""

    class Source(models.TextChoices):
        UPLOAD = "upload", pgettext_lazy("batch source", "Upload")  # not the button's verb
        ARCHIVE = "archive", _("ZIP archive")
        FOLDER = "folder", _("Server folder")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=300)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # What the manifest was read as ("UTF-8", "Windows-1256", ...), for the report.
    encoding = models.CharField(max_length=40, blank=True)
    # Where the files are read from while they are filed: the server folder, or the batch's private copy
    # of an uploaded archive (removed once every file is filed).
    location = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ingest batch")
        verbose_name_plural = _("ingest batches")

    def __str__(self):
        return self.name


class ItemState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    FILING = "filing", pgettext_lazy("batch file state", "Filing")  # not the document kind
    READING = "reading", _("Reading pages")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BatchItem(models.Model):
    """One file of a batch: where it came from, what it became, and why it failed if it did."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="items")
    row = models.PositiveIntegerField(_("row"))
    path = models.CharField(_("file"), max_length=1000)
    state = models.CharField(_("state"), max_length=16, choices=ItemState.choices, default=ItemState.WAITING)
    error = models.TextField(_("problem"), blank=True)
    note = models.TextField(_("note"), blank=True)
    # The manifest row (or upload form) as read, so filing and a retry need nothing else. Emptied once the
    # file is filed: it may name a child in a case that is then sealed from the person who filed it.
    details = models.JSONField(default=dict, blank=True)
    # Court code and number key of the row's case: a later run of the same manifest finds the case by it.
    case_key = models.CharField(max_length=200, blank=True, db_index=True)
    case = models.ForeignKey("records.CaseFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.ForeignKey(
        "records.Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pages = models.PositiveIntegerField(_("pages"), default=0)
    attempts = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["batch", "row"]
        constraints = [models.UniqueConstraint(fields=["batch", "row"], name="batch_item_row_unique")]
        indexes = [models.Index(fields=["state", "lease_until"], name="batch_item_claim")]

    def __str__(self):
        return f"{self.batch} #{self.row} {self.path}"


class ReadingState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    PLANNING = "planning", _("Counting pages")
    READING = "reading", _("Reading pages")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Reading(models.Model):
    """Reading one version's text: its pages counted once (a job per page), settled when every page is."""

    version = models.OneToOneField("records.Version", primary_key=True, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=16, choices=ReadingState.choices, default=ReadingState.WAITING)
    # ISO codes of the document's languages when the reading was asked for, joined by "+".
    languages = models.CharField(max_length=60, blank=True)
    pages = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "lease_until"], name="reading_claim")]

    def __str__(self):
        return f"{self.version_id} {self.state}"


class JobState(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PageJob(models.Model):
    """Reading one page of one version. Unique per page: two jobs can never give a page two texts."""

    version = models.ForeignKey("records.Version", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.PENDING)
    languages = models.CharField(max_length=60, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    seconds = models.FloatField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A born-digital page is read from its text layer first (a few ms) and its images are made after, as
    # work of their own (ten times the cost): the text is searchable long before every page has a picture.
    # Once the text is done, the lease fields serve the images' work.
    needs_images = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="page_job_unique")]
        indexes = [
            models.Index(fields=["state", "lease_until"], name="page_job_claim"),
            models.Index(fields=["needs_images", "lease_until"], name="page_job_images_claim"),
        ]

    def __str__(self):
        return f"{self.version_id} p{self.number} {self.state}"
