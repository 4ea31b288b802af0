"""The search page of the staff interface: query box, facets, snippets with page numbers, pages of results.

It asks search.service like every other caller; nothing here knows which engine answers.
"""

from django.core.exceptions import PermissionDenied
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from search import service
from search.query import FACETS, ORDERS

READ_PERMISSION = "records.view_document"
FILTERS = (*FACETS, "case")
ORDER_LABELS = {"relevance": _("Most relevant first"), "newest": _("Newest first"), "oldest": _("Oldest first")}


def _page_number(raw):
    try:
        return max(1, min(int(raw or 1), service.MAX_WINDOW // service.PAGE_SIZE))
    except (TypeError, ValueError):
        return 1


class SearchView(WagtailAdminTemplateMixin, TemplateView):
    """Full-text search of the rulings and legislation the user may see."""

    template_name = "search/search.html"
    page_title = _("Search rulings and legislation")
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(READ_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        text = params.get("q", "")[:1000]
        chosen = {name: [value[:200] for value in params.getlist(name) if value.strip()][:20] for name in FILTERS}
        order = params.get("order") if params.get("order") in ORDERS else "relevance"
        page = _page_number(params.get("p"))
        outcome = service.search(
            self.request.user, text, filters=chosen, order=order, offset=(page - 1) * service.PAGE_SIZE
        )
        context.update(
            outcome=outcome,
            page=page,
            orders=[(value, label) for value, label in ORDER_LABELS.items()],
            previous_url=self._url(text, chosen, order, page - 1) if outcome.has_previous else None,
            next_url=self._url(text, chosen, order, page + 1) if outcome.has_next else None,
            suggestion_url=self._url(outcome.suggestion, chosen, order, 1) if outcome.suggestion else None,
            facets=[(facet, [(option, self._toggle(text, chosen, order, facet.name, option)) for option in facet.options]) for facet in outcome.facets],
            chosen=[(name, value, self._without(text, chosen, order, name, value)) for name in FILTERS for value in chosen[name]],
        )
        return context

    def _url(self, text, chosen, order, page):
        query = [("q", text)] + [(name, value) for name in FILTERS for value in chosen.get(name, [])]
        if order != "relevance":
            query.append(("order", order))
        if page > 1:
            query.append(("p", page))
        return "?" + urlencode(query)

    def _toggle(self, text, chosen, order, name, option):
        values = list(chosen.get(name, []))
        values = [value for value in values if value.casefold() != option.value.casefold()] if option.selected else [*values, option.value]
        return self._url(text, {**chosen, name: values}, order, 1)

    def _without(self, text, chosen, order, name, value):
        return self._url(text, {**chosen, name: [kept for kept in chosen[name] if kept != value]}, order, 1)
