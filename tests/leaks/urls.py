"""Every URL pattern of the site, read from the URL configuration, made into requests the leak tests send.

Nothing here lists endpoints by hand: a view added later is enumerated and probed like the others.
Parameters are filled by their meaning: identifiers of a case file, document or version (each item's,
or a random one that exists nowhere), an assignment's number, a format suffix, and a plain value for
parameters that name nothing of a case (Wagtail's page numbers and the like).
"""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import UUIDConverter

MISSING = str(uuid.UUID("00000000-0000-4000-8000-00000000dead"))
MISSING_INT = "987654321"
# Wagtail's generic views name a model by app label and model name: they are given Sijill's models.
APP_PARAMETERS = ("app_label", "app_name", "content_type_app_name")
MODEL_PARAMETERS = ("model_name", "content_type_model_name")
MODEL_NAMES = {"case": "casefile", "document": "document", "version": "version"}
# Left out of probing, each named here so it is a decision: logging out ends the session being probed, and
# Wagtail's error-page test raises on purpose. Neither reads a record.
NOT_PROBED = {"wagtailadmin_logout", "wagtailadmin_error_test"}


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str | None
    params: tuple  # (name, kind) with kind "id", "int", "format", "app", "model", "other"
    methods: tuple = ("get", "post")

    @property
    def takes_an_id(self):
        return any(kind == "id" for _, kind in self.params)


def _params(pattern, route_text):
    found = []
    converters = getattr(pattern.pattern, "converters", {}) or {}
    regex = pattern.pattern.regex
    for name in regex.groupindex:
        converter = converters.get(name)
        group = re.search(rf"\(\?P<{name}>([^)]*)\)", route_text)
        if isinstance(converter, UUIDConverter) or name in ("version_id", "version", "object_id") or (
            name == "pk" and group and group.group(1) == "[^/.]+"
        ) or (name == "pk" and type(converter).__name__ == "StringConverter"):
            kind = "id"
        elif name in APP_PARAMETERS:
            kind = "app"
        elif name in MODEL_PARAMETERS:
            kind = "model"
        elif name == "format":
            kind = "format"
        elif name == "assignment" or type(converter).__name__ == "IntConverter":
            kind = "int"
        else:
            kind = "other"
        found.append((name, kind))
    return tuple(found)


def _walk(patterns, prefix="", namespaces=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), spaces)
        elif isinstance(entry, URLPattern):
            name = ":".join(namespaces + (entry.name,)) if entry.name else None
            yield entry, prefix + str(entry.pattern), name


WRITES = ("get", "post", "put", "patch", "delete")


def _methods(callback):
    """The methods a view answers: a DRF viewset's action map, a class view's handlers; GET and POST for a
    plain function, which may answer either."""
    actions = getattr(callback, "actions", None)
    if actions:
        return tuple(method for method in WRITES if method in actions)
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        allowed = set(getattr(view_class, "http_method_names", WRITES))
        return tuple(m for m in WRITES if m in allowed and hasattr(view_class, m)) or ("get",)
    return ("get", "post")


def methods_of(pattern):
    return pattern.methods


def all_patterns():
    """Every endpoint of the URL configuration, with its parameters' kinds."""
    patterns = []
    for entry, route, name in _walk(get_resolver().url_patterns):
        combined = re.compile(route.replace("^", "").replace("$", "")) if "(?P" in route else None
        params = _params(entry, route)
        if combined is not None and not params:
            params = tuple((name_, "other") for name_ in combined.groupindex)
        patterns.append(Pattern(route=route, name=name, params=params, methods=_methods(entry.callback)))
    return patterns


def url_for(pattern, values):
    """The URL of a named pattern with these parameter values, or None when it cannot be reversed."""
    if pattern.name is None:
        return None
    try:
        return reverse(pattern.name, kwargs={name: values[name] for name, _ in pattern.params})
    except Exception:  # noqa: BLE001 - a pattern whose converters refuse these values is simply not probed
        return None


def plain_values(pattern):
    values = {}
    for name, kind in pattern.params:
        values[name] = {"format": "json", "id": MISSING, "app": "records", "model": "casefile"}.get(kind, "1")
    return values


def values_for(pattern, item, model):
    """Parameter values pointing at one item: every id parameter at its `model` (case, document or version),
    except parameters that name a version, which get the item's version."""
    values = plain_values(pattern)
    for name, kind in pattern.params:
        if kind == "model":
            values[name] = MODEL_NAMES[model]
        if kind == "id" and "batch" in pattern.route:
            values[name] = item.ids["batch"]  # a batch's address is probed with the batch that filed the item
        elif kind == "id":
            values[name] = item.ids["version"] if name in ("version", "version_id") else item.ids[model]
        elif kind == "int" and name == "assignment":
            values[name] = str(item.assignment_id or MISSING_INT)
    return values


def missing_values(pattern, model="case"):
    values = plain_values(pattern)
    for name, kind in pattern.params:
        if kind == "int" and name == "assignment":
            values[name] = MISSING_INT
        elif kind == "model":
            values[name] = MODEL_NAMES[model]
    return values
