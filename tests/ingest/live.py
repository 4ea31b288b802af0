"""A Sijill of its own for tests that run real processes (`manage.py worker`, `manage.py ingest`).

Such processes cannot see the test run's database (SQLite's test database lives in memory; PostgreSQL's
is inside the test's transaction), so each live site gets a fresh data directory and a database of its
own on the same engine as the run: a SQLite file, or a new database on the run's PostgreSQL server.
"""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


class LiveSite:
    def __init__(self, data_dir, *, extra_env=None):
        self.data_dir = Path(data_dir)
        self.database = None
        self.env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("SIJILL_", "DJANGO_", "PYTEST_")) and name != "DATABASE_URL"
        }
        self.env.update(
            SIJILL_DATA_DIR=str(self.data_dir),
            DJANGO_SETTINGS_MODULE="sijill.settings",
            OMP_THREAD_LIMIT="1",
            SIJILL_CORPUS_DIR=os.environ.get("SIJILL_CORPUS_DIR", str(MANAGE.parents[1] / "shared" / "corpus")),
        )
        if connection.vendor == "postgresql":
            self.database = f"sijill_live_{uuid.uuid4().hex[:10]}"
            self._admin(f'CREATE DATABASE "{self.database}"')
            self.env["DATABASE_URL"] = self._url(self.database)
        self.env.update(extra_env or {})
        self.manage("migrate", "--no-input", "--verbosity", "0")

    def _url(self, name):
        parts = urlsplit(os.environ["DATABASE_URL"])
        return urlunsplit(parts._replace(path=f"/{name}"))

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(self._url("postgres"), autocommit=True) as admin:
            admin.execute(sql)

    def manage(self, *argv, check=True, timeout=600):
        done = subprocess.run(
            [sys.executable, str(MANAGE), *argv], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if check and done.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(argv)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done

    def start(self, *argv, log=None):
        """A long-running manage.py process (a worker), in its own process group."""
        return subprocess.Popen(
            [sys.executable, str(MANAGE), *argv],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def python(self, code):
        """Run `code` inside the live site's Django and return what it printed as JSON."""
        done = self.manage("shell", "--no-imports", "-c", code)
        return json.loads(done.stdout.strip().splitlines()[-1])

    def wait_for(self, code, predicate, *, timeout=300, every=0.5):
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.python(code)
            if predicate(value):
                return value
            time.sleep(every)
        raise AssertionError(f"gave up waiting after {timeout} s; last value {value!r}")

    def close(self):
        if self.database:
            self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
