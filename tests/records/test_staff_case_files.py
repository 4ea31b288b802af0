"""Staff screens for one case file: registering it through the admin form, its page, and changing its status."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from records import services
from records.models import CaseFile, LegacyNumber, Party, StatusChange
from tests.factories import CaseFileFactory, CaseTypeFactory, DocumentFactory, InstitutionFactory
from tests.html_forms import form_data, post_form, submitted

pytestmark = pytest.mark.django_db

NUMBER = "2025/10062 E."


@pytest.fixture
def court():
    """The court the new cases are registered in."""
    return InstitutionFactory(name="Yargıtay 9th Civil Chamber")


@pytest.fixture
def labour():
    """A case type for labour disputes."""
    return CaseTypeFactory(code="labour", name="Labour")


@pytest.fixture
def case_file(clerk):
    """A filed case with two parties, a legacy number and one document."""
    case_file = CaseFileFactory(
        number="2013/0417",
        court=InstitutionFactory(name="Supreme Court of the United States"),
        title="Tarrant Regional Water District v. Herrmann",
        date_filed=datetime.date(2013, 1, 4),
        parties=[
            {"role": "applicant", "name": "Tarrant Regional Water District", "national_id": "7841 2209 5563"},
            {"role": "respondent", "name": "Rudolf John Herrmann", "national_id": "1102 3344 5566"},
        ],
        legacy_numbers=["11-889"],
        actor=clerk,
    )
    DocumentFactory(case=case_file, title="Tarrant v. Herrmann, slip opinion", actor=clerk)
    return case_file








def inline_rows(form, prefix, rows):
    """Data for `rows` of an InlinePanel, from the field names (and defaults) of its empty-form template."""
    template = form.find_all(attrs={"name": re.compile(f"^{prefix}-__prefix__-")})
    data = {}
    for index, row in enumerate(rows):
        blank = submitted(template, rename=lambda name, index=index: name.replace("__prefix__", str(index)))
        unknown = {f"{prefix}-{index}-{name}" for name in row} - set(blank) - {f"{prefix}-{index}-DELETE"}
        assert not unknown, f"the form has no fields {unknown}"
        data.update(blank, **{f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return {**data, f"{prefix}-TOTAL_FORMS": str(len(rows))}


def registration(form, court, case_type, number=NUMBER):
    """The add form filled in for a labour case with two parties and a legacy number."""
    assert {"parties-TOTAL_FORMS", "parties-INITIAL_FORMS", "legacy_numbers-TOTAL_FORMS"} <= set(form_data(form))
    return {
        **form_data(form),
        "number": number,
        "court": str(court.pk),
        "case_type": str(case_type.pk),
        "date_filed": "2025-01-12",
        "title": "İşçi v. İşveren",
        **inline_rows(
            form,
            "parties",
            [
                {"role": "applicant", "name": "Ayşe Yılmaz", "national_id": "1102 3344 5566", "sex": "female"},
                {"role": "respondent", "name": "Anadolu Lojistik A.Ş."},
            ],
        ),
        **inline_rows(form, "legacy_numbers", [{"number": "İş-2024/881", "source": "Labour court register"}]),
    }


def test_a_clerk_registers_a_case_with_parties_and_legacy_numbers(clerk, clerk_client, court, labour):
    form = post_form(clerk_client.get(reverse("records_casefile:add")))

    response = clerk_client.post(reverse("records_casefile:add"), registration(form, court, labour))

    case_file = CaseFile.objects.get(court=court, number=NUMBER)
    assert response.status_code == 302
    assert response["Location"] == reverse("records_casefile:inspect", args=[case_file.pk])
    assert (case_file.case_type, case_file.date_filed, case_file.status) == (labour, datetime.date(2025, 1, 12), "filed")
    assert [(p.role, p.name, p.national_id, p.sex) for p in case_file.parties.all()] == [
        ("applicant", "Ayşe Yılmaz", "1102 3344 5566", "female"),
        ("respondent", "Anadolu Lojistik A.Ş.", "", "not_recorded"),
    ]
    assert [(n.number, n.source) for n in case_file.legacy_numbers.all()] == [("İş-2024/881", "Labour court register")]
    first = StatusChange.objects.get(case=case_file)
    assert (first.from_status, first.to_status, first.changed_by, first.effective_on) == (
        "", "filed", clerk, datetime.date(2025, 1, 12),
    )
    assert CaseFile.objects.with_party_national_id("11023344 5566").get() == case_file


def test_registering_a_number_that_exists_in_the_court_shows_the_error_and_saves_nothing(
    clerk, clerk_client, court, labour
):
    CaseFileFactory(number=NUMBER, court=court, actor=clerk)
    counts = [model.objects.count() for model in (CaseFile, Party, LegacyNumber, StatusChange)]
    form = post_form(clerk_client.get(reverse("records_casefile:add")))

    response = clerk_client.post(reverse("records_casefile:add"), registration(form, court, labour, "2025/10062  e."))

    assert response.status_code == 200
    assert f"Case number 2025/10062  e. already exists in {court.name}" in response.content.decode()
    number_field = BeautifulSoup(response.content, "html.parser").find(attrs={"data-contentpath": "number"})
    assert "already exists" in number_field.get_text()
    assert [model.objects.count() for model in (CaseFile, Party, LegacyNumber, StatusChange)] == counts
    assert not Party.objects.filter(name="Ayşe Yılmaz").exists()


def test_the_same_number_in_another_court_is_a_different_case(clerk, clerk_client, court, labour):
    CaseFileFactory(number=NUMBER, court=InstitutionFactory(), actor=clerk)
    form = post_form(clerk_client.get(reverse("records_casefile:add")))

    response = clerk_client.post(reverse("records_casefile:add"), registration(form, court, labour))

    assert response.status_code == 302
    assert CaseFile.objects.filter(number=NUMBER).count() == 2


def test_a_clerk_edits_a_case_through_its_form_and_is_taken_back_to_it(clerk_client, case_file):
    # The edit screen answered 500 after saving: its success message passed the instance to Wagtail's edit
    # view, whose get_success_message takes none (only the create view's does).
    url = reverse("records_casefile:edit", args=[case_file.pk])
    data = {name: value for name, value in form_data(post_form(clerk_client.get(url))).items() if value is not None}

    response = clerk_client.post(url, {**data, "title": "Tarrant v. Herrmann (retitled)"}, follow=True)

    assert response.redirect_chain == [(reverse("records_casefile:inspect", args=[case_file.pk]), 302)]
    assert [str(message) for message in response.context["messages"]]
    case_file.refresh_from_db()
    assert case_file.title == "Tarrant v. Herrmann (retitled)"


@pytest.mark.parametrize("posted", ["4f0c-not-a-number", None])
@pytest.mark.parametrize("field", ["parties-0-id", "legacy_numbers-0-id"])
def test_an_inline_rows_id_that_is_not_a_number_or_left_out_is_refused_without_a_server_error(clerk_client, case_file, field, posted):
    # modelcluster turned the id of an inline row straight into the model's integer and raised (a 500).
    url = reverse("records_casefile:edit", args=[case_file.pk])
    data = {name: value for name, value in form_data(post_form(clerk_client.get(url))).items() if value is not None}
    assert field in data
    data["title"] = "Retitled"
    if posted is None:
        del data[field]
    else:
        data[field] = posted

    response = clerk_client.post(url, data)

    assert response.status_code == 200
    row_errors = response.context["form"].formsets[field.split("-")[0]].forms[0].errors
    assert list(row_errors) == ["id"]  # the row's form names what is wrong
    assert "Retitled" != CaseFile.objects.get(pk=case_file.pk).title
    assert Party.objects.filter(case=case_file).count() == 2 and LegacyNumber.objects.filter(case=case_file).count() == 1


def test_the_case_page_shows_particulars_parties_documents_and_life_cycle(clerk_client, case_file):
    response = clerk_client.get(reverse("records_casefile:inspect", args=[case_file.pk]))

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("[data-testid=case-number]").get_text(strip=True) == "2013/0417"
    assert page.select_one("[data-testid=case-status]").get_text(strip=True) == "Filed"
    particulars = page.select_one("#case-particulars").find_next("dl").get_text(" ", strip=True)
    for shown in ("Supreme Court of the United States", "Civil", "2013-01-04", "11-889", str(case_file.pk)):
        assert shown in particulars
    parties = [
        [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in page.select_one("#case-parties").find_next("table").select("tbody tr")
    ]
    assert [row[:3] for row in parties] == [
        ["Applicant / plaintiff", "Tarrant Regional Water District", "7841 2209 5563"],
        ["Respondent / defendant", "Rudolf John Herrmann", "1102 3344 5566"],
    ]
    document = case_file.documents.get()
    link = page.select_one("#case-documents").find_next("table").find("a")
    assert (link.get_text(strip=True), link["href"]) == (
        document.title, reverse("records_document:inspect", args=[document.pk]),
    )
    history = page.select_one("#case-history").find_next("table").select("tbody tr")
    assert [row.find_all("td")[1].get_text(strip=True) for row in history] == ["Filed"]
    assert "Registered" in history[0].get_text()


def test_the_case_page_offers_a_status_change_to_a_clerk(clerk_client, case_file):
    response = clerk_client.get(reverse("records_casefile:inspect", args=[case_file.pk]))
    assert reverse("records_casefile:change_status", args=[case_file.pk]) in response.content.decode()


def test_the_status_page_offers_only_the_allowed_next_statuses(clerk_client, case_file):
    form = post_form(clerk_client.get(reverse("records_casefile:change_status", args=[case_file.pk])))

    options = {o["value"]: o.get_text(strip=True) for o in form.find("select", {"name": "to_status"}).find_all("option")}
    assert options == {"hearing": "Hearing", "closed": "Closed"}
    assert "executed" not in options and "archived" not in options


def test_a_status_change_moves_the_case_and_appears_in_its_history(clerk, clerk_client, case_file):
    url = reverse("records_casefile:change_status", args=[case_file.pk])
    data = {**form_data(post_form(clerk_client.get(url))), "to_status": "hearing",
            "effective_on": "2013-03-12", "reason": "Set down for oral argument"}

    response = clerk_client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("records_casefile:inspect", args=[case_file.pk])
    case_file.refresh_from_db()
    assert case_file.status == "hearing"
    change = case_file.status_changes.last()
    assert (change.from_status, change.to_status, change.changed_by, change.effective_on, change.reason) == (
        "filed", "hearing", clerk, datetime.date(2013, 3, 12), "Set down for oral argument",
    )
    page = BeautifulSoup(clerk_client.get(response["Location"]).content, "html.parser")
    assert page.select_one("[data-testid=case-status]").get_text(strip=True) == "Hearing"
    rows = page.select_one("#case-history").find_next("table").select("tbody tr")
    last = [cell.get_text(strip=True) for cell in rows[-1].find_all("td")]
    assert (last[0], last[1], last[2], last[3], last[5]) == (
        "Filed", "Hearing", "2013-03-12", clerk.get_full_name(), "Set down for oral argument",
    )


def test_a_status_change_without_a_reason_shows_the_error_and_changes_nothing(clerk_client, case_file):
    url = reverse("records_casefile:change_status", args=[case_file.pk])
    data = {**form_data(post_form(clerk_client.get(url))), "to_status": "closed", "reason": "   "}

    response = clerk_client.post(url, data)

    assert response.status_code == 200
    reason_field = BeautifulSoup(response.content, "html.parser").find("textarea", {"name": "reason"})
    assert "This field is required." in reason_field.find_parent(attrs={"data-field": True}).get_text()
    case_file.refresh_from_db()
    assert case_file.status == "filed" and case_file.date_closed is None
    assert case_file.status_changes.count() == 1


def test_a_status_the_life_cycle_does_not_allow_is_refused(clerk_client, case_file):
    url = reverse("records_casefile:change_status", args=[case_file.pk])

    response = clerk_client.post(url, {"to_status": "executed", "reason": "Judgment enforced"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    case_file.refresh_from_db()
    assert case_file.status == "filed" and case_file.status_changes.count() == 1


def test_an_archived_case_offers_no_status_change(clerk, clerk_client, case_file):
    for status in ("closed", "archived"):
        services.change_status(case_file, status, actor=clerk, reason="Routine")

    page = clerk_client.get(reverse("records_casefile:inspect", args=[case_file.pk])).content.decode()

    assert reverse("records_casefile:change_status", args=[case_file.pk]) not in page
    response = clerk_client.post(
        reverse("records_casefile:change_status", args=[case_file.pk]), {"to_status": "closed", "reason": "Reopen"}
    )
    case_file.refresh_from_db()
    assert response.status_code == 200 and case_file.status == "archived"
