"""Wagtail's user editor, less what nobody may change of themselves: their own groups (a bench group's
assignments give its members the need to know). records.memberships refuses it on every other path."""

from django.contrib import messages
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.users.forms import UserEditForm as WagtailUserEditForm
from wagtail.users.views.users import DeleteView as WagtailUserDeleteView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet


class UserEditForm(WagtailUserEditForm):
    def __init__(self, *args, **kwargs):
        editing_self = kwargs.get("editing_self", False)
        super().__init__(*args, **kwargs)
        if editing_self:
            self.fields.pop("groups", None)


class UserDeleteView(WagtailUserDeleteView):
    """A user who acted in the records (their events, versions, assignments keep their name) stays: the
    trail must say who did what. Deactivate them instead."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _("%(user)s has acted in the records, which keep their name; deactivate the account instead.")
                % {"user": self.object},
            )
            return redirect(self.get_success_url())


class UserViewSet(WagtailUserViewSet):
    delete_view_class = UserDeleteView

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else super().get_form_class(for_update)
