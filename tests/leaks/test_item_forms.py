"""Leak tests with real payloads: the forms and API bodies about an item the user may see, submitted as the
page offers them but with one field holding a hidden item's id, number, national ID or party name, answer
exactly as with a value of the same shape that names nothing.

The forms of pages without an identifier are probed with every field at once (test_url_leaks). That finds
what a widget shows of a hidden id, but not a check that runs only behind an otherwise valid form: renaming a
visible case to a sealed case's number ("already exists", issue 10's second finding) passed it, since a form
with the number in every field fails on its other fields first. Here the form is the one rendered for a
visible item, valid as it stands, and one field at a time is changed, so each value reaches the service
behind it. API endpoints about the visible item get the same, as PATCH and PUT bodies built from its GET
answer and as POST bodies of its actions. Runs in the PostgreSQL pass only, as the other form tests.
"""

import re
import uuid

import pytest
from bs4 import BeautifulSoup
from django.db import transaction

from tests.audit.databases import postgresql_only
from tests.html_forms import form_data
from tests.leaks import urls
from tests.leaks.test_url_leaks import _TIMES, _UUIDS, client_for, id_patterns, normalised, stand_in
from tests.leaks.world import ITEMS, MAY_SEE, NO_RECORDS_ROLE, USERS, build

pytestmark = pytest.mark.django_db

MODELS = ("case", "document", "version")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_DAY = re.compile(r"^\d{4}-\d\d-\d\d")
_MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
_TEXT_INPUTS = {"text", "search", "hidden", "tel", "email", "url", "number"}
# Read-only or bookkeeping keys of an API answer: no request sets them.
JSON = "application/json"
_NOT_WRITTEN = {"id", "url", "created_at", "updated_at", "sha256", "size", "media_type"}


@pytest.fixture
def world(corpus_dir):
    return build(lambda: open(corpus_dir / "us-scotus-2013-tarrant-v-herrmann.pdf", "rb"))


def id_secrets(item):
    return [item.ids["case"], item.ids["document"]]


def text_secrets(item):
    return [item.case.number, item.national_ids[0], item.party_names[0]]


def secrets_for(value, item, *, hidden_input=False):
    """What a prober would type into a field holding `value`: ids where an id is kept, words elsewhere."""
    if hidden_input or _UUID.match(str(value)):
        return id_secrets(item)
    if _DAY.match(str(value)):
        return []  # a date names no item
    return text_secrets(item)


def probed_fields(form):
    """(name, secrets) for each field of `form` a person could put a value in, management data left alone."""
    found = []
    for element in form.find_all(["input", "textarea"]):
        name, kind = element.get("name", ""), element.get("type", "text").lower()
        if not name or name == "csrfmiddlewaretoken" or "__prefix__" in name or name.endswith(_MANAGEMENT):
            continue
        if element.name == "input" and kind not in _TEXT_INPUTS:
            continue
        value = element.get_text() if element.name == "textarea" else element.get("value", "")
        if kind == "hidden" and value and not _UUID.match(value):
            continue  # a formset row's own key, a 'next' address: not where anyone names an item
        found.append((name, kind == "hidden"))
    return found


def rolled_back(client, method, url, data, **kwargs):
    """One request whose writes are undone, and whose message cookie is dropped, before the next."""
    with transaction.atomic():
        response = getattr(client, method)(url, data, **kwargs)
        transaction.set_rollback(True)
    client.cookies.pop("messages", None)
    return response


def compared(who, where, item, secret, answers):
    """Both answers, normalised, must be equal; neither may name anything else of the hidden item."""
    blanked = []
    other_value = stand_in(secret)
    for response in answers:
        assert response.status_code < 500, f"{who}: {where} with {secret!r}: {response.status_code}"
        body = normalised(response, [secret, other_value, *item.ids.values(), urls.MISSING], [])
        blanked.append(body[:4] + (_TIMES.sub(b"TIME", _UUIDS.sub(b"UUID", body[4])),))
        content = response.content if not response.streaming else b""
        for other in item.secrets:
            if other != secret:
                assert other.encode() not in content, f"{who}: {where} names {other!r}"
    assert blanked[0] == blanked[1], f"{who}: {where} with {secret!r} differs from a value that names nothing"


def probe_form(client, who, url, item):
    """The page's POST form, one field at a time; the number of submissions made."""
    page = client.get(url)
    if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
        return 0
    form = BeautifulSoup(page.content, "html.parser").find("form", method=re.compile("(?i)^post$"))
    if form is None:
        return 0
    base = {name: value for name, value in form_data(form).items() if value is not None}
    sent = 0
    for name, hidden_input in probed_fields(form):
        for secret in secrets_for(base.get(name, ""), item, hidden_input=hidden_input):
            answers = [rolled_back(client, "post", url, {**base, name: value}) for value in (secret, stand_in(secret))]
            compared(who, f"POST {url} field {name}", item, secret, answers)
            sent += 1
    return sent


def request_fields(schema, url, method):
    """The names of the JSON body an API operation takes, read from the OpenAPI schema the API publishes."""
    template = re.sub(r"/[0-9a-f-]{36}/", "/{id}/", url)
    operation = schema["paths"].get(template, {}).get(method, {})
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    return [name for name, spec in body.get("properties", {}).items() if not spec.get("readOnly")]


def probe_api(client, who, url, methods, item, schema):
    """An API endpoint about a visible item; the number of submissions made.

    PATCH: its GET answer's keys one at a time. PUT: the whole answer with one key changed, for the keys a
    PATCH got past validation with (the others are refused before any look-up). POST to its actions: every
    field of the body the schema documents, holding the value at once, as test_url_leaks does."""
    sent = 0
    current = client.get(url) if {"patch", "put"} & set(methods) else None
    body = (
        current.json()
        if current is not None and current.status_code == 200 and "json" in current.get("Content-Type", "")
        else None
    )
    for key, value in body.items() if isinstance(body, dict) else ():
        if key in _NOT_WRITTEN or not isinstance(value, str):
            continue
        for secret in secrets_for(value, item):
            for method in ("patch", "put"):
                if method not in methods:
                    continue
                answers = [
                    rolled_back(
                        client, method, url, {**body, key: v} if method == "put" else {key: v}, content_type=JSON
                    )
                    for v in (secret, stand_in(secret))
                ]
                compared(who, f"{method.upper()} {url} key {key}", item, secret, answers)
                sent += 1
                if answers[1].status_code >= 400:
                    break  # refused by validation whatever the value: PUT would be refused alike
    fields = request_fields(schema, url, "post") if "post" in methods else []
    for secret in [*id_secrets(item), *text_secrets(item)] if fields else []:
        answers = [
            rolled_back(client, "post", url, dict.fromkeys(fields, v), content_type=JSON)
            for v in (secret, stand_in(secret))
        ]
        compared(who, f"POST {url} fields {fields}", item, secret, answers)
        sent += 1
    return sent


@postgresql_only
@pytest.mark.parametrize("who", USERS)
def test_forms_and_bodies_about_a_visible_item_naming_a_hidden_one_answer_as_for_a_missing_one(world, who):
    users, items = world
    client = client_for(users[who])
    hidden = [items[name] for name in ITEMS if name not in MAY_SEE[who]]
    visible = items["internal"] if "internal" in MAY_SEE[who] else items["public"]
    item = hidden[-1]  # the most restricted item out of reach, in the same court as the visible one
    schema = client_for(users["registrar"]).get("/api/v1/schema/", {"format": "json"}).json()
    probed, seen = {}, set()
    for pattern in id_patterns():
        for model in MODELS:
            url = urls.url_for(pattern, urls.values_for(pattern, visible, model))
            if url is None or url in seen:
                continue
            seen.add(url)
            if url.startswith("/api/"):
                # Only addresses about the visible item itself: another model's id there is a missing object.
                detail = re.match(r"/api/v1/[^/]+/[0-9a-f-]{36}/", url)
                if detail is None or client.get(detail.group(0)).status_code != 200:
                    continue
                sent = probe_api(client, who, url, urls.methods_of(pattern), item, schema)
            elif "post" in urls.methods_of(pattern):
                sent = probe_form(client, who, url, item)
            else:
                sent = 0
            if sent:
                probed[pattern.name] = probed.get(pattern.name, 0) + sent
    if who in NO_RECORDS_ROLE or who == "anonymous":
        assert not any(name.startswith(("records_", "api:")) for name in probed), probed
        return
    # Those whose role edits records reached the forms that rename a case and move a document.
    if who in ("clerk", "registrar", "registrar_marks_only", "superuser"):
        assert {"records_casefile:edit", "records_document:edit", "api:casefile-detail"} <= set(probed), probed
    assert probed, f"{who}: no form or body about a visible item was found"


def test_a_form_field_gets_ids_or_words_by_what_it_holds():
    """The choice of values, on its own: a chooser keeps an id, a text field words, a date nothing."""

    class Item:
        ids = {"case": str(uuid.uuid4()), "document": str(uuid.uuid4())}
        case = type("Case", (), {"number": "LK-1/2025"})
        national_ids = ["9011223344"]
        party_names = ["Partyname"]

    assert secrets_for(str(uuid.uuid4()), Item) == [Item.ids["case"], Item.ids["document"]]
    assert secrets_for("", Item, hidden_input=True) == [Item.ids["case"], Item.ids["document"]]
    assert secrets_for("Some title", Item) == ["LK-1/2025", "9011223344", "Partyname"]
    assert secrets_for("2025-01-03", Item) == []
    form = BeautifulSoup(
        '<form method="post"><input name="csrfmiddlewaretoken" type="hidden" value="x">'
        '<input name="case" type="hidden" value="' + Item.ids["case"] + '">'
        '<input name="parties-TOTAL_FORMS" type="hidden" value="1"><input name="parties-0-id" type="hidden" value="7">'
        '<input name="number" value="A"><textarea name="title">B</textarea><input name="ok" type="checkbox">'
        '<select name="court"><option value="1">C</option></select></form>',
        "html.parser",
    ).find("form")
    assert probed_fields(form) == [("case", True), ("number", False), ("title", False)]
