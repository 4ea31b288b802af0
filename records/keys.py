"""Look-up keys: a case number, national ID or name finds its row however it was typed.

Clerks type the same case number in Western or Eastern Arabic digits, with or without spaces; party
names come with or without tashkeel, hamza on the alef, accents or Turkish dotless i. Each key folds
those differences away once, at write time, so look-ups are an indexed equality (or prefix) test.
"""

import re
import unicodedata

_TATWEEL = "\u0640"
_LETTER_FOLDS = str.maketrans(
    {
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u0649": "\u064a",  # alef maksura -> yeh
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u06cc": "\u064a",  # Persian/Urdu yeh -> Arabic yeh
        "\u06a9": "\u0643",  # keheh -> kaf
        "\u0131": "i",  # Turkish dotless i
    }
)
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACE = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")


def fold(text):
    """Case-, accent-, digit- and Arabic-letter-insensitive form of `text`."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn" or char == _TATWEEL:
            continue  # accents, tashkeel, hamza marks, tatweel
        if category == "Nd":
            char = str(unicodedata.decimal(char))  # ٣ and ۳ and 3 are one digit
        kept.append(char)
    return "".join(kept).casefold().translate(_LETTER_FOLDS)


def name_key(name):
    return _SPACE.sub(" ", fold(name)).strip()


def case_number_key(number):
    """'12 / 2024', '١٢/٢٠٢٤' and '12/2024' are the same number; '12-2024' is not."""
    return _SPACE.sub("", _DASHES.sub("-", fold(number)))


def national_id_key(value):
    """ID numbers are written with spaces, dots or hyphens between groups: keep letters and digits."""
    return _NOT_ALNUM.sub("", fold(value))
