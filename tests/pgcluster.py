"""Run a command against a throwaway PostgreSQL server: `python -m tests.pgcluster -- pytest ...`.

The server comes from the OS packages (initdb, pg_ctl), lives in a temporary directory, listens on a
free port on 127.0.0.1 only, runs with fsync off, and is removed afterwards. As root it runs as the
`postgres` system user, since PostgreSQL refuses to run as root. DATABASE_URL is set for the command.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path


def find_bin_dir():
    for candidate in [os.environ.get("SIJILL_PG_BIN", "")] + sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), reverse=True
    ):
        if candidate and Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise SystemExit(
        "PostgreSQL's server programs (initdb, pg_ctl) were not found; as root, `make test` installs "
        "them, otherwise run: sudo apt-get install -y postgresql"
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_cluster():
    bin_dir = find_bin_dir()
    base = Path(tempfile.mkdtemp(prefix="sijill-pg-"))
    data, sockets = base / "data", base / "run"
    sockets.mkdir()
    as_user = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        for path in (base, sockets):
            os.chown(path, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    run = lambda *argv: subprocess.run([*as_user, *argv], check=True, stdout=subprocess.DEVNULL)  # noqa: E731
    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "sijill", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8")
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w", "start", "-o",
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off")
        yield f"postgres://sijill@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                           stdout=subprocess.DEVNULL)
        shutil.rmtree(base, ignore_errors=True)


def main(argv):
    if "--" in argv:
        argv = argv[argv.index("--") + 1:]
    if not argv:
        raise SystemExit("usage: python -m tests.pgcluster -- COMMAND [ARGS...]")
    with running_cluster() as url:
        print(f"PostgreSQL ready at {url}", flush=True)
        return subprocess.run(argv, env={**os.environ, "DATABASE_URL": url}).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
