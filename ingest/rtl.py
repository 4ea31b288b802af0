"""Arabic (and other right-to-left) text order: detect visual (reversed) order, repair it when sure.

PDF text layers store Arabic either in logical order (as typed) or in visual order (as drawn, left to
right), often as presentation forms (the contextual glyph shapes, U+FB50-U+FDFF and U+FE70-U+FEFF).
Search and OCR comparison need logical order, so visual text is reversed line by line, and kept only if
the result reads as Arabic; otherwise the caller falls back to OCR.
"""

import re
import unicodedata
from dataclasses import dataclass

from bidi import get_display

BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
ARABIC_LETTER = re.compile("[\u0620-\u064a\u0671-\u06d3]")
# The commonest Arabic function words; their reversals are not words, so a text where the reversals
# outnumber them was stored back to front. Palindromes (هذه) tell nothing and are left out.
FREQUENT = ("في", "من", "على", "إلى", "الى", "أن", "عن", "التي", "الذي", "هذا", "أو", "مع", "كل", "ذلك",
            "بين", "وفي", "ما", "لا", "قد", "بعد")
_WORD = re.compile("[\u0620-\u064a\u0671-\u06d3]+")
MIN_EVIDENCE = 3  # below this many telling words, a verdict would be a guess
CONFIDENT = 0.6  # (logical - reversed) / (logical + reversed) at or beyond which a verdict stands


def strip_bidi_controls(text):
    """Remove directional marks and embeddings: they are invisible and split words for search."""
    return BIDI_CONTROLS.sub("", text)


def has_presentation_forms(text):
    return bool(PRESENTATION_FORMS.search(text))


def arabic_share(text):
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for char in letters if ARABIC_LETTER.match(char)) / len(letters)


@dataclass
class OrderVerdict:
    order: str  # "logical", "visual" or "unknown"
    logical_hits: int
    reversed_hits: int

    @property
    def score(self):
        total = self.logical_hits + self.reversed_hits
        return (self.logical_hits - self.reversed_hits) / total if total else 0.0


def _normalised_words(text):
    text = unicodedata.normalize("NFKC", strip_bidi_controls(text))
    text = re.sub("[\u064b-\u065f\u0670\u0640]", "", text)  # tashkeel and tatweel do not change order
    return _WORD.findall(text)


def detect_order(text):
    """Whether Arabic text reads in logical or visual order, from function words and the article.

    Two independent clues are counted: frequent function words against their reversals, and words
    opening with the article ال against words closing with its reversal لا (ignoring those that
    are ordinary words ending in لا, such as إلا, by counting only words longer than four letters).
    """
    frequent = set(FREQUENT)
    reversed_frequent = {word[::-1] for word in FREQUENT} - frequent
    logical = reversed_ = 0
    for word in _normalised_words(text):
        if word in frequent:
            logical += 1
        elif word in reversed_frequent:
            reversed_ += 1
        if len(word) > 4:
            if word.startswith(("ال", "وال", "بال")):
                logical += 1
            elif word.endswith(("لا", "لاو", "لاب")):
                reversed_ += 1
    verdict = OrderVerdict("unknown", logical, reversed_)
    if logical + reversed_ >= MIN_EVIDENCE:
        if verdict.score >= CONFIDENT:
            verdict.order = "logical"
        elif verdict.score <= -CONFIDENT:
            verdict.order = "visual"
    return verdict


def is_reversed(text):
    return detect_order(text).order == "visual"


def visual_to_logical(text):
    """Reorder each line from visual to logical order (NFKC first, to undo presentation forms).

    The Unicode bidi algorithm maps logical to visual order; for a right-to-left line it is its own
    inverse on letters and keeps numbers and Latin runs left to right, which is what a visual line holds.
    """
    text = unicodedata.normalize("NFKC", strip_bidi_controls(text))
    return "\n".join(get_display(line, base_dir="R") if line.strip() else line for line in text.split("\n"))


def repair(text):
    """Logical-order text, or None if the text cannot be made to read as logical Arabic with confidence.

    Text already logical comes back normalised (NFKC, no bidi controls); visual text is reordered and
    kept only if the reordered text is confidently logical.
    """
    cleaned = unicodedata.normalize("NFKC", strip_bidi_controls(text))
    verdict = detect_order(cleaned)
    if verdict.order == "logical":
        return cleaned
    if verdict.order == "visual" or has_presentation_forms(text):
        candidate = visual_to_logical(text)
        if detect_order(candidate).order == "logical":
            return candidate
    return None


FRAGMENTED_SHARE = 0.15  # Arabic rarely has one-letter words; a layer full of them is broken


def fragmented(text):
    """Whether the Arabic words are mostly split into lone letters (kashida fill glyphs, broken fonts)."""
    words = _normalised_words(text)
    if len(words) < 20:
        return False
    return sum(1 for word in words if len(word) == 1 and word not in "وب") / len(words) > FRAGMENTED_SHARE
