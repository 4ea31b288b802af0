"""Staff screens for case files: the list with the look-ups clerks use daily, the form, the case page."""

import django_filters
from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
    ChosenMultipleView,
    ChosenView,
)
from wagtail.admin.views.generic.chooser import CreateView as ChooserCreateView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from records import access, auditing, classification, display, labels, lifecycle, services
from records.errors import RecordsError
from records.lifecycle import Status
from records.models import CaseFile, CaseType, Institution, Level
from records.staff.choosers import AccessRuledChooser
from records.staff.classification import (
    AssignmentsView,
    ClassifyCaseView,
    DeclassifyCaseView,
    UnassignView,
)
from records.staff.columns import IdentifierTitleColumn, LabelColumn, RestrictionColumn, calendar_date
from records.staff.forms import CaseFileForm, ChangeStatusForm
from records.staff.mixins import ServiceFormMixin, VisibleObjectMixin

# Hook of the apps built on records: `fn(request, case_file)` returns header buttons for the case page.
CASE_BUTTONS_HOOK = "sijill_case_file_buttons"


class CaseFileFilterSet(WagtailFilterSet):
    court = django_filters.ModelChoiceFilter(label=_("Court or office"), queryset=Institution.objects.all())
    case_type = django_filters.ModelChoiceFilter(label=_("Case type"), queryset=CaseType.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    year = django_filters.NumberFilter(label=_("Year filed"), method="filter_year")
    national_id = django_filters.CharFilter(label=_("Party national ID"), method="filter_national_id")
    party = django_filters.CharFilter(label=_("Party name"), method="filter_party")
    number = django_filters.CharFilter(label=_("Case or legacy number"), method="filter_number")

    class Meta:
        model = CaseFile
        fields = ["court", "case_type", "status"]

    def filter_year(self, queryset, name, value):
        return queryset.filed_in(int(value)) if 1 <= value <= 9999 else queryset.none()

    def filter_national_id(self, queryset, name, value):
        return queryset.with_party_national_id(value)

    def filter_party(self, queryset, name, value):
        return queryset.with_party_name(value)

    def filter_number(self, queryset, name, value):
        return queryset.with_number(value)


class CaseFileIndexView(generic.IndexView):
    is_searchable = True  # the search box runs CaseFile.objects.matching(), not a field scan
    default_ordering = ["-date_filed", "number"]

    def get_base_queryset(self):
        return access.restrict(self.request.user, super().get_base_queryset().select_related("court", "case_type"))

    def search_queryset(self, queryset):
        return queryset.matching(self.search_query) if self.is_searching else queryset

    def get_queryset(self):
        # Looking for a person or a number is itself sensitive when the searcher holds marks.
        looked_for = {name: self.request.GET.get(name, "").strip() for name in ("q", "number", "national_id", "party")}
        cases = super().get_queryset()
        if any(looked_for.values()):
            auditing.searched(self.request.user, looked_for.pop("q"), hits=cases, **looked_for)
        return cases

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        auditing.listed(self.request.user, context.get("object_list") or ())
        return context

    def get_list_more_buttons(self, instance):
        # The case number opens the case page, which offers every act on the case; a menu on each of
        # fifty rows doubled the time to draw the list.
        return []

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(IdentifierTitleColumn)
        return [
            title_column(
                "number", label=_("Case number"), sort_key="number_key", get_url=self.get_inspect_url
            ),
            Column("title", label=_("Title")),
            Column("court", label=_("Court or office")),
            LabelColumn("case_type", label=_("Case type")),
            Column("get_status_display", label=_("Status"), sort_key="status"),
            calendar_date("date_filed", _("Date filed")),
            RestrictionColumn("level", label=_("Confidentiality"), sort_key="level"),
        ]

    def get_valid_orderings(self):
        return super().get_valid_orderings() + ["-date_filed"]


class AfterSaveMixin:
    """After a save the case may be sealed by rule beyond the user's reach: then back to the list, saying so."""

    def get_success_url(self):
        if access.can_see(self.request.user, self.object):
            return reverse("records_casefile:inspect", args=[self.object.pk])
        return reverse("records_casefile:index")

    def get_success_message(self, *instance):
        # Wagtail's create view passes the instance, its edit view nothing: pass on what came.
        case_file = self.object
        routed = ", ".join(group.name for group in getattr(case_file, "routed_to", []))
        if access.can_see(self.request.user, case_file):
            message = super().get_success_message(*instance)
            if routed:
                message = _("%(message)s It went to %(groups)s.") % {"message": message, "groups": routed}
            return message
        marks = ", ".join(labels.label(mark) for mark in case_file.marks.all()) or "—"
        return _(
            "Case %(number)s is registered. By rule it is %(level)s with %(marks)s, so you will not see it "
            "again; it went to %(groups)s, who handle such cases."
        ) % {
            "number": case_file.number,
            "level": case_file.get_level_display(),
            "marks": marks,
            "groups": routed or _("the people assigned to it"),
        }

    def get_success_buttons(self):
        # No Edit or Open button to a case the user cannot follow into (it would answer 404).
        return super().get_success_buttons() if access.can_see(self.request.user, self.object) else []


class CaseFileCreateView(AfterSaveMixin, ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        case_file = self.form.save(commit=False)
        return services.register_case_file(
            case_file,
            actor=self.request.user,
            level=self.form.cleaned_data.get("level"),
            marks=self.form.cleaned_data.get("marks") or (),
        )


class CaseFileEditView(AfterSaveMixin, VisibleObjectMixin, ServiceFormMixin, generic.EditView):
    def save_instance(self):
        case_file = self.form.save(commit=False)
        return services.update_case_file(case_file, actor=self.request.user)


class CaseFileDeleteView(VisibleObjectMixin, generic.DeleteView):
    """A case registered by mistake may go; one that holds documents may not."""

    def delete_action(self):
        services.delete_case_file(self.object, actor=self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _("Case %(number)s holds documents, so it cannot be deleted.") % {"number": self.object.number},
            )
            return redirect("records_casefile:inspect", self.object.pk)
        except RecordsError as error:
            messages.error(self.request, error.message)
            return redirect("records_casefile:inspect", self.object.pk)


class CaseFileDetailView(VisibleObjectMixin, generic.InspectView):
    """The case page: particulars, parties, the life cycle and the documents, with what one can do next."""

    page_title = _("Case file")
    template_name = "records/case_file_detail.html"

    def get(self, request, *args, **kwargs):
        auditing.viewed(request.user, self.object)
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return display.isolated_text(self.object.number)

    @cached_property
    def header_buttons(self):
        buttons = []
        user = self.request.user
        if self.permission_policy.user_has_permission(user, "change") and lifecycle.allowed_transitions(
            self.object.status
        ):
            buttons.append(
                HeaderButton(
                    _("Change status"),
                    url=reverse("records_casefile:change_status", args=[self.object.pk]),
                    icon_name="resubmit",
                    priority=30,
                )
            )
        if user.has_perm("records.classify_casefile"):
            buttons.append(
                HeaderButton(
                    _("Classify"), url=reverse("records_casefile:classify", args=[self.object.pk]), icon_name="lock", priority=40
                )
            )
            if self.object.level != Level.PUBLIC and classification.may_be_public(self.object):
                buttons.append(
                    HeaderButton(
                        _("Declassify"),
                        url=reverse("records_casefile:declassify", args=[self.object.pk]),
                        icon_name="lock-open",
                        priority=50,
                    )
                )
        if user.has_perm("records.assign_casefile"):
            buttons.append(
                HeaderButton(
                    _("Assignments"),
                    url=reverse("records_casefile:assignments", args=[self.object.pk]),
                    icon_name="group",
                    priority=45,
                )
            )
        if user.has_perm("records.add_document"):
            buttons.append(
                HeaderButton(
                    _("Add document"),
                    url=reverse("records_document:add") + f"?case={self.object.pk}",
                    icon_name="doc-full-inverse",
                    priority=5,
                )
            )
        # Apps built on records add their own acts on a case (ingest: upload many files) through a hook.
        for hook in hooks.get_hooks(CASE_BUTTONS_HOOK):
            buttons.extend(hook(self.request, self.object))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case_file = self.object
        context.update(
            case_file=case_file,
            parties=case_file.parties.all(),
            legacy_numbers=case_file.legacy_numbers.all(),
            status_changes=case_file.status_changes.select_related("changed_by"),
            documents=access.restrict(self.request.user, case_file.documents.all())
            .prefetch_related("versions")
            .order_by("document_date", "created_at"),
            marks=case_file.marks.all(),
            assignments=case_file.assignments.select_related("user", "group"),
            classification_changes=case_file.classification_changes.select_related("changed_by"),
        )
        auditing.listed(self.request.user, context["documents"])
        return context


class ChangeStatusView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "change"
    template_name = "records/change_status.html"
    form_class = ChangeStatusForm
    page_title = _("Change status")
    header_icon = "resubmit"

    def setup(self, request, *args, pk, **kwargs):
        super().setup(request, *args, **kwargs)
        self.case_file = access.get_visible_or_404(request.user, CaseFile.objects.all(), pk=pk)

    def get_page_subtitle(self):
        return display.isolated_text(self.case_file.number)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "current_status": self.case_file.status}

    def form_valid(self, form):
        try:
            with transaction.atomic():
                change = services.change_status(
                    self.case_file,
                    form.cleaned_data["to_status"],
                    actor=self.request.user,
                    reason=form.cleaned_data["reason"],
                    effective_on=form.cleaned_data["effective_on"],
                )
        except RecordsError as error:
            field = {"status": "to_status"}.get(error.field, error.field)
            form.add_error(field if field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Case %(number)s is now %(status)s.")
            % {"number": self.case_file.number, "status": Status(change.to_status).label},
        )
        return redirect("records_casefile:inspect", self.case_file.pk)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "case_file": self.case_file,
            "submit_button_label": _("Change status"),
        }


class CaseFileHistoryView(VisibleObjectMixin, HistoryView):
    pass


class CaseFileUsageView(VisibleObjectMixin, UsageView):
    pass


class CaseFileViewSet(ModelViewSet):
    model = CaseFile
    icon = "folder-open-inverse"
    menu_label = _("Case files")
    menu_order = 100
    copy_view_enabled = False
    add_to_reference_index = False
    inspect_view_enabled = True
    index_view_class = CaseFileIndexView
    add_view_class = CaseFileCreateView
    edit_view_class = CaseFileEditView
    delete_view_class = CaseFileDeleteView
    inspect_view_class = CaseFileDetailView
    history_view_class = CaseFileHistoryView
    usage_view_class = CaseFileUsageView
    filterset_class = CaseFileFilterSet
    list_per_page = 50
    edit_handler = ObjectList([
        MultiFieldPanel(
            [
                FieldPanel("number"),
                FieldPanel("court"),
                FieldRowPanel([FieldPanel("case_type"), FieldPanel("date_filed")]),
                FieldPanel("title"),
                FieldRowPanel([FieldPanel("level"), FieldPanel("marks")]),
            ],
            heading=_("Case"),
        ),
        InlinePanel(
            "parties",
            heading=_("Parties"),
            label=_("Party"),
            panels=[
                FieldRowPanel([FieldPanel("role"), FieldPanel("name")]),
                FieldRowPanel([FieldPanel("national_id"), FieldPanel("date_of_birth"), FieldPanel("sex")]),
            ],
        ),
        InlinePanel(
            "legacy_numbers",
            heading=_("Legacy numbers"),
            label=_("Legacy number"),
            panels=[FieldRowPanel([FieldPanel("number"), FieldPanel("source")])],
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("location_building"), FieldPanel("location_room")]),
                FieldRowPanel([FieldPanel("location_shelf"), FieldPanel("location_box")]),
            ],
            heading=_("Paper file location"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("date_judgment"), FieldPanel("date_closed")])],
            heading=_("Dates set by the life cycle (correct only if wrong)"),
        ),
    ], base_form_class=CaseFileForm)

    def get_urlpatterns(self):
        act = lambda view_class: self.construct_view(view_class, permission_policy=self.permission_policy)
        return super().get_urlpatterns() + [
            path("status/<uuid:pk>/", act(ChangeStatusView), name="change_status"),
            path("classify/<uuid:pk>/", act(ClassifyCaseView), name="classify"),
            path("declassify/<uuid:pk>/", act(DeclassifyCaseView), name="declassify"),
            path("assignments/<uuid:pk>/", act(AssignmentsView), name="assignments"),
            path("assignments/<uuid:pk>/remove/<int:assignment>/", act(UnassignView), name="unassign"),
        ]


class CaseFileSearchForm(BaseFilterForm):
    """The chooser's search box finds case files the way the case list does."""

    q = forms.CharField(label=_("Case number, party or national ID"), required=False)

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching = True
            self.search_query = query
            return objects.matching(query)
        return objects


class CaseFileChooseView(ChooseView):
    filter_form_class = CaseFileSearchForm

    def get_object_list(self):
        return access.restrict(self.request.user, CaseFile.objects.select_related("court"))


class CaseFileChooseResultsView(ChooseResultsView):
    filter_form_class = CaseFileSearchForm

    def get_object_list(self):
        return access.restrict(self.request.user, CaseFile.objects.select_related("court"))


class CaseFileChosenView(ChosenView):
    def get_object(self, pk):
        return access.get_visible_or_404(self.request.user, CaseFile.objects.all(), pk=pk)


class CaseFileChosenMultipleView(ChosenMultipleView):
    def get_objects(self, pks):
        return access.restrict(self.request.user, CaseFile.objects.filter(pk__in=pks))


class CaseFileChooserCreateView(ChooserCreateView):
    """The chooser has no create tab: a case file is registered on its own screen, through the service that
    checks its number and applies the classification floor. Wagtail still routes `create/`, whose view had
    no form to read a POST into (500); it answers as an address that does not exist."""

    def dispatch(self, request, *args, **kwargs):
        raise Http404("Case files are registered on the case file screen, not in the chooser.")


class CaseFileChooserViewSet(ChooserViewSet):
    model = CaseFile
    base_widget_class = AccessRuledChooser
    icon = "folder-open-inverse"
    choose_one_text = _("Choose a case file")
    choose_another_text = _("Choose another case file")
    edit_item_text = _("Edit this case file")
    choose_view_class = CaseFileChooseView
    choose_results_view_class = CaseFileChooseResultsView
    chosen_view_class = CaseFileChosenView
    chosen_multiple_view_class = CaseFileChosenMultipleView
    create_view_class = CaseFileChooserCreateView
    per_page = 20
