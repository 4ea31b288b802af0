"""Word boxes of a born-digital PDF page from pdfium's character boxes (a few ms a page).

A word is a run of characters between spaces, line ends and gaps wider than WORD_GAP em. Its box is
the union of its characters' loose boxes (advance width by the font's ascent and descent, so the words
of a line share a height), mapped to the page as displayed: PDF points from the top-left corner of the
crop box, with the page's /Rotate applied, as previews.render_pdf_page draws it.

A word's spelling is taken from the page text's own tokens (pdftext.page_text) where one matches, so
that Arabic ligatures, mirrored brackets and visual order are put right the same way in both and a
search hit in the text finds its box; a word that matches none keeps pdfium's letters.

Speed matters (born-digital pages must go at 50 a second with everything else): one pdfium call per
character, the text itself in one call, and the right-to-left work only on pages that hold Arabic.
"""

import ctypes
import unicodedata

import pypdfium2.raw as pdfium_c
from bidi import get_display

from ingest import rtl

WORD_GAP = 0.15  # em: a wider gap between two letters is a word space (as pdftext.WORD_GAP_EM)
_MIRRORED = str.maketrans("()[]{}<>", ")(][}{><")
_IGNORED = "\ufeff\x00"
_HYPHEN = str.maketrans({"\x02": "-", "\ufffe": "-"})  # pdfium's mark of a hyphen ending a line
_SPACE = " \t\r\n\f\v\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


def page_words(page, text):
    """[(text, left, top, width, height, None), ...] in points for a pypdfium2 page whose text is `text`."""
    textpage = page.get_textpage()
    try:
        right_to_left = bool(rtl.ARABIC_LETTER.search(text))
        runs = _runs(textpage.raw, right_to_left=right_to_left)
    finally:
        textpage.close()
    to_display = _display_transform(page)
    width, height = page.get_size()
    tokens = set(text.split())
    words = []
    for letters, left, bottom, right, top in runs:
        word = _spelling(letters, tokens, right_to_left)
        if not word:
            continue
        (x0, y0), (x1, y1) = to_display(left, bottom), to_display(right, top)
        left, right = max(0.0, min(x0, x1)), min(width, max(x0, x1))
        top, bottom = max(0.0, min(y0, y1)), min(height, max(y0, y1))
        if right <= left or bottom <= top:
            continue  # outside the displayed page: not seen, and not in the page text either
        words.append((word, round(left, 2), round(top, 2), round(right - left, 2), round(bottom - top, 2), None))
    return words


def _letters(raw, count):
    """The page's characters, index for index: from one text call when it lines up, else one by one."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    if written == count + 1:
        letters = bytes(memoryview(buffer)[:count]).decode("utf-16-le", errors="replace")
        if len(letters) == count and all(
            ord(letters[i]) == pdfium_c.FPDFText_GetUnicode(raw, i) for i in range(0, count, max(1, count // 16))
        ):
            return letters
    return "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))


def _runs(raw, *, right_to_left):
    """(letters, left, bottom, right, top) of each word, in page space (points, y upwards)."""
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return []
    letters = _letters(raw, count)
    rect = pdfium_c.FS_RECTF()
    pointer = ctypes.byref(rect)
    box_of = pdfium_c.FPDFText_GetLooseCharBox
    runs, chunk = [], []
    line_bottom = line_top = 0.0
    for index, letter in enumerate(letters):
        if letter in _SPACE or letter in _IGNORED or not box_of(raw, index, pointer):
            if chunk and letter not in _IGNORED:
                _split(raw, chunk, runs, right_to_left)
                chunk = []
            continue
        bottom, top = rect.bottom, rect.top
        if chunk:
            # Another line (or a superscript well above this one) starts a new word. (Plain
            # comparisons: this runs for every character of every page.)
            overlap = (top if top < line_top else line_top) - (bottom if bottom > line_bottom else line_bottom)
            height, before = top - bottom, line_top - line_bottom
            if overlap < 0.5 * (height if height < before else before):
                _split(raw, chunk, runs, right_to_left)
                chunk = []
        chunk.append((letter, rect.left, bottom, rect.right, top, index))
        line_bottom, line_top = bottom, top
    if chunk:
        _split(raw, chunk, runs, right_to_left)
    return runs


def _split(raw, chunk, runs, right_to_left):
    """Add the words of a run without spaces to `runs`, split where the letters leave a wide gap.

    Some PDFs space words by position, not by a space character (often in Arabic). In right-to-left
    text the gaps are looked for in drawing order, because a number there comes in reading order but
    is drawn left to right, so neighbours in the text are not always neighbours on the page.
    """
    order = sorted(range(len(chunk)), key=lambda i: chunk[i][1]) if right_to_left else range(len(chunk))
    threshold = None
    cuts = set()
    last = None
    for i in order:
        if last is not None:
            char, previous = chunk[i], chunk[last]
            # Loose boxes (advance widths) of one word's letters touch; where they part, the glyphs'
            # own boxes measure the gap, as pdftext measures it when it puts a space there.
            loose_gap = char[1] - previous[3]
            if loose_gap > 0.04 * (char[4] - char[2]):
                threshold = threshold or WORD_GAP * _em(raw, chunk[0])
                if loose_gap > threshold / 3 and _ink_gap(raw, previous[5], char[5]) > threshold:
                    cuts.add(i)
            if right_to_left and char[3] <= previous[3]:
                continue  # keep the rightmost reach so far
        last = i
    if not cuts:
        runs.append(_run(chunk))
        return
    words, segment = {}, 0
    segment_of = {}
    for i in order:
        segment += i in cuts
        segment_of[i] = segment
    for i, char in enumerate(chunk):
        words.setdefault(segment_of[i], []).append(char)
    runs.extend(_run(word) for word in words.values())  # in the order their first letters come


def _run(chars):
    if len(chars) == 1:
        _letter, left, bottom, right, top, _index = chars[0]
        return chars, left, bottom, right, top
    columns = list(zip(*chars, strict=True))
    return chars, min(columns[1]), min(columns[2]), max(columns[3]), max(columns[4])


def _em(raw, char):
    """The character's font size as drawn: the size set for the font times the text matrix's scale."""
    matrix = pdfium_c.FS_MATRIX()
    size = pdfium_c.FPDFText_GetFontSize(raw, char[5])
    if size > 0 and pdfium_c.FPDFText_GetMatrix(raw, char[5], matrix):
        drawn = size * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        if drawn > 0:
            return drawn
    return char[4] - char[2]  # the loose box's height: about one em


def _ink_gap(raw, before, after):
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharBox(raw, before, left, right, bottom, top)
    end = right.value
    pdfium_c.FPDFText_GetCharBox(raw, after, left, right, bottom, top)
    return left.value - end


def _spelling(chars, tokens, right_to_left):
    """The word's text as the page text spells it, or as pdfium gives it when no token matches."""
    word = "".join([char[0] for char in chars]).translate(_HYPHEN)
    if word in tokens or (word.isascii() and not right_to_left):
        return word
    if right_to_left and rtl.ARABIC_LETTER.search(word):
        word = _ligatures_in_order(chars).translate(_HYPHEN)
    word = rtl.strip_bidi_controls(word)
    nfc = unicodedata.normalize("NFC", word)
    if nfc in tokens:
        return nfc
    nfkc = unicodedata.normalize("NFKC", word)
    visual = get_display(nfkc, base_dir="R")
    for candidate in (nfkc, nfkc.translate(_MIRRORED), visual, visual.translate(_MIRRORED)):
        if candidate in tokens:
            return candidate
    return nfkc if rtl.ARABIC_LETTER.search(nfkc) else nfc


def _ligatures_in_order(chars):
    # The letters of one ligature glyph share one box; in right-to-left text they come out reversed.
    fixed, i = [], 0
    while i < len(chars):
        j = i + 1
        while j < len(chars) and chars[j][1:5] == chars[i][1:5] and rtl.ARABIC_LETTER.match(chars[j][0]):
            j += 1
        run = [char[0] for char in chars[i:j]]
        fixed.extend(run[::-1] if len(run) > 1 and all(rtl.ARABIC_LETTER.match(c) for c in run) else run)
        i = j
    return "".join(fixed)


def _display_transform(page):
    """A function from page space to displayed points (origin top left), as pdfium maps pages to bitmaps."""
    width, height = page.get_size()
    # FPDF_PageToDevice answers in whole device pixels: a device 100 times the page's size in points
    # gives hundredths of a point. Three points fix the affine map (rotation, crop box offset, y flip).
    size_x, size_y = max(1, round(width * 100)), max(1, round(height * 100))
    device_x, device_y = ctypes.c_int(), ctypes.c_int()

    def device(x, y):
        pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, size_x, size_y, 0, x, y, device_x, device_y)
        return device_x.value / 100, device_y.value / 100

    ox, oy = device(0.0, 0.0)
    ax, ay = device(1000.0, 0.0)
    bx, by = device(0.0, 1000.0)
    xx, xy, yx, yy = (ax - ox) / 1000, (bx - ox) / 1000, (ay - oy) / 1000, (by - oy) / 1000
    return lambda x, y: (ox + xx * x + xy * y, oy + yx * x + yy * y)
