"""Serve Sijill: gunicorn (a production WSGI server, static files through WhiteNoise) and the task worker."""

import socket
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from records.demo.accounts import demo_logins
from sijill.supervisor import Supervisor


def wait_for_port(host, port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False


class Command(BaseCommand):
    help = "Run the web server and the background worker until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")

    def handle(self, *args, host, port, workers, **options):
        python = sys.executable
        commands = {
            "web server": [
                python, "-m", "gunicorn", "sijill.wsgi:application",
                "--bind", f"{host}:{port}",
                "--workers", str(workers), "--threads", "4", "--worker-class", "gthread",
                "--timeout", "300", "--graceful-timeout", "20",
                "--access-logfile", "-", "--error-logfile", "-",
                "--no-control-socket",  # not used; one in $HOME would clash between two instances
            ],
        }
        # Several workers, one process each: OCR is parallelised with processes (Tesseract runs one thread).
        for number in range(1, settings.SIJILL_TASK_WORKERS + 1):
            commands[f"task worker {number}"] = [
                python, str(settings.BASE_DIR / "manage.py"), "worker", "--queue-name", "*", "--no-reload",
            ]

        def announce(supervisor):
            display_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
            if not wait_for_port(display_host, port) or not supervisor.all_running():
                self.stderr.write(f"Sijill did not start: see the messages above ({display_host}:{port}).")
                return
            lines = [
                "",
                f"Sijill is running at http://{display_host}:{port}/admin/",
                f"  data directory: {settings.DATA_DIR}",
            ]
            for username, password in demo_logins():
                lines.append(f"  demo login: {username} / {password}")
            lines += ["Press Ctrl-C to stop the web server and the worker.", ""]
            self.stdout.write("\n".join(lines))

        supervisor = Supervisor(commands, report=self.stdout.write)
        code = supervisor.run(on_started=lambda: announce(supervisor))
        if code:
            raise CommandError(f"Sijill stopped because a process failed (exit code {code}).")
