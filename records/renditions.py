"""The renditions storage: page images, thumbnails and searchable PDFs made from the originals.

Derived files, so they may be made again; still never public, since a page image shows what the page
says. Keys are random, like the originals'. They leave only through the access-checked page views.
"""

import uuid

from django.core.files.base import ContentFile, File
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.translation import gettext as _

from records.errors import StorageFailure

_EXTENSIONS = {"image/webp": ".webp", "image/png": ".png", "application/pdf": ".pdf"}


def store():
    return storages["renditions"]


def write(data, media_type):
    """Keep `data` (bytes, or a binary file read from its start) under a new key and return the key."""
    key = f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{_EXTENSIONS.get(media_type, '.bin')}"
    content = ContentFile(data, name=key) if isinstance(data, bytes) else File(data, name=key)
    try:
        return store().save(key, content)
    except Exception as error:  # any backend failure: the caller keeps nothing half-made
        raise StorageFailure(_("The renditions storage could not keep a page image: %(error)s") % {"error": error}) from error


def open_rendition(key):
    return store().open(key, "rb")


def remove(*keys):
    for key in keys:
        try:
            store().delete(key)
        except FileNotFoundError:
            pass


def move(key, target):
    """Write the bytes under `key` again under `target` (or the free name next to it), then remove `key`."""
    with open_rendition(key) as source:
        kept = store().save(target, File(source, name=target))
    remove(key)
    return kept
