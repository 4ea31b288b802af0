"""A case number taken by a case the user cannot see is answered as a free one (registering, renaming, admin
and API alike); the new case is held out of the court's numbering until a registrar who sees both acts, so
two live cases never share a number in a court."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from audit import actions
from audit.models import AuditEvent
from records import services
from records.errors import DuplicateCaseNumber
from records.models import CaseFile, CaseType
from records.staff.numbering import conflicts_for
from tests.factories import UserFactory, clear
from tests.leaks.world import build

pytestmark = pytest.mark.django_db
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def world(corpus_dir):
    return build(lambda: open(corpus_dir / "us-scotus-2013-tarrant-v-herrmann.pdf", "rb"))


def api_as(user):
    client = APIClient()
    client.force_login(user)
    return client


def register_body(items, number):
    case = items["internal"].case
    civil = CaseType.objects.get(code="civil")
    return {"number": number, "court": case.court.code, "case_type": civil.code, "date_filed": "2025-03-01", "title": "T"}


def answer(response, *numbers):
    body = response.content.decode()
    for value in numbers:
        body = body.replace(value, "NUMBER")
    body = re.sub(r'"(id|url|created_at|updated_at|changed_at)": ?"[^"]*"', r'"\1": "X"', body)
    return response.status_code, body


def test_registering_under_a_hidden_cases_number_is_answered_as_under_a_free_one(world):
    users, items = world
    clerk = users["clerk"]
    api = api_as(clerk)
    hidden_number = items["sealed_gbv"].case.number
    taken = api.post("/api/v1/case-files/", register_body(items, hidden_number), format="json")
    free = api.post("/api/v1/case-files/", register_body(items, "FREE-1/2025"), format="json")
    assert taken.status_code == 201
    assert answer(taken, hidden_number) == answer(free, "FREE-1/2025")
    held = CaseFile.objects.get(pk=taken.json()["id"])
    assert held.number_held and not CaseFile.objects.get(pk=free.json()["id"]).number_held
    # A number the clerk can see is still refused, naming it.
    visible = api.post("/api/v1/case-files/", register_body(items, items["internal"].case.number), format="json")
    assert visible.status_code == 409 and "already exists" in visible.json()["detail"]


def test_renaming_a_visible_case_to_a_hidden_cases_number_tells_nothing(world):
    users, items = world
    api = api_as(users["clerk"])
    mine = items["internal"].case
    hidden_number = items["sealed_juvenile"].case.number
    renamed = api.patch(f"/api/v1/case-files/{mine.pk}/", {"number": hidden_number}, format="json")
    back = api.patch(f"/api/v1/case-files/{mine.pk}/", {"number": "LKINTERNAL-5/2025"}, format="json")
    assert renamed.status_code == back.status_code == 200
    assert answer(renamed, hidden_number) == answer(back, "LKINTERNAL-5/2025")
    assert not CaseFile.objects.get(pk=mine.pk).number_held


def test_the_admin_form_answers_a_hidden_number_as_a_free_one(world):
    users, items = world
    client = Client()
    client.force_login(users["clerk"])
    court, civil = items["internal"].case.court, CaseType.objects.get(code="civil")
    answers = []
    for number in (items["sealed_gbv"].case.number, "FREE-2/2025"):
        response = client.post(
            reverse("records_casefile:add"),
            {
                "number": number,
                "court": court.pk,
                "case_type": civil.pk,
                "date_filed": "2025-03-01",
                "title": "T",
                "level": "internal",
                "parties-TOTAL_FORMS": "0",
                "parties-INITIAL_FORMS": "0",
                "legacy_numbers-TOTAL_FORMS": "0",
                "legacy_numbers-INITIAL_FORMS": "0",
            },
            follow=True,
        )
        told = [str(m).replace(number, "NUMBER") for m in response.context["messages"]]
        where = [UUID.sub("ID", url) for url, _status in response.redirect_chain]
        answers.append((response.status_code, where, [UUID.sub("ID", text) for text in told]))
    assert answers[0] == answers[1] and answers[0][2]
    assert CaseFile.objects.filter(number=items["sealed_gbv"].case.number, number_held=True).count() == 1


def test_two_live_cases_never_share_a_number_and_a_registrar_who_sees_both_is_shown_the_conflict(world):
    users, items = world
    hidden = items["sealed_gbv"].case
    held = CaseFile(number=hidden.number, court=hidden.court, case_type=CaseType.objects.get(code="civil"),
                    date_filed=hidden.date_filed, title="Registered twice")
    services.register_case_file(held, actor=users["clerk"])
    assert held.number_held
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFile.objects.filter(pk=held.pk).update(number_held=False)
    [conflict] = AuditEvent.objects.filter(action=actions.NUMBER_CONFLICT)
    assert conflict.case_ref == hidden.pk and conflict.after["held_case"] == str(held.pk)

    assert conflicts_for(users["clerk"]) == []
    registrar = UserFactory(role="registrar", username="reg-gbv", clearance="sealed", marks=("GBV",))
    services.classification.assign(hidden, actor=users["superuser"], user=registrar)
    assert conflicts_for(registrar) == [(held, hidden)]
    client = Client()
    client.force_login(registrar)
    page = client.get(reverse("records_number_conflicts")).content.decode()
    assert "Registered twice" in page
    # The registrar renumbers the held case: it joins the court's numbering.
    held.number = f"{hidden.number}-A"
    services.update_case_file(held, actor=registrar)
    assert not CaseFile.objects.get(pk=held.pk).number_held
    assert conflicts_for(registrar) == []


def test_a_registrar_who_sees_the_other_case_is_refused_with_its_number(world):
    users, items = world
    registrar = UserFactory(role="registrar", username="reg-all", clearance="internal")
    clear(registrar, "internal")
    case = items["internal"].case
    twin = CaseFile(number=case.number, court=case.court, case_type=case.case_type, date_filed=case.date_filed)
    with pytest.raises(DuplicateCaseNumber, match="already exists"):
        services.register_case_file(twin, actor=registrar)
