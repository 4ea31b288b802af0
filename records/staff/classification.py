"""Staff screens for classifying case files and documents and for assigning people to cases.

Each act starts from the item's page, so only someone who can see the item can reach it; the services
in records.classification hold the rules (clearance, rule floor, reason and court order for lowering).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from records import access, classification
from records.errors import RecordsError
from records.models import CaseFile, Document
from records.staff.forms import AssignForm, ClassifyForm, DeclassifyForm


class ItemActMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """An act on one visible case file or document; an invisible one is the 404 of a missing one."""

    model = CaseFile
    # Set here, not only on ServiceForm: WagtailAdminTemplateMixin comes first in the views' MRO and
    # its generic base template (which renders no form) would otherwise win.
    template_name = "records/action_form.html"
    inspect_url_name = "records_casefile:inspect"
    index_url_name = "records_casefile:index"

    def setup(self, request, *args, pk, **kwargs):
        super().setup(request, *args, **kwargs)
        self.item = access.get_visible_or_404(request.user, self.model.objects.all(), pk=pk)

    def get_page_subtitle(self):
        return str(getattr(self.item, "number", None) or self.item)

    def back(self):
        """To the item's page, or to the list if the act put the item out of the user's reach."""
        if access.can_see(self.request.user, self.item):
            return redirect(self.inspect_url_name, self.item.pk)
        messages.info(self.request, _("The item is now beyond your clearance or assignments, so you no longer see it."))
        return redirect(self.index_url_name)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "item": self.item,
            "back_url": reverse(self.inspect_url_name, args=[self.item.pk]),
        }


class ServiceForm(FormView):
    template_name = "records/action_form.html"

    def act(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(form)
        except RecordsError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return self.back()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "submit_button_label": self.page_title}


class ClassifyCaseView(ItemActMixin, ServiceForm):
    permission_required = "classify"
    page_title = _("Classify")
    header_icon = "lock"
    success_message = _("The classification is changed and recorded.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"level": self.item.level, "marks": list(self.item.marks.all())}

    def act(self, form):
        classification.classify_case(
            self.item,
            actor=self.request.user,
            level=form.cleaned_data["level"],
            marks=form.cleaned_data["marks"],
            reason=form.cleaned_data["reason"],
            court_order=form.cleaned_data["court_order"],
        )

    form_class = ClassifyForm


class DeclassifyCaseView(ItemActMixin, ServiceForm):
    permission_required = "classify"
    page_title = _("Declassify")
    header_icon = "lock-open"
    form_class = DeclassifyForm
    success_message = _("The case file is declassified: it is now public.")

    def act(self, form):
        classification.declassify_case(
            self.item,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
            court_order=form.cleaned_data["court_order"],
        )


class AssignmentsView(ItemActMixin, ServiceForm):
    """Who is assigned to the case, and a form to assign one more user or group."""

    permission_required = "assign"
    page_title = _("Assignments")
    header_icon = "group"
    template_name = "records/assignments.html"
    form_class = AssignForm
    success_message = _("Assigned.")

    def act(self, form):
        classification.assign(
            self.item, actor=self.request.user, user=form.cleaned_data["user"], group=form.cleaned_data["group"]
        )

    def back(self):
        return redirect("records_casefile:assignments", self.item.pk)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "assignments": self.item.assignments.select_related("user", "group", "assigned_by"),
            "submit_button_label": _("Assign"),
        }


class UnassignView(ItemActMixin, View):
    permission_required = "assign"
    http_method_names = ["post"]

    def post(self, request, *args, assignment, **kwargs):
        found = get_object_or_404(self.item.assignments.all(), pk=assignment)
        classification.unassign(found, actor=request.user)
        messages.success(request, _("Assignment removed."))
        if access.can_see(request.user, self.item):
            return redirect("records_casefile:assignments", self.item.pk)
        return self.back()


class ClassifyDocumentView(ItemActMixin, ServiceForm):
    model = Document
    inspect_url_name = "records_document:inspect"
    index_url_name = "records_document:index"
    permission_required = "classify"
    page_title = _("Classify")
    header_icon = "lock"
    form_class = ClassifyForm
    success_message = _("The classification is changed and recorded.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "as_case_choice": True}

    def get_initial(self):
        return {"level": self.item.level, "marks": list(self.item.marks.all())}

    def act(self, form):
        classification.classify_document(
            self.item,
            actor=self.request.user,
            level=form.cleaned_data["level"],
            marks=form.cleaned_data["marks"],
            reason=form.cleaned_data["reason"],
            court_order=form.cleaned_data["court_order"],
        )
