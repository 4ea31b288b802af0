"""Non-interference: nothing a user is shown depends on what they may not see.

Each user reads the site twice: first in a world holding only what they may see, then after everything
hidden from them has been registered through the services, as any clerk's work would be. That includes a
sealed GBV document put into a public case the user can see, which then holds no document of theirs. Every
page, API answer, count, facet and refusal, GET and POST alike, must be the same both times once
per-request tokens are blanked. Each request is rolled back, so what one request records cannot show in
the next. The channels found before (a delete refusal naming hidden documents, counts, the trail) are
instances of this, and so is any channel nobody has thought of yet.

It runs in the PostgreSQL pass only: it checks what the views show, and the access rule's SQL on both
databases is checked by the other leak tests.

Left out, each by a decision written down: caseload statistics count restricted cases by design (cells
too small to stay anonymous are suppressed; tests/records/test_statistics.py covers that rule).
"""

import difflib
import re

import pytest
from django.db import transaction

from records import classification, services
from records.models import CaseFile, Document
from tests.audit.databases import postgresql_only
from tests.leaks import urls
from tests.leaks.test_url_leaks import client_for, id_patterns, normalised, plain_patterns
from tests.leaks.world import ITEMS, MAY_SEE, USERS, make_users, prepare, register

pytestmark = pytest.mark.django_db

# By design, not a channel: see the module's docstring.
BY_DESIGN = {"records_statistics"}
_ESCAPED_CSRF = re.compile(rb'(csrfmiddlewaretoken\\" value=\\")[^"\\]+')  # a form inside JSON
# An audit event's reference is keyed on its hash, which covers the events before it: opaque, but new for an
# event written in another world (the request's own, recorded as it is answered).
_REFERENCES = re.compile(rb"\b[0-9a-f]{16}\b")
# Wagtail writes how long ago a time was ("Just now", "1 minute ago"): on a slow run the two readings of a
# page can be a minute apart.
_AGO = re.compile(rb'(w-human-readable-date__date" datetime="TIME">)[^<]*')
_TIMES = re.compile(rb"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?|\d\d:\d\d(:\d\d)?")


def read(client, method, url):
    """One request whose writes (a view event, a session row) are undone before the next one."""
    with transaction.atomic():
        response = getattr(client, method)(url)
        # The request's own id is new each time; it shows wherever the request is recorded.
        normal = normalised(response, [response.get("X-Request-ID") or "no-request-id"], [url])
        transaction.set_rollback(True)
    client.cookies.pop("messages", None)  # a message is kept in a cookie, which no rollback takes back
    status, location, content_type, headers, body = normal
    body = _TIMES.sub(b"TIME", _ESCAPED_CSRF.sub(rb"\1token", body))
    return status, location, content_type, headers, _AGO.sub(rb"\1AGO", _REFERENCES.sub(b"REF", body))


def difference(first, again):
    """The lines that differ, for the failure message: a whole page is too long to read in an assertion."""
    if first[:4] != again[:4]:
        return f"status, location, type or header names: {first[:4]} then {again[:4]}"
    lines = [text.decode("utf-8", "replace").replace("\\n", "\n").splitlines() for text in (first[4], again[4])]
    return "\n".join(line[:200] for line in list(difflib.unified_diff(*lines, lineterm="", n=1))[:30])


def requests_for(visible, empty_case):
    """GET every page; GET and POST every page about a visible item and about the public case."""
    for pattern in plain_patterns():
        if pattern.name in BY_DESIGN:
            continue
        if url := urls.url_for(pattern, urls.plain_values(pattern)):
            yield "get", url
    class Held:  # the public case, as an item the URL helpers can fill parameters from
        ids = {"case": str(empty_case.pk), "document": urls.MISSING, "version": urls.MISSING, "batch": urls.MISSING}
        assignment_id = None

    # The visible item's document (its version lists and downloads) and the case that holds a hidden one:
    # every page about an item is asked, once each, not for every model of every item.
    for pattern in id_patterns():
        for target, model in [(visible, "document"), (Held, "case")]:
            if url := urls.url_for(pattern, urls.values_for(pattern, target, model)):
                for method in urls.methods_of(pattern):
                    yield method, url


@postgresql_only
@pytest.mark.parametrize("who", USERS)
def test_nothing_shown_depends_on_what_is_hidden(corpus_dir, who):
    setting = prepare(lambda: open(corpus_dir / "us-scotus-2013-tarrant-v-herrmann.pdf", "rb"))
    visible_names = [name for name in ITEMS if name in MAY_SEE[who]]
    items = {name: register(setting, name) for name in visible_names}
    empty_case = CaseFile(
        number="LKHOLDER-9/2025", court=setting.court, case_type=setting.types["public"][0],
        title="Casetitle holding only what is sealed", date_filed=items[visible_names[0]].case.date_filed,
    )
    services.register_case_file(empty_case, actor=setting.registrar, level="public")
    users = make_users(setting)
    client = client_for(users[who])
    requests = list(requests_for(items["public"], empty_case))
    assert len(requests) > 150
    before = [read(client, method, url) for method, url in requests]

    for name in ITEMS:
        if name not in MAY_SEE[who]:
            register(setting, name)
    sealed = services.add_document(
        Document(case=empty_case, kind="social_enquiry_report", title="Social enquiry report", languages=["eng"]),
        actor=setting.registrar, file=setting.corpus_bytes(), file_name="report.pdf",
    )
    classification.classify_document(sealed, actor=setting.registrar, level="sealed", marks=["GBV"])

    for (method, url), first in zip(requests, before, strict=True):
        again = read(client, method, url)
        assert again == first, (
            f"{who}: {method.upper()} {url} answers differently once hidden items exist:\n{difference(first, again)}"
        )
