from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    """Uploads in bulk, text extraction and OCR, on top of the records core."""

    name = "ingest"
    verbose_name = _("Ingest")

    def ready(self):
        from records import signals

        signals.version_added.connect(_read_new_version, dispatch_uid="ingest.read_new_version")


def _read_new_version(sender, version_id, **kwargs):
    """Every stored version has its pages read (a batch's filing asks for it itself, with its languages)."""
    from ingest import work

    work.request_reading(version_id)
