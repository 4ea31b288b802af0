"""A file's pages as text: the PDF's own layer where it is usable, OCR for the rest and for images."""

from ingest import ocr, pdftext
from ingest.pages import PDF, PageResult, iter_pages


def extract_pages(path, languages=None, *, clean=True):
    """PageResults in page order, one page decoded at a time. `languages`: ISO codes or None (detect)."""
    for page in iter_pages(path):
        if page.kind == PDF:
            text = pdftext.page_text(page.pdf_page)
            if text is not pdftext.NEEDS_OCR:
                width, height = page.pdf_page.get_size()
                yield PageResult(number=page.number, text=text, method="pdf_text", unit="pt",
                                 engine=pdftext.ENGINE, width=width, height=height)
                continue
        image = page.render()
        yield ocr.ocr_page(image, page.number, languages=languages, dpi=page.dpi, clean=clean)
