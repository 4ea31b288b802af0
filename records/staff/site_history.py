"""Wagtail's site history report, without the entries about Sijill's items.

Wagtail shows every log entry of a model to whoever holds any permission on it (and all of them to a
superuser), with the item's name: the name of a sealed case would reach a registrar who may not see it.
What happened to case files and documents is read in the audit trail, under the access rule; this report
keeps the rest (users, sites, pages of the portal).
"""

from wagtail.admin.views.reports.audit_logging import LogEntriesView

from records.middleware import RULED_APPS


class SiteHistoryView(LogEntriesView):
    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.exclude(content_type__app_label__in=RULED_APPS))
