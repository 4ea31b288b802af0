"""How identifiers and dates are written on every staff screen, whatever the reading direction.

A case number such as "2025/10062 E.", a national ID, a hash or a request identifier is a token read left
to right: on an Arabic page, left to the page's direction, its trailing period jumps to the front and a line
may break it in two. Each is shown in one isolating, unbreakable, left-to-right element (styled in
records/static/records/admin.css), and dates are written as the registry writes them, date first.
"""

from django.utils import timezone
from django.utils.html import format_html

EMPTY = "—"
# Left-to-right isolate ... pop directional isolate: the same, for plain text (titles, messages).
LRI, PDI = "\u2066", "\u2069"


def isolated(value, empty=EMPTY):
    """`value` in a <bdi dir="ltr" class="sijill-id">, or `empty` when there is nothing to show."""
    if value is None or str(value).strip() == "":
        return empty
    return format_html('<bdi dir="ltr" class="sijill-id">{}</bdi>', value)


def isolated_text(value):
    """`value` between LRI and PDI, for places that take no markup (a page title, a message)."""
    return f"{LRI}{value}{PDI}"


def calendar_day(day):
    """2024-05-14: 'three years ago' is no way to cite a filing."""
    return day.strftime("%Y-%m-%d") if day else ""


def exact_time(moment):
    """2024-05-14 09:30:05 in the server's time zone: date first, to the second, as the trail is read."""
    if not moment:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M:%S")
