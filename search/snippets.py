"""Highlighted fragments of a page's text, marked on the text as written, the same for every backend.

The engines match folded words (search.normalise); a reader wants the page as written, with its accents
and tashkeel. So the page is split into its written words, each folded as the index folds it, and the
query's words, phrases and prefixes are found among them; the best window of words around the matches
becomes the fragment, HTML-escaped, with each match in <mark>.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search import normalise
from search.query import Phrase, Prefix, Word

WINDOW_WORDS = 32  # words in one fragment
LEAD_WORDS = 8  # words shown before the first match of a fragment
EDGE_CHARS = 40  # punctuation kept before the page's first word and after its last


@dataclass(frozen=True)
class _Matcher:
    positives: tuple
    languages: tuple

    def words(self, flat):
        """Indexes into `flat` ([(token index, term)]) of the terms that match."""
        hit = set()
        stems = {
            (language, normalise.stem(query.term, language))
            for query in self.positives
            if isinstance(query, Word)
            for language in self.languages
        }
        words = {query.term for query in self.positives if isinstance(query, Word)}
        prefixes = tuple(query.term for query in self.positives if isinstance(query, Prefix))
        phrases = [query.terms for query in self.positives if isinstance(query, Phrase) and query.terms]
        terms = [term for _token, term in flat]
        matches = {}  # each distinct term is tested once
        for position, term in enumerate(terms):
            found = matches.get(term)
            if found is None:
                found = matches[term] = (
                    term in words
                    or bool(prefixes and term.startswith(prefixes))
                    or bool(stems and any((language, normalise.stem(term, language)) in stems for language in self.languages))
                )
            if found:
                hit.add(position)
        for phrase in phrases:
            size = len(phrase)
            for start in range(len(terms) - size + 1):
                if terms[start] == phrase[0] and tuple(terms[start : start + size]) == phrase:
                    hit.update(range(start, start + size))
        return hit


def fragments(text, positives, languages=(), *, count=1):
    """Up to `count` HTML fragments of `text` around the words the query matched, best first; the start
    of the page when nothing matches (a page found by its other words, or text changed since indexing)."""
    found = normalise.tokens(text or "")
    if not found:
        return []
    flat = [(index, term) for index, token in enumerate(found) for term in token.terms]
    matcher = _Matcher(tuple(positives), tuple(normalise.stemmed_languages(languages)))
    marked = sorted({flat[position][0] for position in matcher.words(flat)})
    if not marked:
        return [_render(text, found, 0, min(len(found), WINDOW_WORDS), set())]
    windows = []
    remaining = list(marked)
    while remaining and len(windows) < count:
        best = max(remaining, key=lambda first: sum(1 for index in remaining if first <= index < first + WINDOW_WORDS - LEAD_WORDS))
        start = max(0, best - LEAD_WORDS)
        end = min(len(found), start + WINDOW_WORDS)
        windows.append((start, end))
        remaining = [index for index in remaining if not start <= index < end]
    marked_set = set(marked)
    return [_render(text, found, start, end, marked_set) for start, end in windows]


def _render(text, found, start, end, marked):
    """The words found[start:end] with the text between them, escaped, matches in <mark>."""
    pieces = ["… " if start > 0 else escape(text[: found[0].start][-EDGE_CHARS:])]
    position = found[start].start
    for index in range(start, end):
        token = found[index]
        pieces.append(escape(text[position : token.start]))
        word = escape(text[token.start : token.end])
        pieces.append(f"<mark>{word}</mark>" if index in marked else word)
        position = token.end
    if end < len(found):
        pieces.append(" …")
    else:
        pieces.append(escape(text[position:][:EDGE_CHARS]))
    return mark_safe(" ".join("".join(pieces).split()))  # noqa: S308 - every piece of the text is escaped above
