"""The dates of a case and of its status changes are checked: nothing in the future, nothing before the
filing, no closure before the judgment; the admin and the API get the same refusal, naming the field."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from records import services
from records.errors import RecordsError
from records.models import CaseFile, StatusChange
from tests.factories import CaseFileFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def clerk():
    return UserFactory(role="clerk", username="clerk-dates")


@pytest.fixture
def case_file(clerk):
    return CaseFileFactory(court=InstitutionFactory(code="DATES"), date_filed=datetime.date(2026, 1, 5), actor=clerk)


def test_a_judgment_before_the_filing_is_refused_naming_the_field(case_file, clerk):
    case_file.date_judgment = datetime.date(2020, 6, 1)
    with pytest.raises(RecordsError) as refused:
        services.update_case_file(case_file, actor=clerk)
    assert refused.value.field == "date_judgment" and "2026-01-05" in refused.value.message
    assert CaseFile.objects.get(pk=case_file.pk).date_judgment is None


def test_a_date_in_the_future_is_refused_through_the_api(case_file, clerk):
    api = APIClient()
    api.force_login(clerk)
    future = TODAY + datetime.timedelta(days=365 * 5)
    response = api.post(
        f"/api/v1/case-files/{case_file.pk}/status/",
        {"to_status": "hearing", "reason": "Hearing set", "effective_on": f"{future:%Y-%m-%d}"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "effective_on"
    assert not StatusChange.objects.filter(case=case_file, to_status="hearing").exists()
    case_file.date_filed = future
    with pytest.raises(RecordsError, match="in the future"):
        services.update_case_file(case_file, actor=clerk)


def test_a_closure_before_the_judgment_is_refused(case_file, clerk):
    case_file.date_judgment, case_file.date_closed = datetime.date(2026, 2, 1), datetime.date(2026, 1, 20)
    with pytest.raises(RecordsError) as refused:
        services.update_case_file(case_file, actor=clerk)
    assert refused.value.field == "date_closed"


def test_a_status_change_before_the_last_one_is_refused(case_file, clerk):
    services.change_status(case_file, "hearing", actor=clerk, reason="Set", effective_on=datetime.date(2026, 1, 10))
    with pytest.raises(RecordsError, match="before 2026-01-10"):
        services.change_status(case_file, "judgment", actor=clerk, reason="Delivered", effective_on=datetime.date(2026, 1, 8))
    services.change_status(case_file, "judgment", actor=clerk, reason="Delivered", effective_on=datetime.date(2026, 1, 12))
    assert CaseFile.objects.get(pk=case_file.pk).date_judgment == datetime.date(2026, 1, 12)
