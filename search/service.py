"""The one way into search, for the staff page, the API and anything else: `search(user, text, ...)`.

It reads the query forgivingly (search.parser), resolves filters to what the index keeps (a case number
to the cases the user may see), asks the backend in use with the user's reach, so the access rule runs
inside the engine's query before anything is counted, re-reads the shown documents through the access
layer, builds snippets with their page numbers, and records the search in the audit trail. No caller
asks which engine runs.
"""

import uuid
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from records import access, auditing, labels
from records.languages import Language
from records.models import CaseFile, CaseType, Document, DocumentKind, Institution, Page, Version
from search import parser, snippets
from search.backends import get_backend
from search.backends.base import MAX_AUDITED_CASES, MAX_LIMIT, MAX_WINDOW

__all__ = ["MAX_WINDOW", "PAGE_SIZE", "search"]
from search.query import FACETS, ORDERS, Filters, SearchRequest

PAGE_SIZE = 20
LANGUAGE_ALIASES = {"ar": "ara", "en": "eng", "fr": "fra", "sw": "swa", "tr": "tur", "sq": "sqi", "sr": "srp",
                    "ur": "urd", "rw": "kin", "he": "heb"}
FACET_LABELS = {
    "court": gettext_lazy("Court"),
    "year": pgettext_lazy("search facet", "Year"),
    "kind": pgettext_lazy("search facet", "Kind of document"),
    "case_type": gettext_lazy("Case type"),
    "language": pgettext_lazy("search facet", "Language"),
}


@dataclass
class Snippet:
    page: int
    html: str
    url: str


@dataclass
class DocumentHit:
    document: Document
    score: float | None
    snippets: list

    @property
    def case(self):
        return self.document.case


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    options: list


@dataclass
class Outcome:
    """What a search answers: the documents of one page, their total, the facets, and what to tell the
    user about the query (a notice and a mended suggestion when it could not be read as written)."""

    text: str = ""
    count: int = 0
    hits: list = field(default_factory=list)
    facets: list = field(default_factory=list)
    notice: str = ""
    suggestion: str = ""
    offset: int = 0
    limit: int = PAGE_SIZE
    order: str = "relevance"
    filters: dict = field(default_factory=dict)
    searched: bool = False

    @property
    def has_next(self):
        return self.offset + self.limit < min(self.count, MAX_WINDOW)

    @property
    def has_previous(self):
        return self.offset > 0


class _Unknown(Exception):
    """A filter names something that does not exist, or that the user may not see: an empty answer."""


def search(user, text="", *, filters=None, order="relevance", offset=0, limit=PAGE_SIZE, facets=FACETS, backend=None):
    """Search for `user`: `text` as typed in the search box; `filters` {field: [values]} as facets and
    API parameters give them (court and case type codes, kinds, language codes, years or ranges, case
    numbers or ids), added to those typed in the text."""
    parsed = parser.parse(text)
    chosen = {name: list(values) for name, values in (filters or {}).items() if values}
    for name, values in parsed.filters.items():
        chosen.setdefault(name, []).extend(values)
    outcome = Outcome(
        text=text or "", notice=parsed.notice, suggestion=parsed.suggestion, offset=max(0, offset),
        limit=max(1, min(limit, MAX_LIMIT)), order=order if order in ORDERS else "relevance", filters=chosen,
    )
    if parsed.is_empty and not chosen:
        return outcome
    outcome.searched = True
    resolved, notices = resolve_filters(user, chosen)
    if notices:
        outcome.notice = " ".join(filter(None, [outcome.notice, *notices]))
    if not parsed.query.positives() and outcome.order == "relevance":
        outcome.order = "newest"  # nothing to rank by
    request = SearchRequest(
        query=parsed.query, filters=resolved, facets=tuple(facets), order=outcome.order,
        offset=min(outcome.offset, MAX_WINDOW - outcome.limit), limit=outcome.limit,
    )
    results = (backend or get_backend()).search(request, access.reach_of(user))
    outcome.count = results.count
    outcome.hits = _hits(user, results.hits, parsed.query.positives())
    outcome.facets = _facets(results.facets, chosen)
    auditing.searched(
        user, text or "", hits=_audited_cases(user, text, results.case_ids, resolved.cases),
        **{name: ", ".join(values) for name, values in chosen.items()},
    )
    return outcome


def _audited_cases(user, text, found, named):
    """The cases a search's words are about: those of the documents found, those its filters named, and
    those the typed text names by number, party ID or party name (as the case list's search finds them).
    The audit event is then read only by those who may see them all; a number typed into the search box
    would otherwise be readable by anyone cleared as high as the searcher. Lazy: evaluated only when the
    search is recorded."""
    about = CaseFile.objects.filter(pk__in=[*found[:MAX_AUDITED_CASES], *named]).order_by().values("pk")
    if text and text.strip():
        visible = access.visible_cases(user)
        # A case number has digits: words without any name no number, and the partial match over every
        # number (a scan of the case files) is spared them. Party names are looked up either way.
        typed = visible.matching(text[:200]) if any(char.isdigit() for char in text) else visible.with_party_name(text[:200])
        # A union, not an OR of the two: PostgreSQL cannot look up cases by id through an OR with a
        # subquery, and reads every case file instead (13 ms at 100,000 cases).
        about = about.union(typed.order_by().values("pk"))
    return CaseFile.objects.filter(pk__in=about)


# Filters ---------------------------------------------------------------------------------------------


def resolve_filters(user, chosen):
    """Filters by the ids the index keeps, and notices for values that name nothing. A case is looked up
    among the cases the user may see only, so a hidden case's number or id answers as an unknown one."""
    values, notices = {}, []
    try:
        values["courts"] = _ids(chosen.get("court"), Institution)
        values["case_types"] = _ids(chosen.get("case_type"), CaseType)
        values["kinds"] = tuple(_kind(value) for value in chosen.get("kind", ()))
        values["languages"] = tuple(_language(value) for value in chosen.get("language", ()))
        values["cases"] = _cases(user, chosen.get("case", ()))
        years = [parser.year_range(value) for value in chosen.get("year", ()) if parser._YEARS.match(value)]
        if years:
            values["year_from"], values["year_to"] = min(low for low, _ in years), max(high for _, high in years)
    except _Unknown as unknown:
        notices.append(str(unknown))
        return Filters(none=True), notices
    return Filters(**values), notices


def _ids(codes, model):
    """Ids of the institutions or case types with these codes, however capitalised."""
    if not codes:
        return ()
    either = Q()
    for code in codes:
        either |= Q(code__iexact=code.strip())
    found = list(model.objects.filter(either).values_list("pk", flat=True))
    if not found:
        raise _Unknown(_("Nothing is known by %(values)s.") % {"values": ", ".join(codes)})
    return tuple(dict.fromkeys(found))


def _kind(value):
    typed = value.strip().casefold()
    for kind in DocumentKind:
        if typed in (kind.value, str(kind.label).casefold()):
            return kind.value
    raise _Unknown(_("%(value)s is not a kind of document.") % {"value": value})


def _language(value):
    typed = value.strip().casefold()
    code = LANGUAGE_ALIASES.get(typed, typed)
    for language in Language:
        if code == language.value or typed == str(language.label).casefold():
            return language.value
    raise _Unknown(_("%(value)s is not a language code such as ara, fra or eng.") % {"value": value})


def _cases(user, values):
    """The ids of the cases named (by number or id) that the user may see; none at all is _Unknown,
    worded alike for a case that is hidden and one that does not exist."""
    if not values:
        return ()
    found = []
    visible = access.visible_cases(user)
    for value in values:
        try:
            found += list(visible.filter(pk=uuid.UUID(value.strip())).values_list("pk", flat=True))
        except ValueError:
            found += list(visible.with_number(value).values_list("pk", flat=True))
    if not found:
        raise _Unknown(_("No case file matches %(values)s.") % {"values": ", ".join(values)})
    return tuple(dict.fromkeys(found))


# Hits and facets -------------------------------------------------------------------------------------


def _hits(user, hits, positives):
    """The shown documents, read again through the access layer (a hit the index still held for a
    document the user may no longer see is dropped), with snippets from their pages' text."""
    ids = [hit.document_id for hit in hits]
    visible = {
        document.pk: document
        for document in access.restrict(user, Document.objects.filter(pk__in=ids)).select_related("case__court", "case__case_type")
    }
    versions = _current_versions(list(visible))
    wanted = Q(pk__in=[])
    for hit in hits:
        if versions.get(hit.document_id):
            wanted |= Q(version_id=versions[hit.document_id], number__in=hit.pages or [1])
    texts = {(version_id, number): text for version_id, number, text in Page.objects.filter(wanted).values_list("version_id", "number", "text")}
    shown = []
    for hit in hits:
        document = visible.get(hit.document_id)
        if document is None:
            continue
        version_id = versions.get(document.pk)
        found = []
        for number in hit.pages or [1]:
            text = texts.get((version_id, number))
            if text is None:
                continue
            for html in snippets.fragments(text, positives, document.languages, count=1):
                found.append(Snippet(page=number, html=html, url=reader_url(document, number, positives)))
        shown.append(DocumentHit(document=document, score=hit.score, snippets=found))
    return shown


def _current_versions(document_ids):
    versions = {}
    for document_id, pk in Version.objects.filter(document_id__in=document_ids).order_by("document_id", "number").values_list("document_id", "pk"):
        versions[document_id] = pk  # the last, highest number wins
    return versions


def reader_url(document, number, positives=()):
    """The document reader on that page, with the words to highlight."""
    words = " ".join(sorted({term for query in positives for term in getattr(query, "terms", None) or [query.term]}))
    query = {"page": number, **({"highlight": words} if words else {})}
    try:
        base = reverse("records_document_reader", args=[document.pk])
    except NoReverseMatch:  # a site without the reader's screen: the document's own page
        base = reverse("records_document:inspect", args=[document.pk])
    return base + "?" + urlencode(query)


def _facets(counts, chosen):
    """Facets with labels, most documents first (years newest first), values as filters take them."""
    found = []
    for name, by_value in counts.items():
        options = _facet_options(name, by_value)
        selected = {value.casefold() for value in chosen.get(name, ())}
        for option in options:
            option.selected = option.value.casefold() in selected
        if name == "year":
            options.sort(key=lambda option: option.value, reverse=True)
        else:
            options.sort(key=lambda option: (-option.count, option.label))
        found.append(Facet(name=name, label=str(FACET_LABELS[name]), options=options))
    return found


def _facet_options(name, by_value):
    if name == "court":
        names = {pk: (code, label) for pk, code, label in Institution.objects.filter(pk__in=by_value).values_list("pk", "code", "name")}
        return [FacetOption(*names[pk], count) for pk, count in by_value.items() if pk in names]
    if name == "case_type":
        types = {case_type.pk: case_type for case_type in CaseType.objects.filter(pk__in=by_value)}
        return [FacetOption(types[pk].code, labels.label(types[pk]), count) for pk, count in by_value.items() if pk in types]
    if name == "kind":
        return [FacetOption(value, str(DocumentKind(value).label), count) for value, count in by_value.items() if value in DocumentKind.values]
    if name == "language":
        known = dict(Language.choices)
        return [FacetOption(code, str(known.get(code, code)), count) for code, count in by_value.items()]
    return [FacetOption(str(year), str(year), count) for year, count in by_value.items()]
