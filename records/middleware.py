"""Wagtail's generic endpoints that name a model and an id are closed to the models of Sijill's apps.

Editing sessions (ping, release), bulk actions, tag autocomplete, workflow task forms and any later
endpoint taking `app_label`/`model_name` fetch the object with an unrestricted query and answer by the
model's permissions, not by the access rule: a ping for a hidden case answered 200 where a missing one
answered 404. Sijill's own screens do not use them for records, so they answer every such request about a
model of these apps with the 404 of a missing object, before the view runs; whether the item exists or
may be seen makes no difference.
"""

import base64
import binascii
import logging

from django.core.exceptions import SuspiciousOperation
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.translation import gettext as _
from django.views.defaults import bad_request, page_not_found

logger = logging.getLogger(__name__)

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


class MalformedAddressGuard:
    """A page number or an id in an admin address that is no such thing is the client's mistake, not a
    server error. Most of Wagtail's listings clamp `?p=` to the first or last page, but some page with
    Django's paginator directly (a workflow's pages: `int(p)`, then `paginator.page()`) and its image and
    document choosers look up a non-numeric id as a number: those raised, and answered 500. A page past the
    end (InvalidPage) is answered 404, a malformed number or id (ValueError, OverflowError) 400, for every
    admin view at once; each is logged, so a real fault behind one still shows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method not in ("GET", "HEAD") or not request.path.startswith("/admin/"):
            return None
        if isinstance(exception, InvalidPage):
            logger.warning("No such page of %s: %s", request.get_full_path(), exception)
            return page_not_found(request, exception)
        if isinstance(exception, (ValueError, OverflowError)):
            logger.warning("Malformed address %s: %s", request.get_full_path(), exception)
            return bad_request(request, SuspiciousOperation(f"A malformed number or id in the address: {exception}"))
        return None


NUL = "\x00"


class NulCharacterGuard:
    """A NUL character in a query or form value names nothing any record holds, and PostgreSQL refuses it in
    text (a server error deep in a query): such a request is answered 400 before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = [*request.GET.keys(), *(v for vs in request.GET.lists() for v in vs[1])]
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            values += [*request.POST.keys(), *(v for vs in request.POST.lists() for v in vs[1])]
        if NUL in _basic_credentials(request):
            # Django's and DRF's Basic authentication look the name up as given: PostgreSQL then fails.
            response = JsonResponse({"detail": _("The credentials hold a NUL character.")}, status=401)
            response["WWW-Authenticate"] = 'Basic realm="api"'
            return response
        if any(NUL in value for value in values if isinstance(value, str)):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("The request holds a NUL character, which no field accepts.")}, status=400)
            return bad_request(request, SuspiciousOperation("A NUL character in the request."))
        return self.get_response(request)


def _basic_credentials(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.lower().startswith("basic "):
        return ""
    try:
        return base64.b64decode(header.split(" ", 1)[1].strip(), validate=False).decode("utf-8", "replace")
    except (ValueError, binascii.Error):
        return ""


class AdminMethodGuard:
    """The staff screens take GET and POST only. Django's delete views also answer the DELETE method by
    calling the model's own delete(), past the services: no access rule for who may delete, no audit event,
    stored files left behind. No Wagtail screen sends DELETE, so every other method on /admin/ is refused
    before any view runs."""

    ALLOWED = frozenset({"GET", "HEAD", "POST", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and request.method not in self.ALLOWED:
            response = HttpResponseNotAllowed(sorted(self.ALLOWED - {"OPTIONS"}))
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
