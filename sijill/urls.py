from django.urls import include, path
from django.views.generic import RedirectView
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("records/", include("records.urls")),
    path("api/v1/", include("api.urls")),
    # The public portal comes with its own issue; until then the site opens on the staff interface.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
