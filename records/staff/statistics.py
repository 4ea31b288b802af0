"""The case statistics report for registrars and judges: a table by court, case type and year, and its CSV.

The figures and their suppression are records.statistics'; this screen only lays them out. Totals are
roll-ups of the same cells, so a total that includes a suppressed cell is withheld rather than letting
the suppressed count be worked out by subtraction. The export is itself an audit event.
"""

import csv

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from audit import actions, trail
from records import statistics
from records.models import Institution

PERMISSION = "records.view_casefile"


class StatisticsFilterForm(forms.Form):
    court = forms.ModelChoiceField(label=_("Court or office"), queryset=Institution.objects.all(), required=False)
    year = forms.IntegerField(label=_("Year filed"), min_value=1, max_value=9999, required=False)

    def filters(self):
        return {name: value for name, value in self.cleaned_data.items() if value is not None}


def table(cells):
    """The cells as rows (court, case type) by columns (years), with row, column and grand totals."""
    years = sorted({cell.year for cell in cells})
    by_key = {(cell.court_id, cell.case_type_id, cell.year): cell for cell in cells}
    row_totals = statistics.roll_up(cells, ("court", "case_type"))
    column_totals = {cell.year: cell for cell in statistics.roll_up(cells, ("year",))}
    grand = statistics.roll_up(cells, ())
    # A group with no case files is an exact zero: nothing hidden is in it.
    rows = [
        {
            "court": total.court,
            "case_type": total.case_type,
            "cells": [
                statistics.shown(cell) if (cell := by_key.get((total.court_id, total.case_type_id, year))) else "0"
                for year in years
            ],
            "total": statistics.shown(total),
        }
        for total in row_totals
    ]
    return {
        "years": years,
        "rows": rows,
        "column_totals": [statistics.shown(column_totals[year]) for year in years],
        "grand_total": statistics.shown(grand[0]) if grand else "0",
    }


def _audited_filters(filters):
    """The filters as the audit trail keeps them: the court by its code."""
    return {name: value.code if isinstance(value, Institution) else value for name, value in filters.items()}


def export_csv(request, cells, filters):
    trail.record(
        actions.EXPORT,
        actor=request.user,
        after={"what": "case statistics", "format": "csv", "filters": _audited_filters(filters)},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="case-statistics-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow([_("Court or office"), _("Case type"), _("Year filed"), _("Case files")])
    for cell in cells:
        writer.writerow([cell.court, cell.case_type, cell.year, statistics.shown(cell)])
    return response


class CaseStatisticsView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Case statistics")
    header_icon = "table"
    template_name = "records/statistics.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def form(self):
        return StatisticsFilterForm(self.request.GET)

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            if not self.form.is_valid():
                return HttpResponseBadRequest(_("The filters are not valid; correct them on the statistics page."))
            filters = self.form.filters()
            return export_csv(request, statistics.case_counts(request.user, filters=filters), filters)
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_header_buttons(self):
        query = {name: value for name, value in self.request.GET.items() if name in self.form.fields and value}
        url = reverse("records_statistics") + "?" + urlencode({**query, "format": "csv"})
        return [HeaderButton(_("Export CSV"), url=url, icon_name="download")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        context["threshold"] = statistics.threshold()
        if self.form.is_valid():
            context["table"] = table(statistics.case_counts(self.request.user, filters=self.form.filters()))
        return context


class CaseStatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


def menu_item():
    return CaseStatisticsMenuItem(
        _("Case statistics"), reverse("records_statistics"), name="case-statistics", icon_name="table", order=1300
    )
