def only_api_paths(endpoints, **kwargs):
    """Keep the schema to Sijill's own API; Wagtail's internal admin endpoints are not part of it."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


ERROR_SCHEMA = {
    "type": "object",
    "description": "What was refused and why: `detail`, or the refused fields each with their messages.",
    "properties": {
        "detail": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "field": {"type": "string"},
        "code": {"type": "string"},
    },
    "additionalProperties": True,
}

ERROR_ANSWERS = {
    "400": "The request or one of its values is refused.",
    "401": "Not signed in.",
    "403": "Signed in, without the permission this needs.",
    "404": "No such item, or not one the user may see.",
    "409": "The item is in a state that refuses this change (a declared record, a number in use).",
    "413": "The request body is too large.",
    "415": "The body is in a media type this operation does not take.",
}
WITH_BODY = {"post", "put", "patch"}


def document_error_answers(result, generator, request, public):
    """Every operation documents the errors the API really answers, each with the one error body."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            statuses = ["400", "401", "403", "404"]
            if method in WITH_BODY or method == "delete":
                statuses.append("409")
            if method in WITH_BODY:
                statuses += ["413", "415"]
            for code in statuses:
                operation["responses"].setdefault(
                    code, {"description": ERROR_ANSWERS[code], "content": {"application/json": {"schema": reference}}}
                )
    return result
