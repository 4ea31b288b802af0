"""The search backend in use: Elasticsearch when SIJILL_ELASTICSEARCH_URL is set, else the database's own."""

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

DATABASE_BACKENDS = {
    "sqlite": "search.backends.database.sqlite.backend.SQLiteSearchBackend",
    "postgresql": "search.backends.database.postgres.backend.PostgresSearchBackend",
}
ELASTICSEARCH_BACKEND = "search.backends.elasticsearch.backend.ElasticsearchBackend"


def database_backend():
    """The backend of the site's database engine (SQLite FTS5 or PostgreSQL full-text search)."""
    try:
        path = DATABASE_BACKENDS[connection.vendor]
    except KeyError:
        raise RuntimeError(
            f"Search has no backend for a {connection.vendor} database; use SQLite or PostgreSQL, or set "
            "SIJILL_ELASTICSEARCH_URL."
        ) from None
    return import_string(path)()


def get_backend():
    """The backend every search and every index update goes through."""
    url = getattr(settings, "SIJILL_ELASTICSEARCH_URL", "")
    if url:
        return import_string(ELASTICSEARCH_BACKEND)({"url": url, **getattr(settings, "SIJILL_ELASTICSEARCH", {})})
    return database_backend()
