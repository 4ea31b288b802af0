"""Each request carries an id, echoed back, and the client's address into the events it records."""

import re

import pytest
from django.http import HttpResponse
from django.urls import path

from audit import actions, context, trail
from audit.middleware import RequestContextMiddleware
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def record_a_view(request):
    trail.record(actions.VIEW, target_type="test.thing", target_id="1")
    return HttpResponse("seen")


urlpatterns = [path("seen/", record_a_view)]


@pytest.fixture
def seen(settings):
    """A view of this module's own that records an event, served through the whole middleware stack."""
    settings.ROOT_URLCONF = __name__


def test_a_well_formed_request_id_is_kept_and_echoed(client, seen):
    response = client.get("/seen/", headers={"X-Request-ID": "edge-proxy.42_A-b"})
    assert response["X-Request-ID"] == "edge-proxy.42_A-b"
    assert AuditEvent.objects.get().request_id == "edge-proxy.42_A-b"


@pytest.mark.parametrize(
    "hostile",
    ["a" * 65, "id with spaces", "id\nInjected: header", "<script>", "naïve", "ok\n", ""],
)
def test_a_hostile_request_id_is_replaced_by_a_generated_one(client, seen, hostile):
    response = client.get("/seen/", headers={"X-Request-ID": hostile})
    generated = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert AuditEvent.objects.get().request_id == generated


def test_without_a_request_id_each_request_gets_its_own(client, seen):
    first = client.get("/seen/")["X-Request-ID"]
    second = client.get("/seen/")["X-Request-ID"]
    assert first != second
    assert list(AuditEvent.objects.values_list("request_id", flat=True)) == [first, second]


def test_the_signed_in_user_and_address_are_recorded(client, seen, clerk):
    client.force_login(clerk)
    client.get("/seen/", REMOTE_ADDR="2001:DB8:0:0::7")
    event = AuditEvent.objects.get(action=actions.VIEW)
    assert (event.actor_id, event.actor_name) == (clerk.pk, clerk.username)
    assert event.client_address == "2001:db8::7"


def test_a_forwarded_for_header_is_not_believed(client, seen):
    client.get("/seen/", headers={"X-Forwarded-For": "198.51.100.9"}, REMOTE_ADDR="10.0.0.5")
    assert AuditEvent.objects.get().client_address == "10.0.0.5"


def test_an_anonymous_request_records_no_actor(client, seen):
    client.get("/seen/")
    event = AuditEvent.objects.get()
    assert (event.actor_id, event.actor_name, event.client_address) == (None, "", "127.0.0.1")


def test_the_context_ends_with_the_request(rf, clerk):
    request = rf.get("/", REMOTE_ADDR="192.0.2.1")
    request.user = clerk
    RequestContextMiddleware(lambda request: HttpResponse())(request)
    assert context.current() == context.NONE
    event = trail.record(actions.VIEW)
    assert (event.actor_id, event.request_id, event.client_address) == (None, "", None)


def test_acting_sets_the_user_and_request_for_a_command(clerk):
    with context.acting(user=clerk, request_id="import-7", client_address="192.0.2.8"):
        event = trail.record(actions.CREATE)
    after = trail.record(actions.CREATE)
    assert (event.actor_name, event.request_id, event.client_address) == (clerk.username, "import-7", "192.0.2.8")
    assert (after.actor_id, after.request_id, after.client_address) == (None, "", None)


def test_acting_inside_a_request_keeps_its_id_and_address(rf, clerk, superuser):
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", headers={"X-Request-ID": "outer"})
    request.user = clerk
    seen = {}

    def view(request):
        with context.acting(user=superuser):
            seen["event"] = trail.record(actions.CHANGE)
        return HttpResponse()

    RequestContextMiddleware(view)(request)
    event = seen["event"]
    assert (event.actor_id, event.request_id, event.client_address) == (superuser.pk, "outer", "192.0.2.1")


def test_the_middleware_sits_right_after_authentication(settings):
    middleware = settings.MIDDLEWARE
    position = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert middleware[position + 1] == "audit.middleware.RequestContextMiddleware"

