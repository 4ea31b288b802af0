from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ingest.staff import panels
from ingest.staff.views import (
    FILE_PERMISSION,
    ArchiveUploadView,
    BatchDetailView,
    BatchIndexView,
    ReadAgainView,
    UploadToCaseView,
)
from records.staff.cases import CASE_BUTTONS_HOOK
from records.staff.documents import DOCUMENT_PANELS_HOOK


@hooks.register("register_admin_urls")
def register_ingest_urls():
    return [
        path("ingest/batches/", BatchIndexView.as_view(), name="ingest_batches"),
        path("ingest/batches/<uuid:batch_id>/", BatchDetailView.as_view(), name="ingest_batch"),
        path("ingest/archive/", ArchiveUploadView.as_view(), name="ingest_archive"),
        path("ingest/case-files/<uuid:case_id>/upload/", UploadToCaseView.as_view(), name="ingest_upload_to_case"),
        path("ingest/versions/<uuid:version_id>/read-again/", ReadAgainView.as_view(), name="ingest_read_again"),
    ]


class FilingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(FILE_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_batches_menu_item():
    return FilingMenuItem(_("Ingest batches"), reverse("ingest_batches"), icon_name="upload", order=205)


hooks.register(DOCUMENT_PANELS_HOOK, panels.document_reading_panel)
hooks.register(CASE_BUTTONS_HOOK, panels.case_upload_button)
