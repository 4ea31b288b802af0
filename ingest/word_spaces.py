"""Word spaces that Tesseract's recogniser left out, put back from the gaps on the page image.

Tesseract's line recogniser writes the spaces it expects rather than the ones on the page: it joins a
space before a comma ("domicilié [...] ," becomes "[...],") and reads a letter-spaced heading
("R É P U B L I Q U E") as one word, though the gaps are as wide as the word spaces around them.
Where every character of a word is a separate shape on the page, each gap is known to lie between two
known characters; a gap as wide as the line's own word spaces is then a space, and the word is split
there (each part keeps its own box and the word's confidence). A word most of whose gaps are that
wide is letter-spaced, and split at every gap half as wide. Words whose characters touch, and
right-to-left words (Arabic letters join), are left as read.
"""

import re
from statistics import median

from PIL import Image

from ingest import rtl
from ingest.reading_order import Word

SPACE_SHARE = 0.8  # a gap at least this share of the line's median word space is a space
MIN_GAP = 0.25  # and at least this share of the word's height: tight lines have tiny "spaces"
LETTER_SPACED = 0.6  # a word this share of whose gaps are spaces is letter-spaced: split all its letters
_INKED = re.compile(rb"[^\x00]+")


def _gaps(words):
    words = sorted(words, key=lambda word: word.left)
    return [b.left - a.right for a, b in zip(words, words[1:], strict=False) if b.left > a.right]


def _line_profile(ink, words):
    """(left, columns): the line's box from `left`, as bytes, 0 where a column holds no ink.

    One profile a line (a box average to one row, in C) serves all its words.
    """
    left = max(min(word.left for word in words), 0)
    top = max(min(word.top for word in words), 0)
    right = min(max(word.right for word in words), ink.width)
    bottom = min(max(word.top + word.height for word in words), ink.height)
    if right <= left or bottom <= top:
        return left, b""
    box = ink.crop((left, top, right, bottom))
    return left, box.resize((box.width, 1), Image.BOX).tobytes()


def _shapes(profile, word):
    """The x-extents (relative to the word's box) of the runs of inked columns in the word's box."""
    left, columns = profile
    offset = word.left - left
    return [(a - offset, b - offset) for a, b in (match.span() for match in _INKED.finditer(columns, max(offset, 0), word.right - left))]


def split_word(profile, word, space):
    """The word's parts if it holds gaps as wide as `space` between separate characters, else None.

    `profile` is its line's ink profile (_line_profile).
    """
    if len(word.text) < 2 or rtl.ARABIC_LETTER.search(word.text) or word.width < 2 or word.height < 2:
        return None
    shapes = _shapes(profile, word)
    if len(shapes) != len(word.text):
        return None  # touching characters, or a speck inside the box: no gap can be placed surely
    wide = max(SPACE_SHARE * space, MIN_GAP * word.height)
    gaps = [shapes[i][0] - shapes[i - 1][1] for i in range(1, len(shapes))]
    if len(gaps) >= 3 and sum(gap >= wide for gap in gaps) >= LETTER_SPACED * len(gaps):
        wide /= 2  # a letter-spaced word: a letter's own shape (an A's slopes) narrows some of its gaps
    cuts = [i for i, gap in enumerate(gaps, 1) if gap >= wide]
    if not cuts:
        return None
    parts, first = [], 0
    for end in [*cuts, len(shapes)]:
        left, right = shapes[first][0], shapes[end - 1][1]
        parts.append(Word(word.text[first:end], word.left + left, word.top, right - left, word.height, word.confidence))
        first = end
    return parts


def restore_spaces(lines, image, threshold=128):
    """Split, in place, the words of `lines` (reading_order.Line) that hold a space Tesseract left out.

    `image` is the page in grey, ink at or below `threshold` (the one Tesseract's 1-bit page was made
    with). A line's word space is the median gap between its words; a line of one or two words takes
    the page's.
    """
    page_gaps = [gap for line in lines for gap in _gaps(line.words)]
    if not page_gaps:
        return lines
    page_space = median(page_gaps)
    ink = image.point([255 if level <= threshold else 0 for level in range(256)])  # once a page: 255 = ink
    for line in lines:
        gaps = _gaps(line.words)
        space = median(gaps) if len(gaps) >= 2 else page_space
        profile = _line_profile(ink, line.words)
        words = []
        for word in line.words:
            words.extend(split_word(profile, word, space) or [word])
        line.words = words
    return lines
