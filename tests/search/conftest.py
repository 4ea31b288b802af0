"""Fixtures for the search tests: the backend under test, users by reach, and documents with pages of
real corpus text, indexed as the site would index them."""

import datetime
import os
import uuid

import pytest
from django.contrib.auth.models import Group

from records import classification, services
from records.models import CaseType, Document, Institution, Page, TextSource, Version
from search import indexing
from search.backends import get_backend
from search.backends.database.postgres.compiler import RankIndexCompiler
from tests.factories import CaseFileFactory, UserFactory

BACKENDS = ["database", "elasticsearch"]
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    # PostgreSQL ranks through its rank index (RUM) when the server has the extension, by ts_rank when not.
    # With the index, a search that finds few documents scores their pages, as every search on the small
    # shelves here does; one that finds many walks the index, which "database-walking" makes every one do.
    BACKENDS[1:1] = ["database-walking", "database-without-rank-index"]


@pytest.fixture(params=BACKENDS)
def search_backend(request, settings, db, monkeypatch):
    """The backend every search in the test goes through: the site's database engine (SQLite FTS5 or
    PostgreSQL, whichever the run uses; on PostgreSQL, with its rank index, walking it, and without), and
    Elasticsearch when SIJILL_ELASTICSEARCH_URL names a server."""
    if request.param == "elasticsearch":
        url = os.environ.get("SIJILL_ELASTICSEARCH_URL", "")
        if not url:
            pytest.skip("Elasticsearch: no server here; set SIJILL_ELASTICSEARCH_URL to run the suite against one")
        settings.SIJILL_ELASTICSEARCH_URL = url
        settings.SIJILL_ELASTICSEARCH = {"index": f"sijill-test-{uuid.uuid4().hex[:12]}", "refresh_text": "wait_for"}
        backend = get_backend()
        backend.create()
        yield backend
        backend.drop()
        return
    settings.SIJILL_ELASTICSEARCH_URL = ""
    settings.SIJILL_SEARCH_RANK_INDEX = request.param != "database-without-rank-index"
    if request.param == "database-walking":
        monkeypatch.setattr(RankIndexCompiler, "SCORE_ALL_UP_TO", -1)
    yield get_backend()


def corpus_pages(corpus_dir, name):
    """The pages of a corpus text: a ground truth's pages are separated by form feeds; a text is one page."""
    text = (corpus_dir / name).read_text(encoding="utf-8")
    return [page for page in text.split("\f") if page.strip()] if name.endswith(".gt.txt") else [text]


class Shelf:
    """Registers documents with pages through the records services and indexes them."""

    def __init__(self, backend):
        self.backend = backend
        self.registrar = UserFactory(role="registrar", username=f"shelf-{uuid.uuid4().hex[:6]}", clearance="sealed",
                                     marks=("JUVENILE", "GBV", "FAMILY"))
        self.court = Institution.objects.create(code="SRCH-1", name="Commercial Court, Search", kind="court")
        self.other_court = Institution.objects.create(code="SRCH-2", name="Court of Appeal, Search", kind="court")
        self.civil, _ = CaseType.objects.get_or_create(code="civil", defaults={"name": "Civil"})
        self.commercial, _ = CaseType.objects.get_or_create(code="commercial", defaults={"name": "Commercial"})
        self.juvenile = self._type("juvenile", "sealed", ["JUVENILE"])
        self.bench = Group.objects.create(name=f"juvenile bench {uuid.uuid4().hex[:6]}")

    @staticmethod
    def _type(code, level, marks):
        case_type, _ = CaseType.objects.get_or_create(code=code, defaults={"name": code.capitalize()})
        case_type.default_level = level
        case_type.save()
        case_type.default_marks.set(classification._marks(marks))
        return case_type

    def case(self, *, case_type=None, court=None, level=None, number=None, assigned=True):
        case = CaseFileFactory(
            case_type=case_type or self.civil,
            court=court or self.court,
            actor=self.registrar,
            number=number or f"{uuid.uuid4().hex[:6]}/2024",
            **({"level": level} if level else {}),
        )
        if assigned and case.level in ("confidential", "sealed"):
            classification.assign(case, actor=self.registrar, group=self.bench)
        return case

    def add(self, pages, *, title="A judgment", languages=("eng",), kind="judgment", case=None, legislation=False,
            date=datetime.date(2020, 5, 17), index=True, **case_options):
        """A document whose current version has these pages (texts, page 1 first), indexed at once."""
        if not legislation and case is None:
            case = self.case(**case_options)
        document = services.add_document(
            Document(case=case, kind="legislation" if legislation else kind, title=title, languages=list(languages),
                     document_date=date),
            actor=self.registrar,
        )
        self.new_version(document, pages)
        if index:
            indexing.index_documents([document.pk], backend=self.backend)
        return document

    def new_version(self, document, pages):
        number = document.versions.count() + 1
        version = Version.objects.create(
            document=document, number=number, storage_key=f"originals/test/{uuid.uuid4()}", original_name="text.txt",
            media_type="text/plain", size=1, sha256="0" * 64, author=self.registrar,
        )
        Page.objects.bulk_create(
            [Page(version=version, number=n, text=text, source=TextSource.FILE_TEXT) for n, text in enumerate(pages, 1)]
        )
        return version

    def reindex(self, *documents):
        indexing.index_documents([document.pk for document in documents], backend=self.backend)


@pytest.fixture
def shelf(search_backend):
    """An empty library on the backend under test, with a registrar cleared for everything to fill it."""
    return Shelf(search_backend)


@pytest.fixture
def judge(shelf):
    """A juvenile judge: sealed with every mark, on the juvenile bench the shelf assigns its sealed cases to."""
    user = UserFactory(role="judge", clearance="sealed", marks=("JUVENILE", "GBV", "FAMILY"))
    user.groups.add(shelf.bench)
    return user


@pytest.fixture
def searching_clerk(db):
    """A registry clerk: internal, no marks, assigned to nothing."""
    return UserFactory(role="clerk")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what records announce on commit: the test's transaction never commits, so a change made inside
    `with committed():` has its announcements sent, and their handlers run, as a request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def queued_tasks(settings):
    """Background tasks are queued, not run: what happens at once is all that happens."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def search_plans(user, text):
    """The executed plans (EXPLAIN ANALYZE, without costs and timings) of the statements `WITH m ...` that
    a search by `user` for `text` runs, each as one string, and the search's outcome."""
    from django.db import connection

    from search import service

    plans = []

    def explain(execute, sql, params, many, context):
        if sql.startswith("WITH m"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params)
                plans.append("\n".join(line for (line,) in cursor.fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        outcome = service.search(user, text)
    return plans, outcome
