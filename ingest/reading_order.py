"""A page's text in reading order, rebuilt from Tesseract's word boxes (its TSV output).

Tesseract reads a page as blocks of lines. Court pages break that in one common way: the caption, where
the parties (left) and the case's particulars (right) are set side by side with a column of brackets
between them (")" in most US courts, "§" in Texas, ":" or "|" elsewhere). Tesseract joins each row
across the three columns ("NICHOLE MARIE JAGELS, ) No. ED108783"), which mixes two texts that a
reader, and any text layer of the same document, reads one after the other. Such a region is read
column by column here: the left column, the brackets, then the right one (mirrored for right-to-left
text). Rows joined by anything else (a term and its definition, a number and its paragraph) are
kept as Tesseract read them: a table's rows belong together.

Words are (text, left, top, width, height, confidence) with Tesseract's block, paragraph and line
numbers; the text is made of lines joined by newlines, blocks and paragraphs separated by a blank line.
"""

from dataclasses import dataclass, field
from statistics import median

from ingest import rtl

SEPARATORS = {")", "§", "]", "}"}  # a caption's bracket column: one glyph a row
MIN_ROWS = 3  # fewer brackets than this in a column is a stray mark, not a caption
SEPARATOR_GAP = 2.0  # the bracket stands this many word heights clear of the text on each side
SEPARATOR_DRIFT = 1.0  # a bracket column's marks lie within this many word heights of each other


@dataclass
class Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float

    @property
    def right(self):
        return self.left + self.width

    @property
    def centre(self):
        return self.left + self.width / 2


@dataclass
class Line:
    key: tuple  # (block, paragraph, line) as Tesseract numbered them
    words: list = field(default_factory=list)

    @property
    def text(self):
        return " ".join(word.text for word in self.words)


def lines_from_tsv_rows(rows):
    """Tesseract's TSV rows (dicts) into Lines of Words, in Tesseract's order; layout rows are skipped."""
    lines, index = [], {}
    for row in rows:
        if row.get("level") != "5":
            continue
        text = (row.get("text") or "").strip()
        confidence = float(row["conf"])
        if not text or confidence < 0:
            continue
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        if key not in index:
            index[key] = Line(key)
            lines.append(index[key])
        index[key].words.append(
            Word(text, int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]), confidence)
        )
    return lines


def _word_height(lines):
    heights = [word.height for line in lines for word in line.words if len(word.text) > 1]
    return median(heights) if heights else 0


def _separator_in(line, height):
    """The word of `line` that is a lone bracket standing clear of its neighbours, or None."""
    words = sorted(line.words, key=lambda word: word.left)
    for i, word in enumerate(words):
        if word.text not in SEPARATORS:
            continue
        before = words[i - 1].right if i else None
        after = words[i + 1].left if i + 1 < len(words) else None
        clear_before = before is None or word.left - before >= SEPARATOR_GAP * height
        clear_after = after is None or after - word.right >= SEPARATOR_GAP * height
        if clear_before and clear_after and (before is not None or after is not None or len(words) == 1):
            return word
    return None


def _crosses(line, x):
    return any(word.left < x < word.right for word in line.words)


def _caption_regions(lines, height):
    """(start, end, x) of each run of lines read as a caption: a bracket column at x, ≥ MIN_ROWS rows."""
    regions, i = [], 0
    while i < len(lines):
        mark = _separator_in(lines[i], height)
        if mark is None:
            i += 1
            continue
        xs, end, j = [mark.centre], i + 1, i + 1
        while j < len(lines):
            x = median(xs)
            other = _separator_in(lines[j], height)
            if other is not None and abs(other.centre - x) <= SEPARATOR_DRIFT * height:
                xs.append(other.centre)
                end = j + 1
            elif _crosses(lines[j], x) or other is not None:
                break  # text runs over the column: the caption has ended
            j += 1
        if len(xs) >= MIN_ROWS:
            regions.append((i, end, median(xs)))
            i = end
        else:
            i += 1
    return regions


def _columns(lines, x, height, right_to_left):
    """The region's text read column by column: left of the brackets, the brackets, right of them."""
    left, marks, right = [], [], []
    for line in lines:
        before = [w for w in line.words if w.right <= x - height / 2]
        after = [w for w in line.words if w.left >= x + height / 2]
        middle = [w for w in line.words if w not in before and w not in after]
        for part, words in ((left, before), (marks, middle), (right, after)):
            if words:
                part.append(" ".join(word.text for word in words))
    first, last = (right, left) if right_to_left else (left, right)
    return [*first, *marks, *last]


def _is_right_to_left(lines):
    return rtl.arabic_share(" ".join(line.text for line in lines)) > 0.5


def page_text(lines, *, captions=True):
    """The page's text: Tesseract's lines, with caption regions read column by column (if `captions`)."""
    height = _word_height(lines)
    right_to_left = _is_right_to_left(lines)
    out, previous, i = [], None, 0
    regions = {}
    if captions and height:
        regions = {start: (end, x) for start, end, x in _caption_regions(lines, height)}
    while i < len(lines):
        line = lines[i]
        if previous is not None and line.key[:2] != previous:
            out.append("")  # a new block or paragraph
        if i in regions:
            end, x = regions[i]
            out.extend(_columns(lines[i:end], x, height, right_to_left))
            previous, i = lines[end - 1].key[:2], end
            continue
        out.append(line.text)
        previous, i = line.key[:2], i + 1
    return "\n".join(out).strip()
