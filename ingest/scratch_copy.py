"""A version's bytes as a local file, for readers (pypdfium2, Pillow, Tesseract) that need a path.

Local originals are read where they are. From S3 the object is copied once into the private scratch
folder and kept for the next page job on the same version: a 500-page file is fetched once per worker,
not once per page. The copy is checked against the version's SHA-256, so a page is never read from
bytes that are not the record's.
"""

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from records import storage

_kept = {}  # version id -> path of this process's copy (one at a time)


def folder():
    path = Path(settings.DATA_DIR) / "tmp" / "ingest"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)  # private whatever the umask did: the copy may hold sealed content
    return path


@contextmanager
def local(version):
    path = storage.local_path(version.storage_key)
    if path is not None:
        yield path
        return
    key = str(version.pk)
    if key not in _kept or not os.path.exists(_kept[key]):
        for stale in _kept.values():
            Path(stale).unlink(missing_ok=True)
        _kept.clear()
        _kept[key] = _fetch(version)
    os.utime(_kept[key])  # in use: the scratch sweep leaves it alone
    yield Path(_kept[key])


def _fetch(version):
    handle, name = tempfile.mkstemp(dir=folder(), suffix=Path(version.storage_key).suffix)
    sha256 = hashlib.sha256()
    with os.fdopen(handle, "wb") as out, storage.open_original(version.storage_key) as source:
        while chunk := source.read(storage.CHUNK):
            sha256.update(chunk)
            out.write(chunk)
    if sha256.hexdigest() != version.sha256:
        os.unlink(name)
        raise OSError(_("The stored bytes of %(name)s do not match its SHA-256; run fixity.") % {"name": version.original_name})
    return name
