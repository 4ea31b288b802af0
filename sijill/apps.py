import os

from django.apps import AppConfig, apps
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


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
        from sijill.database_roles import grant_after_migrate

        connection_created.connect(_private_sqlite_files, dispatch_uid="sijill-private-sqlite-files")
        # Once per migrate run: post_migrate is sent, app by app, after every migration has run, so every
        # table exists; only apps with models get it, so this hangs on the records app, not on this one.
        post_migrate.connect(grant_after_migrate, sender=apps.get_app_config("records"), dispatch_uid="sijill-grant-app-role")
