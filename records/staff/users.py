"""Wagtail's user editor, less what nobody may change of themselves: their own groups (a bench group's
assignments give its members the need to know). records.memberships refuses it on every other path."""

from wagtail.users.forms import UserEditForm as WagtailUserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet


class UserEditForm(WagtailUserEditForm):
    def __init__(self, *args, **kwargs):
        editing_self = kwargs.get("editing_self", False)
        super().__init__(*args, **kwargs)
        if editing_self:
            self.fields.pop("groups", None)


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else super().get_form_class(for_update)
