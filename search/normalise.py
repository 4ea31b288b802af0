"""Text as search compares it: one folding for documents and queries alike, on every backend.

Courts write the same word many ways: vocalised or not, with a kashida stretch, أ or ا, ة or ه, Eastern or
Western digits, with or without the Arabic article; French with or without accents, Turkish with İ, I, ı
and i. Search matches what a reader would call the same word, so both the indexed text and the query pass
through `terms()`: NFKC, no marks (tashkeel, accents, niqqud), folded letter forms and digits, caseless
(Turkish dotted and dotless i both fold to i), and Arabic words without the article and its prefixed
conjunctions and prepositions (وال، بال، كال، فال، لل). The database engines then see clean tokens only;
Elasticsearch's analyzers are built to fold the same way (backends.elasticsearch.mapping).

Stemming is per language (the document's), with Snowball's stemmers; a stem is kept apart from words as
`~<language>~<stem>`, a token no word can be, so stems never collide with words, prefixes or phrases.
"""

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer

_ALEF = "\u0627"
_HEH = "\u0647"
_YEH = "\u064a"
_KAF = "\u0643"

# Single characters replaced by another (or several): letter variants, digits, ligature letters.
_REPLACE = {
    # Alef with hamza above/below, madda, wasla, and the rarer wavy-hamza forms: bare alef.
    **dict.fromkeys("\u0623\u0625\u0622\u0671\u0672\u0673\u0675", _ALEF),
    "\u0629": _HEH,  # ta marbuta
    "\u06c3": _HEH,  # ta marbuta goal (Urdu)
    **dict.fromkeys("\u06c0\u06c1\u06c2\u06be\u06d5", _HEH),  # Persian and Urdu heh forms
    "\u0649": _YEH,  # alef maqsura
    **dict.fromkeys("\u06cc\u06d2\u06d3\u06d0", _YEH),  # Persian yeh, Urdu yeh barree, yeh forms
    "\u06a9": _KAF,  # keheh (Persian and Urdu kaf)
    "\u066b": ".",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator
    "\u0131": "i",  # Turkish dotless i (İ casefolds to i + a combining dot, which goes with the marks)
    "\u0111": "dj",  # Serbian đ, written dj where the letter is missing
    "\u0142": "l",
    "\u00f8": "o",
    "\u00e6": "ae",
    "\u0153": "oe",  # œuvre and oeuvre
    "\u00fe": "th",
    "\u00f0": "d",
    "\u0127": "h",
}
# Arabic-Indic, Extended Arabic-Indic (Persian, Urdu) and NKo digits: ASCII digits.
for _zero in (0x0660, 0x06F0, 0x07C0):
    for _digit in range(10):
        _REPLACE[chr(_zero + _digit)] = str(_digit)

# Characters that carry no letter: format controls (bidi marks and isolates, zero-width joiners, the soft
# hyphen) and tatweel. Marks (accents, tashkeel, niqqud) are added below by category.
_DELETE = set("\u00ad\u0640\u061c\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")
_DELETE.update(chr(cp) for cp in range(0x202A, 0x202F))
_DELETE.update(chr(cp) for cp in range(0x2066, 0x206A))


def _build_table():
    """The translate() table: marks and controls deleted, letter variants replaced, Latin letters with
    diacritics (as casefold leaves them) reduced to their base letters."""
    table = {ord(char): None for char in _DELETE}
    for cp in range(0x20000):
        if unicodedata.category(chr(cp)) in ("Mn", "Me"):
            table[cp] = None
    for ranges in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for cp in range(*ranges):
            decomposed = unicodedata.normalize("NFD", chr(cp))
            if len(decomposed) > 1 and all(unicodedata.category(c) == "Mn" for c in decomposed[1:]):
                table[cp] = decomposed[0].casefold()
    table.update({ord(char): value for char, value in _REPLACE.items()})
    return table


_TABLE = _build_table()
_MARK_CLASS = "".join(
    re.escape(chr(cp)) for cp, value in sorted(_TABLE.items()) if value is None and cp < 0x10000
)
# A word as written: letters and digits with the marks and joiners inside it (a vocalised Arabic word is
# one word, not fragments between its tashkeel).
_WRITTEN_WORD = re.compile(rf"(?:[^\W_]|[{_MARK_CLASS}])+")
# An index word: a run of letters, or of digits. "١٤٤٣هـ" (1443 AH) gives 1443 and the letter; "ED108783"
# gives ed and 108783, so a case number is found by its digits alone too.
_WORD = re.compile(r"[^\W\d_]+|\d+")
# The article and the prefixes that carry it: wa-, bi-, ka-, fa- + al-, and li- + al- (لل).
_ARTICLES = ("\u0648\u0627\u0644", "\u0628\u0627\u0644", "\u0643\u0627\u0644", "\u0641\u0627\u0644", "\u0644\u0644", "\u0627\u0644")
_ARTICLE_START = set("\u0627\u0648\u0628\u0643\u0641\u0644")
# What remains after the article must still be a word: الله, الا and إلى keep their letters.
_ARTICLE_REST = 3


def fold(text):
    """The text with every folding applied, words still separated as written (no article stripping)."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_TABLE)


def fold_word(word):
    """One folded word as indexed: an Arabic word loses its article (and a conjunction or preposition
    fused to it) when at least three letters remain."""
    if len(word) > _ARTICLE_REST + 1 and word[0] in _ARTICLE_START:
        for article in _ARTICLES:
            if word.startswith(article) and len(word) - len(article) >= _ARTICLE_REST:
                return word[len(article):]
    return word


def terms(text):
    """The words of `text` as the index holds them, in order: what both documents and queries become."""
    return [fold_word(word) for word in _WORD.findall(fold(text))]


class Token(NamedTuple):
    """A word of the original text, where it stands, and the index terms it gives (usually one)."""

    start: int
    end: int
    terms: tuple


def tokens(text):
    """The original text's words with their places, for highlighting what matched on the text as written.

    The written words are folded in one pass, joined by line feeds (which no folding touches), rather than
    one by one, and each distinct word is split into terms once: a page's snippet is built while the user
    waits, and a page says "the court" many times."""
    matches = list(_WRITTEN_WORD.finditer(text))
    folded_words = fold("\n".join(match.group() for match in matches)).split("\n")
    if len(folded_words) != len(matches):  # a character folded into a line break: word by word instead
        folded_words = [fold(match.group()) for match in matches]
    terms_of = {}
    found = []
    for match, folded in zip(matches, folded_words, strict=True):
        words = terms_of.get(folded)
        if words is None:
            if folded.isalpha():  # most words: one term, without the regular expression
                words = (fold_word(folded),)
            else:
                words = tuple(fold_word(word) for word in _WORD.findall(folded))
            terms_of[folded] = words
        if words:
            found.append(Token(*match.span(), words))
    return found


# Stemming ----------------------------------------------------------------------------------------------

# Snowball stemmers by the ISO 639-3 codes documents carry; other languages are matched by words only.
STEMMERS = {"ara": "arabic", "eng": "english", "fra": "french", "tur": "turkish", "srp": "serbian"}
STEM_MARK = "~"


@lru_cache(maxsize=len(STEMMERS))
def _stemmer(language):
    return snowballstemmer.stemmer(STEMMERS[language])


@lru_cache(maxsize=200_000)
def stem(term, language):
    """The stem of an index term in one language, as a token of its own (`~eng~court`), or None when the
    language has no stemmer. Cached: a court's vocabulary is small next to the words it writes."""
    if language not in STEMMERS:
        return None
    return f"{STEM_MARK}{language}{STEM_MARK}{_stemmer(language).stemWord(term)}"


def stems(words, languages):
    """The distinct stems of `words` in each of `languages` that has a stemmer, in first-seen order."""
    seen = {}
    for language in languages:
        if language in STEMMERS:
            for word in words:
                seen.setdefault(stem(word, language), None)
    return list(seen)


def stemmed_languages(languages):
    """The languages among `languages` that have a stemmer."""
    return [language for language in dict.fromkeys(languages) if language in STEMMERS]
