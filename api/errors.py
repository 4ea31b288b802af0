"""Domain errors become 400 or 409 answers with the service's own message, on every endpoint; a body too
large becomes 413 and an overflowing number 400, in JSON as every other answer of the API."""

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from records.errors import DuplicateCaseNumber, RecordDeclared, RecordsError, VersionImmutable


def exception_handler(exc, context):
    if isinstance(exc, RecordsError):
        conflict = isinstance(exc, (RecordDeclared, VersionImmutable, DuplicateCaseNumber))
        body = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        if getattr(exc, "code", None):
            body["code"] = exc.code
        return Response(body, status=status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        # Django raises it lazily, when the body is first read, and would answer an HTML 400.
        too_large = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        return Response({"detail": _("The request body is too large.")}, status=too_large)
    if isinstance(exc, OverflowError):
        return Response({"detail": _("A number in the request is too large.")}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
