"""Staff screens for reference data: institutions (the court hierarchy) and case types."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from records.models import CaseType, Institution


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


class CaseTypeViewSet(ModelViewSet):
    model = CaseType
    icon = "tag"
    menu_label = _("Case types")
    menu_order = 400
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = ["code", "name", "description", "default_level", "default_marks", "is_active"]
    list_display = ["name", "code", "default_level", "is_active"]
    search_fields = ["name", "code"]
    search_backend_name = None
