"""The staff interface speaks French and Arabic: complete catalogues, compiled from their current text."""

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

from ingest.models import Batch, ItemState
from records.lifecycle import Status
from records.models import DocumentKind, PartyRole

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ["fr", "ar"]
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def unescape(text):
    return re.sub(r"\\(.)", lambda match: _ESCAPES.get(match.group(1), match.group(0)), text)


def po_text(language):
    return (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")


def po_entries(language):
    """(context, msgid, msgid_plural, [msgstr, ...]) of every entry, continuation lines joined; a singular
    entry has no msgid_plural and one msgstr, a plural one its msgstr[0], msgstr[1], ... in order."""
    entries = []
    for block in po_text(language).split("\n\n"):
        fields = {}  # the escaped text as written; unescape() gives the string
        current = None
        for line in block.splitlines():
            if match := re.match(r'(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line):
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields and fields["msgid"]:
            forms = sorted((key for key in fields if key.startswith("msgstr")), key=lambda key: int(key[7:-1] or 0))
            entries.append(
                (fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"), [fields[key] for key in forms])
            )
    return entries


def plural_count(language):
    return int(re.search(r"nplurals=(\d+);", po_text(language)).group(1))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    untranslated = [msgid for _, msgid, _, msgstrs in po_entries(language) if not msgstrs or not all(msgstrs)]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_plural_message_has_every_form_the_header_names(language):
    assert plural_count(language) == {"fr": 2, "ar": 6}[language]
    plurals = [(msgid, len(msgstrs)) for _, msgid, plural, msgstrs in po_entries(language) if plural is not None]
    assert [msgid for msgid, forms in plurals if forms != plural_count(language)] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_current_text(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    for context, msgid, plural, msgstrs in po_entries(language):
        key = unescape(f"{context}\x04{msgid}" if context else msgid)
        keys = [(key, form) for form in range(len(msgstrs))] if plural is not None else [key]
        for each, msgstr in zip(keys, msgstrs, strict=True):
            assert catalogue.get(each) == unescape(msgstr), f"{language}: {msgid!r} is not compiled as written; run msgfmt"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    for _, msgid, plural, msgstrs in po_entries(language):
        for msgstr in msgstrs:  # every plural form keeps the number, so no form reads as if it had none
            expected = re.findall(r"%\(\w+\)[sdr]", plural or msgid)
            assert sorted(expected) == sorted(re.findall(r"%\(\w+\)[sdr]", msgstr)), msgid


def test_domain_words_are_translated_in_each_language():
    for language in LANGUAGES:
        with translation.override(language):
            labels = [str(Status.HEARING.label), str(DocumentKind.JUDGMENT.label), str(PartyRole.RESPONDENT.label)]
        assert labels != ["Hearing", "Judgment / ruling", "Respondent / defendant"], language
    with translation.override("ar"):
        assert re.search("[\u0600-\u06ff]", str(Status.ARCHIVED.label))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_batch_word_is_not_translated_as_its_homonym(language):
    # A file being filed is not a "Filing" (the document kind), nor is an upload batch the button's verb.
    with translation.override(language):
        assert str(ItemState.FILING.label) != str(DocumentKind.FILING.label)
        assert str(Batch.Source.UPLOAD.label) != translation.gettext("Upload")
