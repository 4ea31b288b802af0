from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """Signed-in users with the model's Django permissions; reading needs the view permission too.

    A view may name `permission_model` when its objects are governed by another model's permissions
    (a version is read with its document's).
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def _queryset(self, view):
        model = getattr(view, "permission_model", None)
        return model._default_manager.none() if model is not None else super()._queryset(view)
