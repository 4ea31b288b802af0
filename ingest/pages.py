"""Pages of an uploaded file: its type by magic bytes, its page count, and its pages one at a time.

PDFs open with pypdfium2; TIFF (any number of frames), JPEG and PNG with Pillow. A page is decoded only
when the iteration reaches it (or when `open_page` asks for it alone), so a 500-page TIFF never sits in
memory whole. Text formats (HTML, JSON, DOCX, ...) are `ingest.textfiles`'.
"""

import re
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2
from PIL import Image, UnidentifiedImageError

from ingest.config import setting

PDF, TIFF, JPEG, PNG = "pdf", "tiff", "jpeg", "png"
RENDER_DPI = 300  # OCR's resolution for PDF pages without a text layer
_PDF_SEARCH = 1024  # the header may follow junk (an appended-update prefix); readers look this far
# What Pillow raises on a damaged image, depending on where the damage is (a TIFF directory cut short
# gives TypeError or KeyError, a bad header SyntaxError): each is the file's fault, not the reader's.
_IMAGE_ERRORS = (OSError, ValueError, EOFError, TypeError, KeyError, IndexError, SyntaxError, struct.error)


class UnreadableFile(Exception):
    """The file cannot be read as pages; the message says why, for the clerk who uploaded it."""


@dataclass
class PageResult:
    """The text of one page and how it was obtained."""

    number: int  # 1-based
    text: str
    method: str  # "pdf_text" (the PDF's own text layer) or "ocr"
    confidence: float | None = None  # OCR: mean word confidence 0-100; None for a text layer
    words: list[tuple[str, float, float, float, float, float | None]] = field(default_factory=list)
    # Of the word boxes and size: "px" of the image Tesseract read (after rescaling and deskewing, the
    # image inside searchable_pdf) for OCR, or "pt" of the PDF page for pdf_text.
    unit: str = "px"
    engine: str = ""  # "tesseract 5.3.0" or "pdfium"
    languages: str = ""  # Tesseract's model string, e.g. "ara+fra"; "" for a text layer
    width: float = 0  # of the page, in `unit`
    height: float = 0
    searchable_pdf: bytes | None = None  # OCR: the one-page PDF with an invisible text layer
    # OCR: the prepared image Tesseract read, on whose pixel grid the word boxes lie (for the page's
    # preview, so boxes drawn on it fall on their words); never stored as it is.
    image: object = None
    notes: list[str] = field(default_factory=list)  # e.g. a language without a model


@dataclass
class SourcePage:
    """One page before text extraction: an image (scan) or a PDF page (which may still need OCR)."""

    number: int
    kind: str  # PDF or the image format
    image: Image.Image | None = None  # image files: the decoded frame
    pdf_page: object = None  # PDFs: the pypdfium2 page, rendered only if OCR needs it
    dpi: float | None = None  # of the image, when the file says

    def render(self, dpi=RENDER_DPI):
        """The page as a Pillow image; PDF pages are rasterised at `dpi`."""
        if self.image is not None:
            return self.image
        width, height = self.pdf_page.get_size()
        scale = dpi / 72
        _check_pixels(width * scale, height * scale, f"page {self.number}")
        return self.pdf_page.render(scale=scale, grayscale=True).to_pil()


def max_pixels():
    return int(setting("SIJILL_MAX_PAGE_PIXELS", 180_000_000))


def _check_pixels(width, height, what):
    limit = max_pixels()
    if width * height > limit:
        raise UnreadableFile(
            f"{what} is {int(width)}×{int(height)} pixels, over the limit of {limit:,} pixels "
            "(SIJILL_MAX_PAGE_PIXELS): refused as a possible decompression bomb"
        )


def read_head(path, size=_PDF_SEARCH):
    """The file's first bytes; UnreadableFile for an empty file."""
    with open(path, "rb") as handle:
        head = handle.read(size)
    if not head:
        raise UnreadableFile(f"{Path(path).name} is empty (zero bytes)")
    return head


def page_kind(head):
    """PDF, TIFF, JPEG or PNG from a file's first bytes, or None for any other content."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if b"%PDF-" in head[:_PDF_SEARCH]:
        return PDF
    return None


def detect_type(path):
    """PDF, TIFF, JPEG or PNG from the file's first bytes; the name is not trusted."""
    kind = page_kind(read_head(path))
    if kind is None:
        raise UnreadableFile(f"{Path(path).name} is not a PDF, TIFF, JPEG or PNG file (unsupported type)")
    return kind


def open_pdf(path):
    """The pypdfium2 document, or UnreadableFile for a damaged or password-protected PDF."""
    try:
        return pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as error:
        message = str(error).lower()
        if "password" in message:
            raise UnreadableFile(f"{Path(path).name} is an encrypted PDF that needs a password") from error
        raise UnreadableFile(
            f"{Path(path).name} is a damaged or truncated PDF that cannot be opened ({error})"
        ) from error


def _open_image(path):
    # Pillow warns past MAX_IMAGE_PIXELS and raises past twice that; the limit is set here on purpose
    # and every frame is checked against it before decoding, so a bomb is refused, not merely warned of.
    Image.MAX_IMAGE_PIXELS = max_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused below, by _check_pixels
            return Image.open(path)
    except Image.DecompressionBombError as error:
        found = re.search(r"\((\d+) pixels\)", str(error))
        size = f"{int(found.group(1)):,} pixels" if found else "too many pixels"
        raise UnreadableFile(
            f"{Path(path).name} is an image of {size}, over the limit of {max_pixels():,} pixels "
            "(SIJILL_MAX_PAGE_PIXELS): refused as a possible decompression bomb"
        ) from error
    except (UnidentifiedImageError, *_IMAGE_ERRORS) as error:
        raise UnreadableFile(f"{Path(path).name} is a damaged image that cannot be opened ({error})") from error


def count_pages(path, kind=None):
    """Number of pages (PDF) or frames (TIFF); 1 for JPEG and PNG. No page is decoded."""
    kind = kind or detect_type(path)
    if kind == PDF:
        document = open_pdf(path)
        try:
            return len(document)
        finally:
            document.close()
    with _open_image(path) as image:
        return _frame_count(image, Path(path).name)


@contextmanager
def open_page(path, number, kind=None):
    """Page `number` (1-based) alone, as a SourcePage valid inside the `with` block.

    A PDF loads that page only; a TIFF seeks past the other frames' headers without decoding them. So a
    worker reading one page of a 500-page file holds one page in memory, whatever the page count.
    """
    kind = kind or detect_type(path)
    name = Path(path).name
    if kind == PDF:
        document = open_pdf(path)
        try:
            _check_number(name, number, len(document))
            try:
                page = document[number - 1]
            except pypdfium2.PdfiumError as error:
                raise UnreadableFile(f"{name}: page {number} cannot be read ({error})") from error
            try:
                yield SourcePage(number=number, kind=PDF, pdf_page=page)
            finally:
                page.close()
        finally:
            document.close()
        return
    with _open_image(path) as image:
        _check_number(name, number, _frame_count(image, name))
        yield _decode_frame(image, name, number, kind)


def _frame_count(image, name):
    """Frames of an image file, found by walking the TIFF's directory of frames (none is decoded)."""
    try:
        return getattr(image, "n_frames", 1)
    except _IMAGE_ERRORS as error:
        raise UnreadableFile(f"{name} is a damaged image whose pages cannot be listed ({error})") from error


def _check_number(name, number, count):
    if not 1 <= number <= count:
        raise UnreadableFile(f"{name} has {count} page(s): there is no page {number}")


def _decode_frame(image, name, number, kind):
    try:
        image.seek(number - 1)
        _check_pixels(image.width, image.height, f"{name} page {number}")
        dpi = image.info.get("dpi")
        frame = image.copy()  # decodes this frame only
    except _IMAGE_ERRORS as error:
        raise UnreadableFile(f"{name}: page {number} is damaged and cannot be decoded ({error})") from error
    return SourcePage(number=number, kind=kind, image=frame, dpi=float(dpi[0]) if dpi and dpi[0] else None)


def iter_pages(path) -> Iterator[SourcePage]:
    """The file's pages in order, each decoded only when reached.

    A PDF page is closed when the iteration moves on: render it (or read its text) before the next.
    """
    kind = detect_type(path)
    if kind == PDF:
        yield from _pdf_pages(path)
    else:
        yield from _image_pages(path, kind)


def _pdf_pages(path):
    document = open_pdf(path)
    try:
        for index in range(len(document)):
            try:
                page = document[index]
            except pypdfium2.PdfiumError as error:
                raise UnreadableFile(f"{Path(path).name}: page {index + 1} cannot be read ({error})") from error
            yield SourcePage(number=index + 1, kind=PDF, pdf_page=page)
            page.close()
    finally:
        document.close()


def _image_pages(path, kind):
    name = Path(path).name
    with _open_image(path) as image:
        for index in range(_frame_count(image, name)):
            yield _decode_frame(image, name, index + 1, kind)
