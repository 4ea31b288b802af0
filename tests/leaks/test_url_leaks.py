"""Leak tests: every URL of the site, for each kind of user, against items of every level.

For each user, every endpoint that takes an identifier is asked (GET and POST) about each item the user may
not see, and must answer exactly as it answers about an identifier that exists nowhere: same status, same
body, same redirect. Every endpoint is also asked (GET, plain and with search parameters naming the hidden
items) and must not mention anything of an item the user may not see. The endpoints come from the URL
configuration, so one added later is probed without anyone listing it here.
"""

import re
from urllib.parse import quote

import pytest
from django.test import Client

from records.models import Assignment, CaseFile, Document, Version
from tests.leaks import urls
from tests.leaks.world import ITEMS, MAY_SEE, USERS, build

pytestmark = pytest.mark.django_db

MODELS = ("case", "document", "version")
_CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|csrfToken": "|"csrf_token": ")[^"]+')
_NONCE = re.compile(rb'nonce="[^"]+"')


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
    return response.status_code, location, response.get("Content-Type", ""), body


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
        control_url = urls.url_for(pattern, urls.missing_values(pattern))
        if control_url is None:
            continue
        for name in ITEMS:
            if name in MAY_SEE[who]:
                continue
            item = items[name]
            for model in MODELS:
                url = urls.url_for(pattern, urls.values_for(pattern, item, model))
                if url is None:
                    continue
                for method in ("get", "post"):
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

    # First every endpoint as it opens, before anything has been searched for.
    for url in targets:
        check(url)
    # Then looking each hidden item up by what one might know of it: its number, a party's ID or name, its
    # id. What the user typed may come back (a search box, their own searches in the audit trail); nothing
    # else of the item may.
    typed = set()
    for item in hidden:
        typed |= {item.case.number, item.national_ids[0], item.party_names[0], item.ids["case"]}
    for url in targets:
        for item in hidden:
            query = (
                f"?q={item.case.number}&number={item.case.number}&national_id={item.national_ids[0]}"
                f"&party={item.party_names[0]}&case={item.ids['case']}&search={item.party_names[0]}"
            )
            check(url + query, spared=typed)


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
        if name in MAY_SEE[who]:
            assert detail.status_code == 200 and detail.json()["number"] == item.case.number, (who, name)
            assert download.status_code == 200, (who, name)
        else:
            assert detail.status_code == 404, (who, name)
            assert download.status_code == 404, (who, name)
    if who != "anonymous":
        listed = client.get("/api/v1/case-files/").json()
        assert listed["count"] == len(MAY_SEE[who])
        assert {case["number"] for case in listed["results"]} == {items[name].case.number for name in MAY_SEE[who]}
        page = client.get("/admin/records/case-files/").content.decode()
        for name in ITEMS:
            assert (items[name].case.number in page) == (name in MAY_SEE[who]), (who, name)
