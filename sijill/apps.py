import os

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _private_sqlite_files(sender, connection, **kwargs):
    """The SQLite database holds every record: only Sijill's user may read its files (0600), whatever the
    umask was when SQLite created them."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        return
    for path in (name, f"{name}-wal", f"{name}-shm"):
        try:
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, 0o600)
        except FileNotFoundError:
            continue


class SijillConfig(AppConfig):
    """The configuration package is also an app, to carry the commands that run the whole site."""

    name = "sijill"
    verbose_name = "Sijill"

    def ready(self):
        connection_created.connect(_private_sqlite_files, dispatch_uid="sijill-private-sqlite-files")
