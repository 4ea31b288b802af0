"""Columns for the staff lists: identifiers and dates isolated left to right, labels in the reader's language.

Every list goes through these for case numbers, national IDs, hashes, request identifiers and dates, so
that an Arabic list reads "2025/10062 E." whole and in order (see records.display).
"""

from django.utils.html import format_html
from wagtail.admin.ui.tables import Column, TitleColumn

from records import access, display, labels
from records.models import Document, Level


class IdentifierColumn(Column):
    """An identifier, number or hash, in one isolating, unbreakable, left-to-right element."""

    def get_value(self, instance):
        return display.isolated(super().get_value(instance))


class IdentifierTitleColumn(TitleColumn):
    """The linked first column of a list whose title is an identifier (the case number)."""

    def get_value(self, instance):
        return display.isolated(super().get_value(instance), empty="")


class LabelColumn(Column):
    """A case type or mark, by its label in the reader's language."""

    def get_value(self, instance):
        item = super().get_value(instance)
        return labels.label(item) if item else display.EMPTY


def calendar_date(name, label, **kwargs):
    """A date as the registry writes it (2024-05-14); 'three years ago' is no way to cite a filing."""

    def value(instance):
        return display.isolated(display.calendar_day(getattr(instance, name)))

    return Column(name, label=label, accessor=value, sort_key=kwargs.pop("sort_key", name), **kwargs)


def exact_time(name, label, **kwargs):
    """A moment to the second, date first (2024-05-14 09:30:05), as an audit trail is read."""

    def value(instance):
        return display.isolated(display.exact_time(getattr(instance, name)))

    return Column(name, label=label, accessor=value, sort_key=kwargs.pop("sort_key", name), **kwargs)


def restriction_marker(level):
    """The visible marker of a confidential or sealed item, wherever it is listed or opened."""
    if level not in (Level.CONFIDENTIAL, Level.SEALED):
        return ""
    return format_html('<span class="sijill-restricted sijill-{}">{}</span>', level, Level(level).label)


class RestrictionColumn(Column):
    """Sealed or confidential, as a marker; nothing for open items."""

    def get_value(self, instance):
        level = access.effective_level(instance) if isinstance(instance, Document) else instance.level
        return restriction_marker(level)
