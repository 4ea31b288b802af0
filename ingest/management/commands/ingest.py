"""`manage.py ingest FOLDER [--manifest FILE.csv] --user CLERK [--dry-run]`: a server folder of scans, filed
and read, with a progress line and a report at the end.

The manifest is checked whole first (a dry run stops there, writing nothing). The rows without problems
are then filed and their pages read by task workers: those the command starts (`--workers`, default
SIJILL_TASK_WORKERS) and any `serve` already runs. Ctrl-C stops the command's workers after the page in
hand; the batch resumes whenever workers run again. Running the same manifest again files nothing twice.
Exits 1 when any row or file failed, 2 when nothing could be started.
"""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ingest import batches, sources, work
from ingest.models import ItemState
from records.progress import ProgressLine


class Command(BaseCommand):
    help = "Ingest a folder of scans and PDFs described by a manifest (CSV), with progress and a report."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the batch folder; the files the manifest names are inside it")
        parser.add_argument("--manifest", help="the manifest CSV (default: manifest.csv in the folder)")
        parser.add_argument("--user", required=True, help="the clerk on whose behalf the files are filed")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("--name", help="the batch's name (default: the folder)")
        parser.add_argument(
            "--workers", type=int, default=None, help="task workers to start (default SIJILL_TASK_WORKERS; 0: none)"
        )
        parser.add_argument("--no-wait", action="store_true", help="start the batch and leave it to running workers")

    def handle(self, *args, folder, manifest, user, dry_run, name, workers, no_wait, **options):
        actor = self._actor(user)
        try:
            _source, checked = batches.check_folder(folder, manifest)
        except sources.SourceError as error:
            raise CommandError(error.message, returncode=2) from error
        self.stdout.write(checked.report())
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            if checked.problems:
                raise CommandError("the manifest has problems (above)", returncode=1)
            return
        batch = batches.start_from_folder(folder, checked, actor=actor, name=name)
        if batch is None:
            raise CommandError("no row of the manifest can be filed; fix the problems above", returncode=2)
        self.stdout.write(f"Batch {batch.pk}: {len(checked.rows)} files to file and read.")
        if no_wait:
            self.stdout.write("Left to the running workers; follow it under Ingest → Batches.")
            return
        self._follow(batch, settings.SIJILL_TASK_WORKERS if workers is None else workers)
        self._report(batch)

    def _actor(self, username):
        found = get_user_model().objects.filter(username=username, is_active=True).first()
        if found is None:
            raise CommandError(f"no active user {username!r}: files are filed on behalf of a clerk", returncode=2)
        return found

    def _start_workers(self, count):
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "worker", "--batch", "--no-reload",
                   "--queue-name", "*", "--no-startup-delay", "--verbosity", "0"]
        return [subprocess.Popen(command, stdin=subprocess.DEVNULL) for _each in range(count)]

    def _follow(self, batch, worker_count):
        line = ProgressLine(self.stdout, label="ingest", unit="files", every=10.0)
        started = self._start_workers(worker_count)
        interrupted = False
        progress = batches.progress(batch)
        try:
            while True:
                progress = batches.progress(batch)
                pages = f"pages {progress.pages_done}/{progress.pages}, {progress.pages_per_minute:.0f}/min"
                line.label = f"ingest ({pages})"
                line.show(progress.done, progress.failed, progress.files, progress.seconds_left)
                if progress.finished:
                    break
                if worker_count and all(process.poll() is not None for process in started) and work.claimable_count():
                    started = self._start_workers(worker_count)  # they ran out of queued drains before the work did
                time.sleep(1)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            line.show(progress.done, progress.failed, progress.files, progress.seconds_left, force=True)
            line.close()
            for process in started:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in started:
                try:
                    process.wait(timeout=600)
                except subprocess.TimeoutExpired:
                    process.kill()
        if interrupted:
            raise CommandError(
                "interrupted: the batch goes on whenever task workers run (make run, or manage.py worker)",
                returncode=130,
            )

    def _report(self, batch):
        progress = batches.progress(batch)
        failed = batch.items.filter(state=ItemState.FAILED).order_by("row")
        self.stdout.write(
            f"Batch {batch.pk}: {progress.files} files, {progress.done} done, {progress.failed} failed; "
            f"{progress.pages_done} pages read, {progress.pages_failed} failed."
        )
        for item in failed:
            where = f"row {item.row}" if item.row else "batch"
            self.stdout.write(f"  {where} {item.path}: {item.error}")
        if progress.failed:
            raise CommandError(f"{progress.failed} files failed (above); fix them and run the same command again")
