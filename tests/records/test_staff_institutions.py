"""Staff screens for institutions: the court hierarchy is built from the admin and cannot loop."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from records.models import Institution
from tests.factories import CaseFileFactory, InstitutionFactory

pytestmark = pytest.mark.django_db

CYCLE_ERROR = "An institution cannot sit under itself or one of its own branches."


@pytest.fixture
def high_court():
    """A high court with one magistrates' court under it."""
    court = InstitutionFactory(code="ZA-GJ", name="Gauteng Division of the High Court")
    InstitutionFactory(code="ZA-GJ-JHB-MC", name="Johannesburg Magistrates' Court", parent=court)
    return court


def edit_data(institution, **changes):
    """The edit form's fields for `institution`, with `changes`."""
    data = {
        "code": institution.code,
        "name": institution.name,
        "kind": institution.kind,
        "parent": str(institution.parent_id or ""),
        "is_active": "on" if institution.is_active else "",
    }
    return {**data, **changes}


def parent_field_text(response):
    """The text around the parent field, where Wagtail shows that field's errors."""
    select = BeautifulSoup(response.content, "html.parser").find("select", {"name": "parent"})
    return select.find_parent(attrs={"data-field": True}).get_text(" ", strip=True)


def test_the_institution_form_has_the_fields_it_saves(registrar_client):
    response = registrar_client.get(reverse("records_institution:add"))
    form = BeautifulSoup(response.content, "html.parser").find("main").find("form")
    names = {field.get("name") for field in form.find_all(["input", "select", "textarea"])}
    assert {"code", "name", "kind", "parent", "is_active"} <= names


def test_a_registrar_creates_an_institution_under_a_parent(registrar_client, high_court):
    response = registrar_client.post(
        reverse("records_institution:add"),
        {"code": "ZA-GJ-PTA-MC", "name": "Pretoria Magistrates' Court", "kind": "court",
         "parent": str(high_court.pk), "is_active": "on"},
    )

    assert response.status_code == 302
    created = Institution.objects.get(code="ZA-GJ-PTA-MC")
    assert (created.name, created.kind, created.parent, created.is_active) == (
        "Pretoria Magistrates' Court", "court", high_court, True,
    )
    assert set(high_court.children.values_list("code", flat=True)) == {"ZA-GJ-JHB-MC", "ZA-GJ-PTA-MC"}


def test_an_institution_cannot_be_put_under_its_own_branch(registrar_client, high_court):
    branch = high_court.children.get()

    response = registrar_client.post(
        reverse("records_institution:edit", args=[high_court.pk]), edit_data(high_court, parent=str(branch.pk))
    )

    assert response.status_code == 200
    assert CYCLE_ERROR in parent_field_text(response)
    high_court.refresh_from_db()
    assert high_court.parent is None


def test_an_institution_cannot_be_put_under_a_branch_of_its_branch(registrar_client, high_court):
    branch = high_court.children.get()
    twig = InstitutionFactory(code="ZA-GJ-JHB-MC-SC", name="Small Claims Court, Johannesburg", parent=branch)

    response = registrar_client.post(
        reverse("records_institution:edit", args=[high_court.pk]), edit_data(high_court, parent=str(twig.pk))
    )

    assert CYCLE_ERROR in parent_field_text(response)
    high_court.refresh_from_db()
    assert high_court.parent is None


def test_an_institution_cannot_be_its_own_parent(registrar_client, high_court):
    response = registrar_client.post(
        reverse("records_institution:edit", args=[high_court.pk]), edit_data(high_court, parent=str(high_court.pk))
    )

    assert CYCLE_ERROR in parent_field_text(response)
    high_court.refresh_from_db()
    assert high_court.parent is None


def test_a_clerk_cannot_add_institutions(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("records_institution:add"), {"code": "X-1", "name": "Invented Court", "kind": "court"}
    )
    assert response.status_code in (302, 403)
    assert not Institution.objects.filter(code="X-1").exists()


def test_raising_a_case_types_floor_seals_its_registered_cases_and_is_recorded(registrar_client):
    from audit.models import AuditEvent
    from records.models import CaseType, Mark
    from tests.factories import CaseFileFactory, CaseTypeFactory

    family = CaseTypeFactory(code="family")
    cases = [CaseFileFactory(case_type=family) for _ in range(2)]
    assert {case.level for case in cases} == {"internal"}
    family_mark = Mark.objects.get(code="FAMILY")

    response = registrar_client.post(
        reverse("records_casetype:edit", args=[family.pk]),
        {
            "code": "family",
            "name": "Family",
            "description": "",
            "default_level": "confidential",
            "default_marks": [str(family_mark.pk)],
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert CaseType.objects.get(pk=family.pk).default_level == "confidential"
    for case in cases:
        case.refresh_from_db()
        assert case.level == "confidential"
        assert list(case.marks.values_list("code", flat=True)) == ["FAMILY"]
        assert case.classification_changes.get().by_rule
    change = AuditEvent.objects.filter(action="change", target_type="records.casetype").get()
    assert change.after["default_level"] == "confidential"


# Deleting what case files or the records still name (issue 11, finding 8: a court's deletion answered 500) ----


@pytest.mark.parametrize("what", ["court", "case type"])
def test_deleting_a_court_or_case_type_that_case_files_name_is_refused_with_a_message(client, superuser, clerk, what):
    case_file = CaseFileFactory(actor=clerk)
    target = case_file.court if what == "court" else case_file.case_type
    viewset = "records_institution" if what == "court" else "records_casetype"
    client.force_login(superuser)

    response = client.post(reverse(f"{viewset}:delete", args=[target.pk]), follow=True)

    assert response.status_code == 200
    assert "still used by case files" in " ".join(str(message) for message in response.context["messages"])
    assert type(target).objects.filter(pk=target.pk).exists()


def test_deleting_a_user_who_acted_in_the_records_is_refused_with_a_message(client, superuser, clerk):
    CaseFileFactory(actor=clerk)
    client.force_login(superuser)

    response = client.post(reverse("wagtailusers_users:delete", args=[clerk.pk]), follow=True)

    assert response.status_code == 200
    assert "deactivate the account instead" in " ".join(str(message) for message in response.context["messages"])
    assert type(clerk).objects.filter(pk=clerk.pk).exists()
