"""`marked` is kept by the database: whatever path adds, removes or overwrites it, it says whether the item
has marks. The access rule skips the marks look-up for unmarked items, so a wrong "unmarked" would be a leak;
these tests also prove the triggers survived every migration (SQLite drops them when it rebuilds a table).
"""

import pytest
from django.db import connection

from records import access
from records.models import CaseFile, Document, Mark
from tests.factories import CaseFileFactory, DocumentFactory, UserFactory


@pytest.fixture
def gbv(db):
    return Mark.objects.get_or_create(code="GBV", defaults={"name": "Gender-based violence"})[0]


@pytest.fixture
def juvenile_mark(db):
    return Mark.objects.get_or_create(code="JUVENILE", defaults={"name": "Juvenile"})[0]


@pytest.fixture(params=[CaseFile, Document], ids=["case file", "document"])
def item(request, db):
    return CaseFileFactory() if request.param is CaseFile else DocumentFactory()


def stored_flag(item):
    return type(item).objects.values_list("marked", flat=True).get(pk=item.pk)


def test_adding_and_removing_marks_sets_and_clears_the_flag(item, gbv, juvenile_mark):
    assert stored_flag(item) is False

    item.marks.add(gbv, juvenile_mark)
    assert stored_flag(item) is True
    item.marks.remove(gbv)
    assert stored_flag(item) is True  # one mark is left
    item.marks.remove(juvenile_mark)
    assert stored_flag(item) is False
    item.marks.set([gbv])
    assert stored_flag(item) is True
    item.marks.clear()
    assert stored_flag(item) is False


def test_a_stale_copy_saved_after_marks_were_added_does_not_unmark_the_item(item, gbv):
    stale = type(item).objects.get(pk=item.pk)
    assert stale.marked is False
    item.marks.add(gbv)

    stale.title = "Renamed"
    stale.save()

    assert stored_flag(item) is True


def test_sql_writing_the_flag_directly_is_overruled(item, gbv):
    item.marks.add(gbv)
    table = type(item)._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET marked = %s", [False])
    assert stored_flag(item) is True

    item.marks.clear()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET marked = %s", [True])
    assert stored_flag(item) is False


def test_a_mark_row_inserted_by_sql_marks_the_item(item, gbv):
    through = type(item).marks.through
    owner = "casefile_id" if isinstance(item, CaseFile) else "document_id"
    owner_value = through._meta.get_field(owner).get_db_prep_value(item.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {through._meta.db_table} ({owner}, mark_id) VALUES (%s, %s)", [owner_value, gbv.pk]
        )
    assert stored_flag(item) is True


def test_a_case_marked_behind_a_stale_copy_stays_out_of_reach_of_a_user_without_the_mark(gbv):
    case_file = CaseFileFactory(level="internal")
    clerk = UserFactory(role="clerk", clearance="internal")
    stale = CaseFile.objects.get(pk=case_file.pk)
    assert access.visible_cases(clerk).filter(pk=case_file.pk).exists()

    case_file.marks.add(gbv)
    stale.save()

    fresh = type(clerk).objects.get(pk=clerk.pk)
    assert not access.visible_cases(fresh).filter(pk=case_file.pk).exists()


@pytest.mark.django_db
def test_the_access_index_is_sqlites_alone_and_its_visible_case_count_reads_it():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "records_casefile")
    if connection.vendor != "sqlite":
        assert "records_casefile_access" not in indexes  # PostgreSQL counts faster by a sequential scan
        return
    judge = UserFactory(role="judge", clearance="sealed", marks=("JUVENILE",))
    sql, params = access.visible_cases(judge).order_by().query.sql_with_params()
    count_sql = "SELECT COUNT(*) FROM records_casefile" + sql[sql.index(" WHERE ") :]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + count_sql, params)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX records_casefile_access" in plan, plan
    page_sql, page_params = access.visible_cases(judge).order_by("-date_filed", "number")[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + page_sql, page_params)
        page_plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING INDEX case_list_order" in page_plan, page_plan  # a page still walks the list's order
