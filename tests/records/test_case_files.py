import datetime
import uuid

import pytest

from records import services
from records.errors import DuplicateCaseNumber, RecordsError
from records.models import CaseFile, Party, StatusChange
from tests.factories import CaseFileFactory, CaseTypeFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def new_case(**values):
    defaults = dict(
        number="12/2024",
        court=InstitutionFactory(),
        case_type=CaseTypeFactory(),
        date_filed=datetime.date(2024, 3, 1),
    )
    return CaseFile(**{**defaults, **values})


def test_registration_keeps_parties_and_the_first_status(clerk):
    case_file = new_case()
    case_file.parties = [
        Party(role="applicant", name="Amina Yusuf", national_id="1199 0807 1234 5678"),
        Party(role="respondent", name="Coastal Freight Co."),
    ]
    services.register_case_file(case_file, actor=clerk)

    stored = CaseFile.objects.get(pk=case_file.pk)
    assert [p.name for p in stored.parties.all()] == ["Amina Yusuf", "Coastal Freight Co."]
    first = StatusChange.objects.get(case=stored)
    assert (first.from_status, first.to_status, first.changed_by) == ("", "filed", clerk)


def test_system_identifier_is_random_and_not_editable():
    field = CaseFile._meta.get_field("id")
    assert field.primary_key and not field.editable
    assert isinstance(field.default(), uuid.UUID)


def test_a_case_number_that_exists_in_the_court_is_refused_with_its_number_and_court(clerk):
    existing = CaseFileFactory(number="12/2024")
    duplicate = new_case(number="12/2024", court=existing.court)
    duplicate.parties = [Party(role="applicant", name="Someone")]

    with pytest.raises(DuplicateCaseNumber) as refused:
        services.register_case_file(duplicate, actor=clerk)

    assert "12/2024" in refused.value.message and existing.court.name in refused.value.message
    assert CaseFile.objects.count() == 1
    assert not Party.objects.filter(name="Someone").exists()


def test_the_same_number_written_in_eastern_arabic_digits_is_a_duplicate(clerk):
    existing = CaseFileFactory(number="12/2024")
    with pytest.raises(DuplicateCaseNumber):
        services.register_case_file(new_case(number="١٢ / ٢٠٢٤", court=existing.court), actor=clerk)


def test_the_same_number_in_another_court_is_another_case(clerk):
    CaseFileFactory(number="12/2024")
    services.register_case_file(new_case(number="12/2024"), actor=clerk)
    assert CaseFile.objects.filter(number="12/2024").count() == 2


def test_renumbering_onto_an_existing_number_is_refused(clerk):
    first = CaseFileFactory(number="1/2024")
    second = CaseFileFactory(number="2/2024", court=first.court)
    second.number = "1/2024"
    with pytest.raises(DuplicateCaseNumber):
        services.update_case_file(second, actor=clerk)
    assert CaseFile.objects.get(pk=second.pk).number == "2/2024"


def test_a_blank_case_number_is_refused(clerk):
    with pytest.raises(RecordsError, match="case number is required"):
        services.register_case_file(new_case(number="   "), actor=clerk)


@pytest.fixture
def registry():
    """Three case files in two courts, with parties and a legacy number, to look up."""
    court = InstitutionFactory(name="Basic Court of Ferizaj")
    other_court = InstitutionFactory(name="Commercial Court in Jeddah")
    return {
        "ferizaj": CaseFileFactory(
            number="C.nr.118/2019",
            court=court,
            date_filed=datetime.date(2019, 5, 2),
            legacy_numbers=["P-77/1998"],
            parties=[{"role": "applicant", "name": "Arben Krasniqi", "national_id": "1234 5678 90"}],
        ),
        "jeddah": CaseFileFactory(
            number="43292",
            court=other_court,
            date_filed=datetime.date(2022, 8, 3),
            parties=[{"role": "respondent", "name": "مؤسسة الأَمَل التجارية", "national_id": "7001234567"}],
        ),
        "other": CaseFileFactory(number="5/2022", court=court, date_filed=datetime.date(2022, 1, 10)),
    }


def test_look_up_by_case_number_however_typed(registry):
    assert list(CaseFile.objects.matching("c.nr.118/2019")) == [registry["ferizaj"]]
    assert list(CaseFile.objects.matching("٤٣٢٩٢")) == [registry["jeddah"]]


def test_look_up_by_legacy_number(registry):
    assert list(CaseFile.objects.matching("P-77/1998")) == [registry["ferizaj"]]


def test_look_up_by_party_national_id_without_its_spaces(registry):
    assert list(CaseFile.objects.matching("1234567890")) == [registry["ferizaj"]]


def test_look_up_by_part_of_a_party_name_without_tashkeel(registry):
    assert list(CaseFile.objects.matching("الامل")) == [registry["jeddah"]]
    assert list(CaseFile.objects.matching("krasniqi")) == [registry["ferizaj"]]


def test_look_up_by_year_filed_and_court(registry):
    in_2022 = set(CaseFile.objects.filed_in(2022))
    assert in_2022 == {registry["jeddah"], registry["other"]}
    assert set(CaseFile.objects.filed_in(2022).in_court(registry["other"].court)) == {registry["other"]}


def test_a_look_up_that_matches_nothing_finds_nothing(registry):
    assert not CaseFile.objects.matching("999/1900").exists()
    assert not CaseFile.objects.matching("   ").exists()
