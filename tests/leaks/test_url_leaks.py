"""Leak tests: every URL of the site, for each kind of user, against items of every level.

For each user, every endpoint that takes an identifier is asked (GET and POST) about each item the user may
not see, and must answer exactly as it answers about an identifier that exists nowhere: same status, same
body, same redirect. Every endpoint is also asked (GET, plain and with search parameters naming the hidden
items) and must not mention anything of an item the user may not see. The endpoints come from the URL
configuration, so one added later is probed without anyone listing it here.

The two heaviest (every page searched for each hidden item; every form and API body filled with hidden
values) check what views and forms show, which is the same on both databases: they run in the PostgreSQL
pass only, to keep `make test` short. The hidden-against-missing probe runs on both.
"""

import re
import uuid
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.test import Client

from records.models import Assignment, CaseFile, Document, Version
from tests.audit.databases import postgresql_only
from tests.html_forms import form_data
from tests.leaks import urls
from tests.leaks.world import ITEMS, MAY_SEE, NO_RECORDS_ROLE, USERS, build

pytestmark = pytest.mark.django_db

MODELS = ("case", "document", "version")
_CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|csrfToken": "|"csrf_token": "|"CSRF_TOKEN": ")[^"]+')
_NONCE = re.compile(rb'nonce="[^"]+"')
_UUIDS = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}")
_TIMES = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?")
_PER_RESPONSE_HEADERS = {"content-length", "etag", "x-request-id", "date", "expires"}
_HEADER_NONCE = re.compile(r"nonce-[^' ;]+")
_HEADER_TIMES = re.compile(r"\d{8}-\d{6}|\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?")  # an export's file name


@pytest.fixture
def world(corpus_dir):
    return build(lambda: open(corpus_dir / "us-scotus-2013-tarrant-v-herrmann.pdf", "rb"))


def client_for(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def normalised(response, ids, probed_urls):
    """Status, redirect and body, with the probed URL, identifiers and per-request tokens blanked out."""
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    location = response.get("Location", "")
    for value in [*probed_urls, *(quote(url) for url in probed_urls), *ids]:
        body = body.replace(value.encode(), b"ID")
        location = location.replace(value, "ID")
    body = _NONCE.sub(b"nonce", _CSRF.sub(rb"\1token", body))
    # Headers too, names and values: a header sent only for a hidden item (a disposition, a cache rule), or
    # with another value, tells it apart. Left out: what follows from the body, compared itself (its length
    # and hash), and what is new on every request (its id, a nonce, a cookie's value).
    headers = []
    for name, value in response.headers.items():
        name = name.lower()
        if name in _PER_RESPONSE_HEADERS:
            headers.append((name, ""))
            continue
        for blanked in [*probed_urls, *ids]:
            value = value.replace(blanked, "ID")
        value = value.split("=", 1)[0] if name == "set-cookie" else _HEADER_NONCE.sub("nonce", value)
        headers.append((name, _HEADER_TIMES.sub("TIME", value)))
    return response.status_code, location, response.get("Content-Type", ""), tuple(sorted(headers)), body


def snapshot():
    """What a refused POST must not have changed."""
    return (
        sorted(CaseFile.objects.values_list("pk", "level", "status", "title")),
        sorted(Document.objects.values_list("pk", "title", "declared_at", "level")),
        Version.objects.count(),
        Assignment.objects.count(),
    )


def id_patterns():
    return [pattern for pattern in urls.all_patterns() if pattern.takes_an_id and pattern.name not in urls.NOT_PROBED]


def plain_patterns():
    return [pattern for pattern in urls.all_patterns() if not pattern.takes_an_id and pattern.name not in urls.NOT_PROBED]


def test_the_url_configuration_is_enumerated_with_every_records_endpoint():
    """The enumeration itself: it finds the endpoints this issue is about, so a broken walk cannot pass."""
    names = {pattern.name for pattern in id_patterns()}
    for expected in (
        "records:download_version",
        "records_casefile:inspect",
        "records_casefile:edit",
        "records_casefile:classify",
        "records_document:inspect",
        "records_document:revert",
        "api:casefile-detail",
        "api:document-versions",
        "api:version-detail",
    ):
        assert expected in names
    assert len(id_patterns()) >= 40


@pytest.mark.parametrize("who", USERS)
def test_an_item_out_of_reach_is_answered_as_one_that_does_not_exist(world, who):
    users, items = world
    client = client_for(users[who])
    before = snapshot()
    probed = 0
    for pattern in id_patterns():
        if urls.url_for(pattern, urls.missing_values(pattern)) is None:
            continue
        for name in ITEMS:
            if name in MAY_SEE[who]:
                continue
            item = items[name]
            for model in MODELS:
                url = urls.url_for(pattern, urls.values_for(pattern, item, model))
                control_url = urls.url_for(pattern, urls.missing_values(pattern, model))
                if url is None or control_url is None:
                    continue
                for method in urls.methods_of(pattern):
                    hidden = getattr(client, method)(url)
                    missing = getattr(client, method)(control_url)
                    ids = [*item.ids.values(), urls.MISSING]
                    probed_urls = [url, control_url]
                    assert normalised(hidden, ids, probed_urls) == normalised(missing, ids, probed_urls), (
                        f"{who}: {method.upper()} {url} ({name} {model}) differs from the answer for a missing one"
                    )
                    probed += 1
    assert snapshot() == before, f"{who}: a refused request changed something"
    assert probed > 100


def body_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def lookup_query(item):
    """Every search parameter the endpoints read, naming the item by what one might know of it."""
    return (
        f"?q={item.case.number}&number={item.case.number}&national_id={item.national_ids[0]}"
        f"&party={item.party_names[0]}&case={item.ids['case']}&search={item.party_names[0]}"
    )


def searched_by_others(user, targets, items):
    client = client_for(user)
    for url in targets:
        for item in items:
            client.get(url + lookup_query(item))


@postgresql_only  # what the views show; the access rule's SQL is probed on both by the test above
@pytest.mark.parametrize("who", USERS)
def test_no_endpoint_mentions_an_item_out_of_reach(world, who):
    users, items = world
    client = client_for(users[who])
    hidden = [items[name] for name in ITEMS if name not in MAY_SEE[who]]
    targets = [url for pattern in plain_patterns() if (url := urls.url_for(pattern, urls.plain_values(pattern)))]
    assert len(targets) > 100

    def check(url, spared=()):
        response = client.get(url)
        assert response.status_code < 500, f"{who}: GET {url} failed with {response.status_code}"
        body = body_of(response)
        for item in hidden:
            for secret in item.secrets:
                if secret not in spared:
                    assert secret not in body, f"{who}: GET {url} mentions {secret!r} of {item.name}"
        return normalised(response, [], [url])

    # Someone cleared and assigned has already looked the items up everywhere: the trail and anything else
    # that keeps what others typed now holds words about items this user may not see.
    # One sensitive item is enough to catch a channel, and every extra one costs a pass over the site.
    looked_up = [name for name in ("sealed_juvenile", "confidential") if name not in MAY_SEE[who]][:1]
    searched_by_others(users["judge_assigned"], targets, [items[name] for name in looked_up])
    # First every endpoint as it opens, before this user has searched for anything.
    opened = {url: check(url) for url in targets}
    # Then looking each hidden item up by what one might know of it: its number, a party's ID or name, its
    # id. What the user typed may come back (a search box, their own searches in the audit trail); nothing
    # else of the item may.
    typed = set()
    for item in hidden:
        typed |= {item.case.number, item.national_ids[0], item.party_names[0], item.ids["case"]}
    for url in targets:
        for position, item in enumerate(hidden):
            answer = check(url + lookup_query(item), spared=typed)
            # An endpoint that answers the first look-up exactly as it opened reads none of the parameters:
            # the other items' look-ups would ask it the same thing again.
            if position == 0 and answer == opened[url]:
                break


@pytest.mark.parametrize("who", USERS)
def test_what_may_be_seen_is_seen(world, who):
    """The other half of the rule, so the tests above cannot pass by hiding everything."""
    users, items = world
    client = client_for(users[who])
    for name in ITEMS:
        item = items[name]
        detail = client.get(f"/api/v1/case-files/{item.ids['case']}/")
        download = client.get(f"/records/versions/{item.ids['version']}/download/")
        if who == "anonymous":
            assert detail.status_code in (401, 403)
            assert download.status_code == 302
            continue
        if who in NO_RECORDS_ROLE:
            assert detail.status_code == 403, (who, name)  # refused by role, alike for every item
            assert download.status_code == 404, (who, name)
            continue
        if name in MAY_SEE[who]:
            assert detail.status_code == 200 and detail.json()["number"] == item.case.number, (who, name)
            assert download.status_code == 200, (who, name)
        else:
            assert detail.status_code == 404, (who, name)
            assert download.status_code == 404, (who, name)
    if who not in NO_RECORDS_ROLE | {"anonymous"}:
        listed = client.get("/api/v1/case-files/").json()
        assert listed["count"] == len(MAY_SEE[who])
        assert {case["number"] for case in listed["results"]} == {items[name].case.number for name in MAY_SEE[who]}
        page = client.get("/admin/records/case-files/").content.decode()
        for name in ITEMS:
            assert (items[name].case.number in page) == (name in MAY_SEE[who]), (who, name)


def form_fields(response):
    """The fields of the page's POST form, as a browser would submit it, or None for a page without one."""
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    form = BeautifulSoup(response.content, "html.parser").find("form", method=re.compile("(?i)^post$"))
    return form_data(form) if form is not None else None


def api_fields(client, url):
    """The fields a DRF endpoint takes on POST, from its OPTIONS answer."""
    response = client.options(url)
    if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
        return None
    return list(response.json().get("actions", {}).get("POST", {})) or None


def secrets_typed(item):
    """What someone probing might type of a hidden item, in any field: its ids, number, a party's national
    ID and name."""
    return [item.ids["case"], item.ids["document"], item.case.number, item.national_ids[0], item.party_names[0]]


def stand_in(secret):
    """A value of the same shape that names nothing: another UUID, or each letter and digit shifted (so a
    number stays a number, a name a name, and a field's validation answers alike)."""
    try:
        uuid.UUID(secret)
        return str(uuid.UUID(int=uuid.UUID(secret).int ^ 0xDEAD))
    except ValueError:
        pass

    def shifted(char):
        for first, size in (("0", 10), ("a", 26), ("A", 26)):
            if first <= char < chr(ord(first) + size):
                return chr(ord(first) + (ord(char) - ord(first) + 3) % size)
        return char

    return "".join(shifted(char) for char in secret)


_FORMSET_COUNTS = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")

# The forms are shared out among runs of the test, so that the two test processes share the longest user's.
FORM_SHARDS = 3


@postgresql_only  # as the mentions test: views and forms, once
@pytest.mark.parametrize("shard", range(FORM_SHARDS))
@pytest.mark.parametrize("who", USERS)
def test_forms_and_api_bodies_naming_a_hidden_item_in_every_field_answer_as_for_a_missing_one(world, who, shard):
    """Every form and API body of the site, submitted with a hidden item's id, number, national ID or party
    name in all its fields, answers exactly as with values of an item that exists nowhere."""
    users, items = world
    client = client_for(users[who])
    hidden = [items[name] for name in ITEMS if name not in MAY_SEE[who]]
    if not hidden:
        return
    item = hidden[-1]  # the most restricted item out of reach
    targets = [url for pattern in plain_patterns() if (url := urls.url_for(pattern, urls.plain_values(pattern)))]
    forms = []
    for url in targets:
        fields = form_fields(client.get(url))
        json_fields = None if fields is not None or not url.startswith("/api/") else api_fields(client, url)
        if fields is not None or json_fields is not None:
            forms.append((url, fields, json_fields))
    assert len(forms) >= 2, "the forms of the site were not found"  # even anonymous: sign in, password reset
    for url, fields, json_fields in forms[shard::FORM_SHARDS]:
        client.get(url)  # shows (and so clears) the messages earlier submissions left in the session
        # A formset's counts keep their values: a number there asks Django for thousands of empty forms.
        kept = {name for name in fields or () if _FORMSET_COUNTS.search(name)}
        for secret in secrets_typed(item):
            answers = []
            other_value = stand_in(secret)
            for value in (secret, other_value):
                # Each submission is rolled back, so both meet the same world (a delete form deletes).
                with transaction.atomic():
                    if fields is not None:
                        data = {name: value if name not in kept else fields[name] for name in fields if name != "csrfmiddlewaretoken"}
                        response = client.post(url, data)
                    else:
                        response = client.post(url, dict.fromkeys(json_fields, value), content_type="application/json")
                    transaction.set_rollback(True)
                assert response.status_code < 500, f"{who}: POST {url} with {value!r}: {response.status_code}"
                body = normalised(response, [secret, other_value, *item.ids.values(), urls.MISSING], [url])
                answers.append(body[:4] + (_TIMES.sub(b"TIME", _UUIDS.sub(b"UUID", body[4])),))
                for other in item.secrets:
                    if other != secret:
                        assert other.encode() not in response.content, f"{who}: POST {url} names {other!r}"
            assert answers[0] == answers[1], f"{who}: POST {url} with {secret!r} differs from a missing item's"
