from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.search import SearchArea
from wagtail.admin.viewsets.base import ViewSetGroup

from records.staff.audit import AuditEventViewSet
from records.staff.cases import CaseFileChooserViewSet, CaseFileViewSet
from records.staff.clearances import ClearanceViewSet
from records.staff.documents import DocumentViewSet
from records.staff.grants import DecideGrantView, PendingGrantsView
from records.staff.institutions import CaseTypeViewSet, InstitutionViewSet
from records.staff.numbering import NumberConflictsView
from records.staff.reader import ReaderView, ReviewMenuItem, ReviewQueueView
from records.staff.routes import RouteViewSet
from records.staff.statistics import CaseStatisticsView
from records.staff.statistics import menu_item as statistics_menu_item


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
def register_audit_trail():
    return AuditEventViewSet("audit_event", url_prefix="audit")


@hooks.register("register_admin_viewset")
def register_routes():
    return RouteViewSet("records_route", url_prefix="records/routes")


@hooks.register("register_admin_viewset")
def register_clearances():
    return ClearanceViewSet("records_clearance", url_prefix="records/clearances")


@hooks.register("register_admin_viewset")
def register_case_file_chooser():
    return CaseFileChooserViewSet("records_casefile_chooser", url_prefix="records/case-file-chooser")


@hooks.register("register_admin_urls")
def register_case_statistics_url():
    return [path("records/statistics/", CaseStatisticsView.as_view(), name="records_statistics")]


@hooks.register("register_admin_urls")
def register_clearance_grant_urls():
    return [
        path("records/clearance-grants/", PendingGrantsView.as_view(), name="records_clearance_grants"),
        path(
            "records/clearance-grants/<int:pk>/<str:decision>/",
            DecideGrantView.as_view(),
            name="records_clearance_grant_decide",
        ),
    ]


@hooks.register("register_admin_urls")
def register_number_conflicts_url():
    return [path("records/number-conflicts/", NumberConflictsView.as_view(), name="records_number_conflicts")]


@hooks.register("register_admin_urls")
def register_reader_urls():
    return [
        path("records/documents/<uuid:pk>/read/", ReaderView.as_view(), name="records_document_reader"),
        path("records/pages-to-review/", ReviewQueueView.as_view(), name="records_review_queue"),
    ]


@hooks.register("register_admin_menu_item")
def register_review_queue_menu_item():
    return ReviewMenuItem(_("Pages to review"), reverse("records_review_queue"), icon_name="edit", order=210)


@hooks.register("register_reports_menu_item")
def register_number_conflicts_menu_item():
    return ChangeCasesMenuItem(_("Case number conflicts"), reverse("records_number_conflicts"), icon_name="warning", order=710)


class ChangeCasesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("records.change_casefile")


@hooks.register("register_settings_menu_item")
def register_clearance_grants_menu_item():
    return GrantsMenuItem(_("Clearance grants"), reverse("records_clearance_grants"), icon_name="key", order=610)


class GrantsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("records.change_clearance")


@hooks.register("register_reports_menu_item")
def register_case_statistics_menu_item():
    return statistics_menu_item()


@hooks.register("insert_global_admin_css")
def records_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("records/admin.css"))


@hooks.register("construct_help_menu")
def drop_wagtail_release_notes(request, menu_items):
    # Wagtail's own release notes mean nothing to court staff and link off the offline network.
    menu_items[:] = [item for item in menu_items if not item.name.startswith("whats-new")]


class CaseFileSearchArea(SearchArea):
    """The sidebar's search, for those who read case files: through the case list, so the access rule
    filters it and the search is audited. Wagtail's pages search (order 100) stays first for page editors;
    a clerk, who has no page permissions, gets this one."""

    def is_shown(self, request):
        return request.user.has_perm("records.view_casefile")


@hooks.register("register_admin_search_area")
def register_case_file_search_area():
    return CaseFileSearchArea(
        _("Case files"), reverse("records_casefile:index"), name="case_files", icon_name="folder-open-1", order=150
    )
