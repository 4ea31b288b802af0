"""Number conflicts for registrars: held cases (records.services._check_number_free) whose number a case
the registrar can also see already has. Each pair is shown only to someone who may see both; they resolve
it by renumbering one of them on its edit form, which releases the hold."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from records import access
from records.models import CaseFile


def conflicts_for(user):
    """(held case, live case) pairs in the user's reach."""
    visible = access.visible_cases(user)
    live = visible.filter(court_id=OuterRef("court_id"), number_key=OuterRef("number_key"), number_held=False)
    held = (
        visible.filter(number_held=True)
        .annotate(live_pk=Subquery(live.values("pk")[:1]))
        .exclude(live_pk=None)
        .select_related("court")
    )
    lives = CaseFile.objects.in_bulk([case.live_pk for case in held])
    return [(case, lives[case.live_pk]) for case in held]


class NumberConflictsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = "records.change_casefile"
    template_name = "records/number_conflicts.html"
    page_title = _("Case number conflicts")
    header_icon = "warning"

    def user_has_permission(self, permission):
        return self.request.user.has_perm(permission)

    def get_context_data(self, **kwargs):
        return super().get_context_data(conflicts=conflicts_for(self.request.user), **kwargs)
