"""The Elasticsearch index: one document per Sijill document, its pages as nested documents, and analyzers
that fold text as search.normalise does.

The folding is rebuilt from Elasticsearch's own parts (no plugin needed): a mapping char filter for the
letter variants, digits and ligatures that normalise.fold() replaces (written out from its table, so the
two cannot drift apart), a pattern char filter for marks and format controls, a pattern tokenizer that cuts
runs of letters and runs of digits as normalise.terms() does, then lowercase, arabic_normalization,
asciifolding and the Arabic article. `pages.text` holds the words as written, unstemmed, for phrases,
prefixes and exact words; `pages.stemmed_<language>` holds the same text analysed with that language's
stemmer and stop words, filled for the document's own languages only.
"""

import unicodedata

from elasticsearch.dsl import analyzer, char_filter, token_filter, tokenizer

from search import normalise

# Languages with an Elasticsearch stemmer (and its stop words), by ISO 639-3 code.
STEMMED = {
    "ara": ("arabic", "_arabic_"),
    "eng": ("english", "_english_"),
    "fra": ("light_french", "_french_"),
    "tur": ("turkish", "_turkish_"),
    "srp": ("serbian", "_serbian_"),
}
# Languages without a stemmer: the exact words less their commonest function words (the issue's "standard
# analyzer with stop words"); Elasticsearch ships no list for them.
STOP_WORDS = {
    "swa": ["na", "ya", "wa", "la", "za", "kwa", "ni", "katika", "cha", "vya", "kama", "au", "hiyo", "huo"],
    "kin": ["na", "ya", "mu", "ku", "kandi", "ni", "cya", "bya", "rya", "by", "mu", "iyo"],
    "sqi": ["dhe", "e", "të", "në", "i", "për", "me", "që", "nga", "se", "ose", "një"],
    "urd": ["کے", "کی", "کا", "اور", "میں", "سے", "ہے", "کو", "پر", "یہ", "وہ", "جو"],
}
LANGUAGE_FIELDS = sorted([*STEMMED, *STOP_WORDS])
NESTED_LIMIT = 70_000  # pages of one document; Elasticsearch's default of 10,000 is too few for a register


def _escape(char):
    return "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else c for c in char)


def _mapping_rules():
    """The character replacements of normalise.fold(), and NFKC for presentation forms and ligatures."""
    rules = {}
    for code, value in normalise._TABLE.items():
        if value is not None and isinstance(value, str) and value != chr(code):
            rules[chr(code)] = value
    for start, end in ((0xFB00, 0xFB07), (0xFB50, 0xFE00), (0xFE70, 0xFEFF), (0xFF01, 0xFF5F)):
        for code in range(start, end):
            char = chr(code)
            folded = unicodedata.normalize("NFKC", char).casefold().translate(normalise._TABLE)
            if folded != char and folded.strip():
                rules[char] = folded
    rules["\u0130"] = "i"  # Turkish capital dotted I (casefold would leave a combining dot)
    return [f"{_escape(source)}=>{_escape(target)}" for source, target in sorted(rules.items()) if source.strip()]


FOLD_CHARS = char_filter("sijill_fold_chars", "mapping", mappings=_mapping_rules())
DROP_MARKS = char_filter(
    "sijill_drop_marks",
    "pattern_replace",
    pattern="[\\p{Mn}\\p{Me}\\u0640\\u00ad\\u061c\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff]",
    replacement="",
)
WORDS = tokenizer("sijill_words", "pattern", pattern="\\p{L}+|\\p{Nd}+", group=0)
ARTICLE = token_filter(
    "sijill_arabic_article",
    "pattern_replace",
    pattern="^(?:\u0648\u0627\u0644|\u0628\u0627\u0644|\u0643\u0627\u0644|\u0641\u0627\u0644|\u0644\u0644|\u0627\u0644)(\\p{L}{3,})$",
    replacement="$1",
)
FOLDING = ["lowercase", "decimal_digit", "arabic_normalization", "asciifolding", ARTICLE]


def _analyzer(name, extra=()):
    return analyzer(name, tokenizer=WORDS, char_filter=[FOLD_CHARS, DROP_MARKS], filter=[*FOLDING, *extra])


EXACT = _analyzer("sijill_exact")


def language_analyzer(code):
    if code in STEMMED:
        stemmer, stop_words = STEMMED[code]
        return _analyzer(
            f"sijill_{code}",
            [token_filter(f"sijill_{code}_stop", "stop", stopwords=stop_words), token_filter(f"sijill_{code}_stem", "stemmer", language=stemmer)],
        )
    return _analyzer(f"sijill_{code}", [token_filter(f"sijill_{code}_stop", "stop", stopwords=STOP_WORDS[code])])


def stemmed_field(code):
    return f"stemmed_{code}"


def settings():
    """The index settings: the analyzers, and room for long documents."""
    analysis = EXACT.get_analysis_definition()
    for code in LANGUAGE_FIELDS:
        for kind, definitions in language_analyzer(code).get_analysis_definition().items():
            analysis.setdefault(kind, {}).update(definitions)
    return {"analysis": analysis, "mapping": {"nested_objects": {"limit": NESTED_LIMIT}}}


def mappings():
    """One Sijill document: the fields filters, facets, order and the access rule read, and its pages."""
    page_properties = {
        "number": {"type": "integer"},
        "text": {"type": "text", "analyzer": "sijill_exact"},
        **{stemmed_field(code): {"type": "text", "analyzer": f"sijill_{code}"} for code in LANGUAGE_FIELDS},
    }
    return {
        "dynamic": "strict",
        # The texts are searched, never shown from here: snippets come from records' own page text.
        "_source": {"excludes": ["pages.text", "pages.stemmed_*"]},
        "properties": {
            "document_id": {"type": "keyword"},
            "version_id": {"type": "keyword"},
            "case_id": {"type": "keyword"},
            "court_id": {"type": "long"},
            "case_type_id": {"type": "long"},
            "kind": {"type": "keyword"},
            "languages": {"type": "keyword"},
            "year": {"type": "integer"},
            "date": {"type": "date"},
            "title": {"type": "text", "analyzer": "sijill_exact"},
            "level": {"type": "keyword"},
            "marks": {"type": "long"},
            "stamp": {"type": "keyword"},
            "pages": {"type": "nested", "properties": page_properties},
        },
    }


def body():
    return {"settings": settings(), "mappings": mappings()}
