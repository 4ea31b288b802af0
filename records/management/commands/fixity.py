"""Re-hash every stored version; exit non-zero listing each version whose bytes differ or are missing."""

import time

from django.core.management.base import BaseCommand, CommandError

from records.fixity import check_versions
from records.models import Version


class Command(BaseCommand):
    help = "Re-hash every stored version and report those whose bytes differ from their SHA-256 or are missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=100, help="Print progress after this many versions (default 100)."
        )

    def handle(self, *args, every, **options):
        versions = Version.objects.select_related("document").order_by("created_at", "pk")
        total = versions.count()
        self.stdout.write(f"Checking {total} stored versions.")
        started = time.monotonic()

        def progress(done, problem):
            if problem:
                self.stderr.write(str(problem))
            if done % every == 0 or done == total:
                self.stdout.write(f"  {done}/{total} checked ({time.monotonic() - started:.1f} s)")

        problems = check_versions(versions.iterator(chunk_size=500), progress=progress)
        if problems:
            listing = "\n".join(f"  {problem}" for problem in problems)
            raise CommandError(f"{len(problems)} of {total} versions failed the fixity check:\n{listing}")
        self.stdout.write(self.style.SUCCESS(f"All {total} versions match their SHA-256."))
