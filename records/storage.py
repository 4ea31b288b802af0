"""The originals storage: every version's bytes, written once under a key nobody else will ever use.

Keys are made here from a random UUID, never from the uploaded file's name, so a name cannot collide,
traverse directories or overwrite anything. The storage is `STORAGES["originals"]`: local files under
the data directory, or an S3-compatible bucket through django-storages.
"""

import hashlib
import mimetypes
import uuid
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.translation import gettext as _

from records.errors import StorageFailure

CHUNK = 1024 * 1024
_EXTENSIONS = {"image/jpeg": ".jpg", "image/tiff": ".tif", "text/plain": ".txt"}


def originals():
    return storages["originals"]


def extension_for(media_type):
    return _EXTENSIONS.get(media_type) or mimetypes.guess_extension(media_type) or ".bin"


def new_key(extension):
    """A fresh key such as '2026/11/3f2a…e9.pdf': dated folders keep listings small."""
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def _save(key, fileobj, label):
    try:
        return originals().save(key, File(fileobj, name=key))
    except Exception as error:  # any storage backend failure means nothing was kept
        raise StorageFailure(
            _("The originals storage could not keep %(name)s: %(error)s. Nothing was recorded.")
            % {"name": label, "error": error}
        ) from error


def write(checked):
    """Store a CheckedUpload's bytes under a new key and return the key actually used."""
    checked.file.seek(0)
    return _save(new_key(extension_for(checked.media_type)), checked.file, checked.name)


def copy(key):
    """Write the bytes stored under `key` again under a new key (a revert is a new version)."""
    with open_original(key) as source:
        return _save(new_key(PurePosixPath(key).suffix), source, _("a copy of %(key)s") % {"key": key})


def move(key, target):
    """Write the bytes under `key` again under `target` (or the free name next to it), then remove `key`.

    Copy first, remove after: a failure half-way leaves the bytes in both places, never in neither.
    """
    with open_original(key) as source:
        kept = _save(target, source, key)
    remove(key)
    return kept


def remove(key):
    originals().delete(key)


def open_original(key):
    return originals().open(key, "rb")


def digest(key):
    """SHA-256 and size of the bytes stored under `key`, read in chunks."""
    sha256 = hashlib.sha256()
    size = 0
    with open_original(key) as stored:
        while chunk := stored.read(CHUNK):
            sha256.update(chunk)
            size += len(chunk)
    return sha256.hexdigest(), size


def exists(key):
    return originals().exists(key)


def local_path(key):
    """The file's path when the originals are local files, else None."""
    try:
        return Path(originals().path(key))
    except NotImplementedError:
        return None


def local_relative_path(key):
    """The key as a path below the originals folder, for a web server sending the file itself."""
    return key if local_path(key) is not None else None


def signed_url(key, *, seconds, disposition, media_type):
    """A short-lived signed URL for the object when the originals live in S3, else None.

    The URL carries its own Content-Disposition and Content-Type, so the bucket serves it as an attachment.
    """
    store = originals()
    if not hasattr(store, "bucket_name"):
        return None
    return store.url(
        key,
        parameters={"ResponseContentDisposition": disposition, "ResponseContentType": media_type},
        expire=seconds,
    )
