"""Typed reading of the environment, so that settings.py reads every variable in one way.

A badly written value stops start-up with a message that names the variable and what it expects,
instead of surfacing later as a confusing failure deep inside Django.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    def __init__(self, environ=None):
        self.environ = os.environ if environ is None else environ

    def str(self, name, default=""):
        return self.environ.get(name, default).strip()

    def bool(self, name, default=False):
        raw = self.environ.get(name)
        if raw is None:
            return default
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value; use 1 or 0.")

    def int(self, name, default, *, minimum=None):
        raw = self.environ.get(name)
        if raw is None or not raw.strip():
            return default
        try:
            value = int(raw.strip())
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
        if minimum is not None and value < minimum:
            raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}.")
        return value

    def list(self, name, default=()):
        raw = self.environ.get(name)
        if raw is None or not raw.strip():
            return list(default)  # blank means unset, as for the other types
        return [item.strip() for item in raw.split(",") if item.strip()]

    def path(self, name, default):
        raw = self.str(name)
        return Path(raw).expanduser().resolve() if raw else Path(default).resolve()

    def choice(self, name, choices, default):
        value = self.str(name, default).lower() or default
        if value not in choices:
            raise ImproperlyConfigured(
                f"{name}={value!r} is not one of: {', '.join(sorted(choices))}."
            )
        return value
