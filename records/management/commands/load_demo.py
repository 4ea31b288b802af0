"""Load demo data: accounts, institutions, case files and documents from a corpus folder.

The corpus is SIJILL_CORPUS_DIR (by default ../shared/corpus beside the checkout); where it does not
exist, Sijill writes a small demo corpus of its own into the data directory and loads that. The whole
manifest is checked before anything is loaded, and the load is one transaction: a bad corpus loads
nothing, and running the command again changes nothing once case files exist.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from records.demo import generated
from records.demo.accounts import ensure_accounts
from records.demo.loader import load_demo
from records.demo.manifest import read_manifest
from records.errors import RecordsError
from records.models import CaseFile


class Command(BaseCommand):
    help = "Load demo accounts, institutions, case files and documents (once)."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", help="Corpus folder with a MANIFEST.csv (default: SIJILL_CORPUS_DIR).")

    def handle(self, *args, corpus=None, **options):
        if CaseFile.objects.exists():
            ensure_accounts()
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
            corpus_files = read_manifest(folder)
            self.stdout.write(f"  MANIFEST.csv checked: {len(corpus_files)} files to load")
            cases, legislation = load_demo(corpus_files, report=self.stdout.write)
        except RecordsError as error:
            raise CommandError(f"Demo data could not be loaded: {error.message}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {cases} case files and {legislation} pieces of legislation "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
