"""Shared behaviour of the staff views: objects through the access layer, refusals on the form."""

from records import access
from records.errors import RecordsError


class ServiceFormMixin:
    """Turns a service's refusal into an error on the form, where the person who caused it reads it."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except RecordsError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
            self.produced_error_message = error.message
            return self.form_invalid(form)


class NoEditingSessionsMixin:
    """Wagtail's editing sessions (who else has this open) are not kept for Sijill's items: a session row
    names the item and its editor to whoever pings it, and the ping does not ask the access rule."""

    def get_editing_sessions(self):
        return None


class VisibleObjectMixin(NoEditingSessionsMixin):
    """A view of one case file or document: fetched through the access layer, so an item the user may not
    see is answered with the same 404 as one that does not exist. Used by every single-object staff view."""

    def get_object(self, queryset=None):
        if getattr(self, "object", None) is not None:
            return self.object
        pk = self.kwargs.get(getattr(self, "pk_url_kwarg", "pk"))
        return access.get_visible_or_404(self.request.user, self.model._default_manager.all(), pk=pk)
