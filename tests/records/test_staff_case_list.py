"""The staff case list: what it shows, the search box and each filter, and who may open it."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from records import services
from tests.factories import CaseFileFactory, CaseTypeFactory, InstitutionFactory

pytestmark = pytest.mark.django_db

CASE_LIST = reverse("records_casefile:index")
ALL_NUMBERS = {"101/2024", "2025/10062 E.", "88/2023"}


@pytest.fixture
def cases(clerk):
    """Three cases that differ in court, type, status, year, parties and legacy numbers."""
    johannesburg = InstitutionFactory(name="Gauteng High Court, Johannesburg")
    yargitay = InstitutionFactory(name="Yargıtay 9th Civil Chamber")
    civil, criminal = CaseTypeFactory(code="civil"), CaseTypeFactory(code="criminal")
    pietropaolo = CaseFileFactory(
        number="101/2024",
        court=johannesburg,
        case_type=criminal,
        title="S v. Pietropaolo",
        date_filed=datetime.date(2024, 2, 1),
        parties=[
            {"role": "accused", "name": "Rocco Pietropaolo", "national_id": "7841 2209 5563"},
            {"role": "prosecutor", "name": "National Prosecuting Authority"},
        ],
        legacy_numbers=["SS-17/1998"],
        actor=clerk,
    )
    yargitay_case = CaseFileFactory(
        number="2025/10062 E.",
        court=yargitay,
        case_type=civil,
        title="İşçi v. İşveren",
        date_filed=datetime.date(2025, 1, 12),
        parties=[{"role": "applicant", "name": "Ayşe Yılmaz", "national_id": "1102 3344 5566"}],
        actor=clerk,
    )
    mec = CaseFileFactory(
        number="88/2023",
        court=johannesburg,
        case_type=civil,
        title="MEC for Health, Gauteng v. M",
        date_filed=datetime.date(2023, 9, 4),
        parties=[{"role": "respondent", "name": "Thandeka Mokoena", "national_id": "8001 0150 0908"}],
        actor=clerk,
    )
    services.change_status(mec, "hearing", actor=clerk, reason="Set down for hearing")
    return {case.number: case for case in (pietropaolo, yargitay_case, mec)}


def listed_rows(response):
    """The rows of the case list, as {case number: [the texts of the row's cells]}."""
    assert response.status_code == 200
    table = BeautifulSoup(response.content, "html.parser").select_one("main table.listing")
    if table is None:  # an empty result shows a message instead of a table
        return {}
    rows = {}
    for row in table.select("tbody tr"):
        cells = [cell.get_text(" ", strip=True) for cell in row.find_all("td", recursive=False)]
        number = row.select_one("td.title a").get_text(strip=True)
        rows[number] = [number, *cells[1:]]
    return rows


def assert_lists_only(response, shown):
    """The list holds exactly the cases `shown`; the others' numbers appear nowhere on the page."""
    assert set(listed_rows(response)) == shown
    html = response.content.decode()
    for number in shown:
        assert number in html
    for number in ALL_NUMBERS - shown:
        assert number not in html


def test_the_case_list_shows_number_court_and_status_of_every_case(clerk_client, cases):
    rows = listed_rows(clerk_client.get(CASE_LIST))

    assert set(rows) == ALL_NUMBERS
    assert rows["101/2024"][:6] == [
        "101/2024", "S v. Pietropaolo", "Gauteng High Court, Johannesburg", "Criminal", "Filed", "2024-02-01",
    ]
    assert rows["2025/10062 E."][2:5] == ["Yargıtay 9th Civil Chamber", "Civil", "Filed"]
    assert rows["88/2023"][4] == "Hearing"


def test_the_case_list_links_each_number_to_its_case_page(clerk_client, cases):
    page = BeautifulSoup(clerk_client.get(CASE_LIST).content, "html.parser")
    # The number sits in its left-to-right isolate inside the link.
    link = page.find("bdi", class_="sijill-id", string="88/2023").find_parent("a")
    assert link["href"] == reverse("records_casefile:inspect", args=[cases["88/2023"].pk])


def test_the_newest_filing_comes_first(clerk_client, cases):
    assert list(listed_rows(clerk_client.get(CASE_LIST))) == ["2025/10062 E.", "101/2024", "88/2023"]


@pytest.mark.parametrize(
    "query, found",
    [
        pytest.param("2025/10062 E.", "2025/10062 E.", id="case number"),
        pytest.param("2025 / 10062 e.", "2025/10062 E.", id="case number typed loosely"),
        pytest.param("SS-17/1998", "101/2024", id="legacy number"),
        pytest.param("784122095563", "101/2024", id="national ID without its spaces"),
        pytest.param("1102.3344.5566", "2025/10062 E.", id="national ID with dots"),
        pytest.param("Mokoen", "88/2023", id="part of a party name"),
        pytest.param("ayse yilmaz", "2025/10062 E.", id="party name without its accents"),
    ],
)
def test_the_search_box_finds_a_case(clerk_client, cases, query, found):
    assert_lists_only(clerk_client.get(CASE_LIST, {"q": query}), {found})


def test_a_search_that_matches_nothing_lists_no_case(clerk_client, cases):
    assert_lists_only(clerk_client.get(CASE_LIST, {"q": "9999/1900"}), set())


@pytest.mark.parametrize(
    "name, value, shown",
    [
        pytest.param("court", lambda c: c["101/2024"].court_id, {"101/2024", "88/2023"}, id="court"),
        pytest.param("status", lambda c: "hearing", {"88/2023"}, id="status"),
        pytest.param("status", lambda c: "filed", {"101/2024", "2025/10062 E."}, id="status filed"),
        pytest.param("case_type", lambda c: c["101/2024"].case_type_id, {"101/2024"}, id="case type"),
        pytest.param("year", lambda c: 2025, {"2025/10062 E."}, id="year"),
        pytest.param("year", lambda c: 1999, set(), id="year without cases"),
        pytest.param("national_id", lambda c: "800101500908", {"88/2023"}, id="national ID"),
        pytest.param("national_id", lambda c: "8001 0150", set(), id="national ID is never partial"),
        pytest.param("party", lambda c: "pietro", {"101/2024"}, id="party name"),
        pytest.param("number", lambda c: "88/2023", {"88/2023"}, id="case number"),
        pytest.param("number", lambda c: "ss-17/1998", {"101/2024"}, id="legacy number"),
    ],
)
def test_each_filter_narrows_the_case_list(clerk_client, cases, name, value, shown):
    assert_lists_only(clerk_client.get(CASE_LIST, {name: value(cases)}), shown)


def test_filters_combine(clerk_client, cases):
    court = cases["101/2024"].court_id
    assert_lists_only(clerk_client.get(CASE_LIST, {"court": court, "year": 2023}), {"88/2023"})
    assert_lists_only(clerk_client.get(CASE_LIST, {"court": court, "q": "Yılmaz"}), set())


def test_a_user_without_records_permissions_cannot_reach_the_case_list(client, outsider, cases):
    client.force_login(outsider)
    response = client.get(CASE_LIST)

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].split("?")[0] != CASE_LIST
    followed = client.get(CASE_LIST, follow=True)
    for number in ALL_NUMBERS:
        assert number not in followed.content.decode()


def test_a_signed_out_visitor_is_sent_to_sign_in(client, cases):
    response = client.get(CASE_LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
