"""`manage.py serve` runs gunicorn and the task worker together, and stops them together.

Each test starts the real command in its own process group, on a free port, against a data directory
that was migrated and had its static files collected once for the module (SQLite, even when the rest
of the suite runs on PostgreSQL), and talks to it over real HTTP. Processes are found through /proc.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
MANAGE = REPOSITORY / "manage.py"
START_TIMEOUT = 60
STOP_TIMEOUT = 30


WORKERS = 2  # task workers serve is asked to run (SIJILL_TASK_WORKERS)


def environment(data_dir):
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SIJILL_", "DJANGO_")) and name != "DATABASE_URL"
    }
    return {
        **kept,
        "SIJILL_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "sijill.settings",
        "SIJILL_TASK_WORKERS": str(WORKERS),
    }


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A data directory ready to serve: migrated, static files collected."""
    path = tmp_path_factory.mktemp("serve-data")
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input", "--verbosity", "0"]):
        done = subprocess.run(
            [sys.executable, str(MANAGE), *command],
            cwd=REPOSITORY,
            env=environment(path),
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, f"manage.py {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return path


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Processes, read from /proc ----------------------------------------------------------------------------


def _stat(pid):
    """(state, parent pid) of a process, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


def is_running(pid):
    stat = _stat(pid)
    return stat is not None and stat[0] not in {"Z", "X"}


def command_line(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except (FileNotFoundError, ProcessLookupError):
        return ""


def children(pid):
    """{pid: command line} of the running processes whose parent is `pid`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(entry.name)
            if stat and stat[1] == pid and stat[0] not in {"Z", "X"}:
                found[int(entry.name)] = command_line(entry.name)
    return found


def descendants(pid):
    found = {}
    for child, argv in children(pid).items():
        found[child] = argv
        found.update(descendants(child))
    return found


# The served site ---------------------------------------------------------------------------------------


class Serve:
    """`manage.py serve` in a process group of its own, with its output collected as it comes."""

    def __init__(self, data_dir, *, cwd=REPOSITORY):
        self.port = free_port()
        self.lines = []
        self.process = subprocess.Popen(
            [sys.executable, str(MANAGE), "serve", "--port", str(self.port), "--workers", "1"],
            cwd=cwd,
            env=environment(data_dir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self):
        return "".join(self.lines)

    def wait_for_output(self, text, timeout=START_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output:
                return
            if self.process.poll() is not None:
                self.reader.join(timeout=5)
                if text in self.output:
                    return
                pytest.fail(f"serve exited with {self.process.returncode} before printing {text!r}:\n{self.output}")
            time.sleep(0.2)
        pytest.fail(f"serve did not print {text!r} within {timeout} s:\n{self.output}")

    def get(self, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=20) as response:
            return response.status, response.read().decode("utf-8", "replace")

    def processes(self):
        """(web server pid, task worker pids, every descendant's pid) of the serve process."""
        direct = children(self.process.pid)
        web = [pid for pid, argv in direct.items() if "gunicorn" in argv]
        workers = [pid for pid, argv in direct.items() if argv.endswith("worker --queue-name * --no-reload")]
        assert len(web) == 1, f"expected one gunicorn under serve, found {direct}\n{self.output}"
        assert len(workers) == WORKERS, f"expected {WORKERS} task workers under serve, found {direct}\n{self.output}"
        return web[0], workers, set(descendants(self.process.pid))

    def wait(self, timeout=STOP_TIMEOUT):
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"serve did not stop within {timeout} s:\n{self.output}")
        self.reader.join(timeout=5)
        return code

    def kill_all(self):
        """Clean-up after a failed test: the whole process group this test started."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)
        self.reader.join(timeout=5)


@pytest.fixture
def serve(data_dir):
    started = []

    def start(**options):
        server = Serve(data_dir, **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill_all()


def assert_all_gone(pids, output):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(is_running(pid) for pid in pids):
        time.sleep(0.2)
    left = {pid: command_line(pid) for pid in pids if is_running(pid)}
    assert not left, f"still running after serve stopped: {left}\n{output}"


def assert_site_answers(server):
    status, login_page = server.get("/admin/login/")
    assert status == 200
    static_urls = re.findall(r'(?:href|src)="(/static/[^"?#]+)', login_page)
    assert static_urls, "the login page links no static file"
    assert server.get(static_urls[0])[0] == 200
    # The stylesheet Wagtail's admin cannot do without, whatever else the page links.
    css = next(url for url in static_urls if url.endswith(".css"))
    status, stylesheet = server.get(css)
    assert status == 200 and stylesheet.strip()


# Tests -------------------------------------------------------------------------------------------------


def test_serve_runs_the_site_and_the_worker_and_stops_both_on_ctrl_c(serve):
    server = serve()
    server.wait_for_output("Sijill is running at")
    assert f"http://127.0.0.1:{server.port}/admin/" in server.output

    assert_site_answers(server)
    web, workers, everything = server.processes()
    assert all(is_running(worker) for worker in workers)
    assert len(everything) >= 2 + WORKERS  # gunicorn's own worker process too

    server.process.send_signal(signal.SIGINT)
    assert server.wait() == 0, server.output
    assert "Stopping Sijill" in server.output
    assert_all_gone(everything, server.output)


def test_when_the_worker_dies_serve_stops_the_web_server_and_fails(serve):
    server = serve()
    server.wait_for_output("Sijill is running at")
    assert server.get("/admin/login/")[0] == 200
    web, workers, everything = server.processes()

    os.kill(workers[-1], signal.SIGKILL)

    assert server.wait() != 0, server.output
    assert re.search(r"task worker \d+ exited", server.output), server.output
    assert_all_gone(everything, server.output)
    with pytest.raises(OSError):
        server.get("/admin/login/")


def test_serve_works_when_started_from_another_directory(serve, tmp_path):
    """A service manager starts `python /path/to/manage.py serve` from wherever it likes."""
    server = serve(cwd=tmp_path)
    server.wait_for_output("Sijill is running at")
    time.sleep(1)  # the worker has had time to start, or to fail to
    assert server.process.poll() is None, f"serve stopped on its own:\n{server.output}"
    web, workers, everything = server.processes()
    assert server.get("/admin/login/")[0] == 200

    server.process.send_signal(signal.SIGINT)
    assert server.wait() == 0, server.output
    assert_all_gone(everything, server.output)
