"""On PostgreSQL, the partial matches over party names and case numbers (the case list's search box, and the
cases an audited search's words are about) are served by trigram indexes (records 0017), not by reading
every party and case: 40 ms at 250,000 parties for each judge's search otherwise.

The tables get a few hundred rows, and reading a table whole is priced out, as a large table prices it;
the plans must then read the trigram indexes, which the planner cannot do for an OR of subqueries
(CaseFileQuerySet.matching is a UNION so that each part can)."""

import pytest
from django.db import connection

from records import keys
from records.models import CaseFile, LegacyNumber, Party
from tests.audit.databases import postgresql_only
from tests.conftest import absent
from tests.factories import CaseFileFactory

pytestmark = pytest.mark.django_db

ROWS = 300


@pytest.fixture
def crowded(db):
    """One case found by a party's name and one by its number, among a few hundred of each."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            absent("PostgreSQL's pg_trgm extension", "it ships with the postgresql package")
    crowd = CaseFileFactory()
    Party.objects.bulk_create(
        Party(case=crowd, role="witness", name=f"Witness {n}", name_key=keys.name_key(f"Witness {n} Otieno")) for n in range(ROWS)
    )
    LegacyNumber.objects.bulk_create(
        LegacyNumber(case=crowd, number=f"OLD/{n}/1998", number_key=keys.case_number_key(f"OLD/{n}/1998")) for n in range(ROWS)
    )
    cases = [CaseFileFactory.build(court=crowd.court, case_type=crowd.case_type, number=f"{n}/2021") for n in range(ROWS)]
    for case in cases:
        case.number_key = keys.case_number_key(case.number)
    CaseFile.objects.bulk_create(cases)
    named = CaseFileFactory(parties=[{"role": "applicant", "name": "Amina Wanjiru Kamau"}])
    numbered = CaseFileFactory(number="HCCR/2019/00457")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE records_party")
        cursor.execute("ANALYZE records_legacynumber")
        cursor.execute("ANALYZE records_casefile")
    return named, numbered


def plan_of(queryset):
    """The plan with every way of reading a table whole priced out (a scan, or a walk of a whole b-tree,
    which a table this small would take): only an index with a condition is left to read by."""
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
    return queryset.explain()


@postgresql_only
def test_a_party_name_inside_others_is_found_through_the_trigram_index(crowded):
    named, _numbered = crowded
    queryset = CaseFile.objects.all().with_party_name("wanjiru")
    assert list(queryset) == [named]
    plan = plan_of(queryset)
    assert "records_party_name_trgm" in plan, plan


@postgresql_only
def test_part_of_a_case_number_is_found_through_the_trigram_indexes(crowded):
    _named, numbered = crowded
    queryset = CaseFile.objects.all().matching("2019/00457")
    assert list(queryset) == [numbered]
    plan = plan_of(queryset)
    for index in ("records_casefile_number_trgm", "records_legacynumber_number_trgm", "records_party_name_trgm"):
        assert index in plan, plan
