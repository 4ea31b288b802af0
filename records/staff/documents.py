"""Staff screens for documents: registration with the first file, the version history, new versions,
reverts and declaration as a record."""

import uuid

import django_filters
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusFlagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from records import access, auditing, display, services
from records.errors import RecordsError
from records.models import CaseFile, Document, DocumentKind, Page
from records.staff.classification import ClassifyDocumentView
from records.staff.columns import RestrictionColumn, calendar_date
from records.staff.forms import DocumentForm, VersionUploadForm
from records.staff.mixins import ServiceFormMixin, VisibleObjectMixin

# Hook of the apps built on records: `fn(request, document)` returns HTML for the document page, or "".
DOCUMENT_PANELS_HOOK = "sijill_document_panels"


class DocumentFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DocumentKind.choices)
    declared = django_filters.BooleanFilter(
        label=_("Declared as a record"), field_name="declared_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Document
        fields = ["kind"]


def _case_of(document):
    """The case's number, isolated, and its court: "2025/10062 E. — Jeddah Commercial Court"."""
    if not document.case:
        return display.EMPTY
    return format_html("{} — {}", display.isolated(document.case.number), document.case.court)


class DocumentIndexView(generic.IndexView):
    search_fields = ["title"]
    search_backend_name = None
    default_ordering = "-created_at"

    def get_base_queryset(self):
        return access.restrict(self.request.user, super().get_base_queryset().select_related("case__court"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        auditing.listed(self.request.user, context.get("object_list") or ())
        return context

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column("title", label=_("Title"), sort_key="title", get_url=self.get_inspect_url),
            Column("get_kind_display", label=_("Kind"), sort_key="kind"),
            Column("case", label=_("Case file"), accessor=_case_of),
            calendar_date("document_date", _("Date")),
            StatusFlagColumn(
                "is_declared", label=_("Record"), true_label=_("Declared"), false_label=_("Not declared")
            ),
            calendar_date("created_at", _("Registered")),
            RestrictionColumn("level", label=_("Confidentiality")),
        ]


class DocumentCreateView(ServiceFormMixin, generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        try:
            case_id = uuid.UUID(self.request.GET.get("case", ""))
        except ValueError:
            return initial
        case_file = access.restrict(self.request.user, CaseFile.objects.filter(pk=case_id)).first()
        if case_file:
            initial["case"] = case_file
        return initial

    def save_instance(self):
        document = self.form.save(commit=False)
        services.add_document(
            document,
            actor=self.request.user,
            file=self.form.cleaned_data.get("file"),
            change_note=self.form.cleaned_data.get("change_note", ""),
        )
        return document

    def get_success_url(self):
        return reverse("records_document:inspect", args=[self.object.pk])


class DocumentEditView(VisibleObjectMixin, ServiceFormMixin, generic.EditView):
    def save_instance(self):
        document = self.form.save(commit=False)
        return services.update_document(document, actor=self.request.user)

    def get_success_url(self):
        return reverse("records_document:inspect", args=[self.object.pk])


class DocumentDeleteView(VisibleObjectMixin, generic.DeleteView):
    def delete_action(self):
        services.delete_document(self.object, actor=self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except RecordsError as error:
            messages.error(self.request, error.message)
            return redirect("records_document:inspect", self.object.pk)


class DocumentDetailView(VisibleObjectMixin, generic.InspectView):
    """The document page: what it is, whether it is a record, and its full version history."""

    page_title = _("Document")
    template_name = "records/document_detail.html"

    def get(self, request, *args, **kwargs):
        auditing.viewed(request.user, self.object)
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.object.title

    def get_delete_url(self):
        return None if self.object.is_declared else super().get_delete_url()

    @cached_property
    def header_buttons(self):
        document, user = self.object, self.request.user
        buttons = []
        if not document.is_declared and user.has_perm("records.change_document"):
            buttons.append(
                HeaderButton(
                    _("Upload new version"),
                    url=reverse("records_document:add_version", args=[document.pk]),
                    icon_name="upload",
                    priority=10,
                )
            )
        if not document.is_declared and user.has_perm("records.declare_document"):
            buttons.append(
                HeaderButton(
                    _("Declare as record"),
                    url=reverse("records_document:declare", args=[document.pk]),
                    icon_name="lock",
                    priority=20,
                )
            )
        if user.has_perm("records.classify_document"):
            buttons.append(
                HeaderButton(
                    _("Classify"), url=reverse("records_document:classify", args=[document.pk]), icon_name="lock", priority=30
                )
            )
        if user.has_perm("records.view_document") and Page.objects.filter(version__document=document).exists():
            buttons.append(
                HeaderButton(
                    _("Read"), url=reverse("records_document_reader", args=[document.pk]), icon_name="doc-full", priority=1
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.object
        context.update(
            document=document,
            versions=document.versions.select_related("author", "reverted_from").order_by("-number"),
            can_download=self.request.user.has_perm("records.view_document"),
            can_revert=not document.is_declared and self.request.user.has_perm("records.change_document"),
            effective_level=access.effective_level(document),
            marks=access.effective_marks(document),
            classification_changes=document.classification_changes.select_related("changed_by"),
            # Apps built on records show what they know of the document (ingest: its pages' reading).
            panels=[panel for hook in hooks.get_hooks(DOCUMENT_PANELS_HOOK) if (panel := hook(self.request, document))],
        )
        return context


class DocumentActionMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """An act on one document, reached from its page."""

    def setup(self, request, *args, pk, **kwargs):
        super().setup(request, *args, **kwargs)
        self.document = access.get_visible_or_404(request.user, Document.objects.select_related("case"), pk=pk)

    def get_page_subtitle(self):
        return self.document.title

    def back_to_document(self):
        return redirect("records_document:inspect", self.document.pk)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "document": self.document}


class ContentChangeMixin:
    """Screens that change a document's content: a declared record is sent back to its page, told why."""

    def dispatch(self, request, *args, **kwargs):
        if self.document.is_declared:
            messages.error(
                request, _("«%(title)s» is a declared record; its content cannot change.") % {"title": self.document.title}
            )
            return self.back_to_document()
        return super().dispatch(request, *args, **kwargs)


class AddVersionView(ContentChangeMixin, DocumentActionMixin, FormView):
    permission_required = "change"
    template_name = "records/add_version.html"
    page_title = _("Upload new version")
    header_icon = "upload"
    form_class = VersionUploadForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "submit_button_label": _("Upload")}

    def form_valid(self, form):
        try:
            with transaction.atomic():
                version = services.add_version(
                    self.document,
                    form.cleaned_data["file"],
                    author=self.request.user,
                    change_note=form.cleaned_data["change_note"],
                )
        except RecordsError as error:
            form.add_error("file" if error.field == "file" else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Version %(number)s stored.") % {"number": version.number})
        return self.back_to_document()


class RevertView(ContentChangeMixin, DocumentActionMixin, TemplateView):
    """Bringing an old version back is confirmed first: GET says what will happen and changes nothing,
    POST makes the copy. A version of another document is answered 404, as a hidden one."""

    permission_required = "change"
    template_name = "records/revert.html"
    page_title = _("Make a version current again")
    header_icon = "history"

    def setup(self, request, *args, version, **kwargs):
        super().setup(request, *args, **kwargs)
        self.version = get_object_or_404(self.document.versions.all(), pk=version)

    def get_context_data(self, **kwargs):
        last = self.document.versions.order_by("-number").values_list("number", flat=True).first()
        return {**super().get_context_data(**kwargs), "version": self.version, "next_number": last + 1}

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                new = services.revert_to_version(self.document, self.version, author=request.user)
        except RecordsError as error:
            messages.error(request, error.message)
            return self.back_to_document()
        messages.success(
            request,
            _("Version %(old)s is current again, as version %(new)s.") % {"old": self.version.number, "new": new.number},
        )
        return self.back_to_document()


class DeclareView(DocumentActionMixin, TemplateView):
    permission_required = "declare"
    template_name = "records/declare.html"
    page_title = _("Declare as record")
    header_icon = "lock"

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                services.declare_record(self.document, actor=request.user)
        except RecordsError as error:
            messages.error(request, error.message)
            return self.back_to_document()
        messages.success(request, _("«%(title)s» is now a record.") % {"title": self.document.title})
        return self.back_to_document()


class DocumentHistoryView(VisibleObjectMixin, HistoryView):
    pass


class DocumentUsageView(VisibleObjectMixin, UsageView):
    pass


class DocumentViewSet(ModelViewSet):
    model = Document
    icon = "doc-full-inverse"
    menu_label = _("Documents")
    menu_order = 200
    copy_view_enabled = False
    add_to_reference_index = False
    inspect_view_enabled = True
    index_view_class = DocumentIndexView
    add_view_class = DocumentCreateView
    edit_view_class = DocumentEditView
    delete_view_class = DocumentDeleteView
    inspect_view_class = DocumentDetailView
    history_view_class = DocumentHistoryView
    usage_view_class = DocumentUsageView
    filterset_class = DocumentFilterSet
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("case"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("document_date")]),
            FieldPanel("title"),
            FieldPanel("languages"),
            FieldRowPanel([FieldPanel("file"), FieldPanel("change_note")]),
        ],
        base_form_class=DocumentForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("versions/<uuid:pk>/new/", self.add_version_view, name="add_version"),
            path("versions/<uuid:pk>/revert/<uuid:version>/", self.revert_view, name="revert"),
            path("declare/<uuid:pk>/", self.declare_view, name="declare"),
            path("classify/<uuid:pk>/", self.construct_view(ClassifyDocumentView, permission_policy=self.permission_policy), name="classify"),
        ]

    @property
    def add_version_view(self):
        return self.construct_view(AddVersionView, permission_policy=self.permission_policy)

    @property
    def revert_view(self):
        return self.construct_view(RevertView, permission_policy=self.permission_policy)

    @property
    def declare_view(self):
        return self.construct_view(DeclareView, permission_policy=self.permission_policy)
