"""A page's text revisions are written once, in the database too: a raw UPDATE is refused on both databases.

The model refuses it already (PageText.save, PageTextQuerySet.update); without a trigger a raw UPDATE would
rewrite a person's correction, or the OCR's own reading, unseen. Deleting stays possible: a document
registered by mistake goes with its pages (and a declared record's versions, hence pages, are kept by the
version triggers of 0012). SQLite drops a table's triggers when a migration rebuilds it: a later migration
that alters records_pagetext must create this one again.
"""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION records_pagetext_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'page text revision % is kept as written: a correction is a new revision', OLD.id;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS records_pagetext_immutable ON records_pagetext;
CREATE TRIGGER records_pagetext_immutable BEFORE UPDATE ON records_pagetext
    FOR EACH ROW EXECUTE FUNCTION records_pagetext_immutable();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS records_pagetext_immutable ON records_pagetext;
DROP FUNCTION IF EXISTS records_pagetext_immutable();
"""
SQLITE_FORWARD = """CREATE TRIGGER IF NOT EXISTS records_pagetext_no_update BEFORE UPDATE ON records_pagetext
BEGIN SELECT RAISE(ABORT, 'page text revisions are kept as written: a correction is a new revision'); END"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS records_pagetext_no_update"


def _by_vendor(postgresql, sqlite):
    def run(apps, schema_editor):
        statement = {"postgresql": postgresql, "sqlite": sqlite}.get(schema_editor.connection.vendor)
        if statement is not None:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("records", "0015_page_text_of_files")]

    operations = [migrations.RunPython(_by_vendor(POSTGRESQL_FORWARD, SQLITE_FORWARD), _by_vendor(POSTGRESQL_BACKWARD, SQLITE_BACKWARD))]
