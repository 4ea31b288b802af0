"""GET /api/v1/search/: full-text search of rulings and legislation, through search.service like the staff page.

The answer is `{"count", "results": [{"document", "case", "title", "court", "date", "kind", "language",
"score", "snippets": [{"page", "html"}]}], "facets": {...}, "next"}`, plus what the staff page says about
a query it could not read (`notice`, `suggestion`). Everything is counted after the access rule.
"""

from django.urls import path
from django.utils.http import urlencode
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from records.models import Document
from search import service
from search.query import FACETS, ORDERS

FILTERS = (*FACETS, "case")
MAX_LIMIT = 100


class SnippetSerializer(serializers.Serializer):
    page = serializers.IntegerField(help_text="The page the fragment comes from (1 is the first).")
    html = serializers.CharField(help_text="The fragment, HTML-escaped, with the matched words in <mark>.")


class ResultSerializer(serializers.Serializer):
    document = serializers.UUIDField()
    case = serializers.UUIDField(allow_null=True, help_text="Empty for legislation outside any case.")
    title = serializers.CharField()
    court = serializers.CharField(allow_null=True, help_text="The court's name.")
    date = serializers.DateField(allow_null=True)
    kind = serializers.CharField(help_text="Document kind code, e.g. judgment, legislation.")
    language = serializers.CharField(allow_blank=True, help_text="The document's first language (ISO 639-3).")
    score = serializers.FloatField(
        allow_null=True,
        help_text="Relevance relative to the best hit of this answer (1.0), higher is better; empty when sorted by date.",
    )
    snippets = SnippetSerializer(many=True)


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="What to pass back as the filter of the same name.")
    label = serializers.CharField()
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    court = FacetOptionSerializer(many=True)
    year = FacetOptionSerializer(many=True)
    kind = FacetOptionSerializer(many=True)
    case_type = FacetOptionSerializer(many=True)
    language = FacetOptionSerializer(many=True)


class SearchAnswerSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Documents found that the user may see.")
    results = ResultSerializer(many=True)
    facets = FacetsSerializer()
    next = serializers.URLField(allow_null=True)
    notice = serializers.CharField(allow_blank=True, help_text="Why the query was searched as plain words, if it was.")
    suggestion = serializers.CharField(allow_blank=True, help_text="The query mended, if it could not be read as written.")


PARAMETERS = [
    OpenApiParameter("q", str, description='Words, "phrases", AND / OR / NOT, + / -, parentheses, prefix*, and '
                     "court:, year:, type:, kind:, lang:, case: filters."),
    OpenApiParameter("court", str, many=True, description="Court code (repeat for either)."),
    OpenApiParameter("year", str, many=True, description="A year, or a range such as 2018..2022."),
    OpenApiParameter("kind", str, many=True, description="Document kind code, e.g. judgment."),
    OpenApiParameter("case_type", str, many=True, description="Case type code."),
    OpenApiParameter("language", str, many=True, description="ISO 639-3 language code, e.g. ara."),
    OpenApiParameter("case", str, many=True, description="Search within this case: its id or number."),
    OpenApiParameter("order", str, enum=list(ORDERS), description="relevance (default), newest or oldest."),
    OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}),
    OpenApiParameter("offset", {"type": "integer", "minimum": 0, "maximum": service.MAX_WINDOW - 1}),
]


def _bounded(raw, name, default, low, high):
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ValidationError({name: f"A whole number from {low} to {high}."})
    return value


class SearchView(APIView):
    """Search the rulings and legislation the user may see."""

    permission_model = Document

    @extend_schema(parameters=PARAMETERS, responses=SearchAnswerSerializer, operation_id="search")
    def get(self, request):
        params = request.query_params
        order = params.get("order") or "relevance"
        if order not in ORDERS:
            raise ValidationError({"order": f"One of {', '.join(ORDERS)}."})
        limit = _bounded(params.get("limit"), "limit", service.PAGE_SIZE, 1, MAX_LIMIT)
        offset = _bounded(params.get("offset"), "offset", 0, 0, service.MAX_WINDOW - limit)
        filters = {name: [value[:200] for value in params.getlist(name) if value.strip()][:20] for name in FILTERS}
        text = params.get("q", "")[:1000]
        outcome = service.search(request.user, text, filters=filters, order=order, offset=offset, limit=limit)
        next_url = None
        if outcome.has_next:
            query = [(key, value) for key, values in params.lists() if key != "offset" for value in values]
            next_url = request.build_absolute_uri(request.path + "?" + urlencode([*query, ("offset", offset + limit)]))
        best = max((hit.score for hit in outcome.hits if hit.score is not None), default=None)
        answer = {
            "count": outcome.count,
            "results": [_result(hit, best) for hit in outcome.hits],
            "facets": {name: [] for name in FACETS}
            | {facet.name: [{"value": o.value, "label": o.label, "count": o.count} for o in facet.options] for facet in outcome.facets},
            "next": next_url,
            "notice": outcome.notice,
            "suggestion": outcome.suggestion,
        }
        return Response(SearchAnswerSerializer(answer).data)


def _relative(score, best):
    """A hit's score over the answer's best. The engines' raw scores weigh a word by how many documents
    in the whole index hold it, sealed ones included; over the best hit's, that weight cancels for a
    one-word query, so a score cannot be read for how often a hidden document holds a word."""
    if score is None or not best:
        return None
    return round(score / best, 6)


def _result(hit, best=None):
    document, case = hit.document, hit.document.case
    return {
        "document": document.pk,
        "case": case.pk if case else None,
        "title": document.title,
        "court": case.court.name if case else None,
        "date": document.document_date,
        "kind": document.kind,
        "language": (document.languages or [""])[0],
        "score": _relative(hit.score, best),
        "snippets": [{"page": snippet.page, "html": str(snippet.html)} for snippet in hit.snippets],
    }


urlpatterns = [path("search/", SearchView.as_view(), name="search")]
