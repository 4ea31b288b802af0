"""Re-hash every stored version, then look for stored files no version owns; exit non-zero on any problem."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from records import fixity
from records.models import Version


class Command(BaseCommand):
    help = (
        "Re-hash every stored version and report those whose bytes differ from their SHA-256 or from the hash "
        "their upload event recorded, or are missing; then list stored files that no version owns (strays)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=100, help="Print progress after this many versions (default 100)."
        )
        parser.add_argument(
            "--quarantine",
            action="store_true",
            help="Move strays older than the grace period to quarantine/ in the originals storage (never deleted).",
        )
        parser.add_argument(
            "--grace-hours",
            type=float,
            default=24.0,
            help="A stray younger than this may be an upload still being written: reported, not counted (default 24).",
        )

    def handle(self, *args, every, quarantine, grace_hours, **options):
        if grace_hours < 0:
            raise CommandError("--grace-hours cannot be negative.")
        problems = self._check_versions(every)
        strays = self._check_strays(datetime.timedelta(hours=grace_hours), quarantine)
        if problems or strays:
            listing = "\n".join(f"  {problem}" for problem in [*problems, *strays])
            raise CommandError(f"Fixity check failed: {len(problems)} versions and {len(strays)} strays:\n{listing}")
        self.stdout.write(self.style.SUCCESS("Fixity holds: every version matches its SHA-256, and no stray is kept."))

    def _check_versions(self, every):
        versions = Version.objects.select_related("document").order_by("created_at", "pk")
        total = versions.count()
        self.stdout.write(f"Checking {total} stored versions.")
        started = time.monotonic()

        def progress(done, problem):
            if problem:
                self.stderr.write(str(problem))
            if done % every == 0 or done == total:
                self.stdout.write(f"  {done}/{total} checked ({time.monotonic() - started:.1f} s)")

        problems = fixity.check_versions(versions.iterator(chunk_size=500), progress=progress)
        if not problems:
            self.stdout.write(f"All {total} versions match their SHA-256 and their upload events.")
        return problems

    def _check_strays(self, grace, quarantine):
        """The strays past the grace period that are still in place."""
        self.stdout.write("Looking for stored files that no version owns.")
        kept, seen = [], 0
        for stray in fixity.strays():
            seen += 1
            if not fixity.is_past_grace(stray, grace):
                self.stdout.write(f"  {stray} (recent: perhaps an upload still being written; not counted)")
            elif quarantine:
                self.stdout.write(f"  {stray}: moved to {fixity.quarantine(stray)}")
            else:
                self.stderr.write(str(stray))
                kept.append(stray)
        held = len(fixity.quarantined_keys())
        self.stdout.write(f"  {seen} strays found; quarantine holds {held} files.")
        if kept:
            self.stdout.write("  Run `fixity --quarantine` to move strays past the grace period to quarantine.")
        return kept
