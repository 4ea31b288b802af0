"""Reads and checks a corpus folder's MANIFEST.csv before anything is loaded from it.

Every row is checked first and every problem is collected with its row, so one run names them all and a
bad row part-way through cannot leave a half-loaded demo. A file may only be read from inside the corpus
folder: an absolute path, a `..` or a link that leads out is refused (a manifest once loaded /etc/passwd
as legislation). Row N is the line of MANIFEST.csv where the row starts; the header is row 1.
"""

import codecs
import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath

from records.demo.corpus import CorpusFile
from records.errors import RecordsError
from records.languages import Language
from records.models import DocumentKind

NAME = "MANIFEST.csv"
# The columns the loader reads; the others (pages, source_repository, ...) are documentation.
COLUMNS = ("file", "title", "jurisdiction", "court_or_body", "date", "language", "kind", "format", "expected")
REQUIRED_VALUES = ("title", "court_or_body", "date", "language", "kind", "format")
FORMATS = ("text", "json", "html", "xml", "docx", "born-digital-pdf", "scanned-pdf", "image")
TEXT_FORMATS = {"text", "json", "html", "xml"}
# The folder of deliberately broken files (truncated, empty, misnamed), kept for ingest's tests.
BAD_INPUTS = "bad"
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Problem:
    row: int
    message: str

    def __str__(self):
        return f"row {self.row}: {self.message}"


class CorpusInvalid(RecordsError):
    """The manifest has problems; nothing was loaded. `problems` lists them in row order."""

    def __init__(self, manifest, problems):
        self.problems = problems
        listing = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(
            f"{manifest} has {len(problems)} problem(s); nothing was loaded. Fix them and run again:\n{listing}"
        )


def parse_date(text):
    """YYYY, YYYY-MM or YYYY-MM-DD (the corpus reduces a date to the year where the document gives no day)."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise ValueError("write it as YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    return date(year, month, day)


def read_manifest(folder):
    """The CorpusFiles to load from `folder`, or CorpusInvalid listing every problem of the manifest."""
    folder = Path(folder)
    manifest = folder / NAME
    lines, problems = _decoded_lines(manifest.read_bytes())
    if problems:  # values read from a wrongly encoded file cannot be trusted: report the encoding alone
        raise CorpusInvalid(manifest, problems)
    files, problems = _checked_rows(folder.resolve(), folder, lines)
    if problems:
        raise CorpusInvalid(manifest, problems)
    return files


def _decoded_lines(raw):
    lines, problems = [], []
    for number, line in enumerate(raw.removeprefix(codecs.BOM_UTF8).splitlines(keepends=True), start=1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError as error:
            problems.append(
                Problem(number, f"{NAME} is not UTF-8: byte 0x{line[error.start]:02X} at column {error.start + 1}; save it as UTF-8")
            )
    return lines, problems


def _checked_rows(root, folder, lines):
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
        if header is None:
            return [], [Problem(1, f"{NAME} is empty; its first row must name the columns {', '.join(COLUMNS)}")]
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            return [], [
                Problem(1, f"{NAME} lacks the column(s) {', '.join(missing)}; its first row must name {', '.join(COLUMNS)}")
            ]
        files, problems = [], []
        start = reader.line_num + 1
        for fields in reader:
            row_problems = []
            if len(fields) != len(header):
                row_problems.append(f"has {len(fields)} fields where the header has {len(header)}")
            elif any(fields):  # a blank line is no row
                corpus_file = _checked_row(root, folder, dict(zip(header, fields, strict=True)), row_problems)
                if corpus_file is not None and not row_problems:
                    files.append(corpus_file)
            problems += [Problem(start, message) for message in row_problems]
            start = reader.line_num + 1
    except csv.Error as error:
        problems = [Problem(reader.line_num, f"{NAME} cannot be read as CSV: {error}")]
        return [], problems
    return files, problems


def _checked_row(root, folder, row, problems):
    """The row's CorpusFile, None for a row the demo leaves out; what is wrong is added to `problems`."""
    row = {column: value.strip() for column, value in row.items()}
    name = row["file"]
    relative = _inside(root, folder, name, problems)
    if relative is None:
        return None
    if relative.parts[:1] == (BAD_INPUTS,) or not row["expected"]:
        return None  # bad inputs and negative fixtures are for ingest's tests, not for the demo
    path = folder / name
    if not path.is_file():
        problems.append(f"file {name!r} is not a file in the corpus folder")
    for column in REQUIRED_VALUES:
        if not row[column]:
            problems.append(f"{column} is empty")
    _check_choice(row, "kind", DocumentKind.values, problems)
    _check_choice(row, "format", FORMATS, problems)
    _check_choice(row, "language", Language.values, problems)
    when = None
    if row["date"]:
        try:
            when = parse_date(row["date"])
        except ValueError as error:
            problems.append(f"date {row['date']!r} is not a date: {error}")
    if row["format"] in TEXT_FORMATS and path.is_file():
        _check_utf8(path, name, problems)
    if problems:
        return None
    return CorpusFile(
        path=path,
        title=row["title"],
        kind=row["kind"],
        language=row["language"],
        court=row["court_or_body"],
        jurisdiction=row["jurisdiction"],
        date=when,
        format=row["format"],
    )


def _inside(root, folder, name, problems):
    """`name` relative to the corpus folder once every link is followed, or None (and why) if it leaves it."""
    if not name:
        problems.append("file is empty; name a file in the corpus folder")
        return None
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).anchor:
        problems.append(f"file {name!r} is an absolute path; name files relative to the corpus folder")
        return None
    try:
        resolved = (folder / name).resolve()
    except (OSError, RuntimeError, ValueError) as error:  # a link loop, a NUL in the name
        problems.append(f"file {name!r} cannot be resolved: {error}")
        return None
    if not resolved.is_relative_to(root):
        if ".." in PurePosixPath(name).parts:
            problems.append(f"file {name!r} leads out of the corpus folder through '..'; files must be inside it")
        else:
            problems.append(f"file {name!r} is a link to {resolved}, outside the corpus folder; files must be inside it")
        return None
    return resolved.relative_to(root)


def _check_choice(row, column, choices, problems):
    value = row[column]
    if value and value not in choices:
        problems.append(f"{column} {value!r} is not one of {', '.join(choices)}")


def _check_utf8(path, name, problems):
    """Decoded in chunks, so a large text is never held whole; the offset names the first bad byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    fed = 0
    with open(path, "rb") as text:
        while True:
            chunk = text.read(_CHUNK)
            pending = len(decoder.getstate()[0])  # bytes of a character begun in the last chunk
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                problems.append(
                    f"{name!r} is not UTF-8 text: byte 0x{error.object[error.start]:02X} at offset "
                    f"{fed - pending + error.start} cannot be decoded; save it as UTF-8"
                )
                return
            if not chunk:
                return
            fed += len(chunk)
