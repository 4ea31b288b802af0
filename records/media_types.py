"""What a file is, read from its bytes; and whether its name's extension agrees.

libmagic reads most formats. PDF is recognised here first because readers accept a header anywhere in
the first 1024 bytes (iOS writes '%%EOF' before '%PDF-' when it appends), where libmagic says
'application/octet-stream'. Text formats are one family: libmagic calls the same HTML or JSON file
text/plain or text/html depending on its first lines, and that is no lie about its type.
"""

import magic
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SNIFF_BYTES = 64 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
_TEXT_EXTRAS = {"application/json", "application/xml", "application/x-ndjson", "application/csv"}
_OLE = {"application/msword", "application/CDFV2", "application/x-ole-storage", "application/vnd.ms-office"}

# extension -> media types its content may have; an extension not listed is not checked.
_EXPECTED = {
    "pdf": {PDF},
    "tif": {"image/tiff"},
    "tiff": {"image/tiff"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "jpe": {"image/jpeg"},
    "png": {"image/png"},
    "gif": {"image/gif"},
    "bmp": {"image/bmp", "image/x-ms-bmp"},
    "webp": {"image/webp"},
    "jp2": {"image/jp2"},
    "docx": {DOCX, "application/zip"},
    "xlsx": {XLSX, "application/zip"},
    "odt": {ODT, "application/zip"},
    "doc": _OLE,
    "xls": _OLE | {"application/vnd.ms-excel"},
    "rtf": {"text/rtf", "application/rtf"},
    "zip": {"application/zip"},
    "mp3": {"audio/mpeg"},
    "wav": {"audio/x-wav", "audio/wav"},
    "mp4": {"video/mp4"},
}
_TEXT_EXTENSIONS = {"txt", "text", "html", "htm", "xml", "json", "jsonl", "csv", "md", "tsv"}

_LABELS = {
    PDF: gettext_lazy("PDF document"),
    "image/tiff": gettext_lazy("TIFF image"),
    "image/jpeg": gettext_lazy("JPEG image"),
    "image/png": gettext_lazy("PNG image"),
    "image/gif": gettext_lazy("GIF image"),
    DOCX: gettext_lazy("Word document"),
    "application/zip": gettext_lazy("ZIP archive"),
    "application/octet-stream": gettext_lazy("unrecognised binary data"),
    "application/x-executable": gettext_lazy("program"),
    "application/x-dosexec": gettext_lazy("Windows program"),
}


def detect(head):
    """Media type of a file from its first bytes (at least SNIFF_BYTES of them when it is larger)."""
    if b"%PDF-" in head[:1024]:
        return PDF
    return magic.from_buffer(head, mime=True)


def is_text(media_type):
    return media_type.startswith("text/") or media_type in _TEXT_EXTRAS


def extension_agrees(extension, media_type):
    """False when the name's extension promises a type the content is not."""
    extension = extension.lower()
    if extension in _TEXT_EXTENSIONS:
        return is_text(media_type)
    expected = _EXPECTED.get(extension)
    return expected is None or media_type in expected


def describe(media_type):
    if media_type in _LABELS:
        return f"{_LABELS[media_type]} ({media_type})"
    if is_text(media_type):
        return _("text (%(type)s)") % {"type": media_type}
    return media_type
