"""The dashboard's search boxes, drawn by Wagtail's own search form so they look like its other searches."""

from django import template
from wagtail.admin.forms.search import SearchForm

register = template.Library()


@register.simple_tag
def search_form(placeholder):
    """{% search_form placeholder as form %}: an empty search form (one `q` field) with this placeholder."""
    return SearchForm(placeholder=placeholder)
