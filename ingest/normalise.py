"""Text normalisation for measuring OCR and extraction (CER), not for search: search has its own."""

import re
import unicodedata

# Arabic diacritics (tashkeel, including superscript alef) and tatweel: scans and text layers disagree
# on them, and they carry no letter, so measuring keeps them out.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_SPACE = re.compile(r"\s+")


def normalise(text):
    """NFKC, no tashkeel or tatweel, whitespace (newlines and form feeds included) collapsed to one space."""
    text = unicodedata.normalize("NFKC", text)
    text = _ARABIC_MARKS.sub("", text)
    return _SPACE.sub(" ", text).strip()


def levenshtein(a, b):
    """Edit distance (insertions, deletions, substitutions of one character each), in O(len(a)*len(b))."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def cer(hypothesis, truth):
    """Character error rate of `hypothesis` against `truth`, both normalised first."""
    hypothesis, truth = normalise(hypothesis), normalise(truth)
    if not truth:
        return 0.0 if not hypothesis else 1.0
    return levenshtein(hypothesis, truth) / len(truth)
