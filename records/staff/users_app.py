"""Wagtail's users app with Sijill's user editor, installed in place of "wagtail.users" (an app config
module imports no models, so the viewset is named, not imported)."""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "records.staff.users.UserViewSet"
