"""The access rule inside the search: hits, counts and facets after filtering, and changes at once."""

import pytest

from audit.models import AuditEvent
from records import classification, services
from records.models import Assignment
from search import service
from tests.factories import UserFactory
from tests.search.behaviour.reading import facet, found

pytestmark = pytest.mark.django_db

SECRET = "Wanjirumbugua"  # a word only the sealed report holds


@pytest.fixture
def mixed(shelf):
    """Two open rulings and a sealed juvenile report in another court, all about custody."""
    shelf.add(["The custody appeal is dismissed."], title="Open ruling")
    shelf.add(["Custody is granted to the mother."], title="Internal ruling")
    shelf.sealed = shelf.add(
        [f"Social enquiry report on the child {SECRET}: custody with the grandmother."],
        title="Sealed report", kind="social_enquiry_report", case_type=shelf.juvenile, court=shelf.other_court,
    )
    return shelf


def snapshot(outcome):
    return (outcome.count, [hit.document.pk for hit in outcome.hits], [(f.name, [(o.value, o.count) for o in f.options]) for f in outcome.facets])


def test_a_clerk_neither_finds_nor_counts_a_sealed_document(mixed, searching_clerk):
    outcome = service.search(searching_clerk, "custody")
    assert outcome.count == 2
    assert {hit.document.title for hit in outcome.hits} == {"Open ruling", "Internal ruling"}
    assert facet(outcome, "court") == {"SRCH-1": 2}
    assert facet(outcome, "kind") == {"judgment": 2}
    assert "social_enquiry_report" not in facet(outcome, "kind")


def test_a_sealed_documents_words_give_a_clerk_what_a_word_that_exists_nowhere_gives(mixed, searching_clerk):
    assert snapshot(service.search(searching_clerk, SECRET)) == snapshot(service.search(searching_clerk, "Qqzxywvutsr"))
    assert snapshot(service.search(searching_clerk, f'"child {SECRET}"')) == snapshot(service.search(searching_clerk, '"child Qqzxywvutsr"'))
    assert snapshot(service.search(searching_clerk, "kind:social_enquiry_report")) == snapshot(
        service.search(searching_clerk, "kind:minutes")
    )


def test_an_assigned_judge_finds_and_counts_it(mixed, judge):
    outcome = service.search(judge, "custody")
    assert outcome.count == 3
    assert facet(outcome, "court") == {"SRCH-1": 2, "SRCH-2": 1}
    assert found(judge, SECRET) == {"Sealed report"}


def test_clearance_without_assignment_is_not_enough(mixed):
    unassigned = UserFactory(role="judge", clearance="sealed", marks=("JUVENILE", "GBV", "FAMILY"))
    assert found(unassigned, SECRET) == set()
    assert service.search(unassigned, "custody").count == 2


def test_sealing_a_case_hides_it_from_search_before_the_request_returns(shelf, searching_clerk, committed, queued_tasks):
    document = shelf.add(["Guardianship of the minor is ordered."], title="To be sealed")
    assert found(searching_clerk, "guardianship") == {"To be sealed"}
    with committed():
        classification.classify_case(document.case, actor=shelf.registrar, level="sealed", marks=["GBV"])
    # No background indexing ran (it is only queued): the announcement's handler copied the level at commit.
    assert [result.task.name for result in queued_tasks.results] == ["index_pending"]
    assert found(searching_clerk, "guardianship") == set()
    assert service.search(searching_clerk, "guardianship").count == 0


def test_unsealing_shows_it_again_at_once(shelf, searching_clerk, committed, queued_tasks):
    document = shelf.add(["Guardianship of the minor is ordered."], title="Sealed then opened", level="sealed")
    assert found(searching_clerk, "guardianship") == set()
    with committed():
        classification.classify_case(
            document.case, actor=shelf.registrar, level="internal", reason="Order of the court", court_order="7/2024"
        )
    assert found(searching_clerk, "guardianship") == {"Sealed then opened"}


def test_restricting_one_document_beyond_its_case_hides_only_that_document(shelf, searching_clerk, judge, committed):
    case = shelf.case()
    shelf.add(["The hearing on custody is adjourned."], title="Minutes", case=case, kind="minutes")
    report = shelf.add(["The custody assessment of the family."], title="Assessment", case=case)
    classification.assign(case, actor=shelf.registrar, group=shelf.bench)
    with committed():
        classification.classify_document(report, actor=shelf.registrar, level="sealed", marks=["FAMILY"])
    assert found(searching_clerk, "custody") == {"Minutes"}
    assert found(judge, "custody") == {"Minutes", "Assessment"}


def test_an_assignment_given_or_taken_applies_to_the_next_search(mixed):
    reader = UserFactory(role="judge", clearance="sealed", marks=("JUVENILE",))
    assert found(reader, SECRET) == set()
    assignment = classification.assign(mixed.sealed.case, actor=mixed.registrar, user=reader)
    assert found(reader, SECRET) == {"Sealed report"}
    classification.unassign(Assignment.objects.get(pk=assignment.pk), actor=mixed.registrar)
    assert found(reader, SECRET) == set()


def test_searching_within_a_hidden_case_answers_as_a_case_that_does_not_exist(mixed, searching_clerk):
    hidden = service.search(searching_clerk, "custody", filters={"case": [str(mixed.sealed.case.pk)]})
    missing = service.search(searching_clerk, "custody", filters={"case": ["00000000-0000-4000-8000-00000000dead"]})
    assert snapshot(hidden) == snapshot(missing) and hidden.notice == missing.notice.replace(
        "00000000-0000-4000-8000-00000000dead", str(mixed.sealed.case.pk)
    )
    by_number = service.search(searching_clerk, f'custody case:"{mixed.sealed.case.number}"')
    assert by_number.count == 0


def test_a_deleted_document_leaves_the_index(shelf, searching_clerk, committed):
    document = shelf.add(["Registered by mistake: custody."], title="Mistake")
    with committed():
        services.delete_document(document, actor=shelf.registrar)
    assert found(searching_clerk, "mistake") == set()


def test_a_search_by_someone_cleared_beyond_open_items_is_audited_with_the_cases_it_found(mixed, judge, searching_clerk):
    searches = AuditEvent.objects.filter(action="search")
    before = searches.count()
    service.search(searching_clerk, "custody")
    assert searches.count() == before  # a clerk sees open items only: nothing to record
    service.search(judge, SECRET)
    event = searches.order_by("-seq").first()
    assert event.actor == judge and event.after["query"] == SECRET
    assert list(event.scope.values_list("case_ref", flat=True)) == [mixed.sealed.case.pk]


def test_a_case_number_typed_by_a_judge_is_audited_under_that_case(mixed, judge):
    """The words typed name a sealed case even when no page holds them: only those who may see the case
    read the event, as for the case list's search."""
    case = mixed.sealed.case
    service.search(judge, case.number)
    event = AuditEvent.objects.filter(action="search").order_by("-seq").first()
    assert event.after["query"] == case.number
    assert case.pk in set(event.scope.values_list("case_ref", flat=True))


def test_a_case_filter_is_audited_under_that_case(mixed, judge):
    case = mixed.sealed.case
    service.search(judge, "custody", filters={"case": [str(case.pk)]})
    event = AuditEvent.objects.filter(action="search").order_by("-seq").first()
    assert set(event.scope.values_list("case_ref", flat=True)) == {case.pk}
