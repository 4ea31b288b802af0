"""Cases whose number is also a case's their registrant could not see are held out of the court's numbering.

On SQLite, adding the column rebuilds records_casefile, which drops the triggers that keep its `marked`
flag (0006) and the access index (0007): both are made again here, after the rebuild.
"""

from importlib import import_module

from django.db import migrations, models

marked_flags = import_module("records.migrations.0006_marked_flags")
access_index = import_module("records.migrations.0007_sqlite_access_index")

TABLE = ("records_casefile", "records_casefile_marks", "casefile_id")


def drop_sqlite_guards(apps, schema_editor):
    """Before the rebuild: SQLite refuses to rename a table that another table's triggers name."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in marked_flags._sqlite_backward(*TABLE):
            schema_editor.execute(statement, params=None)


def restore_sqlite_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    drop_sqlite_guards(apps, schema_editor)
    for statement in marked_flags._sqlite(*TABLE):
        schema_editor.execute(statement, params=None)
    access_index.create(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0009_labels_in_other_languages"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_guards, restore_sqlite_guards),
        migrations.RemoveConstraint(
            model_name="casefile",
            name="case_number_unique_in_court",
        ),
        migrations.AddField(
            model_name="casefile",
            name="number_held",
            field=models.BooleanField(default=False, editable=False, verbose_name="number held for review"),
        ),
        migrations.AddConstraint(
            model_name="casefile",
            constraint=models.UniqueConstraint(
                condition=models.Q(("number_held", False)),
                fields=("court", "number_key"),
                name="case_number_unique_in_court",
            ),
        ),
        migrations.RunPython(restore_sqlite_guards, drop_sqlite_guards),
    ]
