"""A file's pages read one at a time: the text of each, its word boxes and its page images.

`count_pages` and `read_page` are what page jobs call: a job reads one page, decoding that page only, so a
worker's memory stays the same for a 1-page and a 500-page file. A PDF page with a usable text layer is
read from it (pdfium: hundreds of pages a second); image pages and PDF pages without one go to OCR; text
formats (HTML, JSON, DOCX, ...) are one page each, read by `ingest.textfiles`.
"""

from dataclasses import dataclass
from pathlib import Path

import pypdfium2

from ingest import ocr, pdftext, pdfwords, previews, textfiles
from ingest.pages import PDF, RENDER_DPI, PageResult, UnreadableFile, iter_pages, open_page, page_kind, read_head
from ingest.pages import count_pages as count_page_file

SUPPORTED = "PDF, TIFF, JPEG, PNG, plain text, HTML, XML, JSON, JSON Lines, DOCX or ODT"
OCR_PAGES = "ocr"  # read_page(images=OCR_PAGES): images for OCR pages only (see read_page)


@dataclass
class PageRead:
    """One page as read: its text and how (`result`), and its images as WebP bytes (None without one)."""

    result: PageResult
    preview: bytes | None = None  # the page image the word boxes lie on, at most ~1650 px on its long side
    thumbnail: bytes | None = None  # the same, ~200 px on its long side


def file_kind(path):
    """The file's type from its bytes, never its name: pages.PDF/TIFF/JPEG/PNG or a textfiles kind."""
    head = read_head(path, textfiles.SNIFF_BYTES)
    kind = page_kind(head) or textfiles.sniff(path, head)
    if kind is None:
        raise UnreadableFile(
            f"{Path(path).name} {textfiles.refusal(head)} (unsupported type); Sijill reads {SUPPORTED}"
        )
    return kind


def count_pages(path):
    """Pages of a PDF, frames of a TIFF, 1 for an image or a text file; nothing is decoded."""
    kind = file_kind(path)
    if kind in textfiles.KINDS:
        return 1
    return count_page_file(path, kind)


def read_page(path, number, *, languages=(), images=True):
    """Read page `number` (1-based) of the file at `path`, and only that page.

    `languages`: ISO codes of the document for OCR ("ara", "fr", ...); empty detects the script.
    `images`: True makes the preview and thumbnail of every page; False of none; OCR_PAGES of OCR
    pages only. A text-layer page's images cost ten times its text and words (≈ 50 ms against 5 ms
    of CPU), so a caller that must keep born-digital PDFs fast can leave them to text_layer_images,
    later; an OCR page's come from the image Tesseract read, which exists only now, and cost little
    next to OCR.
    """
    kind = file_kind(path)
    if kind in textfiles.KINDS:
        if number != 1:
            raise UnreadableFile(f"{Path(path).name} is a {kind} file of one page: there is no page {number}")
        return PageRead(textfiles.read(path, kind))
    with open_page(path, number, kind) as source:
        try:
            return read_source(source, languages=languages, images=images)
        except pypdfium2.PdfiumError as error:
            raise UnreadableFile(f"{Path(path).name}: page {number} cannot be read ({error})") from error


def read_source(source, *, languages=(), images=True, clean=True):
    """A PageRead for one pages.SourcePage: its text layer when usable, else OCR of its image."""
    if source.kind == PDF:
        text = pdftext.page_text(source.pdf_page)
        if text is not pdftext.NEEDS_OCR:
            return _text_layer_page(source, text, images)
    dpi = source.dpi or (RENDER_DPI if source.kind == PDF else None)
    result = ocr.ocr_page(source.render(), source.number, languages=list(languages) or None, dpi=dpi, clean=clean)
    if images is False:
        return PageRead(result)
    # The prepared image Tesseract read: the word boxes are in its pixels, so the preview is made from it.
    return PageRead(result, *previews.page_images(result.image))


def _text_layer_page(source, text, images):
    page = source.pdf_page
    width, height = page.get_size()
    result = PageResult(
        number=source.number,
        text=text,
        method="pdf_text",
        unit="pt",
        engine=pdftext.ENGINE,
        width=width,
        height=height,
        words=pdfwords.page_words(page, text),
    )
    if images is not True:
        return PageRead(result)
    return PageRead(result, *previews.page_images(previews.render_pdf_page(page)))


def text_layer_images(path, number):
    """(preview, thumbnail) WebP of a PDF page read from its text layer, made apart from reading it."""
    with open_page(path, number, PDF) as source:
        try:
            return previews.page_images(previews.render_pdf_page(source.pdf_page))
        except pypdfium2.PdfiumError as error:
            raise UnreadableFile(f"{Path(path).name}: page {number} cannot be drawn ({error})") from error


def extract_pages(path, languages=None, *, clean=True):
    """PageResults of a PDF or image file in page order, one page decoded at a time, without images.

    For measuring and scripts; page jobs use read_page. `clean=False` is plain Tesseract (see ocr_page).
    """
    for source in iter_pages(path):
        yield read_source(source, languages=languages or (), images=False, clean=clean).result
