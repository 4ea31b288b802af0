"""What a stored code or system text reads as in the reader's language.

Case types and marks are data a court defines: each has a `name` (the language the court set up in, and
the seeded names, which the project's catalogue translates) and optional `name_fr` and `name_ar` that an
administrator fills in. Texts the system writes itself (a status change's "Registered", a version's
"Reverted to version 2") are stored in English, the same whoever wrote them, and translated when shown.
"""

import re

from django.utils.translation import get_language, gettext, gettext_noop

# The seeded names, for the catalogue (migrations and the demo data create them in English).
SEEDED_NAMES = (
    gettext_noop("Juvenile"),
    gettext_noop("Gender-based violence"),
    gettext_noop("Family"),
    gettext_noop("Civil"),
    gettext_noop("Criminal"),
    gettext_noop("Commercial"),
    gettext_noop("Administrative"),
    gettext_noop("Labour"),
)
LABEL_LANGUAGES = ("fr", "ar")

# Stored system texts: the exact English the services write, and patterns for those with a number.
REGISTERED = gettext_noop("Registered")
REGISTERED_FROM_DEMO = gettext_noop("Registered from the demo corpus")
FIRST_VERSION = gettext_noop("First version")
REGISTERED_FROM_BATCH = gettext_noop("Registered from an ingest batch")
CLOSED_BEFORE_DIGITISATION = gettext_noop("Closed before digitisation (closing date from the batch manifest)")
FILED_FROM_BATCH = gettext_noop("Filed from an ingest batch")
REVERTED = gettext_noop("Reverted to version %(number)s")
# What the demo data writes, so that a newcomer's first look at an Arabic case page reads Arabic.
DEMO_TEXTS = (
    gettext_noop("First hearing scheduled"),
    gettext_noop("Judgment delivered"),
    gettext_noop("Time for appeal expired"),
)
_FIXED_TEXTS = {
    REGISTERED,
    REGISTERED_FROM_DEMO,
    FIRST_VERSION,
    REGISTERED_FROM_BATCH,
    CLOSED_BEFORE_DIGITISATION,
    FILED_FROM_BATCH,
    *DEMO_TEXTS,
}
_NUMBERED_TEXTS = [(re.compile(r"Reverted to version (?P<number>\d+)"), REVERTED)]


def label(item):
    """A case type's or mark's name in the active language: its own label for it, else its name as the
    catalogue translates it (the seeded ones), else its name as entered."""
    language = (get_language() or "").split("-")[0]
    if language in LABEL_LANGUAGES:
        own = getattr(item, f"name_{language}", "")
        if own:
            return own
    return gettext(item.name) if item.name else item.code


def system_text(text):
    """A stored text in the reader's language if the system wrote it; a person's own words as they are."""
    if not text:
        return text
    if text in _FIXED_TEXTS:
        return gettext(text)
    for pattern, message in _NUMBERED_TEXTS:
        if found := pattern.fullmatch(text):
            return gettext(message) % found.groupdict()
    return text


def reverted_note(number):
    """What a revert's change note says when its author gave none: stored in English, shown translated."""
    return REVERTED % {"number": number}
