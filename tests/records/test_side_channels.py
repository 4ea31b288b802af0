"""Channels outside the pages the access layer was first written for: widgets that turn an id into text,
Wagtail's generic model+id endpoints, a refusal that depends on hidden contents, Wagtail's site history.

Each test compares what a user gets about a hidden item with what they get about one that does not exist.
"""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.admin.models import EditingSession
from wagtail.log_actions import log

from records import classification, services
from records.models import CaseFile, Document
from tests.factories import UserFactory, clear
from tests.html_forms import form_data, post_form
from tests.leaks import urls
from tests.leaks.world import build

pytestmark = pytest.mark.django_db

MISSING = str(uuid.uuid4())
_TOKENS = re.compile(rb'(csrfmiddlewaretoken" value="|csrfToken": "|"csrf_token": "|"CSRF_TOKEN": ")[^"]+|nonce="[^"]+"')


@pytest.fixture
def world(corpus_dir):
    return build(lambda: open(corpus_dir / "us-scotus-2013-tarrant-v-herrmann.pdf", "rb"))


def signed_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def blanked(response, *values):
    body = _TOKENS.sub(b"token", response.content)
    for value in values:
        body = body.replace(str(value).encode(), b"ID")
    return response.status_code, body


# Finding 1: a chooser names the case behind a refused id ---------------------------------------------------


@pytest.mark.parametrize("form", ["add", "edit"])
def test_a_document_form_refused_for_a_hidden_case_names_it_no_more_than_a_missing_one(world, form):
    users, items = world
    clerk = users["clerk"]
    client = signed_in(clerk)
    url = (
        reverse("records_document:add")
        if form == "add"
        else reverse("records_document:edit", args=[items["internal"].document.pk])
    )
    data = form_data(post_form(client.get(url)))
    data.update(kind="judgment", title="A ruling", languages="eng")
    hidden = items["sealed_juvenile"]
    answers = {}
    for name, case_id in (("hidden", hidden.case.pk), ("missing", MISSING)):
        response = client.post(url, {**data, "case": str(case_id)})
        answers[name] = blanked(response, case_id)
        body = response.content.decode()
        assert hidden.case.number not in body and hidden.case.court.name not in body
    assert answers["hidden"][0] == 200  # the form again, with the field's error
    assert answers["hidden"] == answers["missing"]
    assert not Document.objects.filter(title="A ruling").exists()


def test_the_chooser_still_names_a_case_the_user_may_see(world):
    users, items = world
    client = signed_in(users["clerk"])
    visible = items["internal"]
    response = client.post(reverse("records_document:add"), {"case": str(visible.case.pk), "kind": "judgment"})
    assert visible.case.number in response.content.decode()


# Finding 4: Wagtail's endpoints that take a model and an id -----------------------------------------------


def model_id_endpoints():
    """Every URL pattern naming a model by app label and model name, read from the URL configuration."""
    found = []
    for pattern in urls.all_patterns():
        names = [name for name, _kind in pattern.params]
        app = next((n for n in names if n in ("app_label", "app_name", "content_type_app_name")), None)
        model = next((n for n in names if n in ("model_name", "content_type_model_name")), None)
        if app and model and pattern.name:
            found.append((pattern, app, model))
    return found


def test_the_model_and_id_endpoints_are_enumerated():
    names = {pattern.name for pattern, _app, _model in model_id_endpoints()}
    assert {"wagtailadmin_editing_sessions:ping", "wagtail_bulk_action"} <= names


@pytest.mark.parametrize("who", ["clerk", "superuser"])
def test_no_model_and_id_endpoint_tells_a_hidden_item_from_a_missing_one(world, who):
    users, items = world
    client = signed_in(users[who])
    hidden = items["sealed_gbv"]
    probed = 0
    for pattern, app, model in model_id_endpoints():
        for model_name, pk in (("casefile", hidden.case.pk), ("document", hidden.document.pk)):
            answers = []
            for item_id in (pk, MISSING):
                values = {name: "1" for name, _kind in pattern.params}
                values.update({app: "records", model: model_name})
                for name in ("object_id", "pk"):
                    if name in values:
                        values[name] = str(item_id)
                url = urls.url_for(pattern, values)
                if url is None:
                    continue
                for method in ("get", "post"):
                    response = getattr(client, method)(f"{url}?id={item_id}", {"id": str(item_id)})
                    assert response.status_code < 500, f"{method.upper()} {url}: {response.status_code}"
                    answers.append(blanked(response, item_id, url.replace(str(item_id), "")))
                probed += 1
            assert answers[: len(answers) // 2] == answers[len(answers) // 2 :], f"{pattern.name} for a {model_name}"
    assert probed >= 8
    assert not EditingSession.objects.exists()


def test_opening_a_case_for_editing_keeps_no_editing_session(world):
    users, items = world
    client = signed_in(users["clerk"])
    response = client.get(reverse("records_casefile:edit", args=[items["internal"].case.pk]))
    assert response.status_code == 200
    assert not EditingSession.objects.exists()
    assert b"editing-sessions/ping" not in response.content


# Finding 6: a refusal that depends on documents the user cannot see ----------------------------------------


def test_deleting_a_case_whose_only_document_is_hidden_is_answered_as_deleting_an_empty_one(world):
    users, items = world
    setup = users["superuser"]
    registrar = UserFactory(role="registrar", username="reg-internal")
    holding = items["internal"].case
    services.delete_document(items["internal"].document, actor=setup)  # leave it with no document...
    hidden_document = services.add_document(
        Document(case=holding, kind="report", title="Social enquiry report"), actor=setup
    )
    classification.classify_document(hidden_document, actor=setup, level="", marks=["GBV"])  # ...but this one
    empty = CaseFile.objects.get(pk=items["public"].case.pk)
    services.delete_document(items["public"].document, actor=setup)

    client = signed_in(registrar)
    pages = [client.get(reverse("records_casefile:inspect", args=[case.pk])) for case in (holding, empty)]
    assert all(b"Social enquiry report" not in page.content for page in pages)
    answers = []
    for case in (holding, empty):
        response = client.post(reverse("records_casefile:delete", args=[case.pk]), follow=True)
        told = [str(message).replace(case.number, "NUMBER") for message in response.context["messages"]]
        where = [(url.replace(str(case.pk), "ID"), status) for url, status in response.redirect_chain]
        answers.append((response.status_code, where, told))
    assert answers[0] == answers[1]
    assert answers[0][2], "the registrar is told why"
    assert CaseFile.objects.filter(pk__in=[holding.pk, empty.pk]).count() == 2


def test_someone_who_sees_all_a_case_may_hold_deletes_an_empty_case_and_is_told_when_it_holds_documents(world):
    users, items = world
    registrar = UserFactory(role="registrar", username="reg-everything")
    clear(registrar, "sealed", ("JUVENILE", "GBV", "FAMILY"))
    for name in ("public", "internal"):
        classification.assign(items[name].case, actor=users["superuser"], user=registrar)
    empty = items["public"]
    services.delete_document(empty.document, actor=users["superuser"])
    api = signed_in(registrar)
    assert api.delete(f"/api/v1/case-files/{empty.case.pk}/").status_code == 204
    holding = api.delete(f"/api/v1/case-files/{items['internal'].case.pk}/")
    assert holding.status_code == 400 and "holds documents" in holding.json()["detail"]


# Wagtail's site history lists the log entries of records items by model permission ------------------------


def test_the_site_history_report_names_no_item_the_reader_may_not_see(world):
    users, items = world
    sealed = items["sealed_juvenile"].case
    log(instance=sealed, action="wagtail.create", user=users["superuser"])
    for who in ("superuser", "clerk"):
        client = signed_in(users[who])
        for name in ("wagtailadmin_reports:site_history", "wagtailadmin_reports:site_history_results"):
            response = client.get(reverse(name))
            assert response.status_code in (200, 302, 403)
            assert sealed.number not in response.content.decode(), (who, name)
        if who == "superuser":
            exported = client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")
            body = b"".join(exported.streaming_content) if exported.streaming else exported.content
            assert sealed.number.encode() not in body
