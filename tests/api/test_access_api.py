"""The access rule through the API: lists, counts and pages hold only what the caller may see; an item out of
reach is answered exactly as a missing one; level and marks change only through classify/; assignments."""

import datetime
import uuid

import pytest
from django.core.files.base import ContentFile

from records import classification, services
from records.models import Assignment, CaseFile, Document, Mark
from tests.factories import CaseTypeFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db

CASE_FILES = "/api/v1/case-files/"
DOCUMENTS = "/api/v1/documents/"


@pytest.fixture
def cleared_registrar(db):
    return UserFactory(role="registrar", clearance="sealed", marks=("JUVENILE",), username="reg-cleared")


@pytest.fixture
def world(clerk, cleared_registrar):
    """Three internal cases and a public one, a sealed juvenile case and a confidential one, a document in each.

    The clerk (internal, no marks) may see the public and internal cases and their documents only.
    """
    court = InstitutionFactory(code="CRT-ACC")
    civil = CaseTypeFactory(code="civil")
    civil.default_level = "public"
    civil.save()
    juvenile = CaseTypeFactory(code="juvenile")
    juvenile.default_level = "sealed"
    juvenile.save()
    juvenile.default_marks.set(Mark.objects.filter(code="JUVENILE"))

    def case(number, case_type, level=None):
        return services.register_case_file(
            CaseFile(
                number=number,
                court=court,
                case_type=case_type,
                title=f"Case {number}",
                date_filed=datetime.date(2024, 3, 1),
            ),
            actor=cleared_registrar,
            level=level,
        )

    cases = {
        "public": case("P-1", civil, "public"),
        "internal-1": case("I-1", civil),
        "internal-2": case("I-2", civil),
        "internal-3": case("I-3", civil),
        "sealed": case("S-1", juvenile),
        "confidential": case("C-1", civil, "confidential"),
    }
    documents = {}
    for name, case_file in cases.items():
        document = Document(
            case=case_file, kind="judgment", title=f"Judgment in {name}", document_date=datetime.date(2024, 6, 1)
        )
        services.add_document(document, actor=cleared_registrar, file=ContentFile(b"Judgment.\n"), file_name="j.txt")
        documents[name] = document
    assert (cases["sealed"].level, cases["confidential"].level) == ("sealed", "confidential")
    return cases, documents


CLERK_SEES = {"public", "internal-1", "internal-2", "internal-3"}


def all_pages(api, url, limit):
    seen, count, offset = [], None, 0
    while True:
        body = api.get(url, {"limit": limit, "offset": offset}).json()
        count = body["count"] if count is None else count
        assert body["count"] == count
        seen += [item["id"] for item in body["results"]]
        if not body["next"]:
            return count, seen
        offset += limit


def test_case_and_document_lists_count_and_page_only_what_the_caller_may_see(api_as, clerk, world):
    cases, documents = world
    api = api_as(clerk)

    first = api.get(CASE_FILES, {"limit": 3}).json()
    assert first["count"] == len(CLERK_SEES) and len(first["results"]) == 3 and first["next"]
    count, ids = all_pages(api, CASE_FILES, 3)
    assert (count, sorted(ids)) == (4, sorted(str(cases[name].pk) for name in CLERK_SEES))

    count, ids = all_pages(api, DOCUMENTS, 3)
    assert (count, sorted(ids)) == (4, sorted(str(documents[name].pk) for name in CLERK_SEES))


def test_the_documents_of_a_sealed_case_are_asked_for_as_those_of_a_case_that_does_not_exist(api_as, clerk, world):
    cases, _documents = world
    api = api_as(clerk)

    sealed = api.get(DOCUMENTS, {"case": str(cases["sealed"].pk)})
    missing = api.get(DOCUMENTS, {"case": str(uuid.uuid4())})
    mine = api.get(DOCUMENTS, {"case": str(cases["internal-1"].pk)})

    assert (
        (sealed.status_code, sealed.json())
        == (missing.status_code, missing.json())
        == (200, {"count": 0, "next": None, "previous": None, "results": []})
    )
    assert mine.json()["count"] == 1


def test_a_document_into_a_case_out_of_reach_is_refused_as_into_a_missing_case(api_as, clerk, world):
    cases, _documents = world
    api = api_as(clerk)
    before = Document.objects.count()

    def post_into(case_id):
        response = api.post(DOCUMENTS, {"case": case_id, "kind": "judgment", "title": "Sneaked in"}, format="json")
        return response.status_code, response.json()

    sealed_id, missing_id = str(cases["sealed"].pk), str(uuid.uuid4())
    sealed, missing = post_into(sealed_id), post_into(missing_id)

    assert sealed[0] == missing[0] == 400
    assert list(sealed[1]) == list(missing[1]) == ["case"]
    assert sealed[1]["case"][0].replace(sealed_id, "<id>") == missing[1]["case"][0].replace(missing_id, "<id>")
    assert Document.objects.count() == before


def test_the_level_and_marks_of_a_case_are_not_changed_by_patch(api_as, cleared_registrar, world):
    cases, _documents = world
    api = api_as(cleared_registrar)
    case_file = cases["internal-1"]

    for sent in ({"level": "sealed"}, {"marks": ["JUVENILE"]}, {"level": "public", "title": "Renamed"}):
        response = api.patch(f"{CASE_FILES}{case_file.pk}/", sent, format="json")
        assert response.status_code == 400, sent
        body = response.json()
        assert set(body) == set(sent) & {"level", "marks"}
        assert all("classify/" in str(message) for message in body.values())

    stored = CaseFile.objects.get(pk=case_file.pk)
    assert (stored.level, list(stored.marks.all()), stored.title) == ("internal", [], "Case I-1")


def test_assignments_are_listed_and_one_more_is_given_through_the_api(api_as, clerk, cleared_registrar, world):
    cases, documents = world
    sealed = cases["sealed"]
    judge = UserFactory(role="judge", clearance="sealed", marks=("JUVENILE",), username="judge-khalil")
    registrar_api, judge_api = api_as(cleared_registrar), api_as(judge)
    url = f"{CASE_FILES}{sealed.pk}/assignments/"

    listed = registrar_api.get(url)
    assert listed.status_code == 200
    assert [(a["user"], a["group"], a["assigned_by"]) for a in listed.json()] == [("reg-cleared", None, "reg-cleared")]
    assert judge_api.get(f"{CASE_FILES}{sealed.pk}/").status_code == 404

    given = registrar_api.post(url, {"user": "judge-khalil"}, format="json")

    assert given.status_code == 201, given.content
    assert (given.json()["user"], given.json()["assigned_by"]) == ("judge-khalil", "reg-cleared")
    assert Assignment.objects.filter(case=sealed, user=judge).exists()
    assert judge_api.get(f"{CASE_FILES}{sealed.pk}/").status_code == 200
    assert judge_api.get(f"{DOCUMENTS}{documents['sealed'].pk}/").status_code == 200
    assert sorted(a["user"] for a in judge_api.get(url).json()) == ["judge-khalil", "reg-cleared"]

    neither = registrar_api.post(url, {}, format="json")
    assert neither.status_code == 400
    # A clerk may not assign, even to a case in view; and a case out of view is not found.
    internal_url = f"{CASE_FILES}{cases['internal-1'].pk}/assignments/"
    assert api_as(clerk).post(internal_url, {"user": clerk.username}, format="json").status_code == 403
    assert api_as(clerk).get(url).status_code == 404
    assert api_as(clerk).post(url, {"user": clerk.username}, format="json").status_code == 404
    assert not Assignment.objects.filter(user=clerk).exists()


def test_a_judge_cleared_for_juvenile_cases_but_not_assigned_finds_nothing_of_a_sealed_one(
    api_as, cleared_registrar, world
):
    cases, documents = world
    sealed, document = cases["sealed"], documents["sealed"]
    version = document.versions.get()
    judge = UserFactory(role="judge", clearance="sealed", marks=("JUVENILE",), username="judge-nasser")
    api = api_as(judge)
    urls = [
        f"{CASE_FILES}{sealed.pk}/",
        f"{CASE_FILES}{sealed.pk}/assignments/",
        f"{DOCUMENTS}{document.pk}/",
        f"{DOCUMENTS}{document.pk}/versions/",
        f"/api/v1/versions/{version.pk}/",
    ]
    missing = api.get(f"{CASE_FILES}{uuid.uuid4()}/")

    for url in urls:
        response = api.get(url)
        assert (response.status_code, response.json()) == (404, missing.json()), url
    assert str(sealed.pk) not in str([item["id"] for item in api.get(CASE_FILES).json()["results"]])

    classification.assign(sealed, actor=cleared_registrar, user=judge)
    for url in urls:
        assert api.get(url).status_code == 200, url
