"""The search box's language, read forgivingly: a query that cannot be read is searched as plain words.

Words, "exact phrases", AND / OR / NOT (and + / -), parentheses, prefix*, and field filters (court:,
year:, type:, kind:, lang:, case:). Operators are written in capitals, so that "or" (French: gold, yet)
and "not" stay words. A judge who types an unbalanced quote or a dangling OR gets results for the words
they typed, a notice saying so, and a "did you mean" with the query mended; never an error page.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from search import normalise
from search.query import MATCH_ALL, And, Not, Or, Phrase, Prefix, SearchQuery, Word

QUOTES = {'"': '"', "\u201c": "\u201d", "\u201e": "\u201d", "\u00ab": "\u00bb", "\u201d": "\u201d"}
OPERATORS = {"AND", "OR", "NOT"}
# Field names as typed (several spellings each) and the filter they set.
FIELDS = {
    "court": "court",
    "year": "year",
    "type": "case_type",
    "casetype": "case_type",
    "kind": "kind",
    "lang": "language",
    "language": "language",
    "case": "case",
}
_FIELD = re.compile(r"^([A-Za-z]+):(.*)$", re.S)
_YEARS = re.compile(r"^(\d{1,4})(?:(?:\.\.|-|–)(\d{1,4}))?$")
MIN_PREFIX = 2  # letters before the star: "a*" would be every word


class QueryError(Exception):
    """Why a query could not be read as written; the parser then searches its words."""


@dataclass
class Parsed:
    """What the search box said: the query, the filters typed into it, and what to tell the user."""

    query: SearchQuery = MATCH_ALL
    filters: dict = field(default_factory=dict)  # field -> [values as typed]
    notice: str = ""
    suggestion: str = ""

    @property
    def is_empty(self):
        return self.query == MATCH_ALL and not self.filters


# Lexing -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexeme:
    kind: str  # word, phrase, field, op, sign, open, close
    text: str
    closed: bool = True  # phrases: whether the closing quote was typed
    field: str = ""  # fields: the field name as typed


def lex(text):
    """The query's pieces; an unclosed quote runs to the end and is marked as such."""
    found, i, n = [], 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            found.append(Lexeme("open" if char == "(" else "close", char))
            i += 1
        elif char in QUOTES:
            phrase, i, closed = _quoted(text, i)
            found.append(Lexeme("phrase", phrase, closed))
        elif char in "+-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "+-)":
            found.append(Lexeme("sign", char))
            i += 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in "()" and text[i] not in QUOTES:
                i += 1
            word = text[start:i]
            match = _FIELD.match(word)
            if match and match.group(1).lower() in FIELDS:
                value = match.group(2)
                if not value and i < n and text[i] in QUOTES:
                    value, i, closed = _quoted(text, i)
                    if not closed:
                        raise QueryError(_("a quotation mark is not closed"))
                found.append(Lexeme("field", value, field=match.group(1).lower()))
            elif word in OPERATORS:
                found.append(Lexeme("op", word))
            else:
                found.append(Lexeme("word", word))
    return found


def _quoted(text, i):
    closing = QUOTES[text[i]]
    end = text.find(closing, i + 1)
    if end < 0:
        return text[i + 1 :], len(text), False
    return text[i + 1 : end], end + 1, True


# Parsing ------------------------------------------------------------------------------------------------


class _Parser:
    """Recursive descent: or := and (OR and)* ; and := unary+ (AND between optional) ;
    unary := (NOT | - | +) unary | ( or ) | phrase | word | field."""

    def __init__(self, lexemes):
        self.lexemes = lexemes
        self.position = 0
        self.filters = {}

    def peek(self):
        return self.lexemes[self.position] if self.position < len(self.lexemes) else None

    def take(self):
        lexeme = self.peek()
        self.position += 1
        return lexeme

    def parse(self):
        if not self.lexemes:
            return MATCH_ALL
        query = self.parse_or()
        if self.peek() is not None:
            raise QueryError(_("a closing parenthesis has no opening one"))
        return query

    def parse_or(self):
        parts = [self.parse_and()]
        while (lexeme := self.peek()) is not None and lexeme.kind == "op" and lexeme.text == "OR":
            self.take()
            if self.peek() is None or self.peek().kind == "close":
                raise QueryError(_("OR is not followed by anything to search"))
            parts.append(self.parse_and())
        parts = [part for part in parts if part is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def parse_and(self):
        parts = []
        while (lexeme := self.peek()) is not None and lexeme.kind != "close":
            if lexeme.kind == "op" and lexeme.text == "OR":
                if not parts:
                    raise QueryError(_("OR has nothing before it"))
                break
            if lexeme.kind == "op" and lexeme.text == "AND":
                self.take()
                if not parts or self.peek() is None or self.peek().kind == "close" or self.peek().text == "OR":
                    raise QueryError(_("AND needs something to search on each side"))
                continue
            parts.append(self.parse_unary())
        parts = [part for part in parts if part is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def parse_unary(self):
        lexeme = self.take()
        if lexeme.kind in ("op", "sign") and lexeme.text in ("NOT", "-", "+"):
            following = self.peek()
            if following is None or following.kind == "close" or (following.kind == "op" and following.text != "NOT"):
                raise QueryError(_("%(operator)s is not followed by anything to search") % {"operator": lexeme.text})
            if following.kind == "field" and lexeme.text != "+":
                raise QueryError(_("a filter such as %(field)s: cannot be negated") % {"field": following.field})
            inner = self.parse_unary()
            if inner is None or lexeme.text == "+":
                return inner
            return inner.child if isinstance(inner, Not) else Not(inner)
        if lexeme.kind == "open":
            if self.peek() is None:
                raise QueryError(_("a parenthesis is not closed"))
            if self.peek().kind == "close":
                raise QueryError(_("the parentheses hold nothing"))
            inner = self.parse_or()
            closing = self.take()
            if closing is None or closing.kind != "close":
                raise QueryError(_("a parenthesis is not closed"))
            return inner
        if lexeme.kind == "close":
            raise QueryError(_("a closing parenthesis has no opening one"))
        if lexeme.kind == "phrase":
            if not lexeme.closed:
                raise QueryError(_("a quotation mark is not closed"))
            terms = normalise.terms(lexeme.text)
            return Phrase(tuple(terms)) if terms else None
        if lexeme.kind == "field":
            self.add_filter(lexeme.field, lexeme.text)
            return None
        return word_query(lexeme.text)

    def add_filter(self, name, value):
        value = value.strip()
        if not value:
            raise QueryError(_("%(field)s: has no value") % {"field": name})
        target = FIELDS[name]
        if target == "year" and not _YEARS.match(value):
            raise QueryError(_("year: takes a year such as 2020 or a range such as 2018..2020"))
        self.filters.setdefault(target, []).append(value)


def word_query(text):
    """A typed word as query objects: a word, a prefix, or (for "l'article", "post-conviction") the
    phrase of the words it folds into."""
    star = text.endswith("*")
    core = text.rstrip("*").replace("*", "")
    terms = normalise.terms(core)
    if not terms:
        return None
    if star and len(terms[-1]) >= MIN_PREFIX:
        *head, last = terms
        parts = [Word(term) for term in head] + [Prefix(last)]
        return parts[0] if len(parts) == 1 else And(tuple(parts))
    if len(terms) == 1:
        return Word(terms[0])
    return Phrase(tuple(terms))


def year_range(value):
    """(from, to) for a year filter value already checked by the parser."""
    low, high = _YEARS.match(value).groups()
    low, high = int(low), int(high or low)
    return min(low, high), max(low, high)


def with_positive_part(query):
    """A query of negations only searches everything else: "-appeal" is every document without it."""
    if isinstance(query, Not) or (isinstance(query, And) and all(isinstance(child, Not) for child in query.children)):
        children = query.children if isinstance(query, And) else (query,)
        return And((MATCH_ALL, *children))
    return query


def parse(text):
    """The query typed into a search box, read as the help says; on a mistake, its words and a notice."""
    text = (text or "").strip()
    try:
        parser = _Parser(lex(text))
        query = parser.parse()
        return Parsed(query=with_positive_part(query) if query is not None else MATCH_ALL, filters=parser.filters)
    except QueryError as error:
        return _as_plain_words(text, error)


def _as_plain_words(text, error):
    words = [word for lexeme in _lex_loosely(text) for word in [word_query(lexeme)] if word is not None]
    query = MATCH_ALL if not words else words[0] if len(words) == 1 else And(tuple(words))
    notice = _("Your search could not be read as written (%(reason)s), so its words were searched.") % {
        "reason": error.args[0]
    }
    return Parsed(query=query, notice=notice, suggestion=mend(text))


def _lex_loosely(text):
    """Every word of the text; operators, signs, parentheses, quotes and filters dropped."""
    cleaned = re.sub(r"[()\"\u201c\u201d\u201e\u00ab\u00bb]", " ", text)
    for word in cleaned.split():
        word = word.lstrip("+-")
        match = _FIELD.match(word)
        if match and match.group(1).lower() in FIELDS:
            continue  # a filter that could not be read is no word to search
        if word and word not in OPERATORS:
            yield word


def mend(text):
    """The query with its mistakes repaired, if that reads: quotes closed, parentheses balanced, dangling
    operators dropped. Empty when nothing readable comes out."""
    mended = text
    if sum(mended.count(quote) for quote in '"\u201c\u201d') % 2:
        mended += '"'
    depth, kept = 0, []
    for char in mended:
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                continue
            depth -= 1
        kept.append(char)
    mended = "".join(kept) + ")" * depth
    mended = re.sub(r"\(\s*\)", " ", mended)
    for _attempt in range(3):
        mended = re.sub(r"^\s*(?:AND|OR)\b|\b(?:AND|OR|NOT)\s*$|(?<=\()\s*(?:AND|OR)\b|\b(?:AND|OR|NOT)\s*(?=\))", " ", mended)
        mended = re.sub(r"\b(AND|OR)\s+(?:AND|OR)\b", r"\1", mended)
        mended = re.sub(r"(^|\s)[+-](?=\s|$)", " ", mended)
    mended = " ".join(mended.split())
    try:
        _Parser(lex(mended)).parse()
    except QueryError:
        return ""
    return mended if mended != text.strip() else ""
