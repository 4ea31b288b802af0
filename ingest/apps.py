from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    """Uploads in bulk, text extraction and OCR: built on the records core in its own issue."""

    name = "ingest"
    verbose_name = _("Ingest")
