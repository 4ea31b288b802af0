"""Wagtail's generic endpoints that name a model and an id are closed to the models of Sijill's apps.

Editing sessions (ping, release), bulk actions, tag autocomplete, workflow task forms and any later
endpoint taking `app_label`/`model_name` fetch the object with an unrestricted query and answer by the
model's permissions, not by the access rule: a ping for a hidden case answered 200 where a missing one
answered 404. Sijill's own screens do not use them for records, so they answer every such request about a
model of these apps with the 404 of a missing object, before the view runs; whether the item exists or
may be seen makes no difference.
"""

from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.utils.datastructures import MultiValueDictKeyError
from django.views.defaults import bad_request

RULED_APPS = frozenset({"records", "audit", "ingest", "search", "retention"})
# URL parameters through which Wagtail's generic views name a model's app.
APP_PARAMETERS = ("app_label", "app_name", "content_type_app_name")


def names_a_ruled_model(view_kwargs):
    return any(str(view_kwargs.get(name, "")).lower() in RULED_APPS for name in APP_PARAMETERS)


class GenericModelEndpointGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if names_a_ruled_model(view_kwargs):
            raise Http404("Not found.")
        return None


class TamperedFormGuard:
    """A submitted form whose management data was tampered with (a formset's TOTAL_FORMS of 9041424344,
    fields missing that it then expects) makes Django and Wagtail raise MultiValueDictKeyError deep in form
    handling, and Wagtail's page chooser re-renders a malformed page id with int() (ValueError): the client
    sent a broken form to a staff screen, so it gets the site's 400, not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        broken = isinstance(exception, MultiValueDictKeyError) or (
            isinstance(exception, ValueError) and request.path.startswith("/admin/")
        )
        if request.method in ("POST", "PUT", "PATCH") and broken:
            return bad_request(request, SuspiciousOperation(f"The submitted form lacks {exception}."))
        return None
