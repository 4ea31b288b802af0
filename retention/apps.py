from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    """Retention schedules, holds and disposition: built on the records core in its own issue."""

    name = "retention"
    verbose_name = _("Retention")
