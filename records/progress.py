"""A progress line for long commands: done, failed, total, rate and time left, redrawn in place.

On a terminal the line is redrawn (carriage return); into a file or a pipe a full line is written at most
every `every` seconds, so logs of a night's batch stay readable.
"""

import sys
import time


def _clock(seconds):
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


class ProgressLine:
    def __init__(self, stream, *, label, unit, every=5.0, width=30):
        self.stream = stream
        self.label = label
        self.unit = unit
        self.every = every
        self.width = width
        self.started = time.monotonic()
        self.last = 0.0
        self.tty = getattr(stream, "isatty", lambda: False)()
        self.drawn = False

    def text(self, done, failed, total, seconds_left=None):
        settled = done + failed
        share = settled / total if total else 0.0
        filled = int(self.width * share)
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = time.monotonic() - self.started
        if seconds_left is None and settled and total:
            seconds_left = elapsed / settled * (total - settled)
        return (
            f"{self.label} [{bar}] {settled}/{total} {self.unit} ({done} done, {failed} failed) "
            f"elapsed {_clock(elapsed)}, left {_clock(seconds_left)}"
        )

    def show(self, done, failed, total, seconds_left=None, *, force=False):
        now = time.monotonic()
        if not force and not self.tty and now - self.last < self.every:
            return
        self.last = now
        line = self.text(done, failed, total, seconds_left)
        if self.tty:
            self.stream.write("\r" + line.ljust(110))
            self.drawn = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self):
        if self.tty and self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def to_stdout(**kwargs):
    return ProgressLine(sys.stdout, **kwargs)
