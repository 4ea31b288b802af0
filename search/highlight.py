"""Where a search's words are on a page: character spans of its text and boxes on its image.

The reader opened from a snippet (search.service.reader_url) carries the words in `highlight`; a small
script (static/search/highlight.js) asks this view for the page, then marks the spans in the page's text
and draws the boxes over the page image. Matching is the snippets' (search.snippets), so the words marked
are the words found: folded, by stem, as prefixes, in phrases. Boxes come from the words of the page's first
text revision (OCR or the PDF text layer), in the unit of the page's size, and are sent as fractions of it.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from records import access
from records.models import Page, PageText, Version
from search import normalise, parser, snippets

MAX_BOXES = 500


def matched_spans(text, positives, languages):
    """[(start, end)] of the written words of `text` that the query's words match."""
    found = normalise.tokens(text or "")
    flat = [(index, term) for index, token in enumerate(found) for term in token.terms]
    matcher = snippets._Matcher(tuple(positives), tuple(normalise.stemmed_languages(languages)))
    marked = sorted({flat[position][0] for position in matcher.words(flat)})
    return [(found[index].start, found[index].end) for index in marked]


def matched_boxes(words, width, height, positives, languages):
    """[[left, top, width, height]] as fractions of the page, of the boxed words that match."""
    if not words or not width or not height:
        return []
    text = " ".join(str(word[0]) for word in words)
    spans = set(matched_spans(text, positives, languages))
    boxes, position = [], 0
    for word in words:
        start, end = position, position + len(str(word[0]))
        position = end + 1
        if any(start <= span_start < end for span_start, _end in spans):
            _text, left, top, box_width, box_height = word[:5]
            boxes.append([left / width, top / height, box_width / width, box_height / height])
    return boxes[:MAX_BOXES]


@require_safe
def page_matches(request, version_id, number):
    """The spans and boxes of `highlight` on one page of a version the user may see (else a plain 404)."""
    version = access.get_visible_or_404(request.user, Version.objects.select_related("document"), pk=version_id)
    if not request.user.has_perm("records.view_document"):
        access.not_found()
    positives = parser.parse(request.GET.get("highlight", "")[:500]).query.positives()
    page = Page.objects.filter(version=version, number=number).first()
    if page is None or not positives:
        return JsonResponse({"spans": [], "boxes": []})
    first = PageText.objects.filter(page=page, revision=1).values_list("words", flat=True).first() or []
    languages = version.document.languages
    return JsonResponse({
        "spans": matched_spans(page.text, positives, languages),
        "boxes": matched_boxes(first, page.width, page.height, positives, languages),
    })
