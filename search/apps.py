from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The one search service over rulings and legislation, kept in step with records by its signals."""

    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from records import signals
        from search import sync

        signals.version_added.connect(sync.version_added, dispatch_uid="search.version_added")
        signals.pages_changed.connect(sync.pages_changed, dispatch_uid="search.pages_changed")
        signals.document_changed.connect(sync.document_changed, dispatch_uid="search.document_changed")
        signals.case_changed.connect(sync.case_changed, dispatch_uid="search.case_changed")
