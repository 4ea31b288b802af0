from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from records.staff.cases import CaseFileChooserViewSet, CaseFileViewSet
from records.staff.documents import DocumentViewSet
from records.staff.institutions import CaseTypeViewSet, InstitutionViewSet


class RecordsGroup(ViewSetGroup):
    menu_label = _("Records")
    menu_icon = "folder-open-1"
    menu_order = 100
    items = (
        CaseFileViewSet("records_casefile", url_prefix="records/case-files"),
        DocumentViewSet("records_document", url_prefix="records/documents"),
        InstitutionViewSet("records_institution", url_prefix="records/institutions"),
        CaseTypeViewSet("records_casetype", url_prefix="records/case-types"),
    )


@hooks.register("register_admin_viewset")
def register_records_group():
    return RecordsGroup()


@hooks.register("register_admin_viewset")
def register_case_file_chooser():
    return CaseFileChooserViewSet("records_casefile_chooser", url_prefix="records/case-file-chooser")


@hooks.register("insert_global_admin_css")
def records_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("records/admin.css"))


@hooks.register("register_log_actions")
def register_records_log_actions(actions):
    actions.register_action("records.status_change", _("Change status"), _("Status changed"))
    actions.register_action("records.add_version", _("Upload new version"), _("New version uploaded"))
    actions.register_action("records.revert", _("Revert"), _("Reverted to an earlier version"))
    actions.register_action("records.declare", _("Declare as record"), _("Declared as a record"))
