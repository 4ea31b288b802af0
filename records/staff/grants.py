"""The second person's screen: clearance grants (a raise to sealed, a new mark) awaiting approval.

Approving applies the clearance; declining closes the grant. records.classification refuses the proposer
and the user a grant is for, whatever screen or path asks.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from records import classification
from records.errors import RecordsError
from records.models import ClearanceGrant


class GrantsPermission(PermissionCheckedMixin):
    permission_required = "records.change_clearance"

    def user_has_permission(self, permission):
        return self.request.user.has_perm(permission)


class PendingGrantsView(GrantsPermission, WagtailAdminTemplateMixin, TemplateView):
    template_name = "records/clearance_grants.html"
    page_title = _("Clearance grants awaiting approval")
    header_icon = "key"

    def get_context_data(self, **kwargs):
        pending = ClearanceGrant.objects.filter(decision=ClearanceGrant.Decision.PENDING).select_related(
            "user", "proposed_by"
        )
        return super().get_context_data(grants=pending, me=self.request.user.pk, **kwargs)


class DecideGrantView(GrantsPermission, View):
    http_method_names = ["post"]

    def post(self, request, pk, decision):
        if decision not in ("approve", "decline"):
            raise Http404("Not found.")
        grant = get_object_or_404(ClearanceGrant, pk=pk)
        act = classification.approve_clearance_grant if decision == "approve" else classification.decline_clearance_grant
        try:
            act(grant, actor=request.user)
        except RecordsError as error:
            messages.error(request, error.message)
        else:
            done = _("Approved: %(grant)s.") if decision == "approve" else _("Declined: %(grant)s.")
            messages.success(request, done % {"grant": grant})
        return redirect("records_clearance_grants")
