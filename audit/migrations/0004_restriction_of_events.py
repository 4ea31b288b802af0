"""Each event keeps the restriction of the case file or document it is about (level and marks), so that the
events of a deleted item stay readable by those cleared for it.

On SQLite adding a column with a default rebuilds audit_auditevent, and the rebuild drops the append-only
triggers of 0003: they are created again after the change, and again after reversing it.
"""

import importlib

from django.db import migrations, models

append_only = importlib.import_module("audit.migrations.0003_append_only_triggers")


def guard_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in append_only.SQLITE_BACKWARD + append_only.SQLITE_FORWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_triggers")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, guard_again),
        migrations.AddField(
            model_name="auditevent",
            name="level",
            field=models.CharField(blank=True, db_default="", default="", max_length=16, verbose_name="level"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="marks",
            field=models.CharField(blank=True, db_default="", default="", max_length=200, verbose_name="marks"),
        ),
        migrations.RunPython(guard_again, migrations.RunPython.noop),
    ]
