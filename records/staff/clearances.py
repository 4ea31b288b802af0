"""The administrators' screen for users' clearances: the highest level and the marks each user holds.

Granting a clearance lets a user see nothing by itself: confidential and sealed cases also need an
assignment. Every change is written to the audit trail by records.classification.set_clearance.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from records import classification
from records.models import Clearance, ClearanceGrant
from records.staff.mixins import NoEditingSessionsMixin, ServiceFormMixin


def _marks_of(clearance):
    return ", ".join(mark.code for mark in clearance.marks.all()) or "—"


class ClearanceIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user").prefetch_related("marks")

    @property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "user", label=_("User"), get_url=self.get_edit_url
            ),
            Column("get_level_display", label=_("Highest level"), sort_key="level"),
            Column("marks", label=_("Marks"), accessor=_marks_of),
        ]


class ClearanceSaveMixin(ServiceFormMixin):
    def save_instance(self):
        values = self.form.cleaned_data
        return classification.set_clearance(
            values["user"] if "user" in values else self.object.user,
            actor=self.request.user,
            level=values["level"],
            marks=values["marks"],
        )


class PendingGrantMessageMixin:
    """A raise that needs a second person saved a pending grant, not the clearance: say so, link nothing."""

    def get_success_message(self, *args):
        if isinstance(self.object, ClearanceGrant):
            return _("The clearance of %(user)s awaits a second person's approval (Settings → Clearance grants).") % {
                "user": self.object.user
            }
        return super().get_success_message(*args)

    def get_success_buttons(self):
        return [] if isinstance(self.object, ClearanceGrant) else super().get_success_buttons()


class ClearanceCreateView(PendingGrantMessageMixin, ClearanceSaveMixin, generic.CreateView):
    pass


class ClearanceEditView(NoEditingSessionsMixin, PendingGrantMessageMixin, ClearanceSaveMixin, generic.EditView):
    pass


class ClearanceDeleteView(generic.DeleteView):
    def delete_action(self):
        classification.revoke_clearance(self.object.user, actor=self.request.user)


class ClearanceViewSet(ModelViewSet):
    model = Clearance
    icon = "key"
    menu_label = _("Clearances")
    add_to_settings_menu = True
    copy_view_enabled = False
    add_to_reference_index = False
    index_view_class = ClearanceIndexView
    add_view_class = ClearanceCreateView
    edit_view_class = ClearanceEditView
    delete_view_class = ClearanceDeleteView
    edit_handler = ObjectList([FieldPanel("user"), FieldPanel("level"), FieldPanel("marks", widget=forms.CheckboxSelectMultiple)])
    list_filter = ["level"]
