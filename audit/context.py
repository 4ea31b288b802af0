"""Who is acting and from where, for the events recorded while serving a request or running a command.

The request middleware (audit.middleware) sets it for each request; commands and tests use `acting`.
Outside both, events have no request id, no address, and no user unless one is passed to `record`.
"""

import ipaddress
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    client_address: str | None = None
    request: Any = None
    acting_user: Any = None

    @property
    def user(self):
        """The user given to `acting`, else the request's user as it is now (signing in changes it)."""
        if self.acting_user is not None:
            return self.acting_user
        return getattr(self.request, "user", None)


NONE = RequestContext()
_current = ContextVar("audit_request_context", default=None)


def current():
    return _current.get() or NONE


def address(value):
    """A valid IP address in its normal spelling, or None."""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


@contextmanager
def _bound(context):
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def serving(request, *, request_id, client_address):
    """The context of one request, for its duration (used by the middleware)."""
    return _bound(RequestContext(request_id=request_id, client_address=address(client_address), request=request))


def acting(user=None, request_id=None, client_address=None):
    """Record events in this block as done by `user`, with this request id and address.

    What is not given is kept from the surrounding context, so a block inside a request keeps its id.
    """
    outer = current()
    return _bound(
        replace(
            outer,
            acting_user=outer.acting_user if user is None else user,
            request_id=outer.request_id if request_id is None else request_id,
            client_address=outer.client_address if client_address is None else address(client_address),
        )
    )
