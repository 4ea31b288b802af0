"""Signing in, failing to, and signing out are in the trail, with where they came from; passwords never."""

import json

import pytest

from audit import actions
from audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "cedar-window-81-slowly"
WRONG = "juniper-lamp-03-loudly"


@pytest.fixture
def amina():
    """A registrar with a password of her own, who signs in through the staff sign-in page."""
    return factories.UserFactory(username="amina", password=PASSWORD, role="registrar", is_staff=True)


def sign_in(client, username, password, request_id):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, headers={"X-Request-ID": request_id}
    )


def everything_in(event):
    return json.dumps([str(getattr(event, field.attname)) for field in AuditEvent._meta.concrete_fields])


def test_signing_in_is_recorded_with_the_request_and_address(client, amina):
    response = sign_in(client, "amina", PASSWORD, "sign-in-1")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=actions.LOGIN)
    assert (event.actor_id, event.actor_name) == (amina.pk, "amina")
    assert (event.request_id, event.client_address) == ("sign-in-1", "127.0.0.1")
    assert PASSWORD not in everything_in(event)


def test_a_wrong_password_is_recorded_with_the_name_tried_and_not_the_password(client, amina):
    response = sign_in(client, "amina", WRONG, "sign-in-2")
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert event.action == actions.LOGIN_FAILED
    assert (event.actor_id, event.actor_name) == (None, "")
    assert event.after == {"username": "amina"}
    assert (event.request_id, event.client_address) == ("sign-in-2", "127.0.0.1")
    assert WRONG not in everything_in(event)
    assert "*****" not in everything_in(event)  # not even the masked password


def test_a_name_that_does_not_exist_is_recorded_as_tried(client, db):
    sign_in(client, "nobody-here", WRONG, "sign-in-3")
    assert AuditEvent.objects.get().after == {"username": "nobody-here"}


def test_signing_out_is_recorded(client, amina):
    client.login(username="amina", password=PASSWORD)
    client.post("/admin/logout/", headers={"X-Request-ID": "sign-out-1"})
    assert list(AuditEvent.objects.values_list("action", "actor_name", "request_id")) == [
        (actions.LOGIN, "amina", ""),  # the test client's login() bypasses the middleware
        (actions.LOGOUT, "amina", "sign-out-1"),
    ]


def test_a_login_outside_any_request_has_no_request_id_or_address(client, amina):
    assert client.login(username="amina", password=PASSWORD)
    event = AuditEvent.objects.get()
    assert (event.action, event.request_id, event.client_address) == (actions.LOGIN, "", None)
