"""Text out of markup: HTML, any XML (Akoma Ntoso, ...), and the XML inside DOCX and ODT files.

Each reader gives the text with its paragraphs as lines and nothing the reader does not show: no
script, style or head in HTML, no attribute values in XML, no deleted revisions, comments or field
codes in word-processor files. XML goes through expat with entity declarations refused, so neither an
"entity expansion" bomb nor an external entity gets in; parts inside a ZIP are read in chunks and
stopped past a size limit, so a ZIP bomb is refused before it is inflated.
"""

import re
from html.parser import HTMLParser
from xml.parsers import expat

from ingest.pages import UnreadableFile

_SPACES = re.compile(r"\s+")


class MarkupError(ValueError):
    """The markup is not well-formed; the message says where."""


# --- HTML -------------------------------------------------------------------------------------------

_SKIPPED = {"script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe", "object", "select"}
_PARAGRAPHS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "nav",
    "figure",
    "hr",
    "address",
    "center",
    "form",
    "fieldset",
    "details",
}
_LINES = {
    "div",
    "li",
    "dt",
    "dd",
    "tr",
    "caption",
    "figcaption",
    "legend",
    "summary",
    "tbody",
    "thead",
    "tfoot",
    "body",
    "html",
    "option",
    "hgroup",
    "dialog",
}
_CELLS = {"td", "th"}


_SENTENCE_MARKS = ".;:!?,\u060c\u061b\u061f"  # with the Arabic comma, semicolon and question mark


def _glued(before, after):
    """Whether two texts meeting at a tag would read as one word though they are two.

    Pages that lay out paragraphs with styled <span>s (Akoma Ntoso HTML, converted documents) put
    "Preamble</span><span>We" side by side; a capital after a small letter, or a letter after a
    sentence mark, is a word boundary in any such case, while a word split by markup ("<b>P</b>age")
    is left whole.
    """
    return (before.islower() and after.isupper()) or (before in _SENTENCE_MARKS and after.isalpha())


class _HtmlText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = []  # open elements whose content is not shown
        self.pre = 0
        self.at_tag = False
        self.last = ""

    def handle_starttag(self, tag, attrs):
        self.at_tag = True
        if tag == "body":
            self.skipping = []  # a <head> left open ends where the body starts
        if self.skipping or tag in _SKIPPED:
            if tag in _SKIPPED:
                self.skipping.append(tag)
            return
        if tag == "br":
            self.emit("\n")
        elif tag in _PARAGRAPHS:
            self.emit("\n\n")
            if tag == "pre":
                self.pre += 1
        elif tag in _LINES:
            self.emit("\n")

    def handle_startendtag(self, tag, attrs):
        self.at_tag = True
        if not self.skipping and tag in ("br", "hr"):
            self.emit("\n")

    def handle_endtag(self, tag):
        self.at_tag = True
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _PARAGRAPHS:
            self.emit("\n\n")
            if tag == "pre" and self.pre:
                self.pre -= 1
        elif tag in _LINES:
            self.emit("\n")
        elif tag in _CELLS:
            self.emit("\t")

    def handle_data(self, data):
        if self.skipping or not data:
            return
        if self.at_tag and self.last and _glued(self.last, data[0]):
            self.emit(" ")
        self.emit(data if self.pre else _SPACES.sub(" ", data))
        self.at_tag = False

    def emit(self, text):
        self.parts.append(text)
        self.last = text[-1]


def html_text(text):
    """The text an HTML page shows, with block elements on lines of their own."""
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    return _tidy("".join(parser.parts))


# --- XML --------------------------------------------------------------------------------------------


class _Node:
    __slots__ = ("children", "mixed")

    def __init__(self):
        self.children = []  # strings (text) and _Nodes, in document order
        self.mixed = False  # holds text of its own beside its elements: its elements are then inline


def _expat(chunks, *, start, end, data, limit=None, what="the file"):
    """Run expat over byte `chunks` with the given handlers; entity declarations are refused."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_entities(*_args):
        raise MarkupError("it declares XML entities, which are refused (entity expansion)")

    parser.EntityDeclHandler = refuse_entities
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, data
    parser.buffer_text = True
    total = 0
    try:
        for chunk in chunks:
            total += len(chunk)
            if limit is not None and total > limit:
                raise UnreadableFile(
                    f"{what} holds more than {limit // 2**20} MB of text (SIJILL_MAX_TEXT_MB): refused"
                )
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise MarkupError(f"{expat.ErrorString(error.code)} at line {error.lineno}") from error


def xml_text(data):
    """The text of an XML document: its text nodes, an element on its own line unless it sits in prose.

    The general rule, for any vocabulary: an element whose parent holds text of its own (mixed content,
    like a reference inside a sentence) is inline; an element among elements only (a section, a
    paragraph, a heading) is a block and starts a line. Attribute values are data, never text.
    """
    root = _Node()
    stack = [root]

    def start(_name, _attributes):
        node = _Node()
        stack[-1].children.append(node)
        stack.append(node)

    def end(_name):
        stack.pop()

    def text(chunk):
        node = stack[-1]
        node.children.append(chunk)
        if not node.mixed and chunk.strip():
            node.mixed = True

    _expat([data], start=start, end=end, data=text)
    parts, pending = [], [root]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        following = []
        for child in item.children:
            if isinstance(child, str):
                if item.mixed:  # white space between block elements is layout; in prose it is a space
                    following.append(_SPACES.sub(" ", child))
            elif item.mixed:
                following.append(child)
            else:
                following.extend(("\n", child, "\n"))
        pending.extend(reversed(following))
    # XML does not tell a paragraph from a line: every block is one line.
    return re.sub(r"\n{2,}", "\n", _tidy("".join(parts)))


# --- DOCX and ODT -----------------------------------------------------------------------------------

# Alternate copies of the same content, deleted or moved-away text, field codes.
_WORD_SKIPPED = {"Fallback", "del", "delText", "moveFrom", "instrText"}


def docx_text(chunks, *, limit, what):
    """The text of a WordprocessingML part (document, footnotes, endnotes): a paragraph a line."""
    parts, state = [], {"in_text": 0, "skip": 0}

    def start(name, _attributes):
        local = name.rsplit(" ", 1)[-1]
        if state["skip"] or local in _WORD_SKIPPED:
            state["skip"] += 1
            return
        if local == "t":
            state["in_text"] += 1
        elif local in ("tab", "ptab"):
            parts.append("\t")
        elif local in ("br", "cr"):
            parts.append("\n")
        elif local == "noBreakHyphen":
            parts.append("-")

    def end(name):
        local = name.rsplit(" ", 1)[-1]
        if state["skip"]:
            state["skip"] -= 1
            return
        if local == "t":
            state["in_text"] -= 1
        elif local == "p":
            parts.append("\n")

    def data(chunk):
        if state["in_text"] and not state["skip"]:
            parts.append(chunk)

    _expat(chunks, start=start, end=end, data=data, limit=limit, what=what)
    return _tidy("".join(parts))


_ODT_SKIPPED = {"annotation", "tracked-changes", "note-citation", "annotation-end"}


def odt_text(chunks, *, limit, what):
    """The text of an ODF content.xml: a paragraph or heading a line, notes gathered at the end."""
    body, notes = [], []
    state = {"paragraph": 0, "skip": 0, "note": 0}

    def out():
        return notes if state["note"] else body

    def start(name, attributes):
        local = name.rsplit(" ", 1)[-1]
        if state["skip"] or local in _ODT_SKIPPED:
            state["skip"] += 1
            return
        if local in ("p", "h"):
            state["paragraph"] += 1
        elif local == "note-body":
            state["note"] += 1
        elif local == "s":
            count = next((value for key, value in attributes.items() if key.endswith(" c")), "1")
            out().append(" " * min(int(count) if count.isdigit() else 1, 100))
        elif local == "tab":
            out().append("\t")
        elif local == "line-break":
            out().append("\n")

    def end(name):
        local = name.rsplit(" ", 1)[-1]
        if state["skip"]:
            state["skip"] -= 1
            return
        if local in ("p", "h"):
            state["paragraph"] -= 1
            out().append("\n")
        elif local == "note-body":
            state["note"] -= 1

    def data(chunk):
        if state["paragraph"] and not state["skip"]:
            out().append(_SPACES.sub(" ", chunk))  # ODF collapses white space; <text:s> stands for more

    _expat(chunks, start=start, end=end, data=data, limit=limit, what=what)
    text = _tidy("".join(body))
    return f"{text}\n\n{_tidy(''.join(notes))}" if notes else text


def _tidy(text):
    """Lines without trailing blanks, and at most one empty line in a row."""
    lines = [line.strip(" \t") if line.strip() else "" for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
