"""Field filters (typed or chosen), search within one case, and facets counted after filtering."""

import datetime

import pytest

from search import service
from tests.search.behaviour.reading import facet, found

pytestmark = pytest.mark.django_db

RULING = "The appeal is dismissed and the judgment of the commercial court is upheld."


@pytest.fixture
def rulings(shelf):
    """Four rulings and a statute that share a word, across two courts, three years, three languages."""
    one = shelf.case(number="10/2019")
    shelf.add([RULING], title="First court 2019", case=one, date=datetime.date(2019, 3, 1))
    shelf.add([RULING], title="First court 2020", date=datetime.date(2020, 3, 1), case_type=shelf.commercial)
    shelf.add([RULING + " Cour d'appel."], title="Second court 2021", languages=["fra"], court=shelf.other_court,
              date=datetime.date(2021, 3, 1))
    shelf.add([RULING + " المحكمة"], title="Second court 2021 Arabic", languages=["ara", "eng"],
              court=shelf.other_court, date=datetime.date(2021, 6, 1))
    shelf.add(["Every appeal shall be lodged within thirty days."], title="Statute", legislation=True,
              date=datetime.date(2015, 1, 1))
    shelf.first_case = one
    return shelf


def test_court_year_kind_type_and_language_filters_typed_in_the_box(rulings, searching_clerk):
    assert found(searching_clerk, "appeal court:SRCH-2") == {"Second court 2021", "Second court 2021 Arabic"}
    assert found(searching_clerk, "appeal court:srch-2") == {"Second court 2021", "Second court 2021 Arabic"}
    assert found(searching_clerk, "appeal year:2020..2021") == {"First court 2020", "Second court 2021", "Second court 2021 Arabic"}
    assert found(searching_clerk, "appeal year:2019") == {"First court 2019"}
    assert found(searching_clerk, "appeal kind:legislation") == {"Statute"}
    assert found(searching_clerk, "appeal type:commercial") == {"First court 2020"}
    assert found(searching_clerk, "appeal lang:fra") == {"Second court 2021"}
    assert found(searching_clerk, "appeal lang:ar") == {"Second court 2021 Arabic"}


def test_filters_chosen_apart_from_the_query(rulings, searching_clerk):
    chosen = {"court": ["SRCH-1"], "year": ["2019"]}
    assert found(searching_clerk, "appeal", filters=chosen) == {"First court 2019"}
    assert found(searching_clerk, "", filters={"kind": ["legislation"]}) == {"Statute"}


def test_two_values_of_one_filter_mean_either(rulings, searching_clerk):
    assert found(searching_clerk, "appeal year:2019 year:2015") == {"First court 2019", "Statute"}


def test_search_within_one_case_by_number_or_id(rulings, searching_clerk):
    case = rulings.first_case
    assert found(searching_clerk, 'appeal case:"10/2019"') == {"First court 2019"}
    assert found(searching_clerk, "appeal", filters={"case": [str(case.pk)]}) == {"First court 2019"}


def test_a_filter_naming_nothing_finds_nothing_and_says_so(rulings, searching_clerk):
    outcome = service.search(searching_clerk, "appeal court:NOWHERE")
    assert outcome.count == 0 and outcome.notice


def test_facets_count_documents_per_value(rulings, searching_clerk):
    outcome = service.search(searching_clerk, "appeal")
    assert outcome.count == 5
    assert facet(outcome, "court") == {"SRCH-1": 2, "SRCH-2": 2}
    assert facet(outcome, "year") == {"2015": 1, "2019": 1, "2020": 1, "2021": 2}
    assert facet(outcome, "kind") == {"judgment": 4, "legislation": 1}
    assert facet(outcome, "language") == {"eng": 4, "fra": 1, "ara": 1}
    assert facet(outcome, "case_type") == {"civil": 3, "commercial": 1}


def test_facets_are_counted_after_the_filters(rulings, searching_clerk):
    outcome = service.search(searching_clerk, "appeal court:SRCH-2")
    assert outcome.count == 2
    assert facet(outcome, "court") == {"SRCH-2": 2}
    assert facet(outcome, "year") == {"2021": 2}
    chosen = [option for f in outcome.facets if f.name == "court" for option in f.options if option.selected]
    assert [option.value for option in chosen] == ["SRCH-2"]
