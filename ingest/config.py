"""Settings of the page-text engine, read from Django when it is configured and defaulted otherwise.

The engine also runs outside Django (benchmarks, one-off scripts), so no read may require settings.
"""

import os


def setting(name, default):
    """Django's setting `name`, else the environment variable of that name, else `default`."""
    try:
        from django.conf import settings

        if settings.configured and hasattr(settings, name):
            return getattr(settings, name)
    except ImportError:  # pragma: no cover - Django is a dependency, but the engine does not need it
        pass
    value = os.environ.get(name)
    if value is None:
        return default
    return type(default)(value) if isinstance(default, int | float) else value
