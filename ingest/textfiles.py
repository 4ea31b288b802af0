"""Text formats, each read as one page: plain text, HTML, XML, JSON, JSON Lines, DOCX and ODT.

The format comes from the bytes, as for images: a ZIP holding word/document.xml is DOCX, one whose
`mimetype` says so is ODT; other files must decode as text (a byte-order mark, UTF-8, an encoding the
file declares, or one charset-normalizer recognises) and are then JSON when they open with { or [,
HTML or XML when they open with a tag, and plain text otherwise.

JSON has no notion of prose, so the rule is general, not per schema: the values are walked in document
order; a string is kept when it holds at least two words (tokens between spaces with two letters or
more and no digit), so identifiers, hashes, dates, numbers, codes, URLs and one-word labels are left
out; keys are never text; a value holding HTML is
read as HTML; and a line that an earlier value already gave is not given again, since records often
hold one text twice (whole and in paragraphs, or as "text" and "displayText").

Every text ends as the rest of ingest leaves text: no bidi controls, NFC (NFKC where the text is
mostly Arabic or holds presentation forms, as ingest.rtl does), Arabic in logical order. Arabic stored
in visual order (reversed, as drawn) is put right line by line only where each line can be one line
of a page; otherwise the page is left empty with a note, since its line order cannot be recovered.
"""

import codecs
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import charset_normalizer

from ingest import markup, rtl
from ingest.config import setting
from ingest.pages import PageResult, UnreadableFile

SNIFF_BYTES = 64 * 1024
TEXT, HTML, XML, JSON, JSONL, DOCX, ODT = "text", "html", "xml", "json", "jsonl", "docx", "odt"
KINDS = frozenset({TEXT, HTML, XML, JSON, JSONL, DOCX, ODT})
MAX_DISPLAY_LINE = 160  # characters: longer lines are paragraphs, not lines as a page shows them
_ODT_TYPE = b"application/vnd.oasis.opendocument.text"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_DECLARED = re.compile(rb"""(?:<\?xml[^>]*encoding|<meta[^>]*charset)\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
_HTML_START = re.compile(
    r"<(html|head|body|div|p|table|h[1-6]|span|section|article|ul|ol|meta|"
    r"title|br|center|font|b|i|a|pre|blockquote|main|header|style|script|link)[\s>/]",
    re.I,
)
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w:.-]*)")
_PROLOGUE = re.compile(r"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.S | re.I)
_HAS_HTML = re.compile(
    r"</?(p|div|br|span|h[1-6]|li|ul|ol|table|tr|td|a|b|i|em|strong|section|article|body)\b[^>]*>", re.I
)


def max_bytes():
    return int(setting("SIJILL_MAX_TEXT_MB", 32)) * 2**20


# --- the type from the bytes -----------------------------------------------------------------------


def sniff(path, head):
    """The text format of a file from its first bytes (and a ZIP's directory), or None if it is none."""
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(path)
    encoding = _encoding(head, partial=True)
    if encoding is None:
        return None
    text = head.decode(encoding[0], errors="replace")[encoding[1] :]
    if len(_CONTROLS.findall(text)) > 0.01 * len(text):
        return None  # binary
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return JSON
    if stripped.startswith("<"):
        return _markup_kind(stripped)
    return TEXT


def refusal(head):
    """What a file of no supported type is, for the clerk's message."""
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "is an old Microsoft Office file (.doc, .xls): save it as DOCX or PDF"
    if head.startswith(b"PK\x03\x04"):
        return "is a ZIP archive that is not a DOCX or ODT document, or a damaged one"
    if head.startswith(b"{\\rtf"):
        return "is an RTF document: save it as DOCX or PDF"
    if head.startswith((b"GIF8", b"BM")) or head[8:12] == b"WEBP":
        return "is an image in a format not read here (GIF, BMP or WebP): convert it to PNG or TIFF"
    return "is neither a document nor an image that can be read"


def _office_kind(path):
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                if archive.read("mimetype").strip().startswith(_ODT_TYPE) and "content.xml" in names:
                    return ODT
            if _docx_main_part(archive, names):
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _docx_main_part(archive, names):
    if "word/document.xml" in names:
        return "word/document.xml"
    if "_rels/.rels" in names and archive.getinfo("_rels/.rels").file_size < 100_000:
        found = re.search(
            rb'Target="/?([^"]+)"[^>]*Type="[^"]*/officeDocument"|Type="[^"]*/officeDocument"[^>]*Target="/?([^"]+)"',
            archive.read("_rels/.rels"),
        )
        if found:
            part = (found.group(1) or found.group(2)).decode("utf-8", "replace")
            if part in names and part.startswith("word/"):
                return part
    return None


def _markup_kind(text):
    rest = _without_prologue(text)
    if re.search(r"<!doctype\s+html", text[: len(text) - len(rest)], re.I) or _HTML_START.match(rest):
        return HTML
    return XML if _FIRST_TAG.match(rest) else TEXT


def _encoding(data, *, partial=False):
    """(codec, characters to skip) for `data`, or None when it is not text in any encoding found."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, 1
    sample = data[:4096]
    zeros = sample.count(0)
    if zeros:
        # UTF-16 without a mark: the zero bytes (of spaces, digits, Latin letters) all fall on one side;
        # anything else holding zero bytes is binary.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if zeros > len(sample) // 50 and odd > 20 * even:
            return "utf-16-le", 0
        if zeros > len(sample) // 50 and even > 20 * odd:
            return "utf-16-be", 0
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=not partial)
        return "utf-8", 0
    except UnicodeDecodeError:
        pass
    name = _declared(data)
    if name:
        try:
            data.decode(name)
            return codecs.lookup(name).name, 0
        except (LookupError, UnicodeDecodeError):
            pass
    best = charset_normalizer.from_bytes(data[:SNIFF_BYTES] if partial else data).best()
    return (best.encoding, 0) if best is not None else None


def _declared(data):
    found = _DECLARED.search(data[:2048])
    return found.group(1).decode("ascii", "replace") if found else None


# --- reading ---------------------------------------------------------------------------------------


def read(path, kind):
    """The one page of a text file as a PageResult (method file_text, the engine naming the reader)."""
    name = Path(path).name
    notes = []
    if kind in (DOCX, ODT):
        text = _read_office(path, kind, name)
        engine = kind
    else:
        data = _read_bytes(path, name)
        encoding = _encoding(data)
        if encoding is None:
            raise UnreadableFile(f"{name} is not text in any encoding that could be recognised")
        codec, skip = encoding
        if codec != "utf-8":
            notes.append(f"decoded as {codec}")
        text = data.decode(codec, errors="replace")[skip:]
        text, engine = _read_text(text, kind, notes)
    text, order_notes = _finish(text)
    return PageResult(number=1, text=text, method="file_text", unit="", engine=engine, notes=notes + order_notes)


def _read_bytes(path, name):
    limit = max_bytes()
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFile(f"{name} is over {limit // 2**20} MB, the limit for a text file (SIJILL_MAX_TEXT_MB)")
    return data


def _read_text(text, kind, notes):
    if kind == JSON:
        return _read_json(text, notes)
    if kind == XML:
        body = _PROLOGUE.sub("", text, count=1) if text.lstrip().startswith("<?xml") else text
        try:
            return markup.xml_text(body.encode("utf-8")), XML
        except markup.MarkupError as error:
            notes.append(f"not well-formed XML ({error}): its text was read leniently, as HTML is")
            return markup.html_text(_without_prologue(text)), XML
    if kind == HTML:
        return markup.html_text(text), HTML
    return text, TEXT


def _without_prologue(text):
    start = 0
    while (prologue := _PROLOGUE.match(text, start)) is not None:
        start = prologue.end()
    return text[start:]


def _read_json(text, notes):
    try:
        return json_text([json.loads(text)]), JSON
    except (ValueError, RecursionError):
        pass
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        return json_text(json.loads(line) for line in lines), JSONL
    except (ValueError, RecursionError):
        notes.append("not valid JSON or JSON Lines: read as plain text")
        return text, TEXT


def json_text(records):
    """The prose of JSON values in document order (the rule is in the module's docstring)."""
    seen, blocks = set(), []
    for record in records:
        pending = [record]
        while pending:
            value = pending.pop()
            if isinstance(value, dict):
                pending.extend(reversed(list(value.values())))
            elif isinstance(value, list):
                pending.extend(reversed(value))
            elif isinstance(value, str) and _is_prose(value):
                if _HAS_HTML.search(value):
                    value = markup.html_text(value)
                lines = value.replace("\r\n", "\n").split("\n")
                fresh = [line for line in lines if not line.strip() or " ".join(line.split()) not in seen]
                seen.update(" ".join(line.split()) for line in lines if line.strip())
                block = "\n".join(fresh).strip()
                if block:
                    blocks.append(block)
    return "\n\n".join(blocks)


def _is_prose(value):
    words = 0
    for token in value[:2000].split():
        if sum(char.isalpha() for char in token) >= 2 and not any(char.isdigit() for char in token):
            words += 1
            if words == 2:
                return True
    return False


def _read_office(path, kind, name):
    limit = max_bytes()
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if kind == ODT:
                return markup.odt_text(_chunks(archive, "content.xml"), limit=limit, what=name)
            texts = [markup.docx_text(_chunks(archive, _docx_main_part(archive, names)), limit=limit, what=name)]
            for part in ("word/footnotes.xml", "word/endnotes.xml"):
                if part in names:
                    texts.append(markup.docx_text(_chunks(archive, part), limit=limit, what=name))
    except markup.MarkupError as error:
        raise UnreadableFile(f"{name}: its {kind.upper()} text is not well-formed XML ({error})") from error
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, zipfile.LargeZipFile) as error:
        raise UnreadableFile(f"{name} is a damaged {kind.upper()} file ({error})") from error
    return "\n\n".join(text for text in texts if text)


def _chunks(archive, part, size=1 << 20):
    with archive.open(part) as stream:  # inflated as read: a bomb stops at the limit, not in memory
        while chunk := stream.read(size):
            yield chunk


# --- the text as ingest keeps it --------------------------------------------------------------------


def _finish(text):
    """(text, notes): one kind of line break, no controls, normalised, Arabic in logical order."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = _CONTROLS.sub("", rtl.strip_bidi_controls(text))
    text = unicodedata.normalize("NFC", text)
    notes = []
    if rtl.ARABIC_LETTER.search(text):
        if rtl.arabic_share(text) > 0.2 or rtl.has_presentation_forms(text):
            text = unicodedata.normalize("NFKC", text)
        if rtl.detect_order(text).order == "visual":
            text, notes = _visual_arabic(text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip(), notes


def _visual_arabic(text):
    lines = [line for line in text.split("\n") if rtl.ARABIC_LETTER.search(line)]
    longest = max(len(line) for line in lines)
    if longest <= MAX_DISPLAY_LINE:
        candidate = rtl.visual_to_logical(text)
        if rtl.detect_order(candidate).order == "logical":
            return candidate, ["Arabic stored in visual (reversed) order was put in reading order, line by line"]
    return "", [
        "The Arabic text is stored in visual (reversed) order and its lines (up to "
        f"{longest} characters) are not the lines of a page, so their order cannot be recovered: no text "
        "was kept. Upload the document as PDF or as text in logical order, or a scan to be read by OCR."
    ]
