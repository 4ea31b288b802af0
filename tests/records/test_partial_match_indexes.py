"""On PostgreSQL, the partial matches over party names and case numbers (the case list's search box, and the
cases an audited search's words are about) are served by trigram indexes (records 0017), not by reading
every party and case: 40 ms at 250,000 parties for each judge's search otherwise.

The tables here are small, so the planner would read them whole anyway; scans are priced out, as a large
table prices them, and the plan must then use the index: without one, it reads the table regardless."""

import pytest
from django.db import connection

from records.models import CaseFile, Party
from tests.audit.databases import postgresql_only
from tests.conftest import absent
from tests.factories import CaseFileFactory

pytestmark = pytest.mark.django_db


def plan_of(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            absent("PostgreSQL's pg_trgm extension", "it ships with the postgresql package")
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


@postgresql_only
def test_a_party_name_inside_others_is_found_through_the_trigram_index():
    case = CaseFileFactory()
    Party.objects.create(case=case, role="applicant", name="Amina Wanjiru Kamau")
    queryset = CaseFile.objects.all().with_party_name("wanjiru")
    assert list(queryset) == [case]
    plan = plan_of(queryset)
    assert "records_party_name_trgm" in plan, plan
    assert "Seq Scan on records_party" not in plan, plan


@postgresql_only
def test_part_of_a_case_number_is_found_through_the_trigram_indexes():
    case = CaseFileFactory(number="HCCR/2019/00457")
    queryset = CaseFile.objects.all().matching("2019/00457")
    assert case in list(queryset)
    plan = plan_of(queryset)
    assert "records_casefile_number_trgm" in plan, plan
    assert "records_legacynumber_number_trgm" in plan, plan
    assert "records_party_name_trgm" in plan, plan
    assert "Seq Scan" not in plan, plan
