"""Load demo data: accounts, institutions, case files and documents from a corpus folder.

The corpus is SIJILL_CORPUS_DIR (by default ../shared/corpus beside the checkout); where it does not
exist, Sijill writes a small demo corpus of its own into the data directory and loads that. Running it
again changes nothing once case files exist.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from records.demo import generated
from records.demo.accounts import ensure_accounts
from records.demo.loader import DemoLoader
from records.errors import RecordsError
from records.models import CaseFile


class Command(BaseCommand):
    help = "Load demo accounts, institutions, case files and documents (once)."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", help="Corpus folder with a MANIFEST.csv (default: SIJILL_CORPUS_DIR).")

    def handle(self, *args, corpus=None, **options):
        admin = ensure_accounts()
        if CaseFile.objects.exists():
            self.stdout.write("Demo data: case files already exist; nothing to load.")
            return
        folder = Path(settings.CORPUS_DIR if corpus is None else corpus)
        if not (folder / "MANIFEST.csv").exists():
            if corpus is not None:
                raise CommandError(f"{folder} has no MANIFEST.csv; point --corpus at a corpus folder.")
            folder = generated.write_corpus(settings.DATA_DIR / "demo-corpus")
            self.stdout.write(f"No corpus folder found; using the generated demo corpus in {folder}.")
        self.stdout.write(f"Loading demo data from {folder}")
        started = time.monotonic()
        try:
            cases, legislation = DemoLoader(folder, actor=admin, report=self.stdout.write).load()
        except RecordsError as error:
            raise CommandError(f"Demo data could not be loaded: {error.message}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {cases} case files and {legislation} pieces of legislation "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
