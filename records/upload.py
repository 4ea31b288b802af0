"""Checks an incoming file before anything is stored: its name, its size, and what its bytes really are.

The file is read once, in chunks, into a spooled temporary file while its SHA-256 is computed, so the
hash that is recorded is the hash of the bytes that are stored, and a file over the limit is refused as
soon as it crosses it instead of after it has been read whole.
"""

import hashlib
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from tempfile import SpooledTemporaryFile
from typing import BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from records import media_types
from records.errors import UploadRefused

CHUNK = 1024 * 1024
_SPOOL_IN_MEMORY = 8 * 1024 * 1024
_PATH_SEPARATORS = ("/", "\\")
# Direction overrides turn 'judgment\u202efdp.exe' into what looks like 'judgmentexe.pdf'.
_DIRECTION_OVERRIDES = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_MAX_NAME_BYTES = 255


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    media_type: str
    size: int
    sha256: str
    file: BinaryIO


def clean_file_name(name):
    """The name as it will be recorded (NFC), or UploadRefused naming what is wrong with it."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise UploadRefused(_("The file has no name; give it one before uploading."), code="no_name")
    for separator in _PATH_SEPARATORS:
        if separator in name:
            raise UploadRefused(
                _("The file name %(name)r contains a path separator (%(separator)r); upload it under a plain file name.")
                % {"name": name, "separator": separator},
                code="bad_name",
            )
    for char in name:
        if unicodedata.category(char) == "Cc":
            raise UploadRefused(
                _("The file name %(name)r contains a control character (%(char)s); rename the file.")
                % {"name": name, "char": f"U+{ord(char):04X}"},
                code="bad_name",
            )
        if char in _DIRECTION_OVERRIDES:
            raise UploadRefused(
                _(
                    "The file name %(name)r contains a text-direction override (%(char)s), which can "
                    "disguise its real extension; rename the file."
                )
                % {"name": name, "char": f"U+{ord(char):04X}"},
                code="bad_name",
            )
    if name in {".", ".."}:
        raise UploadRefused(_("%(name)r is not a file name.") % {"name": name}, code="bad_name")
    if len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        raise UploadRefused(
            _("The file name is %(length)s bytes long; the limit is %(limit)s bytes. Shorten it.")
            % {"length": len(name.encode("utf-8")), "limit": _MAX_NAME_BYTES},
            code="bad_name",
        )
    return name


def _too_large(name, max_bytes):
    return UploadRefused(
        _("%(name)s is larger than the upload limit of %(limit)s (set by SIJILL_MAX_UPLOAD_MB); nothing was stored.")
        % {"name": name, "limit": filesizeformat(max_bytes)},
        code="too_large",
    )


@contextmanager
def checked_upload(name, stream, *, max_bytes=None):
    """Yield a CheckedUpload for `stream`, or raise UploadRefused; the temporary copy is always removed."""
    max_bytes = settings.SIJILL_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    name = clean_file_name(name)
    declared_size = getattr(stream, "size", None)
    if declared_size is not None and declared_size > max_bytes:
        raise _too_large(name, max_bytes)
    if getattr(stream, "seekable", lambda: False)():
        stream.seek(0)  # a Django upload may have been read already; a pipe cannot rewind
    spool = SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY, dir=settings.FILE_UPLOAD_TEMP_DIR)
    try:
        digest = hashlib.sha256()
        size = 0
        head = bytearray()
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(name, max_bytes)
            digest.update(chunk)
            spool.write(chunk)
            if len(head) < media_types.SNIFF_BYTES:
                head += chunk[: media_types.SNIFF_BYTES - len(head)]
        if size == 0:
            raise UploadRefused(_("%(name)s is empty (0 bytes); nothing was stored.") % {"name": name}, code="empty")
        media_type = media_types.detect(bytes(head))
        extension = PurePosixPath(name).suffix.lstrip(".")
        if extension and not media_types.extension_agrees(extension, media_type):
            raise UploadRefused(
                _("%(name)s is named as a .%(extension)s file but its content is %(type)s; rename it or upload the right file.")
                % {"name": name, "extension": extension, "type": media_types.describe(media_type)},
                code="type_mismatch",
            )
        spool.seek(0)
        yield CheckedUpload(
            name=name, media_type=media_type, size=size, sha256=digest.hexdigest(), file=spool
        )
    finally:
        spool.close()
