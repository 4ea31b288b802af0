"""Routes (which bench or unit handles a court's restricted cases of a type or mark): data a registrar
keeps, within their own clearance, every change in the audit trail."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from records import routing
from records.models import Route
from records.staff.mixins import NoEditingSessionsMixin, ServiceFormMixin


class RouteSaveMixin(ServiceFormMixin):
    def save_instance(self):
        return routing.save_route(self.form.instance, actor=self.request.user)


class RouteCreateView(RouteSaveMixin, generic.CreateView):
    pass


class RouteEditView(NoEditingSessionsMixin, RouteSaveMixin, generic.EditView):
    pass


class RouteDeleteView(generic.DeleteView):
    def delete_action(self):
        routing.delete_route(self.object, actor=self.request.user)


class RouteViewSet(ModelViewSet):
    model = Route
    icon = "arrow-right-full"
    menu_label = _("Routes")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    add_view_class = RouteCreateView
    edit_view_class = RouteEditView
    delete_view_class = RouteDeleteView
    list_display = ["__str__", "court", "case_type", "mark", "group"]
    edit_handler = ObjectList([FieldPanel("court"), FieldPanel("case_type"), FieldPanel("mark"), FieldPanel("group")])
