"""Reads and checks a batch manifest: the CSV a clerk hands in with a folder (or ZIP) of scans.

Nothing here touches the database; the rows are checked, all of them, before anything is written, and
every problem is collected as (row, column, problem) so one dry run names them all.

Decisions, for the clerk and for whoever writes the rows later:

- Encoding. Decided by rules, never guessed: a BOM (UTF-8, UTF-16 LE/BE) wins; else the bytes must be
  strict UTF-8; else they are read as Windows-1256 only if they decode and their non-ASCII letters are
  mostly Arabic. Anything else (Windows-1252 French, UTF-16 without a BOM, binary) is refused with one
  problem telling the clerk to save the file as UTF-8. charset-normalizer is not used: on short
  manifests its guesses between Windows-125x code pages are not reliable enough to accept silently.
- Delimiter. Comma, or semicolon when the header has more semicolons than commas (Excel in French and
  Arabic locales writes semicolons). Decided from the header alone, which holds no values.
- Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2, and a
  cell holding a line break is still one row (so the number is not the file's line number).
- Columns. Header names are trimmed, case-insensitive, and spaces or hyphens count as underscores; a few
  aliases are accepted (ALIASES). An unknown column is an error, never ignored: a typo ("jugment_date")
  must not silently drop a value. Required columns: court, case_type, file, filing_date, and case_number
  or legacy_numbers (each row needs one of them). `title` may be left out or empty: the file's name
  without its extension is used. `document_kind` may be left empty: legacy_scan (what a digitised
  paper archive holds).
- Dates are ISO, YYYY-MM-DD, in Western or Eastern Arabic digits. DD/MM/YYYY is refused, not read:
  03/04/2021 is 3 April in these courts and 4 March in a spreadsheet set up the American way, and a
  wrong date in a court record is worse than a row to fix.
- Sexes: female, male, not_recorded, or F, M, femme, homme, أنثى, ذكر; empty is not_recorded. Values
  longer than their model field holds are refused here rather than failing when written.
- Lists (legacy_numbers, languages and the party columns) are separated by `;` or `|`. The party columns
  are parallel: party_names and party_roles must have as many items; national_ids, dates_of_birth and
  sexes are either empty or as many items, any of them empty ("1234;;5678").
- A case is known by `case_key`: the court's code and the look-up key of its case number, or of its
  first legacy number when it has no case number. Rows of one case must name it the same way; their
  case-level values (case type, dates, location) must not contradict one another.
"""

import csv
import io
import posixpath
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath, PureWindowsPath

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from records import keys
from records.languages import Language
from records.models.cases import CaseFile, LegacyNumber, Party, PartyRole, Sex
from records.models.documents import Document, DocumentKind

COLUMNS = (
    "court",
    "case_number",
    "case_type",
    "legacy_numbers",
    "filing_date",
    "judgment_date",
    "closure_date",
    "party_names",
    "party_roles",
    "national_ids",
    "dates_of_birth",
    "sexes",
    "document_kind",
    "title",
    "languages",
    "building",
    "room",
    "shelf",
    "box",
    "file",
)
REQUIRED = ("court", "case_type", "filing_date", "file")
ONE_OF = ("case_number", "legacy_numbers")
ALIASES = {
    "path": "file",
    "file_name": "file",
    "filename": "file",
    "number": "case_number",
    "kind": "document_kind",
    "language": "languages",
    "legacy_number": "legacy_numbers",
    "date_filed": "filing_date",
    "date_judgment": "judgment_date",
    "date_closed": "closure_date",
}
DEFAULT_KIND = DocumentKind.LEGACY_SCAN.value
# Case-level columns: every row of a case that gives one must give the same value.
CASE_COLUMNS = ("case_type", "filing_date", "judgment_date", "closure_date", "building", "room", "shelf", "box")
SEX_ALIASES = {
    "f": Sex.FEMALE.value,
    "m": Sex.MALE.value,
    "femme": Sex.FEMALE.value,
    "homme": Sex.MALE.value,
    "أنثى": Sex.FEMALE.value,
    "ذكر": Sex.MALE.value,
    "not recorded": Sex.NOT_RECORDED.value,
}
# The longest value each column's model field holds: a longer one would fail only when written.
MAX_LENGTHS = {
    "case_number": CaseFile._meta.get_field("number").max_length,
    "legacy_numbers": LegacyNumber._meta.get_field("number").max_length,
    "title": Document._meta.get_field("title").max_length,
    "party_names": Party._meta.get_field("name").max_length,
    "national_ids": Party._meta.get_field("national_id").max_length,
    "building": CaseFile._meta.get_field("location_building").max_length,
    "room": CaseFile._meta.get_field("location_room").max_length,
    "shelf": CaseFile._meta.get_field("location_shelf").max_length,
    "box": CaseFile._meta.get_field("location_box").max_length,
}

UTF8, UTF8_BOM, UTF16, CP1256 = "UTF-8", "UTF-8 with BOM", "UTF-16", "Windows-1256"
_LIST = re.compile(r"[;|]")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SLASHED = re.compile(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}")
_BOMS = (
    (b"\xff\xfe\x00\x00", None),  # UTF-32 LE: refused, Excel never writes it
    (b"\x00\x00\xfe\xff", None),
    (b"\xef\xbb\xbf", UTF8_BOM),
    (b"\xff\xfe", UTF16),
    (b"\xfe\xff", UTF16),
)
_CODECS = {UTF8: "utf-8", UTF8_BOM: "utf-8-sig", UTF16: "utf-16", CP1256: "cp1256"}


class ManifestUnreadable(ValueError):
    """The manifest's bytes cannot be decoded with confidence; `message` says why and what to do."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    row: int  # as a spreadsheet shows it: the header is row 1; 0 for the batch as a whole
    column: str  # as the clerk wrote it in the header, "" for the whole row or file
    message: str

    def __str__(self):
        where = _("Row %(row)s") % {"row": self.row} if self.row else _("Batch")
        if self.column:
            # Translators: a problem's row and the column it is in, "Row 3, filing_date"; your language's comma.
            where = _("%(where)s, %(column)s") % {"where": where, "column": self.column}
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class PartyRow:
    name: str
    role: str  # a PartyRole value
    national_id: str = ""
    date_of_birth: date | None = None
    sex: str = Sex.NOT_RECORDED.value


@dataclass(frozen=True)
class ManifestRow:
    row: int
    court: str  # the court's code, as `known` resolved it
    case_type: str  # the case type's code
    case_number: str
    legacy_numbers: tuple[str, ...]
    filing_date: date | None
    judgment_date: date | None
    closure_date: date | None
    parties: tuple[PartyRow, ...]
    document_kind: str
    title: str
    languages: tuple[str, ...]
    building: str
    room: str
    shelf: str
    box: str
    file: str  # relative, with forward slashes, as the clerk wrote it (normalised)

    @property
    def case_key(self):
        """(court code, number key): the same for every row of a case, and on every run."""
        number = self.case_number or (self.legacy_numbers[0] if self.legacy_numbers else "")
        return (self.court, keys.case_number_key(number))


@dataclass
class Manifest:
    encoding: str | None  # e.g. "Windows-1256"; None when the bytes could not be decoded
    delimiter: str = ","
    rows: list[ManifestRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The file each row names, as written (rows with problems included), for the report of a batch.
    files: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self):
        return not self.problems

    def cases(self):
        """Rows grouped by case_key, in the order each case first appears."""
        grouped = {}
        for row in self.rows:
            grouped.setdefault(row.case_key, []).append(row)
        return grouped

    def add(self, row, column, message):
        self.problems.append(Problem(row, column, message))

    def sort(self):
        """Problems in row order (stable: within a row, in the order they were found)."""
        self.problems.sort(key=lambda problem: problem.row)

    def report(self):
        """The text a dry run and a real run print: how it was read, then every problem by row."""
        lines = []
        if self.encoding:
            lines.append(_("Manifest read as %(encoding)s.") % {"encoding": self.encoding})
        rows = ngettext("%(rows)d valid row", "%(rows)d valid rows", len(self.rows)) % {"rows": len(self.rows)}
        cases = ngettext("%(cases)d case", "%(cases)d cases", len(self.cases())) % {"cases": len(self.cases())}
        # Translators: the two counts above joined, "12 valid rows, 3 cases."; your language's comma.
        lines.append(_("%(rows)s, %(cases)s.") % {"rows": rows, "cases": cases})
        if self.problems:
            lines.append(
                ngettext(
                    "%(count)d problem; nothing is written until it is fixed:",
                    "%(count)d problems; nothing is written until they are fixed:",
                    len(self.problems),
                )
                % {"count": len(self.problems)}
            )
            lines += [f"  {problem}" for problem in self.problems]
        else:
            lines.append(_("No problems."))
        return "\n".join(lines)


@dataclass(frozen=True)
class Known:
    """What the manifest is checked against, given by the caller so this module needs no database.

    Each mapping goes from a folded spelling (see `keys.name_key`) to the canonical code; a court may be
    named by its code or its name.
    """

    courts: Mapping[str, str]
    case_types: Mapping[str, str]

    @classmethod
    def of(cls, courts=(), case_types=()):
        """From (code, name, ...) tuples or bare codes."""
        return cls(courts=_spellings(courts), case_types=_spellings(case_types))

    def court(self, text):
        return self.courts.get(keys.name_key(text))

    def case_type(self, text):
        return self.case_types.get(keys.name_key(text))


def _spellings(entries):
    found = {}
    for entry in entries:
        names = (entry,) if isinstance(entry, str) else tuple(entry)
        for name in names:
            if name:
                found.setdefault(keys.name_key(name), names[0])
    return found


def known_from_database():
    """The active institutions and case types, by code and by name (and French/Arabic case type names)."""
    from records.models import CaseType, Institution

    courts = Institution.objects.filter(is_active=True).values_list("code", "name")
    case_types = CaseType.objects.filter(is_active=True).values_list("code", "name", "name_fr", "name_ar")
    return Known.of(courts=list(courts), case_types=list(case_types))


# Decoding ------------------------------------------------------------------------------------------


def decode(raw):
    """(text, encoding name) of the manifest's bytes, or ManifestUnreadable."""
    if not raw.strip():
        raise ManifestUnreadable(_("The manifest is empty; its first row must name the columns."))
    for bom, name in _BOMS:
        if raw.startswith(bom):
            if name is None:
                break
            try:
                return raw.decode(_CODECS[name]), name
            except UnicodeDecodeError as error:
                raise ManifestUnreadable(
                    _("The manifest starts as %(encoding)s but byte %(offset)d is not %(encoding)s; save it as UTF-8.")
                    % {"encoding": name, "offset": error.start}
                ) from error
    refused = ManifestUnreadable(_("The manifest is not UTF-8, UTF-16 or Windows-1256; save it as UTF-8."))
    if b"\x00" in raw:  # UTF-16 or UTF-32 without a BOM, or not text at all
        raise refused
    try:
        return raw.decode("utf-8"), UTF8
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1256", errors="replace")
    if "\ufffd" in text or not _looks_arabic(text):
        raise refused
    return text, CP1256


def _looks_arabic(text):
    """Most of the non-ASCII letters are Arabic (French letters exist in Windows-1256 too), no controls."""
    if any(unicodedata.category(char) == "Cc" and char not in "\r\n\t" for char in text):
        return False
    letters = [char for char in text if ord(char) > 0x7F and char.isalpha()]
    arabic = sum(1 for char in letters if "\u0600" <= char <= "\u06ff")
    return arabic >= 3 and arabic >= 0.6 * len(letters)


# Reading -------------------------------------------------------------------------------------------


def read_manifest(raw, known, *, today=None, check_file=None):
    """The Manifest of `raw` (bytes): its rows if all are valid, and every problem found in any row.

    `known` is a Known (or anything with court(text) and case_type(text) returning a code or None).
    `rows` holds only the rows without a problem; the caller writes nothing while `problems` is not empty.
    `check_file(path)`, if given, returns why a row's file cannot be used, or None (see ingest.sources.load).
    """
    today = today or timezone.localdate()
    try:
        text, encoding = decode(raw)
    except ManifestUnreadable as error:
        manifest = Manifest(encoding=None)
        manifest.add(0, "", error.message)
        return manifest
    lines = text.splitlines(keepends=True)
    delimiter = _delimiter(lines[0] if lines else "")
    manifest = Manifest(encoding=encoding, delimiter=delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        columns = _columns(header, manifest)
        if columns is None:
            return manifest
        checker = _RowChecker(manifest, known, columns, today, check_file)
        for number, fields in enumerate(reader, start=2):
            checker.check(number, fields)
    except csv.Error as error:
        manifest.add(reader.line_num, "", _("The manifest cannot be read as CSV: %(error)s") % {"error": error})
        manifest.rows = []
    manifest.sort()
    return manifest


def _delimiter(first_line):
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _canonical(name):
    name = re.sub(r"[\s\-]+", "_", name.strip().casefold())
    return ALIASES.get(name, name)


def _columns(header, manifest):
    """{canonical name: (index, name as written)}, or None after recording what is wrong with the header."""
    columns, bad = {}, False
    for index, written in enumerate(header):
        name = _canonical(written.lstrip("\ufeff"))
        if not name:
            if any(header[index:]):  # trailing empty header cells (Excel leaves them) are harmless
                manifest.add(1, "", _("Column %(number)d has no name in the header.") % {"number": index + 1})
                bad = True
            continue
        if name not in COLUMNS:
            manifest.add(
                1,
                written.strip(),
                _("Unknown column %(name)r; check its spelling. The columns are: %(columns)s.")
                % {"name": written.strip(), "columns": ", ".join(COLUMNS)},
            )
            bad = True
        elif name in columns:
            manifest.add(1, written.strip(), _("Column %(name)s appears twice.") % {"name": name})
            bad = True
        else:
            columns[name] = (index, written.strip())
    for name in REQUIRED:
        if name not in columns:
            manifest.add(1, name, _("Required column %(name)s is missing from the header.") % {"name": name})
            bad = True
    if not any(name in columns for name in ONE_OF):
        manifest.add(1, "case_number", _("The header needs a case_number or a legacy_numbers column (or both)."))
        bad = True
    return None if bad else columns


class _RowChecker:
    def __init__(self, manifest, known, columns, today, check_file=None):
        self.check_file = check_file
        self.manifest = manifest
        self.known = known
        self.columns = columns
        self.today = today
        self.files = {}  # normalised path -> first row naming it
        self.cases = {}  # case_key -> (first row, {column: value})

    def check(self, number, fields):
        if not any(value.strip() for value in fields):
            return  # an empty row is no row (its number is still counted, as the spreadsheet counts it)
        width = max(index for index, _written in self.columns.values()) + 1
        if len(fields) > width and any(value.strip() for value in fields[width:]):
            self.manifest.add(
                number, "", _("This row has values beyond the last column of the header; check the delimiters.")
            )
            return
        values = {
            name: (fields[index].strip() if index < len(fields) else "") for name, (index, _w) in self.columns.items()
        }
        values = {name: values.get(name, "") for name in COLUMNS}
        self.manifest.files[number] = values["file"]
        before = len(self.manifest.problems)
        row = self._row(number, values)
        if len(self.manifest.problems) == before and row is not None:
            self.manifest.rows.append(row)

    def problem(self, number, column, message):
        self.manifest.add(number, self.columns.get(column, (0, column))[1], message)

    def _row(self, number, values):
        self._check_lengths(number, values)
        court = self._lookup(number, values, "court", self.known.court, _("Unknown court %(value)r."))
        case_type = self._lookup(number, values, "case_type", self.known.case_type, _("Unknown case type %(value)r."))
        legacy = tuple(item.strip() for item in _LIST.split(values["legacy_numbers"]) if item.strip())
        if not values["case_number"] and not legacy:
            self.problem(number, "case_number", _("Give the case number or a legacy number."))
        dates = {
            name: self._date(number, name, values[name]) for name in ("filing_date", "judgment_date", "closure_date")
        }
        if not values["filing_date"]:
            self.problem(number, "filing_date", _("The filing date is required."))
        self._check_order(number, dates)
        parties = self._parties(number, values)
        kind = values["document_kind"].casefold() or DEFAULT_KIND
        if kind not in DocumentKind.values:
            self.problem(
                number,
                "document_kind",
                _("Unknown document kind %(value)r; use one of %(choices)s.")
                % {"value": values["document_kind"], "choices": ", ".join(DocumentKind.values)},
            )
        languages = tuple(item.strip().casefold() for item in _LIST.split(values["languages"]) if item.strip())
        for code in languages:
            if code not in Language.values:
                self.problem(
                    number,
                    "languages",
                    _("Unknown language %(value)r; use ISO 639-3 codes: %(choices)s.")
                    % {"value": code, "choices": ", ".join(Language.values)},
                )
        path = self._path(number, values["file"])
        title = values["title"] or (PurePosixPath(path).stem if path else "")
        if path is None or court is None or case_type is None:
            return None
        row = ManifestRow(
            row=number,
            court=court,
            case_type=case_type,
            case_number=values["case_number"],
            legacy_numbers=legacy,
            filing_date=dates["filing_date"],
            judgment_date=dates["judgment_date"],
            closure_date=dates["closure_date"],
            parties=parties,
            document_kind=kind,
            title=title,
            languages=tuple(dict.fromkeys(languages)),
            building=values["building"],
            room=values["room"],
            shelf=values["shelf"],
            box=values["box"],
            file=path,
        )
        self._check_case(number, row)
        return row

    def _check_lengths(self, number, values):
        for column, longest in MAX_LENGTHS.items():
            items = (
                _LIST.split(values[column])
                if column in ("legacy_numbers", "party_names", "national_ids")
                else [values[column]]
            )
            for item in items:
                if len(item.strip()) > longest:
                    self.problem(
                        number,
                        column,
                        _("%(value)s… is %(length)d characters long; at most %(longest)d fit.")
                        % {"value": item.strip()[:30], "length": len(item.strip()), "longest": longest},
                    )

    def _lookup(self, number, values, column, find, message):
        value = values[column]
        if not value:
            self.problem(number, column, _("%(column)s is required.") % {"column": column})
            return None
        found = find(value)
        if found is None:
            self.problem(number, column, message % {"value": value})
        return found

    def _date(self, number, column, text, *, label=None):
        if not text:
            return None
        digits = "".join(
            str(unicodedata.decimal(char)) if unicodedata.category(char) == "Nd" else char for char in text
        )
        match = _ISO.fullmatch(digits)
        if not match:
            if _SLASHED.fullmatch(digits):
                message = _(
                    "%(value)r: write dates as YYYY-MM-DD; a date like 03/04/2021 can be read day-first or month-first."
                )
            else:
                message = _("%(value)r is not a date; write it as YYYY-MM-DD.")
            self.problem(number, column, message % {"value": text})
            return None
        try:
            day = date(*(int(part) for part in match.groups()))
        except ValueError:
            self.problem(number, column, _("%(value)r does not exist in the calendar.") % {"value": text})
            return None
        if day > self.today:
            self.problem(
                number,
                column,
                _("%(value)s is in the future; today is %(today)s.")
                % {"value": text, "today": f"{self.today:%Y-%m-%d}"},
            )
            return None
        return day

    def _check_order(self, number, dates):
        filed, judged, closed = dates["filing_date"], dates["judgment_date"], dates["closure_date"]
        if filed and judged and judged < filed:
            self.problem(
                number,
                "judgment_date",
                _("The judgment, %(judged)s, is before the filing date, %(filed)s.")
                % {"judged": judged, "filed": filed},
            )
        if closed and filed and closed < filed:
            self.problem(
                number,
                "closure_date",
                _("The closure, %(closed)s, is before the filing date, %(filed)s.")
                % {"closed": closed, "filed": filed},
            )
        elif closed and judged and closed < judged:
            self.problem(
                number,
                "closure_date",
                _("The closure, %(closed)s, is before the judgment, %(judged)s.")
                % {"closed": closed, "judged": judged},
            )

    def _parties(self, number, values):
        lists = {
            column: [item.strip() for item in _LIST.split(values[column])] if values[column] else []
            for column in ("party_names", "party_roles", "national_ids", "dates_of_birth", "sexes")
        }
        names = lists["party_names"]
        count = len(names)
        parallel = True
        for column, items in lists.items():
            if column == "party_names":
                continue
            optional = column != "party_roles"
            if len(items) != count and not (optional and not items):
                self.problem(
                    number,
                    column,
                    _("%(column)s has %(got)d item(s) where party_names has %(count)d; the lists go in parallel.")
                    % {"column": column, "got": len(items), "count": count},
                )
                parallel = False
        if not parallel:
            return ()
        parties = []
        for index, name in enumerate(names):
            if not name:
                self.problem(number, "party_names", _("Party %(n)d has no name.") % {"n": index + 1})
            role = lists["party_roles"][index].casefold() if lists["party_roles"] else ""
            if role not in PartyRole.values:
                self.problem(
                    number,
                    "party_roles",
                    _("Unknown party role %(value)r; use one of %(choices)s.")
                    % {"value": role, "choices": ", ".join(PartyRole.values)},
                )
            national_id = lists["national_ids"][index] if lists["national_ids"] else ""
            if national_id and not keys.national_id_key(national_id):
                self.problem(
                    number,
                    "national_ids",
                    _("National ID %(value)r has no letter or digit; leave it empty if unknown.")
                    % {"value": national_id},
                )
            born = (
                self._date(number, "dates_of_birth", lists["dates_of_birth"][index])
                if lists["dates_of_birth"]
                else None
            )
            sex = (lists["sexes"][index] if lists["sexes"] else "").casefold().replace("_", " ")
            sex = SEX_ALIASES.get(sex, sex.replace(" ", "_")) if sex else Sex.NOT_RECORDED.value
            if sex not in Sex.values:
                self.problem(
                    number,
                    "sexes",
                    _("Unknown sex %(value)r; use female, male or not_recorded (or F, M, or leave it empty).")
                    % {"value": lists["sexes"][index]},
                )
            parties.append(PartyRow(name=name, role=role, national_id=national_id, date_of_birth=born, sex=sex))
        return tuple(parties)

    def _path(self, number, text):
        """The path normalised (forward slashes), or None after a problem: syntax only, see ingest.sources."""
        if not text:
            self.problem(number, "file", _("The file is required."))
            return None
        if "\x00" in text:
            self.problem(number, "file", _("The file name %(path)r holds a NUL character.") % {"path": text})
            return None
        if PurePosixPath(text).is_absolute() or PureWindowsPath(text).anchor:
            self.problem(
                number,
                "file",
                _("%(path)s is an absolute path; name the file relative to the batch folder.") % {"path": text},
            )
            return None
        slashed = text.replace("\\", "/")
        if ".." in slashed.split("/"):
            self.problem(number, "file", _("%(path)s climbs out of the batch folder through '..'.") % {"path": text})
            return None
        path = posixpath.normpath(slashed)
        first = self.files.setdefault(path, number)
        if first != number:
            self.problem(
                number, "file", _("%(path)s is already named on row %(first)d.") % {"path": text, "first": first}
            )
            return None
        if self.check_file and (problem := self.check_file(text)):
            self.problem(number, "file", problem)
            return None
        return path

    def _check_case(self, number, row):
        """Typed values are compared (an invalid date is already a problem of its own, and None here)."""
        first, seen = self.cases.setdefault(row.case_key, (number, {}))
        for column in CASE_COLUMNS:
            value = getattr(row, column)
            if not value:
                continue
            earlier = seen.setdefault(column, value)
            if earlier != value:
                self.problem(
                    number,
                    column,
                    _("%(value)s contradicts %(earlier)s given for the same case on row %(first)d.")
                    % {"value": value, "earlier": earlier, "first": first},
                )
