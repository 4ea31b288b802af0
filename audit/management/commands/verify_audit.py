import sys

from django.core.management.base import BaseCommand

from audit import chain


class Command(BaseCommand):
    help = "Check the audit trail's hash chain from the first event to the head; exit 1 at the first broken link."

    def handle(self, *args, **options):
        def progress(count):
            if options["verbosity"] >= 1:
                self.stderr.write(f"{count} events checked")

        outcome = chain.verify_trail(progress=progress)
        broken = outcome.broken
        if broken is not None:
            event = "no row" if broken.event_id is None else f"id {broken.event_id}"
            self.stderr.write(f"Audit trail BROKEN at event seq {broken.seq} ({event}): {broken.reason}")
            # Not CommandError: its "CommandError:" prefix would stand in front of the one line that matters.
            sys.exit(1)
        self.stdout.write(f"Audit trail intact: {outcome.events} events, last hash {outcome.last_hash}")
