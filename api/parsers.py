"""A JSON parser that refuses what would exhaust the server: bodies above the upload limit, deep nesting."""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(_("The request body is larger than %(size)d bytes.") % {"size": limit})


def refuse_constant(name):
    raise ValueError(_("%(name)s is not valid JSON.") % {"name": name})


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(body) > limit:
            raise BodyTooLarge()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = body.decode(encoding)
            if "\x00" in text or "\\u0000" in text:
                # No record holds a NUL character, and PostgreSQL refuses one in text.
                raise ParseError(_("The request holds a NUL character, which no field accepts."))
            return json.loads(text, parse_constant=refuse_constant)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
