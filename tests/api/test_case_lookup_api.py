"""Finding case files through the API's look-up filters, however the clerk types what they know."""

import datetime

import pytest

from records import services
from tests.factories import CaseFileFactory, CaseTypeFactory, InstitutionFactory

pytestmark = pytest.mark.django_db

CASE_FILES = "/api/v1/case-files/"


@pytest.fixture
def registry(clerk):
    """Four case files in two courts, of two types, with parties, a legacy number and one closed case."""
    ferizaj = InstitutionFactory(code="XK-FRZ", name="Basic Court of Ferizaj")
    jeddah = InstitutionFactory(code="SA-JED-COM", name="Commercial Court in Jeddah")
    civil, commercial = CaseTypeFactory(code="civil"), CaseTypeFactory(code="commercial")
    cases = {
        "ferizaj": CaseFileFactory(
            number="C.nr.118/2019",
            court=ferizaj,
            case_type=civil,
            date_filed=datetime.date(2019, 5, 2),
            legacy_numbers=["P-77/1998"],
            parties=[{"role": "applicant", "name": "Arben Krasniqi", "national_id": "1234 5678 90"}],
        ),
        "jeddah": CaseFileFactory(
            number="43292",
            court=jeddah,
            case_type=commercial,
            date_filed=datetime.date(2022, 8, 3),
            parties=[{"role": "respondent", "name": "مُؤَسَّسَة الأَمَل التجارية", "national_id": "7001234567"}],
        ),
        "riyadh": CaseFileFactory(
            number="52854",
            court=jeddah,
            case_type=commercial,
            date_filed=datetime.date(2021, 12, 1),
            parties=[{"role": "applicant", "name": "شركة النور"}],
        ),
        "closed": CaseFileFactory(
            number="5/2022", court=ferizaj, case_type=civil, date_filed=datetime.date(2022, 1, 10)
        ),
    }
    services.change_status(cases["closed"], "closed", actor=clerk, reason="Withdrawn by the applicant")
    return cases


def found(client, **params):
    """The case files the list answers with for these filters, as a set of ids."""
    response = client.get(CASE_FILES, params)
    assert response.status_code == 200, response.json()
    return {case["id"] for case in response.json()["results"]}


def ids(*case_files):
    return {str(case_file.pk) for case_file in case_files}


def test_without_filters_every_case_file_is_listed(clerk_api, registry):
    assert found(clerk_api) == ids(*registry.values())


def test_q_finds_a_case_by_its_number_however_typed(clerk_api, registry):
    assert found(clerk_api, q="c.nr.118/2019") == ids(registry["ferizaj"])
    assert found(clerk_api, q="٤٣٢٩٢") == ids(registry["jeddah"])


def test_q_finds_a_case_by_a_party_national_id_or_part_of_a_name(clerk_api, registry):
    assert found(clerk_api, q="1234567890") == ids(registry["ferizaj"])
    assert found(clerk_api, q="الامل") == ids(registry["jeddah"])


def test_number_finds_a_case_by_its_number_or_a_legacy_number(clerk_api, registry):
    assert found(clerk_api, number="C.NR.118 / 2019") == ids(registry["ferizaj"])
    assert found(clerk_api, number="P-77/1998") == ids(registry["ferizaj"])
    assert found(clerk_api, number="٥/٢٠٢٢") == ids(registry["closed"])


def test_number_does_not_match_part_of_a_number(clerk_api, registry):
    assert found(clerk_api, number="118") == set()


def test_national_id_finds_a_party_typed_without_the_spaces_it_was_stored_with(clerk_api, registry):
    assert found(clerk_api, national_id="1234567890") == ids(registry["ferizaj"])
    assert found(clerk_api, national_id="700-123-4567") == ids(registry["jeddah"])


def test_party_finds_part_of_a_name_in_arabic_without_tashkeel(clerk_api, registry):
    assert found(clerk_api, party="الامل") == ids(registry["jeddah"])
    assert found(clerk_api, party="krasniq") == ids(registry["ferizaj"])
    assert found(clerk_api, party="النور") == ids(registry["riyadh"])


def test_court_finds_the_cases_of_one_court_by_its_code(clerk_api, registry):
    assert found(clerk_api, court="SA-JED-COM") == ids(registry["jeddah"], registry["riyadh"])
    assert found(clerk_api, court="XK-FRZ") == ids(registry["ferizaj"], registry["closed"])


def test_case_type_finds_the_cases_of_one_type_by_its_code(clerk_api, registry):
    assert found(clerk_api, case_type="commercial") == ids(registry["jeddah"], registry["riyadh"])


def test_status_finds_the_cases_in_one_status(clerk_api, registry):
    assert found(clerk_api, status="closed") == ids(registry["closed"])
    assert found(clerk_api, status="filed") == ids(registry["ferizaj"], registry["jeddah"], registry["riyadh"])


def test_year_finds_the_cases_filed_that_year(clerk_api, registry):
    assert found(clerk_api, year="2022") == ids(registry["jeddah"], registry["closed"])
    assert found(clerk_api, year="2021") == ids(registry["riyadh"])
    assert found(clerk_api, year="1999") == set()


def test_filters_combine(clerk_api, registry):
    assert found(clerk_api, court="XK-FRZ", year="2022") == ids(registry["closed"])
    assert found(clerk_api, court="SA-JED-COM", party="الامل") == ids(registry["jeddah"])
    assert found(clerk_api, q="5/2022", status="filed") == set()


def test_a_year_that_is_not_a_number_is_refused_naming_the_year(clerk_api, registry):
    response = clerk_api.get(CASE_FILES, {"year": "abc"})
    assert response.status_code == 400
    assert "year" in response.json()


@pytest.mark.parametrize("year", ["10000", "0", "-5"])
def test_a_year_outside_the_calendar_is_refused_naming_the_year(clerk_api, registry, year):
    response = clerk_api.get(CASE_FILES, {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()


def test_the_last_calendar_year_is_a_year_like_any_other(clerk_api, registry):
    assert found(clerk_api, year="9999") == set()


@pytest.mark.parametrize(
    "params",
    [
        {"national_id": "(...)"},  # how the Saudi judicial portal prints a redacted ID number
        {"party": "ـــ"},  # tatweel only: nothing of a name is left once folded
    ],
    ids=["redacted-national-id", "tatweel-only-name"],
)
def test_a_filter_with_nothing_to_match_finds_nothing(clerk_api, registry, params):
    assert found(clerk_api, **params) == set()
