"""Sealed cases reach their people: a restricted case is assigned by rule, on every path that saves it, to
the bench its court's routes name for its type or marks, or else to its court's registry."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from records import access, classification, routing, services
from records.errors import RecordsError
from records.models import Assignment, CaseFile, CaseType, Document, Institution, Mark, Party, Route
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def court():
    return Institution.objects.create(code="JUV-RML", name="Juvenile Court of Ramallah", kind="court")


@pytest.fixture
def juvenile():
    case_type, _ = CaseType.objects.get_or_create(code="juvenile", defaults={"name": "Juvenile"})
    case_type.default_level = "sealed"
    case_type.save()
    case_type.default_marks.set(Mark.objects.filter(code="JUVENILE"))
    return case_type


@pytest.fixture
def civil():
    return CaseType.objects.get_or_create(code="civil", defaults={"name": "Civil"})[0]


@pytest.fixture
def bench(court, juvenile):
    group = Group.objects.create(name="Juvenile bench, Ramallah")
    Route.objects.create(court=court, case_type=juvenile, group=group)
    return group


@pytest.fixture
def juvenile_judge(bench):
    judge = UserFactory(role="judge", username="judge-juv", clearance="sealed", marks=("JUVENILE",))
    judge.groups.through.objects.create(user=judge, group=bench)
    return judge


def new_case(court, case_type, number, parties=()):
    case_file = CaseFile(number=number, court=court, case_type=case_type, date_filed=datetime.date(2026, 2, 1))
    case_file.parties = [Party(role=role, name=name) for role, name in parties]
    return case_file


def test_a_juvenile_case_registered_by_a_clerk_reaches_the_juvenile_bench_on_every_path(
    court, juvenile, bench, juvenile_judge
):
    clerk = UserFactory(role="clerk", username="clerk-juv")
    services.register_case_file(new_case(court, juvenile, "J-1/2026"), actor=clerk)
    api = APIClient()
    api.force_login(clerk)
    body = {"number": "J-2/2026", "court": court.code, "case_type": "juvenile", "date_filed": "2026-02-01"}
    assert api.post("/api/v1/case-files/", body, format="json").status_code == 201
    client = Client()
    client.force_login(clerk)
    response = client.post(
        reverse("records_casefile:add"),
        {
            "number": "J-3/2026",
            "court": court.pk,
            "case_type": juvenile.pk,
            "date_filed": "2026-02-01",
            "level": "internal",
            "parties-TOTAL_FORMS": "0",
            "parties-INITIAL_FORMS": "0",
            "legacy_numbers-TOTAL_FORMS": "0",
            "legacy_numbers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("records_casefile:index")
    [told] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Juvenile bench, Ramallah" in told and "Sealed" in told
    # Told where it went, with no Edit or Open button to a case that would answer them 404.
    j3 = CaseFile.objects.get(number="J-3/2026")
    assert "href" not in told and str(j3.pk) not in told
    for number in ("J-1/2026", "J-2/2026", "J-3/2026"):
        case_file = CaseFile.objects.get(number=number)
        assert [a.group for a in Assignment.objects.filter(case=case_file)] == [bench]
        assert access.can_see(juvenile_judge, case_file) and not access.can_see(clerk, case_file)


def test_a_child_party_seals_a_civil_case_and_a_mark_route_sends_it_to_the_bench(court, civil, juvenile_judge, bench):
    Route.objects.create(court=None, mark=Mark.objects.get(code="JUVENILE"), group=bench)
    registrar = UserFactory(role="registrar", username="reg-civil")
    case_file = services.register_case_file(
        new_case(court, civil, "C-1/2026", [("applicant", "Adult"), ("child", "Child Party")]), actor=registrar
    )
    assert (case_file.level, sorted(case_file.marks.values_list("code", flat=True))) == ("sealed", ["JUVENILE"])
    assert access.can_see(juvenile_judge, case_file)


def test_a_child_party_added_later_routes_the_case_too(court, civil, juvenile_judge, bench):
    Route.objects.create(court=court, mark=Mark.objects.get(code="JUVENILE"), group=bench)
    registrar = UserFactory(role="registrar", username="reg-later")
    case_file = services.register_case_file(new_case(court, civil, "C-2/2026", [("applicant", "Adult")]), actor=registrar)
    assert not Assignment.objects.filter(case=case_file).exists()
    case_file.parties = [Party(role="applicant", name="Adult"), Party(role="child", name="A child")]
    services.update_case_file(case_file, actor=registrar)
    assert access.can_see(juvenile_judge, CaseFile.objects.get(pk=case_file.pk))


def test_without_a_route_a_sealed_case_goes_to_its_courts_registry_never_to_nobody(court, juvenile):
    clerk = UserFactory(role="clerk", username="clerk-noroute")
    case_file = services.register_case_file(new_case(court, juvenile, "J-9/2026"), actor=clerk)
    [assignment] = Assignment.objects.filter(case=case_file)
    assert assignment.group == routing.registry_group(court)
    assert [group.name for group in case_file.routed_to] == ["Registry, JUV-RML"]


def test_only_someone_cleared_for_the_cases_routes_them(court, juvenile, bench):
    uncleared = UserFactory(role="registrar", username="reg-uncleared")
    with pytest.raises(RecordsError, match="cleared for Sealed"):
        routing.save_route(Route(court=court, case_type=juvenile, group=bench), actor=uncleared)
    cleared = UserFactory(role="registrar", username="reg-routes", clearance="sealed", marks=("JUVENILE",))
    route = routing.save_route(Route(court=None, case_type=juvenile, group=bench), actor=cleared)
    assert route.pk
    client = Client()
    client.force_login(cleared)
    assert client.get(reverse("records_route:index")).status_code == 200


def test_the_juvenile_bench_works_its_cases_end_to_end(court, juvenile, bench, juvenile_judge, corpus_file):
    """Register, upload, classify: the bench's clerk registers, the judge reads, uploads and classifies."""
    bench_clerk = UserFactory(role="clerk", username="clerk-bench", clearance="sealed", marks=("JUVENILE",))
    bench_clerk.groups.through.objects.create(user=bench_clerk, group=bench)
    case_file = services.register_case_file(new_case(court, juvenile, "J-20/2026"), actor=bench_clerk)
    document = services.add_document(
        Document(case=case_file, kind="report", title="Social enquiry report"),
        actor=bench_clerk,
        file=corpus_file("us-scotus-2013-tarrant-v-herrmann.pdf"),
    )
    assert access.can_see(juvenile_judge, document)
    classification.classify_document(document, actor=juvenile_judge, level="sealed", marks=["JUVENILE"])
    assert access.can_see(bench_clerk, document)


def test_a_sealed_case_and_its_document_are_marked_wherever_listed_or_opened(corpus_dir):
    """The judge on the bench sees the sealed case: its row in the lists and its pages carry the marker, and an
    internal case's do not."""
    from bs4 import BeautifulSoup

    from tests.leaks.world import build

    users, items = build(lambda: open(corpus_dir / "us-scotus-2013-tarrant-v-herrmann.pdf", "rb"))
    client = Client()
    client.force_login(users["judge_assigned"])

    def markers(url, row_text=None):
        page = BeautifulSoup(client.get(url).content, "html.parser")
        scope = page
        if row_text is not None:
            [scope] = [row for row in page.select("tbody tr") if row_text in row.get_text()]
        return [marker.get_text(strip=True) for marker in scope.select(".sijill-restricted")]

    sealed, internal = items["sealed_juvenile"], items["internal"]
    for listing, field in ((reverse("records_casefile:index"), "case"), (reverse("records_document:index"), "document")):
        named = (lambda item: item.case.number) if field == "case" else (lambda item: item.document.title)
        assert markers(listing, named(sealed)) == ["Sealed"], listing
        assert markers(listing, named(internal)) == [], listing
    for view, pk in (("records_casefile:inspect", "case"), ("records_document:inspect", "document")):
        assert markers(reverse(view, args=[sealed.ids[pk]])) == ["Sealed"], view
        assert markers(reverse(view, args=[internal.ids[pk]])) == [], view


def test_nobody_in_a_courts_registry_deletes_or_narrows_a_route_whose_cases_would_fall_to_it(court, juvenile, civil, bench):
    """Cases a route stops naming go to their court's registry group: a registrar in that group who deletes
    or changes the route would be assigning those cases to themselves."""
    registrar = UserFactory(role="registrar", username="route-registry", clearance="sealed", marks=("JUVENILE",))
    registrar.groups.through.objects.create(user=registrar, group=routing.registry_group(court))
    route = Route.objects.get(court=court, case_type=juvenile)

    with pytest.raises(RecordsError, match="You belong to Registry, JUV-RML"):
        routing.delete_route(route, actor=registrar)
    route.case_type = civil
    with pytest.raises(RecordsError, match="You belong to Registry, JUV-RML"):
        routing.save_route(route, actor=registrar)
    assert Route.objects.filter(pk=route.pk, case_type=juvenile).exists()

    other = UserFactory(role="registrar", username="route-other", clearance="sealed", marks=("JUVENILE",))
    routing.delete_route(Route.objects.get(pk=route.pk), actor=other)  # someone outside the registry may
    assert not Route.objects.filter(pk=route.pk).exists()
