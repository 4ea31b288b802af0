"""Gives each request an id and notes where it came from, for the events it records."""

import re
import uuid

from audit import context

# An id from a proxy or a client is kept only if it is short and plain, so it cannot forge log lines.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestContextMiddleware:
    """Sets the audit context for the request (after AuthenticationMiddleware) and echoes X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        # REMOTE_ADDR only: X-Forwarded-For is written by the client unless a trusted proxy rewrites it, so it
        # is deliberately not believed by default.
        with context.serving(request, request_id=request_id, client_address=request.META.get("REMOTE_ADDR")):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
