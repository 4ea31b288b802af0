"""Text formats read as one page each (to come: plain text, HTML, XML, JSON, DOCX, ODT)."""

SNIFF_BYTES = 64 * 1024
KINDS = frozenset()


def sniff(path, head):
    """The text format of a file from its first bytes, or None when it is not a supported text format."""
    return None


def refusal(head):
    """Why a file of unknown type is refused, for the message."""
    return "is not a PDF, TIFF, JPEG or PNG file"


def read(path, kind):
    raise NotImplementedError(kind)
