from django.urls import include, path
from django.views.generic import RedirectView
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access

from records.staff.site_history import SiteHistoryView

urlpatterns = [
    # Before Wagtail's own: its report would list the log entries of items the reader may not see.
    path("admin/reports/site-history/", require_admin_access(SiteHistoryView.as_view()), name="site_history"),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(SiteHistoryView.as_view(results_only=True)),
        name="site_history_results",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("records/", include("records.urls")),
    path("api/v1/", include("api.urls")),
    # The public portal comes with its own issue; until then the site opens on the staff interface.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
