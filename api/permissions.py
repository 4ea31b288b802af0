from rest_framework.permissions import DjangoModelPermissions

# The viewset's own acts; anything else is an extra action (`@action`), which checks its own permission.
STANDARD_ACTIONS = {"list", "create", "retrieve", "update", "partial_update", "destroy", "metadata", None}


class ModelPermissions(DjangoModelPermissions):
    """Signed-in users with the model's Django permissions; reading needs the view permission too.

    An extra action such as classify/ or declare/ is a distinct act with its own permission, which the
    action demands itself (api.views.require_perm): mapping its POST to add_<model> would refuse a judge
    who may classify but not register cases. The model's view permission is still needed to reach it.

    A view may name `permission_model` when its objects are governed by another model's permissions
    (a version is read with its document's).
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if getattr(view, "action", None) in STANDARD_ACTIONS:
            return super().has_permission(request, view)
        if not request.user or not request.user.is_authenticated:
            return False
        model = self._queryset(view).model
        return request.user.has_perms(self.get_required_permissions("GET", model))

    def _queryset(self, view):
        model = getattr(view, "permission_model", None)
        return model._default_manager.none() if model is not None else super()._queryset(view)
