"""The state of ingest work: batches of files, each file's fate, and the page jobs that read them.

Everything here survives a restart. A page job is claimed under a lease; a worker killed mid-page leaves
its lease to expire and the page to be claimed again, and the page's text is written once whatever happens.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Batch(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("Upload")
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

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ingest batch")
        verbose_name_plural = _("ingest batches")

    def __str__(self):
        return self.name


class ItemState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
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
    # The manifest row as read, so a retry after fixing the file needs nothing else.
    details = models.JSONField(default=dict, blank=True)
    version = models.ForeignKey(
        "records.Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pages = models.PositiveIntegerField(_("pages"), default=0)
    attempts = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["batch", "row"]
        constraints = [models.UniqueConstraint(fields=["batch", "row"], name="batch_item_row_unique")]

    def __str__(self):
        return f"{self.batch} #{self.row} {self.path}"


class JobState(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PageJob(models.Model):
    """Reading one page of one version. Unique per page: two jobs can never give a page two texts."""

    version = models.ForeignKey("records.Version", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    item = models.ForeignKey(BatchItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.PENDING)
    languages = models.CharField(max_length=60, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    seconds = models.FloatField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="page_job_unique")]
        indexes = [models.Index(fields=["state", "lease_until"], name="page_job_claim")]

    def __str__(self):
        return f"{self.version_id} p{self.number} {self.state}"
