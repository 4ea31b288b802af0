"""Domain errors become 400 or 409 answers with the service's own message, on every endpoint."""

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
    return drf_exception_handler(exc, context)
