"""Test settings: the real settings, with a throwaway data directory and test-speed choices."""

import os
import tempfile

os.environ.setdefault("SIJILL_DATA_DIR", tempfile.mkdtemp(prefix="sijill-test-"))
# Parallel test processes (pytest-xdist) each get a data directory of their own: scratch files, keys and
# anything a test sweeps or walks belong to one process.
if worker := os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["SIJILL_DATA_DIR"] = os.path.join(os.environ["SIJILL_DATA_DIR"], worker)

from sijill.settings import *  # noqa: E402,F403
from sijill.settings import STORAGES  # noqa: E402

# Plain static storage: tests must not depend on a collectstatic run.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run where they are enqueued; tests that need the queue's bookkeeping use their own backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise warns when it is missing
