"""Staff screens for reference data: institutions (the court hierarchy) and case types."""

from django.contrib import messages
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from audit import actions, trail
from records import classification
from records.models import CaseType, Institution
from records.staff.mixins import NoEditingSessionsMixin


class AuditedSaveMixin:
    """Reference data changes the rules (a case type's floor seals its cases), so each save is recorded."""

    def save_instance(self):
        adding = self.form.instance._state.adding
        before = {name: str(self.form.initial.get(name, "")) for name in self.form.changed_data} if not adding else None
        instance = super().save_instance()
        after = {name: str(self.form.cleaned_data.get(name, "")) for name in self.form.changed_data}
        trail.record(actions.CREATE if adding else actions.CHANGE, actor=self.request.user, target=instance, before=before, after=after)
        return instance


class InstitutionCreateView(AuditedSaveMixin, generic.CreateView):
    pass


class InstitutionEditView(NoEditingSessionsMixin, AuditedSaveMixin, generic.EditView):
    pass


class CaseTypeCreateView(AuditedSaveMixin, generic.CreateView):
    pass


class CaseTypeEditView(NoEditingSessionsMixin, AuditedSaveMixin, generic.EditView):
    def save_instance(self):
        case_type = super().save_instance()
        # Sealed by rule, not by memory: a raised floor reaches the cases already registered.
        raised = classification.apply_type_floor(case_type, actor=self.request.user)
        if raised:
            messages.info(
                self.request,
                _("%(count)s case files of this type were raised to its new level and marks.") % {"count": raised},
            )
        return case_type


class ProtectedDeleteView(generic.DeleteView):
    """A court or case type that case files still name cannot go: say so instead of failing."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _("%(object)s is still used by case files, so it cannot be deleted.") % {"object": self.object},
            )
            return redirect(self.get_success_url())


class InstitutionViewSet(ModelViewSet):
    model = Institution
    icon = "site"
    menu_label = _("Institutions")
    menu_order = 300
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = ["code", "name", "kind", "parent", "is_active"]
    list_display = ["name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    search_backend_name = None
    add_view_class = InstitutionCreateView
    edit_view_class = InstitutionEditView
    delete_view_class = ProtectedDeleteView


class CaseTypeViewSet(ModelViewSet):
    model = CaseType
    icon = "tag"
    menu_label = _("Case types")
    menu_order = 400
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = ["code", "name", "name_fr", "name_ar", "description", "default_level", "default_marks", "is_active"]
    list_display = ["name", "code", "default_level", "is_active"]
    search_fields = ["name", "code"]
    search_backend_name = None
    add_view_class = CaseTypeCreateView
    edit_view_class = CaseTypeEditView
    delete_view_class = ProtectedDeleteView

