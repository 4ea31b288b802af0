"""The Elasticsearch backend without a server: its mapping, analyzers and compiled searches.

No Elasticsearch server can run on these machines, and a fake one would prove nothing; these tests check
what Sijill sends. The behaviour suite runs against a real server when SIJILL_ELASTICSEARCH_URL is set.
"""

import re

import pytest

from records import classification
from records.access import reach_of
from records.models import Mark
from search import normalise
from search.backends.elasticsearch import mapping
from search.backends.elasticsearch.backend import ElasticsearchBackend, source
from search.documents import DocumentEntry
from search.parser import parse
from search.query import Filters, SearchRequest
from tests.factories import CaseFileFactory, UserFactory

BACKEND = ElasticsearchBackend({"url": "http://127.0.0.1:1", "index": "sijill-documents"})


def compiled(text, user, **request):
    return BACKEND.build(SearchRequest(query=parse(text).query, **request), reach_of(user))


def find(tree, key):
    """Every value under `key` anywhere in a compiled body."""
    found = []
    if isinstance(tree, dict):
        for name, value in tree.items():
            if name == key:
                found.append(value)
            found += find(value, key)
    elif isinstance(tree, list):
        for value in tree:
            found += find(value, key)
    return found


def apply_char_mapping(rules, text):
    """What Elasticsearch's mapping char filter does with these rules, for single characters."""
    table = {}
    for rule in rules:
        left, right = rule.split("=>")
        decode = lambda part: re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), part)  # noqa: E731
        table[decode(left)] = decode(right)
    return "".join(table.get(char, char) for char in text)


# The index --------------------------------------------------------------------------------------------


def test_pages_are_nested_so_hits_name_their_pages():
    properties = mapping.mappings()["properties"]
    assert properties["pages"]["type"] == "nested"
    assert properties["pages"]["properties"]["number"] == {"type": "integer"}
    assert properties["pages"]["properties"]["text"]["analyzer"] == "sijill_exact"


def test_the_access_copy_is_indexed_as_exact_values():
    properties = mapping.mappings()["properties"]
    assert {properties[name]["type"] for name in ("level", "case_id", "document_id")} == {"keyword"}
    assert properties["marks"]["type"] == "long"


def test_each_language_has_its_analyzer_with_stemmer_or_stop_words():
    analysis = mapping.settings()["analysis"]
    for code, (stemmer, stop_words) in mapping.STEMMED.items():
        chain = analysis["analyzer"][f"sijill_{code}"]["filter"]
        assert analysis["filter"][chain[-1]] == {"type": "stemmer", "language": stemmer}
        assert analysis["filter"][chain[-2]] == {"type": "stop", "stopwords": stop_words}
    for code in ("swa", "kin", "sqi", "urd"):
        chain = analysis["analyzer"][f"sijill_{code}"]["filter"]
        assert analysis["filter"][chain[-1]]["type"] == "stop"
    assert set(mapping.LANGUAGE_FIELDS) == {"ara", "eng", "fra", "tur", "srp", "swa", "kin", "sqi", "urd"}


def test_the_exact_analyzer_folds_as_the_database_backends_do():
    analysis = mapping.settings()["analysis"]
    exact = analysis["analyzer"]["sijill_exact"]
    assert exact["char_filter"] == ["sijill_fold_chars", "sijill_drop_marks"]
    assert {"lowercase", "arabic_normalization", "asciifolding", "sijill_arabic_article"} <= set(exact["filter"])
    assert analysis["tokenizer"]["sijill_words"] == {"type": "pattern", "pattern": "\\p{L}+|\\p{Nd}+", "group": 0}
    rules = analysis["char_filter"]["sijill_fold_chars"]["mappings"]
    # Each character normalise.fold() replaces is replaced alike by the char filter (then lowercased).
    for char in "أإآٱةىیک٠١٩۱ıİœæđ":
        assert apply_char_mapping(rules, char).lower() == normalise.fold(char), char
    # Arabic presentation forms (as some PDFs' text layers hold them) become the letters.
    assert apply_char_mapping(rules, "\ufefb") == normalise.fold("\ufefb") == "لا"


def test_the_article_filter_keeps_short_words():
    pattern = mapping.ARTICLE.get_definition()["pattern"]
    java_to_python = pattern.replace("\\p{L}", "[^\\W\\d_]")
    assert re.sub(java_to_python, r"\1", "محكمه") == "محكمه"
    assert re.sub(java_to_python, r"\1", "والمحكمه") == "محكمه"
    assert re.sub(java_to_python, r"\1", "الي") == "الي"


def test_stemmed_copies_and_texts_are_indexed_but_not_stored():
    assert mapping.mappings()["_source"] == {"excludes": ["pages.text", "pages.stemmed_*"]}


def test_a_document_is_written_with_stemmed_copies_for_its_languages_only():
    entry = DocumentEntry(
        document_id="d", version_id="v", case_id=None, court_id=None, case_type_id=None, kind="legislation",
        languages=["ara", "heb"], year=2022, date=None, title="t", level="public", mark_ids=[3], stamp="s",
        pages=[(1, "نص")],
    )
    assert source(entry)["pages"] == [{"number": 1, "text": "نص", "stemmed_ara": "نص"}]
    assert source(entry)["marks"] == [3]


# Compiled searches ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_word_is_a_nested_query_on_the_exact_and_stemmed_fields(searching_clerk):
    body = compiled("tributaries", searching_clerk)
    nested = body["query"]["bool"]["must"][0]["nested"]
    assert nested["path"] == "pages"
    fields = {list(match["match"])[0] for match in nested["query"]["bool"]["should"]}
    assert fields == {"pages.text", *(f"pages.stemmed_{code}" for code in mapping.LANGUAGE_FIELDS)}


@pytest.mark.django_db
def test_phrases_prefixes_and_booleans(searching_clerk):
    body = compiled('"equitable apportionment" OR (compact* -texas)', searching_clerk)
    # Once to match, once more to name the best pages.
    assert find(body, "match_phrase") == [{"pages.text": {"query": "equitable apportionment"}}] * 2
    assert {"pages.text": {"value": "compact"}} in find(body, "prefix")
    assert find(body["query"]["bool"]["must"], "must_not")[0][0]["nested"]["query"]["bool"]["should"][0] == {
        "match": {"pages.text": {"query": "texas"}}
    }


@pytest.mark.django_db
def test_the_query_asks_for_each_hits_best_pages(searching_clerk):
    body = compiled("custody", searching_clerk, snippets_per_hit=3)
    inner = find(body, "inner_hits")
    assert inner == [{"name": "pages", "size": 3, "_source": {"includes": ["pages.number"]}}]


@pytest.mark.django_db
def test_a_clerk_is_filtered_to_open_levels_and_unmarked_items(searching_clerk):
    body = compiled("custody", searching_clerk)
    rule = body["query"]["bool"]["filter"][0]["bool"]
    assert rule["should"] == [{"terms": {"level": ["public", "internal"]}}]
    assert rule["must_not"] == [{"terms": {"marks": sorted(Mark.objects.values_list("pk", flat=True))}}]


@pytest.mark.django_db
def test_an_assigned_judge_is_filtered_with_their_live_assignments_and_marks(db):
    judge = UserFactory(role="judge", clearance="sealed", marks=("JUVENILE",))
    registrar = UserFactory(role="registrar", clearance="sealed", marks=("JUVENILE", "GBV", "FAMILY"))
    case = CaseFileFactory(actor=registrar, level="sealed")
    rule = compiled("custody", judge)["query"]["bool"]["filter"][0]["bool"]
    assert rule["should"][1:] == []  # assigned to nothing yet
    classification.assign(case, actor=registrar, user=judge)
    rule = compiled("custody", judge)["query"]["bool"]["filter"][0]["bool"]
    assert rule["should"][1] == {
        "bool": {"filter": [{"terms": {"level": ["confidential", "sealed"]}}, {"terms": {"case_id": [str(case.pk)]}}]}
    }
    juvenile = Mark.objects.get(code="JUVENILE").pk
    assert juvenile not in rule["must_not"][0]["terms"]["marks"]


@pytest.mark.django_db
def test_facets_counts_and_pages_are_asked_after_the_filters(searching_clerk):
    body = compiled("custody", searching_clerk, filters=Filters(courts=(4,), year_from=2019, year_to=2021), offset=40, limit=20)
    assert body["track_total_hits"] is True and (body["from"], body["size"]) == (40, 20)
    assert {"terms": {"court_id": [4]}} in body["query"]["bool"]["filter"]
    assert {"range": {"year": {"gte": 2019, "lte": 2021}}} in body["query"]["bool"]["filter"]
    assert set(body["aggs"]) == {"court", "year", "kind", "case_type", "language", "cases"}
    assert body["aggs"]["language"] == {"terms": {"field": "languages", "size": 200}}
    # The audit event's cases: those of restricted documents only, counted after the same filters.
    restricted = body["aggs"]["cases"]["filter"]["bool"]
    assert restricted["should"] == [{"terms": {"level": ["confidential", "sealed"]}}, {"exists": {"field": "marks"}}]
    assert body["aggs"]["cases"]["aggs"]["ids"]["terms"]["field"] == "case_id"


@pytest.mark.django_db
def test_orders(searching_clerk):
    assert compiled("custody", searching_clerk)["sort"][0] == {"_score": {"order": "desc"}}
    newest = compiled("custody", searching_clerk, order="newest")["sort"][0]
    assert newest == {"date": {"order": "desc", "missing": "_last"}}
    assert compiled("", searching_clerk, order="oldest")["sort"][0] == {"date": {"order": "asc", "missing": "_last"}}
