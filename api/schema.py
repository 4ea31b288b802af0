def only_api_paths(endpoints, **kwargs):
    """Keep the schema to Sijill's own API; Wagtail's internal admin endpoints are not part of it."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
