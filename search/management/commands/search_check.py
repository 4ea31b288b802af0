"""List the documents missing from the search index or stale in it; exit non-zero when there are any."""

from django.core.management.base import BaseCommand, CommandError

from search import check, indexing
from search.backends import get_backend
from search.models import PendingDocument

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Compare the search index with the records: documents missing from it, stale in it (text, description "
        "or access changed since indexing), left over after deletion, or hidden after a failed access update. "
        "Exits 1 when any is found; --fix indexes them again first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Index the documents found and remove leftovers.")

    def handle(self, *args, fix, **options):
        backend = get_backend()
        report = check.check(backend=backend)
        self.stdout.write(f"Checked {report.checked:,} documents against the {backend.name} index.")
        for label, ids in (("missing", report.missing), ("stale", report.stale), ("left over", report.orphaned), ("hidden", report.hidden)):
            if ids:
                self.stdout.write(f"  {len(ids):,} {label}: " + ", ".join(str(pk) for pk in ids[:SHOWN]) + (" …" if len(ids) > SHOWN else ""))
        if report.problems and fix:
            indexing.index_documents([*report.missing, *report.stale, *report.hidden], backend=backend)
            backend.remove(report.orphaned)
            PendingDocument.objects.filter(document_id__in=report.hidden).delete()
            report = check.check(backend=backend)
        if report.problems:
            raise CommandError(
                f"The search index is out of step: {len(report.missing)} missing, {len(report.stale)} stale, "
                f"{len(report.orphaned)} left over, {len(report.hidden)} hidden. Run search_check --fix or reindex."
            )
        self.stdout.write(self.style.SUCCESS("The search index holds every document as records hold it."))
