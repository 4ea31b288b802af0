"""Folding as search applies it to documents and queries, checked on words from the real corpus."""

import json
import re

import pytest

from search import normalise


@pytest.fixture
def saudi_judgment(corpus_dir):
    """A Saudi commercial-court judgment as published: vocalised words, Eastern Arabic digits."""
    return (corpus_dir / "sa-jeddah-commercial-court-2022-08-03-ahkam-43292.txt").read_text(encoding="utf-8")


@pytest.fixture
def juveniles_law(corpus_dir):
    """The Saudi Juveniles Law, whose text mixes vocalised and bare spellings."""
    data = json.loads((corpus_dir / "sa-juveniles-law-1439h.json").read_text(encoding="utf-8"))
    return json.dumps(data, ensure_ascii=False)


@pytest.fixture
def turkish_decision(corpus_dir):
    return (corpus_dir / "tr-yargitay-9hd-2026-01-12-2025-10062-e-2026-20-k.txt").read_text(encoding="utf-8")


def test_vocalised_words_of_a_real_judgment_fold_to_their_bare_spelling(saudi_judgment):
    for written, bare in [("الإقرارُ", "الاقرار"), ("ألفًا", "الفا"), ("المُصادق", "المصادق"), ("وأنّ", "وان")]:
        assert written in saudi_judgment
        assert normalise.terms(written) == normalise.terms(bare)


def test_every_vocalised_word_in_the_juveniles_law_folds_without_its_marks(juveniles_law):
    vocalised = set(re.findall(r"\w*[\u064b-\u0652]\w*", juveniles_law))
    assert len(vocalised) > 50
    for word in vocalised:
        assert not re.search("[\u064b-\u0652]", " ".join(normalise.terms(word))), word


def test_alef_forms_ta_marbuta_and_alef_maqsura_fold_as_the_issue_lists():
    assert normalise.terms("أ إ آ ٱ") == ["ا"] * 4
    assert normalise.terms("محكمة") == normalise.terms("محكمه")
    assert normalise.terms("الدعوى") == normalise.terms("الدعوي")


def test_the_court_with_and_without_the_article_and_its_prefixes_is_one_word():
    forms = ["المحكمة", "محكمة", "المحكمه", "والمحكمة", "بالمحكمة", "للمحكمة", "المحـــكمة", "الْمَحْكَمَةُ"]
    assert {tuple(normalise.terms(form)) for form in forms} == {("محكمه",)}


def test_short_words_keep_their_first_letters():
    # إلى, الله and ألا are not "the" + a word: stripping would leave one or two letters.
    assert normalise.terms("إلى الله ألا") == ["الي", "الله", "الا"]


def test_eastern_arabic_digits_of_a_hijri_date_become_ascii(saudi_judgment):
    hijri = re.search(r"[٠-٩]+/[٠-٩]+/[٠-٩]+", saudi_judgment).group()
    western = hijri.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    assert normalise.terms(hijri) == normalise.terms(western) == western.split("/")
    assert normalise.terms("۱۲۳") == ["123"]  # the Persian and Urdu digit forms


def test_persian_and_urdu_letter_forms_fold_to_the_arabic_ones():
    assert normalise.terms("کتاب") == normalise.terms("كتاب")
    assert normalise.terms("قاضی") == normalise.terms("قاضي")


def test_bidi_controls_and_zero_width_characters_do_not_split_or_change_words():
    assert normalise.terms("\u202bالمحكمة\u202c التجارية\u200f") == normalise.terms("المحكمة التجارية")
    assert normalise.terms("con\u00adtract") == ["contract"]


def test_french_matches_without_accents_and_case(corpus_dir):
    text = (corpus_dir / "fr-ccass-com-2020-11-18-19-19463.json").read_text(encoding="utf-8")
    assert "Réponse de la Cour" in text and "compétence" in text
    assert normalise.terms("Réponse de la Cour") == normalise.terms("REPONSE DE LA COUR") == ["reponse", "de", "la", "cour"]
    assert normalise.terms("compétence") == normalise.terms("Competence")
    assert normalise.terms("œuvre") == normalise.terms("oeuvre")


def test_french_elision_leaves_the_word_itself_searchable():
    assert normalise.terms("l’article d'appel") == ["l", "article", "d", "appel"]


def test_turkish_dotted_and_dotless_i_fold_alike(turkish_decision):
    assert "MAHKEMESİ" in turkish_decision and "Mahkemesi" in turkish_decision
    assert normalise.terms("MAHKEMESİ") == normalise.terms("Mahkemesi") == ["mahkemesi"]
    assert normalise.terms("çalıştığını") == normalise.terms("ÇALIŞTIĞINI") == normalise.terms("calistigini")
    assert normalise.terms("Hâkimi") == normalise.terms("hakimi")


def test_numbers_split_where_their_separators_are():
    assert normalise.terms("1.750,00 TL") == ["1", "750", "00", "tl"]


def test_tokens_keep_the_place_of_each_word_in_the_original_text(saudi_judgment):
    line = next(line for line in saudi_judgment.splitlines() if "الإقرارُ" in line)
    found = normalise.tokens(line)
    word = next(token for token in found if line[token.start:token.end] == "الإقرارُ")
    assert word.terms == tuple(normalise.terms("اقرار"))
    assert all(line[token.start:token.end].strip() for token in found)


def test_stems_are_kept_per_language_and_apart_from_words():
    english = normalise.stems(normalise.terms("agreements"), ["eng"])
    assert english == normalise.stems(normalise.terms("agreement"), ["eng"]) == ["~eng~agreement"]
    assert normalise.stems(["court"], ["swa"]) == []  # no stemmer: words only
    assert normalise.terms(english[0]) != english  # a stem is never a word a query can type
