"""Identifiers, dates, labels and system texts as the staff screens show them, in each language."""

import datetime

import pytest
from django.utils import translation

from audit import actions, trail
from audit.models import AuditEvent
from records import display, labels, services
from records.models import CaseType, StatusChange
from records.staff.audit import _summary
from tests import factories


def test_an_identifier_is_isolated_left_to_right_and_an_empty_one_is_a_dash():
    assert display.isolated("2025/10062 E.") == '<bdi dir="ltr" class="sijill-id">2025/10062 E.</bdi>'
    assert display.isolated("") == display.isolated(None) == "—"
    assert display.isolated("<b>") == '<bdi dir="ltr" class="sijill-id">&lt;b&gt;</bdi>'


def test_a_timestamp_is_written_date_first_to_the_second():
    moment = datetime.datetime(2025, 3, 4, 9, 5, 7, tzinfo=datetime.UTC)
    assert display.exact_time(moment) == "2025-03-04 09:05:07"


def test_a_case_type_reads_its_own_label_in_french_and_arabic_and_its_name_otherwise():
    case_type = CaseType(code="commercial", name="Commercial", name_fr="Commerciale", name_ar="تجارية")
    with translation.override("ar"):
        assert str(case_type) == "تجارية"
    with translation.override("fr"):
        assert str(case_type) == "Commerciale"
    with translation.override("en"):
        assert str(case_type) == "Commercial"
    with translation.override("ar"):
        assert str(CaseType(code="maritime", name="Maritime salvage")) == "Maritime salvage"


def test_system_texts_are_translated_on_display_and_a_persons_words_are_not():
    with translation.override("ar"):
        assert labels.system_text("Registered") == "التسجيل"
        assert labels.system_text("Reverted to version 3") == "استعادة الإصدار \u20683\u2069"
        assert labels.system_text("Registered by hand") == "Registered by hand"


@pytest.mark.django_db
def test_registering_in_arabic_stores_the_english_system_text(clerk):
    with translation.override("ar"):
        case_file = factories.CaseFileFactory(number="12/2025", actor=clerk)
    assert StatusChange.objects.get(case=case_file).reason == "Registered"


@pytest.mark.django_db
def test_the_values_of_a_status_change_read_as_field_before_and_after_without_json(clerk):
    case_file = factories.CaseFileFactory(number="2025/10062 E.", actor=clerk)
    services.change_status(case_file, "hearing", actor=clerk, reason="First hearing", effective_on=datetime.date(2025, 1, 2))
    event = AuditEvent.objects.filter(action=actions.STATUS_CHANGE).get()
    with translation.override("ar"):
        shown = str(_summary(event))
    assert "{" not in shown and '"' not in shown.replace('dir="ltr"', "").replace('class="', "").replace('">', ">")
    assert "الحالة" in shown and "→" in shown
    assert "تاريخ السريان" in shown and "effective" not in shown
    assert '<bdi dir="ltr" class="sijill-id">2025-01-02</bdi>' in shown


@pytest.mark.django_db
def test_values_that_are_not_a_mapping_are_shown_whole(clerk):
    trail.record(actions.EXPORT, actor=clerk, after=["csv", "json"])
    event = AuditEvent.objects.filter(action=actions.EXPORT).latest("seq")
    assert "csv" in str(_summary(event)) and "[" not in str(_summary(event))


@pytest.mark.django_db
def test_a_registration_in_the_trail_names_the_court_type_roles_and_languages_not_their_codes(clerk):
    case_file = factories.CaseFileFactory(
        number="2025/77", actor=clerk, parties=[{"role": "applicant", "name": "Amina Haddad"}]
    )
    document = factories.DocumentFactory(case=case_file, title="Ruling", languages=["ara", "fra"], actor=clerk)
    registered = AuditEvent.objects.get(action=actions.CREATE, case_ref=case_file.pk, document_ref=None)
    filed = AuditEvent.objects.get(action=actions.CREATE, document_ref=document.pk)
    with translation.override("fr"):
        case_shown, document_shown = str(_summary(registered)), str(_summary(filed))
    assert f"{case_file.court.code} — {case_file.court.name}" in case_shown
    assert "Demandeur" in case_shown and "applicant:" not in case_shown
    assert "arabe" in document_shown.lower() and "ara," not in document_shown
