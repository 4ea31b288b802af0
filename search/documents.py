"""What is indexed for each document, read from records (which never knows search exists).

A document is indexed with the pages of its current version (the highest number) and a copy of what
filters, facets, order and the access rule read: court, case type, kind, languages, year and date,
title, and its effective level and marks. `stamp` sums that copy and the pages' revisions up, so
search_check can tell a stale copy without reading any text.
"""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Max, Sum

from records import access
from records.models import Document, Level, Page, Version


@dataclass
class DocumentEntry:
    document_id: object
    version_id: object
    case_id: object
    court_id: int | None
    case_type_id: int | None
    kind: str
    languages: list
    year: int | None
    date: object
    title: str
    level: str
    mark_ids: list
    stamp: str
    pages: list = field(default_factory=list)  # [(number, text)] of the current version, when read

    @property
    def access_fields(self):
        return {"level": self.level, "marked": bool(self.mark_ids), "case_id": self.case_id}


def _date_of(document):
    """The date a judge sorts by: the document's own, else its case's judgment or filing date."""
    case = document.case
    return document.document_date or (case and (case.date_judgment or case.date_filed)) or None


def current_versions(document_ids):
    """{document id: its current version's id}: the highest version number of each."""
    tops = (
        Version.objects.filter(document_id__in=document_ids)
        .values("document_id")
        .annotate(top=Max("number"))
        .values_list("document_id", "top")
    )
    wanted = dict(tops)
    if not wanted:
        return {}
    found = Version.objects.filter(document_id__in=wanted).values_list("document_id", "number", "pk")
    return {document_id: pk for document_id, number, pk in found if wanted[document_id] == number}


def page_signatures(version_ids):
    """{version id: (page count, sum of revisions)}: changes whenever a page is added or corrected."""
    rows = (
        Page.objects.filter(version_id__in=version_ids)
        .values("version_id")
        .annotate(count=Count("pk"), revisions=Sum("revision"))
        .values_list("version_id", "count", "revisions")
    )
    return {version_id: (count, revisions) for version_id, count, revisions in rows}


def _stamp(entry, signature):
    parts = [
        entry.version_id, signature, entry.case_id, entry.court_id, entry.case_type_id, entry.kind,
        entry.languages, entry.year, entry.date, entry.title, entry.level, sorted(entry.mark_ids),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def entries(document_ids, *, with_text=True):
    """DocumentEntry for each existing document of `document_ids` (a bounded batch), with the text of its
    current version's pages when `with_text`. Missing ids are simply absent."""
    documents = list(
        Document.objects.filter(pk__in=list(document_ids))
        .select_related("case")
        .prefetch_related("marks", "case__marks")
    )
    versions = current_versions([document.pk for document in documents])
    signatures = page_signatures(list(versions.values()))
    texts = {}
    if with_text and versions:
        for version_id, number, text in (
            Page.objects.filter(version_id__in=list(versions.values())).order_by("version_id", "number").values_list("version_id", "number", "text")
        ):
            texts.setdefault(version_id, []).append((number, text))
    made = []
    for document in documents:
        case = document.case
        level = access.higher(document.level, case.level if case else Level.PUBLIC)
        mark_ids = {mark.pk for mark in document.marks.all()} | ({mark.pk for mark in case.marks.all()} if case else set())
        date = _date_of(document)
        version_id = versions.get(document.pk)
        entry = DocumentEntry(
            document_id=document.pk,
            version_id=version_id,
            case_id=case.pk if case else None,
            court_id=case.court_id if case else None,
            case_type_id=case.case_type_id if case else None,
            kind=document.kind,
            languages=list(document.languages or []),
            year=date.year if date else None,
            date=date,
            title=document.title,
            level=level,
            mark_ids=sorted(mark_ids),
            stamp="",
            pages=texts.get(version_id, []),
        )
        entry.stamp = _stamp(entry, signatures.get(version_id))
        made.append(entry)
    return made
