"""The staff interface speaks French and Arabic: complete catalogues, compiled from their current text."""

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

from records.lifecycle import Status
from records.models import DocumentKind, PartyRole

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ["fr", "ar"]
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def unescape(text):
    return re.sub(r"\\(.)", lambda match: _ESCAPES.get(match.group(1), match.group(0)), text)


def po_entries(language):
    """(context, msgid, msgstr) of every entry of the .po file, continuation lines joined."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        fields = {}  # the escaped text as written; unescape() gives the string
        current = None
        for line in block.splitlines():
            if match := re.match(r'(msgctxt|msgid|msgstr) "(.*)"$', line):
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields and fields["msgid"]:
            entries.append((fields.get("msgctxt"), fields["msgid"], fields.get("msgstr", "")))
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    untranslated = [msgid for _, msgid, msgstr in po_entries(language) if not msgstr]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_current_text(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    for context, msgid, msgstr in po_entries(language):
        key = f"{context}\x04{msgid}" if context else msgid
        key = unescape(key)
        assert catalogue.get(key) == unescape(msgstr), f"{language}: {msgid!r} is not compiled as written; run msgfmt"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    for _, msgid, msgstr in po_entries(language):
        assert sorted(re.findall(r"%\(\w+\)[sdr]", msgid)) == sorted(re.findall(r"%\(\w+\)[sdr]", msgstr)), msgid


def test_domain_words_are_translated_in_each_language():
    for language in LANGUAGES:
        with translation.override(language):
            labels = [str(Status.HEARING.label), str(DocumentKind.JUDGMENT.label), str(PartyRole.RESPONDENT.label)]
        assert labels != ["Hearing", "Judgment / ruling", "Respondent / defendant"], language
    with translation.override("ar"):
        assert re.search("[\u0600-\u06ff]", str(Status.ARCHIVED.label))
