"""Turns a corpus folder's files, as read from its MANIFEST.csv, into case files, documents and versions.

Rows that come from the same decision (same court and date) make one case file; the original text and
its renderings become successive versions of one document, and simulated paper scans become legacy
scans of the case. Legislation stands alone.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

_NUMBER_PATTERNS = [
    r"pourvoi n°\s*([\d.\-]+)",
    r"\bRG\s*(\d+)",
    r"\bNo\.\s*([A-Z]*-?\d[\w.\-/]*)",
    r"\b(\d{4}/\d+ E\.)",
    r"\((\d+/\d{4})\)",
    r"\bcase\s+([A-Z]{2}\d+/\d{4})",
    r"\bT\.C\. Memo\. (\d{4}-\d+)",
    r"AhkamDetails/(\d+)",
    r"\b(\d+ U\.S\. \d+)",
]
_TITLE_ENDS = [", No.", ": ", " (", ", case ", ", pourvoi", ", jugement", ", T.C.", " — "]
_SCAN = "SIMULATED SCAN"
_FORMAT_ORDER = {"text": 0, "json": 0, "html": 0, "xml": 0, "docx": 1, "scanned-pdf": 2, "born-digital-pdf": 3}


@dataclass
class CorpusFile:
    path: Path
    title: str
    kind: str
    language: str
    court: str
    jurisdiction: str
    date: date
    format: str

    @property
    def is_scan(self):
        return self.title.startswith(_SCAN)


@dataclass
class CaseGroup:
    court: str
    jurisdiction: str
    date: date
    files: list = field(default_factory=list)

    @property
    def main(self):
        """The row that names the case best: an original, not a scan or a rendering, with a number."""
        originals = [f for f in self.files if not f.is_scan and "rendered to PDF" not in f.title]
        numbered = [f for f in originals if case_number(f.title)]
        return (numbered or originals or self.files)[0]

    @property
    def number(self):
        for corpus_file in [self.main, *self.files]:
            if number := case_number(corpus_file.title):
                return number
        digest = hashlib.sha1(self.main.path.name.encode()).hexdigest()[:6].upper()
        return f"DEMO-{digest}"

    @property
    def title(self):
        return case_title(self.main.title)

    def documents(self):
        """(kind, [files as successive versions]) for each document of the case."""
        texts = sorted(
            (f for f in self.files if not f.is_scan), key=lambda f: _FORMAT_ORDER.get(f.format, 1)
        )
        documents = [(texts[0].kind, texts)] if texts else []
        documents += [("legacy_scan", [f]) for f in self.files if f.is_scan]
        return documents


def case_number(title):
    for pattern in _NUMBER_PATTERNS:
        if match := re.search(pattern, title):
            return match.group(1).rstrip(".,")
    return None


def case_title(title):
    end = len(title)
    for marker in _TITLE_ENDS:
        position = title.find(marker)
        if position > 0:
            end = min(end, position)
    return title[:end].strip()[:300]


def plan(corpus_files):
    """Split the corpus files (as records.demo.manifest reads them) into case groups (judgments, filings)
    and legislation files."""
    cases, legislation = {}, []
    for corpus_file in corpus_files:
        if corpus_file.kind == "legislation":
            legislation.append(corpus_file)
            continue
        key = (corpus_file.court, corpus_file.date)
        group = cases.setdefault(key, CaseGroup(corpus_file.court, corpus_file.jurisdiction, corpus_file.date))
        group.files.append(corpus_file)
    return list(cases.values()), legislation
