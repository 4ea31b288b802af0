from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The one search service over rulings and legislation: built on the records core in its own issue."""

    name = "search"
    verbose_name = _("Search")
