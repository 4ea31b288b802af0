"""Signing in and out, and failed attempts, are written to the audit trail."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from audit import actions, trail


def logged_in(sender, request, user, **kwargs):
    trail.record(actions.LOGIN, actor=user)


def logged_out(sender, request, user, **kwargs):
    if user is not None:  # signing out a session that was not signed in is no event
        trail.record(actions.LOGOUT, actor=user)


def login_failed(sender, credentials, request=None, **kwargs):
    # Only the name that was tried: the credentials also hold the password (masked, but never kept).
    field = get_user_model().USERNAME_FIELD
    username = credentials.get(field, credentials.get("username", ""))
    trail.record(actions.LOGIN_FAILED, after={"username": str(username or "")[:150]})


def connect():
    user_logged_in.connect(logged_in, dispatch_uid="audit.login")
    user_logged_out.connect(logged_out, dispatch_uid="audit.logout")
    user_login_failed.connect(login_failed, dispatch_uid="audit.login_failed")
