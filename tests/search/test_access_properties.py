"""Search answers exactly what the access layer allows, on random worlds, before and after changes.

The worlds are those of tests/records/test_access_properties.py (users with clearances, marks, groups
and assignments; cases and documents of every level, with marks of their own). Every document gets a
page holding the same word; searching it must find exactly the documents of `access.visible_pages(user)`,
count them and facet them, and so again after the levels and marks of cases and documents change and
records' announcements are handled as at commit.
"""

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from records import access
from records.models import CaseFile, Document, Mark, Page, TextSource
from search import indexing, service, sync
from tests.records.test_access_properties import LEVELS, MARKS, build, examples, principals, rolled_back, worlds

pytestmark = pytest.mark.django_db

WORD = "custody"


def add_pages(built):
    for version in built["versions"].values():
        Page.objects.create(version=version, number=1, text=f"The {WORD} order {uuid.uuid4().hex[:8]}.", source=TextSource.OCR)


def check(backend, built, who, user):
    expected = set(access.visible_pages(user).values_list("version__document_id", flat=True))
    outcome = service.search(user, WORD, limit=100, backend=backend)
    assert {hit.document.pk for hit in outcome.hits} == expected, f"principal {who}: hits"
    assert outcome.count == len(expected), f"principal {who}: count"
    kinds = {option.value: option.count for facet in outcome.facets if facet.name == "kind" for option in facet.options}
    assert sum(kinds.values()) == len(expected), f"principal {who}: facets"


changes = st.lists(
    st.tuples(st.sampled_from(["case", "document"]), st.integers(0, 20), st.sampled_from(["", *LEVELS]), st.frozensets(st.sampled_from(MARKS))),
    max_size=4,
)


@examples(25)
@given(world=worlds(), reclassify=changes)
def test_search_finds_exactly_the_visible_pages_before_and_after_reclassification(search_backend, queued_tasks, world, reclassify):
    with rolled_back():
        built = build(world)
        add_pages(built)
        indexing.index_documents(list(Document.objects.values_list("pk", flat=True)), backend=search_backend)
        everyone = principals(world, built)
        for who, user in everyone:
            check(search_backend, built, who, user)
        cases, documents = list(built["cases"].values()), list(built["documents"].values())
        for kind, index, level, codes in reclassify:
            marks = Mark.objects.filter(code__in=codes)
            if kind == "case":
                case = cases[index % len(cases)]
                CaseFile.objects.filter(pk=case.pk).update(level=level or "public")
                case.marks.set(marks)
                sync.case_changed(sender=None, case_id=case.pk)
            elif documents:
                document = documents[index % len(documents)]
                Document.objects.filter(pk=document.pk).update(level=level)
                document.marks.set(marks)
                sync.document_changed(sender=None, document_id=document.pk)
        for who, user in everyone:
            access.forget(user)
            check(search_backend, built, who, user)
