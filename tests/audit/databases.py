"""Which database a test needs."""

import pytest
from django.db import connection


def postgresql_only(test):
    """What only PostgreSQL does: `make test` runs these in its PostgreSQL pass, and skips them on SQLite."""
    guard = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only; this run uses SQLite")
    return pytest.mark.postgresql(guard(test))
