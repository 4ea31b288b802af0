"""Template filters for identifiers, dates, labels and system texts: the same helpers the columns use."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from records import display, labels
from records.models import Mark

register = template.Library()


@register.filter
def sijill_id(value, empty=display.EMPTY):
    """{{ case_file.number|sijill_id }}: an identifier, number or hash, isolated and unbreakable."""
    return display.isolated(value, empty)


@register.filter
def sijill_day(day):
    """{{ case_file.date_filed|sijill_day }}: 2024-05-14, isolated."""
    return display.isolated(display.calendar_day(day))


@register.filter
def sijill_time(moment):
    """{{ change.changed_at|sijill_time }}: 2024-05-14 09:30:05, isolated."""
    return display.isolated(display.exact_time(moment))


@register.filter
def sijill_label(item):
    """{{ case_file.case_type|sijill_label }}: a case type's or mark's name in the reader's language."""
    return labels.label(item) if item else display.EMPTY


@register.filter
def sijill_marks(codes):
    """{{ change.to_marks|sijill_marks }}: stored mark codes, by their labels in the reader's language."""
    if not codes:
        return display.EMPTY
    known = {mark.code: mark for mark in Mark.objects.filter(code__in=codes)}
    return ", ".join(labels.label(known[code]) if code in known else code for code in codes)


@register.filter
def system_text(text):
    """{{ change.reason|system_text }}: "Registered" and other texts the system wrote, translated."""
    return labels.system_text(text)


@register.simple_tag
def sijill_restriction(item):
    """A banner on a confidential or sealed case or document page: who may see it is limited."""
    from records import access
    from records.models import Document
    from records.staff.columns import restriction_marker

    level = access.effective_level(item) if isinstance(item, Document) else item.level
    marker = restriction_marker(level)
    if not marker:
        return ""
    return format_html(
        '<p class="sijill-restricted-banner" role="note">{} {}</p>',
        marker,
        _("Only people cleared for it and assigned to its case can see this."),
    )
