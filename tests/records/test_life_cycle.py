import datetime

import pytest

from records import services
from records.errors import InvalidTransition, RecordsError
from records.lifecycle import TRANSITIONS, Status, is_allowed
from records.models import CaseFile, StatusChange
from tests.factories import CaseFileFactory

pytestmark = pytest.mark.django_db


def test_a_case_goes_from_filing_to_archive_with_each_step_recorded(clerk):
    case_file = CaseFileFactory()
    steps = [
        (Status.HEARING, datetime.date(2024, 3, 1), "First hearing"),
        (Status.JUDGMENT, datetime.date(2024, 6, 1), "Judgment delivered"),
        (Status.CLOSED, datetime.date(2024, 7, 1), "No appeal lodged"),
        (Status.EXECUTED, datetime.date(2024, 9, 1), "Paid in full"),
        (Status.ARCHIVED, datetime.date(2025, 1, 5), "Sent to the archive"),
    ]
    for status, day, reason in steps:
        services.change_status(case_file, status, actor=clerk, reason=reason, effective_on=day)

    case_file.refresh_from_db()
    assert case_file.status == Status.ARCHIVED
    assert case_file.date_judgment == datetime.date(2024, 6, 1)
    assert case_file.date_closed == datetime.date(2024, 7, 1)
    history = list(StatusChange.objects.filter(case=case_file).values_list("from_status", "to_status", "reason"))
    assert history[1:] == [
        ("filed", "hearing", "First hearing"),
        ("hearing", "judgment", "Judgment delivered"),
        ("judgment", "closed", "No appeal lodged"),
        ("closed", "executed", "Paid in full"),
        ("executed", "archived", "Sent to the archive"),
    ]
    assert {change.changed_by for change in StatusChange.objects.filter(case=case_file)[1:]} == {clerk}


def test_an_invalid_transition_names_the_current_status_and_what_is_allowed(clerk):
    case_file = CaseFileFactory()
    with pytest.raises(InvalidTransition) as refused:
        services.change_status(case_file, Status.EXECUTED, actor=clerk, reason="Skipping ahead")

    message = refused.value.message
    assert "Filed" in message and "Executed" in message and "Hearing" in message and "Closed" in message
    assert CaseFile.objects.get(pk=case_file.pk).status == Status.FILED
    assert StatusChange.objects.filter(case=case_file).count() == 1


def test_an_archived_case_has_nowhere_to_go(clerk):
    case_file = CaseFileFactory()
    for status in (Status.CLOSED, Status.ARCHIVED):
        services.change_status(case_file, status, actor=clerk, reason="Withdrawn")
    with pytest.raises(InvalidTransition, match="archived"):
        services.change_status(case_file, Status.APPEAL, actor=clerk, reason="Late appeal")


def test_a_status_change_needs_a_reason(clerk):
    case_file = CaseFileFactory()
    with pytest.raises(RecordsError, match="reason"):
        services.change_status(case_file, Status.HEARING, actor=clerk, reason="  ")
    assert CaseFile.objects.get(pk=case_file.pk).status == Status.FILED


def test_an_unknown_status_is_named_in_the_error(clerk):
    with pytest.raises(InvalidTransition, match="'pending' is not a case status"):
        services.change_status(CaseFileFactory(), "pending", actor=clerk, reason="?")


def test_saving_a_case_file_cannot_change_its_status_behind_the_history(clerk):
    case_file = CaseFileFactory()
    case_file.status = Status.CLOSED
    with pytest.raises(InvalidTransition, match="change_status"):
        case_file.save()
    assert CaseFile.objects.get(pk=case_file.pk).status == Status.FILED


def test_every_status_has_a_place_in_the_life_cycle():
    assert set(TRANSITIONS) == set(Status)
    reachable = {target for targets in TRANSITIONS.values() for target in targets}
    assert reachable == set(Status) - {Status.FILED}
    assert is_allowed("closed", "appeal") and not is_allowed("archived", "closed")
