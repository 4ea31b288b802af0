"""The search box's language: what each piece of syntax becomes, and how a mistake is forgiven."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.parser import parse, year_range
from search.query import MATCH_ALL, And, MatchAll, Not, Or, Phrase, Prefix, Word


def test_words_are_all_required():
    assert parse("expedited hearing").query == And((Word("expedited"), Word("hearing")))


def test_a_quoted_phrase_is_one_exact_phrase_of_folded_words():
    assert parse('"Réponse de la Cour"').query == Phrase(("reponse", "de", "la", "cour"))


def test_a_quoted_single_word_is_matched_exactly_not_by_its_stem():
    assert parse('"agreements"').query == Phrase(("agreements",))


def test_boolean_operators_and_parentheses_nest():
    assert parse("appeal AND (custody OR guardianship) NOT divorce").query == And(
        (Word("appeal"), Or((Word("custody"), Word("guardianship"))), Not(Word("divorce")))
    )


def test_plus_requires_and_minus_excludes():
    assert parse("+custody -divorce").query == And((Word("custody"), Not(Word("divorce"))))


def test_lowercase_or_and_not_are_words_of_the_text():
    assert parse("or not").query == And((Word("or"), Word("not")))


def test_a_star_makes_a_prefix_of_the_folded_word():
    assert parse("compéten*").query == Prefix("competen")
    assert parse("المحك*").query == Prefix("محك")


def test_a_one_letter_prefix_is_searched_as_the_word():
    assert parse("a*").query == Word("a")


def test_a_word_that_folds_into_several_is_their_phrase():
    assert parse("l'article").query == Phrase(("l", "article"))
    assert parse("post-conviction").query == Phrase(("post", "conviction"))


def test_field_filters_are_read_out_of_the_query():
    parsed = parse('court:SA-RYD year:2020..2022 lang:ara type:commercial kind:judgment case:"2025/10062 E." المحكمة')
    assert parsed.query == Word("محكمه")
    assert parsed.filters == {
        "court": ["SA-RYD"],
        "year": ["2020..2022"],
        "language": ["ara"],
        "case_type": ["commercial"],
        "kind": ["judgment"],
        "case": ["2025/10062 E."],
    }


def test_the_same_filter_twice_means_either_value():
    assert parse("court:A OR court:B appeal").filters == {"court": ["A", "B"]}


def test_year_ranges_are_read_in_either_order():
    assert year_range("2022..2018") == (2018, 2022)
    assert year_range("2020") == (2020, 2020)


def test_a_search_of_exclusions_only_keeps_everything_else():
    assert parse("-appeal").query == And((MATCH_ALL, Not(Word("appeal"))))


def test_double_negation_cancels():
    assert parse("a NOT -b").query == And((Word("a"), Word("b")))


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ('"unconstitutional change', '"unconstitutional change"'),
        ("(custody OR guardianship", "(custody OR guardianship)"),
        ("custody OR", "custody"),
        ("custody) appeal", "custody appeal"),
        ("AND appeal", "appeal"),
    ],
)
def test_a_malformed_query_is_searched_as_its_words_with_a_notice_and_a_mended_suggestion(typed, suggestion):
    parsed = parse(typed)
    assert parsed.notice
    assert parsed.suggestion == suggestion
    words = [word for word in ("unconstitutional", "change", "custody", "guardianship", "appeal") if word in typed]
    assert parsed.query == (Word(words[0]) if len(words) == 1 else And(tuple(Word(word) for word in words)))


def test_a_filter_that_cannot_be_read_is_dropped_and_said():
    parsed = parse("year:nineteen appeal")
    assert parsed.query == Word("appeal")
    assert "year" in parsed.notice
    assert parsed.filters == {}


def test_a_negated_filter_is_refused_and_said():
    parsed = parse("-court:SA-RYD appeal")
    assert parsed.notice and parsed.query == Word("appeal") and parsed.filters == {}


def test_an_empty_or_punctuation_only_query_asks_for_nothing():
    for typed in ("", "   ", '""', "&", "*"):
        assert parse(typed).is_empty


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*'ab ()"*+-:', "AND ", "OR ", "NOT ", "court:", "year:", "محكمة "]), max_size=20))
def test_no_typed_text_makes_the_parser_fail(pieces):
    parsed = parse("".join(pieces))
    assert parsed.query is not None
    if parsed.suggestion:
        assert not parse(parsed.suggestion).notice
    assert not isinstance(parsed.query, Not)  # never a bare negation, which no engine can search alone
    if isinstance(parsed.query, And) and any(isinstance(child, Not) for child in parsed.query.children):
        assert any(not isinstance(child, Not) for child in parsed.query.children)
    assert isinstance(parsed.query, MatchAll | Word | Phrase | Prefix | And | Or)
