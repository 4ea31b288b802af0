"""Case files through the API: registration with parties and legacy numbers, unique numbers, the status
life cycle with its history, and deletion."""

import pytest

from records.models import Assignment, CaseFile, Party, StatusChange
from tests.factories import CaseFileFactory, CaseTypeFactory, DocumentFactory, InstitutionFactory, clear

pytestmark = pytest.mark.django_db

CASE_FILES = "/api/v1/case-files/"


@pytest.fixture
def court():
    """The court the case files are registered in."""
    return InstitutionFactory(code="SA-JED-COM", name="Commercial Court in Jeddah")


def registration(court, **values):
    """What a client sends to register the Jeddah commercial case of the corpus."""
    return {
        "number": "43292/1444",
        "court": court.code,
        "case_type": CaseTypeFactory(code="commercial").code,
        "title": "مؤسسة ريادة السلام للتجارة v. مؤسسة الأمل",
        "date_filed": "2022-08-03",
        "parties": [
            {"role": "applicant", "name": "مؤسسة ريادة السلام للتجارة", "national_id": "7001 2345 67"},
            {"role": "respondent", "name": "مُؤَسَّسَة الأَمَل التجارية", "sex": "not_recorded"},
        ],
        "legacy_numbers": [{"number": "ق/7781/1443", "source": "Jeddah registry book 1443H"}],
        **values,
    }


def detail(case_file):
    return f"{CASE_FILES}{case_file.pk}/"


def test_a_case_file_is_registered_with_its_parties_and_legacy_numbers_and_reads_back(clerk_api, court, clerk):
    created = clerk_api.post(CASE_FILES, registration(court), format="json")
    assert created.status_code == 201, created.json()

    body = clerk_api.get(f"{CASE_FILES}{created.json()['id']}/").json()
    assert (body["number"], body["court"], body["case_type"]) == ("43292/1444", "SA-JED-COM", "commercial")
    assert body["date_filed"] == "2022-08-03" and body["status"] == "filed"
    assert [(p["role"], p["name"], p["national_id"]) for p in body["parties"]] == [
        ("applicant", "مؤسسة ريادة السلام للتجارة", "7001 2345 67"),
        ("respondent", "مُؤَسَّسَة الأَمَل التجارية", ""),
    ]
    assert body["legacy_numbers"] == [{"number": "ق/7781/1443", "source": "Jeddah registry book 1443H"}]
    assert [(s["from_status"], s["to_status"], s["changed_by"]) for s in body["status_history"]] == [
        ("", "filed", clerk.get_username())
    ]
    stored = CaseFile.objects.get(pk=body["id"])
    assert stored.parties.count() == 2 and stored.legacy_numbers.get().number == "ق/7781/1443"


def test_the_status_sent_on_registration_is_ignored(clerk_api, court):
    created = clerk_api.post(CASE_FILES, registration(court, status="archived"), format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "filed"
    assert CaseFile.objects.get(pk=created.json()["id"]).status == "filed"


def test_the_status_sent_in_an_update_is_ignored(clerk_api, court):
    case_file = CaseFileFactory(court=court)
    response = clerk_api.patch(detail(case_file), {"status": "closed", "title": "Renamed"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "filed"
    stored = CaseFile.objects.get(pk=case_file.pk)
    assert (stored.status, stored.title) == ("filed", "Renamed")
    assert StatusChange.objects.filter(case=case_file).count() == 1


def test_a_patch_without_parties_keeps_them_and_a_given_list_replaces_them(clerk_api, court):
    case_file = CaseFileFactory(court=court, parties=[{"role": "applicant", "name": "Arben Krasniqi"}])
    kept = clerk_api.patch(detail(case_file), {"location_box": "B-17"}, format="json")
    replaced = clerk_api.patch(
        detail(case_file), {"parties": [{"role": "accused", "name": "Vincenzo Pietropaolo"}]}, format="json"
    )
    assert [p["name"] for p in kept.json()["parties"]] == ["Arben Krasniqi"]
    assert [p["name"] for p in replaced.json()["parties"]] == ["Vincenzo Pietropaolo"]
    assert list(Party.objects.filter(case=case_file).values_list("name", flat=True)) == ["Vincenzo Pietropaolo"]


def test_renumbering_onto_a_number_that_exists_in_the_court_is_a_conflict_naming_the_number(clerk_api, court):
    CaseFileFactory(number="12/2024", court=court)
    other = CaseFileFactory(number="13/2024", court=court)
    response = clerk_api.patch(detail(other), {"number": "12/2024"}, format="json")
    assert response.status_code == 409
    assert "12/2024" in response.json()["detail"] and court.name in response.json()["detail"]
    assert response.json()["field"] == "number"
    assert CaseFile.objects.get(pk=other.pk).number == "13/2024"


def test_the_same_number_in_eastern_arabic_digits_is_a_duplicate(clerk_api, court):
    CaseFileFactory(number="12/2024", court=court)
    other = CaseFileFactory(number="13/2024", court=court)
    renumbered = clerk_api.patch(detail(other), {"number": "١٢/٢٠٢٤"}, format="json")
    registered = clerk_api.post(CASE_FILES, registration(court, number="١٢ / ٢٠٢٤"), format="json")
    assert renumbered.status_code == registered.status_code == 409
    assert "١٢/٢٠٢٤" in renumbered.json()["detail"]
    assert CaseFile.objects.get(pk=other.pk).number == "13/2024"
    assert CaseFile.objects.filter(court=court).count() == 2


def test_the_same_number_in_another_court_is_another_case(clerk_api, court):
    CaseFileFactory(number="43292/1444")
    response = clerk_api.post(CASE_FILES, registration(court), format="json")
    assert response.status_code == 201, response.json()
    assert CaseFile.objects.filter(number="43292/1444").count() == 2


def test_a_registration_without_a_number_names_the_number(clerk_api, court):
    response = clerk_api.post(CASE_FILES, registration(court, number=""), format="json")
    assert response.status_code == 400
    assert "number" in response.json()
    assert not CaseFile.objects.exists()


def test_a_valid_status_change_is_recorded_with_who_and_why(clerk_api, clerk, court):
    case_file = CaseFileFactory(court=court)
    response = clerk_api.post(
        f"{detail(case_file)}status/",
        {"to_status": "hearing", "reason": "First hearing set for 7/8/1443H", "effective_on": "2024-03-10"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["from_status"] == "filed" and response.json()["to_status"] == "hearing"

    body = clerk_api.get(detail(case_file)).json()
    assert body["status"] == "hearing"
    last = body["status_history"][-1]
    assert (last["to_status"], last["changed_by"], last["reason"], last["effective_on"]) == (
        "hearing",
        clerk.get_username(),
        "First hearing set for 7/8/1443H",
        "2024-03-10",
    )


def test_an_invalid_status_change_names_the_allowed_next_statuses(clerk_api, court):
    case_file = CaseFileFactory(number="5/2022", court=court)
    response = clerk_api.post(
        f"{detail(case_file)}status/", {"to_status": "executed", "reason": "Executed"}, format="json"
    )
    assert response.status_code == 400
    assert "Allowed next: Hearing, Closed" in response.json()["detail"]
    assert "5/2022" in response.json()["detail"]
    assert CaseFile.objects.get(pk=case_file.pk).status == "filed"
    assert StatusChange.objects.filter(case=case_file).count() == 1


def test_a_status_change_without_a_reason_is_refused(clerk_api, court):
    case_file = CaseFileFactory(court=court)
    missing = clerk_api.post(f"{detail(case_file)}status/", {"to_status": "hearing"}, format="json")
    blank = clerk_api.post(f"{detail(case_file)}status/", {"to_status": "hearing", "reason": "  "}, format="json")
    assert missing.status_code == blank.status_code == 400
    assert "reason" in missing.json() and "reason" in blank.json()
    assert CaseFile.objects.get(pk=case_file.pk).status == "filed"
    assert StatusChange.objects.filter(case=case_file).count() == 1


def test_a_status_that_does_not_exist_is_refused(clerk_api, court):
    case_file = CaseFileFactory(court=court)
    response = clerk_api.post(f"{detail(case_file)}status/", {"to_status": "pending", "reason": "x"}, format="json")
    assert response.status_code == 400
    assert "to_status" in response.json()
    assert CaseFile.objects.get(pk=case_file.pk).status == "filed"


@pytest.fixture
def deleting_registrar_api(api_as, registrar):
    """Deleting a case is for a registrar who could see anything it may hold: sealed, every mark, assigned."""
    clear(registrar, "sealed", ("JUVENILE", "GBV", "FAMILY"))
    return api_as(registrar)


def assigned(case_file, registrar):
    Assignment.objects.create(case=case_file, user=registrar, assigned_by=registrar)
    return case_file


def test_a_case_file_that_holds_documents_cannot_be_deleted(deleting_registrar_api, registrar, court):
    document = DocumentFactory(case=assigned(CaseFileFactory(number="272/2022", court=court), registrar))
    response = deleting_registrar_api.delete(detail(document.case))
    assert response.status_code == 400
    assert response.json()["detail"] == "Case 272/2022 holds documents, so it cannot be deleted."
    assert CaseFile.objects.filter(pk=document.case_id).exists()


def test_an_empty_case_file_can_be_deleted(deleting_registrar_api, registrar, court):
    case_file = assigned(CaseFileFactory(court=court, parties=[{"role": "applicant", "name": "Amina Yusuf"}]), registrar)
    response = deleting_registrar_api.delete(detail(case_file))
    assert response.status_code == 204
    assert not CaseFile.objects.filter(pk=case_file.pk).exists()
    assert not Party.objects.filter(name="Amina Yusuf").exists()
    assert deleting_registrar_api.get(detail(case_file)).status_code == 404


def test_a_registrar_who_could_not_see_all_a_case_may_hold_cannot_delete_it(registrar_api, court):
    case_file = CaseFileFactory(court=court)
    response = registrar_api.delete(detail(case_file))
    assert response.status_code == 400
    assert "every mark" in response.json()["detail"]
    assert CaseFile.objects.filter(pk=case_file.pk).exists()
