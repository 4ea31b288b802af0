"""Index every document again, in batches, with progress; an interrupted run resumes where it stopped."""

from django.core.management.base import BaseCommand, CommandError

from search import indexing, rebuild
from search.backends import get_backend


class Command(BaseCommand):
    help = (
        "Index every document's current pages and description. Streams in batches (bounded memory), prints "
        "progress, and resumes an interrupted run unless --restart. With --document, indexes only those."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=rebuild.BATCH, help=f"Documents per batch (default {rebuild.BATCH}).")
        parser.add_argument("--restart", action="store_true", help="Start over instead of resuming an unfinished run.")
        parser.add_argument("--document", action="append", default=[], help="Index this document id only (repeatable).")

    def handle(self, *args, batch, restart, document, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        backend = get_backend()
        if document:
            count = indexing.index_documents(document, backend=backend)
            self.stdout.write(f"Indexed {count} of {len(document)} documents ({backend.name}).")
            return
        unfinished = rebuild.current_run(backend)
        if unfinished and not restart:
            self.stdout.write(f"Resuming the run of {unfinished.started_at:%Y-%m-%d %H:%M} after {unfinished.done:,} documents.")
        else:
            self.stdout.write(f"Indexing every document ({backend.name}).")

        def report(progress):
            if options["verbosity"] >= 1:
                self.stdout.write(f"  {progress}")

        def finishing():
            self.stdout.write(f"Every document is written; finishing the index ({backend.name}), which may take minutes.")

        try:
            run = rebuild.reindex(batch=batch, restart=restart, report=report, finishing=finishing, backend=backend)
        except Exception as error:
            raise CommandError(f"Reindexing stopped: {error}. Run reindex again to resume where it stopped.") from error
        self.stdout.write(self.style.SUCCESS(f"Indexed {run.done:,} documents."))
