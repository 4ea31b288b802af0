"""The private scratch folder for uploads on their way in, and its sweep at start-up.

Django writes an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file before any view runs,
and records.upload spools every checked upload; a process killed mid-upload leaves that file behind, and
it may hold sealed content. So the files live inside the data directory, in a folder only Sijill's user
can open, and each web process sweeps what a dead one left there when it starts.
"""

import logging
import os
import time
from pathlib import Path

logger = logging.getLogger(__name__)

# Older than this, no upload is still writing to the file: a live one touches it with every chunk.
ABANDONED_AFTER_SECONDS = 3600


def prepare(folder):
    """Create `folder` if needed and make it private (0700), whatever the umask did."""
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def sweep(folder, *, older_than=ABANDONED_AFTER_SECONDS):
    """Remove the files in `folder` that nothing has written for `older_than` seconds; returns how many."""
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    deadline = time.time() - older_than
    removed = 0
    for entry in os.scandir(folder):
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < deadline:
                os.unlink(entry.path)
                removed += 1
        except FileNotFoundError:  # another process swept it first
            continue
    if removed:
        logger.warning("Removed %d abandoned upload files from %s", removed, folder)
    return removed


def sweep_at_start_up():
    from django.conf import settings

    return sweep(prepare(settings.FILE_UPLOAD_TEMP_DIR))
