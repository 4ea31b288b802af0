"""Born-digital page text from a PDF's own text layer with pypdfium2 (hundreds of pages a second).

A page whose layer is missing or negligible (a scan inside a PDF) yields NEEDS_OCR instead of text.
Arabic pages are rebuilt character by character from pdfium's boxes, because some fonts' ligature
glyphs (lam-alef, lam-meem) map to their letters back to front, word spaces may be gaps rather than
characters, and brackets are stored as drawn (mirrored); the result must then read as logical Arabic
(see ingest.rtl), or the page goes to OCR.
"""

import re
import unicodedata

import pypdfium2
import pypdfium2.raw as pdfium_c

from ingest import rtl
from ingest.pages import PageResult, UnreadableFile, open_pdf

NEEDS_OCR = "needs_ocr"  # the marker: this page has no usable text layer
MIN_CHARACTERS = 20  # fewer letters or digits than this on a page: a stray page number, not text
WORD_GAP_EM = 0.15  # a gap between letters wider than this share of the font size is a word space
ENGINE = "pdfium"
_MARKS_ONLY = re.compile("[\\s\u064b-\u065f\u0670]+")
_DISPLACED_STOP = re.compile(r"^(\\s*)\\.(\\d+)\\s*")
_MIRRORED = str.maketrans("()[]{}<>", ")(][}{><")


def _box_equal(a, b):
    return all(abs(x - y) < 0.01 for x, y in zip(a, b, strict=True))


def _arabic(char):
    return bool(rtl.ARABIC_LETTER.match(char))


def rebuild_rtl(textpage):
    """The page's text from its characters and boxes, with ligature letters, word gaps and brackets fixed."""
    count = textpage.count_chars()
    chars = [(textpage.get_text_range(i, 1), textpage.get_charbox(i), i) for i in range(count)]
    # Letters of one ligature glyph share one box; in a right-to-left run they come out reversed.
    fixed, i = [], 0
    while i < len(chars):
        j = i + 1
        while j < len(chars) and _box_equal(chars[j][1], chars[i][1]) and _arabic(chars[j][0]):
            j += 1
        run = chars[i:j]
        if len(run) > 1 and all(_arabic(c[0]) for c in run):
            run = run[::-1]
        fixed.extend(run)
        i = j
    out = []
    previous = None
    for char, box, index in fixed:
        if char in " \r\n" or previous is None:
            out.append(char)
            previous = None if char in "\r\n" else (char, box, index)
            continue
        before, before_box, before_index = previous
        if before != " " and (_arabic(char) or _arabic(before)):
            gap = before_box[0] - box[2]  # right to left: this letter ends left of the previous one
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index) or 10
            if gap > WORD_GAP_EM * size:
                out.append(" ")
        out.append(char)
        previous = (char, box, index)
    lines = "".join(out).replace("\r\n", "\n").split("\n")
    # A mark placed above a letter's line (a damma, say) can come out as a line of its own.
    lines = [line for line in lines if not _MARKS_ONLY.fullmatch(line)]
    # In a right-to-left line a bracket is stored as the glyph drawn, which is the mirror of the
    # character typed; Latin-dominant lines keep theirs.
    return "\n".join(_fix_rtl_line(line) if rtl.arabic_share(line) > 0.5 else line for line in lines)


def _fix_rtl_line(line):
    # A list number's full stop is drawn to the number's left in a right-to-left line, so the layer
    # holds ".1" where "1." was typed.
    return _DISPLACED_STOP.sub(r"\1\2. ", line.translate(_MIRRORED))


def _clean(text):
    text = rtl.strip_bidi_controls(text).replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).replace("\ufffe", "").replace("\x02", "-").strip()


def substantial(text):
    return sum(1 for char in text if char.isalnum()) >= MIN_CHARACTERS


def page_text(page):
    """The text of one pypdfium2 page, or NEEDS_OCR when it has no usable (or no readable) text layer."""
    textpage = page.get_textpage()
    try:
        text = _clean(textpage.get_text_bounded())
        if not substantial(text):
            return NEEDS_OCR
        if rtl.arabic_share(text) > 0.2 or rtl.has_presentation_forms(text):
            rebuilt = rtl.repair(_clean(rebuild_rtl(textpage)))
            if rebuilt is None or rtl.fragmented(rebuilt):
                return NEEDS_OCR
            return rebuilt
        return text
    finally:
        textpage.close()


def extract(path):
    """For each page in order: a PageResult (method pdf_text) or NEEDS_OCR, with the page number."""
    document = open_pdf(path)
    try:
        for index in range(len(document)):
            try:
                page = document[index]
                width, height = page.get_size()
                text = page_text(page)
            except pypdfium2.PdfiumError as error:
                raise UnreadableFile(f"page {index + 1} cannot be read ({error})") from error
            page.close()
            if text is NEEDS_OCR:
                yield index + 1, NEEDS_OCR
            else:
                yield index + 1, PageResult(number=index + 1, text=text, method="pdf_text", unit="pt",
                                            engine=ENGINE, width=width, height=height)
    finally:
        document.close()


def pdf_words(path, number):
    """Word boxes (text, left, top, width, height, None) in PDF points, for page `number` (1-based).

    pdfplumber is slow (about 10 pages a second) and returns Arabic in visual order, so it is used only
    here, on demand, for positions; each word's Arabic is reordered to logical order.
    """
    import pdfplumber  # heavy: imported only when positions are asked for

    try:
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[number - 1]
            words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    except Exception as error:  # pdfminer raises many unrelated types on damaged files
        raise UnreadableFile(f"page {number} word positions cannot be read ({error})") from error
    result = []
    for word in words:
        text = rtl.strip_bidi_controls(word["text"])
        if rtl.arabic_share(text) > 0.5:
            text = rtl.visual_to_logical(text)
        result.append((text, word["x0"], word["top"], word["x1"] - word["x0"], word["bottom"] - word["top"], None))
    return result

