import sys

from django.core.management.base import BaseCommand, CommandError

from audit import anchors, chain


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain from the first event to the head, and against every kept anchor; "
        "exit 1 at the first broken link. When it holds, the head is appended to the anchor store."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor", action="append", default=[], metavar="SEQ:HASH",
            help="An event's sequence number and hash kept earlier: the chain must still hold it (repeatable).",
        )
        parser.add_argument(
            "--anchor-file", action="append", default=[], metavar="PATH",
            help="A file of anchors, one SEQ:HASH (or SEQ HASH TIME) a line (repeatable).",
        )
        parser.add_argument(
            "--no-anchor-store", action="store_true",
            help="Neither check against nor write to the anchor store (SIJILL_AUDIT_ANCHOR_DIR).",
        )
        parser.add_argument(
            "--every", type=int, default=10_000, help="Print progress after this many events, a multiple of 1000 (default 10000)."
        )

    def handle(self, *args, **options):
        try:
            kept = [anchors.parse(given, "--anchor") for given in options["anchor"]]
            for path in options["anchor_file"]:
                kept += anchors.read_file(path)
            if not options["no_anchor_store"]:
                kept += anchors.stored()
        except (anchors.AnchorError, OSError) as error:
            raise CommandError(f"Cannot read an anchor: {error}") from error
        every = max(options["every"], 1)

        def progress(count):
            if options["verbosity"] >= 1 and count % every == 0:
                self.stderr.write(f"{count} events checked")

        outcome = chain.verify_trail(anchors=kept, progress=progress)
        broken = outcome.broken
        if broken is not None:
            event = "no row" if broken.event_id is None else f"id {broken.event_id}"
            self.stderr.write(f"Audit trail BROKEN at event seq {broken.seq} ({event}): {broken.reason}")
            # Not CommandError: its "CommandError:" prefix would stand in front of the one line that matters.
            sys.exit(1)
        self.stdout.write(f"Audit trail intact: {outcome.events} events, last hash {outcome.last_hash}")
        if not options["no_anchor_store"]:
            written = anchors.keep(outcome.events, outcome.last_hash)
            if written is not None and options["verbosity"] >= 2:
                self.stdout.write(f"Kept {written}")
