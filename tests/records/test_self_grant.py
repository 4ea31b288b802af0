"""Nobody changes the facts the access rule reads about themselves; raising a clearance takes two people;
every change of a clearance, a group membership or an assignment is in the audit trail.

The property test checks the services against a plain reference of that rule over random acts.
"""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import actions, context
from audit.models import AuditEvent
from records import access, classification, routing, services
from records.errors import RecordsError
from records.memberships import OwnMembershipRefused
from records.models import CaseFile, CaseType, Clearance, ClearanceGrant, Institution, Party, Route
from tests.factories import UserFactory
from tests.html_forms import form_data, post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    """An administrator without clearance, as the outside probe found one."""
    return UserFactory(username="admin-uncleared", is_superuser=True, is_staff=True)


@pytest.fixture
def second_admin(db):
    return UserFactory(username="admin-second", is_superuser=True, is_staff=True)


@pytest.fixture
def sealed_case(db):
    registrar = UserFactory(role="registrar", username="reg-setup", clearance="sealed", marks=("JUVENILE",))
    court = Institution.objects.create(code="JUV-1", name="Juvenile Court", kind="court")
    juvenile, _ = CaseType.objects.get_or_create(code="juvenile", defaults={"name": "Juvenile"})
    juvenile.default_level = "sealed"
    juvenile.save()
    juvenile.default_marks.set(classification._marks(["JUVENILE"]))
    case_file = CaseFile(
        number="J-1/2026", court=court, case_type=juvenile, title="In the matter of a child", date_filed=date(2026, 1, 5)
    )
    case_file.parties = [Party(role="child", name="Childname Hidden")]
    return services.register_case_file(case_file, actor=registrar)


def signed_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def events(action, target):
    return list(AuditEvent.objects.filter(action=action, target_id=str(target.pk)).order_by("seq"))


def test_an_administrator_cannot_grant_itself_a_clearance_on_any_path(admin):
    with pytest.raises(RecordsError, match="their own"):
        classification.set_clearance(admin, actor=admin, level="sealed", marks=["JUVENILE"])
    client = signed_in(admin)
    data = form_data(post_form(client.get(reverse("records_clearance:add"))))
    data.update(user=str(admin.pk), level="sealed", marks=[str(m.pk) for m in classification._marks(["JUVENILE"])])
    response = client.post(reverse("records_clearance:add"), {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 200 and "their own" in response.content.decode()
    assert not Clearance.objects.filter(user=admin).exists()
    assert not ClearanceGrant.objects.exists()


def test_a_raise_to_sealed_or_a_new_mark_waits_for_a_second_person(admin, second_admin):
    judge = UserFactory(role="judge", username="judge-new")
    grant = classification.set_clearance(judge, actor=admin, level="sealed", marks=["JUVENILE"])
    assert isinstance(grant, ClearanceGrant) and grant.decision == ClearanceGrant.Decision.PENDING
    assert access.reach_of(judge).level == "internal"
    for who in (admin, judge):
        with pytest.raises(RecordsError, match="second person"):
            classification.approve_clearance_grant(grant, actor=who)
    classification.approve_clearance_grant(grant, actor=second_admin)
    access.forget(judge)
    assert access.reach_of(judge).level == "sealed"
    with pytest.raises(RecordsError, match="already"):
        classification.approve_clearance_grant(grant, actor=UserFactory(username="third"))
    proposed, applied = events(actions.CLEARANCE_PROPOSED, judge), events(actions.CLEARANCE, judge)
    assert [e.actor_id for e in proposed] == [admin.pk]
    assert [e.actor_id for e in applied] == [second_admin.pk]
    assert applied[0].after == {"level": "sealed", "marks": ["JUVENILE"], "approved_by": second_admin.username}


def test_lowering_a_clearance_takes_one_person(admin):
    judge = UserFactory(role="judge", username="judge-lowered", clearance="sealed", marks=("JUVENILE", "GBV"))
    result = classification.set_clearance(judge, actor=admin, level="confidential", marks=["GBV"])
    assert isinstance(result, Clearance) and result.level == "confidential"


def test_the_grants_screen_lets_only_a_second_person_approve(admin, second_admin):
    judge = UserFactory(role="judge", username="judge-screen")
    grant = classification.set_clearance(judge, actor=admin, level="sealed", marks=["JUVENILE"])
    decide = reverse("records_clearance_grant_decide", args=[grant.pk, "approve"])
    page = signed_in(admin).get(reverse("records_clearance_grants"))
    assert page.status_code == 200 and "judge-screen" in page.content.decode() and decide not in page.content.decode()
    signed_in(admin).post(decide)
    assert Clearance.objects.get(user=judge).level == "internal"
    assert decide in signed_in(second_admin).get(reverse("records_clearance_grants")).content.decode()
    signed_in(second_admin).post(decide)
    assert Clearance.objects.get(user=judge).level == "sealed"
    clerk = UserFactory(role="clerk", username="clerk-no-grants")
    assert signed_in(clerk).get(reverse("records_clearance_grants")).status_code in (302, 403)


def test_an_administrator_cannot_join_the_bench_group_itself_and_others_joining_is_audited(admin, second_admin):
    bench = Group.objects.create(name="juvenile bench")
    with context.acting(admin):
        with pytest.raises(OwnMembershipRefused), transaction.atomic():
            admin.groups.add(bench)
        with pytest.raises(OwnMembershipRefused), transaction.atomic():
            bench.user_set.add(admin)
    assert not admin.groups.exists()
    judge = UserFactory(role="judge", username="judge-bench")
    with context.acting(second_admin):
        judge.groups.add(bench)
        judge.groups.remove(bench)
        bench.user_set.add(judge)
        judge.groups.clear()
    assert [(e.actor_id, e.after) for e in events(actions.GROUPS, judge) if "juvenile bench" in e.after.values()] == [
        (second_admin.pk, {"added": "juvenile bench"}),
        (second_admin.pk, {"removed": "juvenile bench"}),
        (second_admin.pk, {"added": "juvenile bench"}),
        (second_admin.pk, {"removed": "juvenile bench"}),
    ]


def test_wagtails_user_editor_offers_no_way_to_change_ones_own_groups(admin, sealed_case):
    bench = Group.objects.create(name="juvenile bench")
    classification.assign(sealed_case, actor=UserFactory(username="reg-assigns"), group=bench)
    client = signed_in(admin)
    url = reverse("wagtailusers_users:edit", args=[admin.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(post_form(page))
    assert "groups" not in data
    client.post(url, {**data, "groups": [str(bench.pk)]})
    assert not admin.groups.exists()
    assert client.get(reverse("records_casefile:inspect", args=[sealed_case.pk])).status_code == 404


def test_nobody_assigns_themselves_or_a_group_they_belong_to(sealed_case):
    judge = UserFactory(role="judge", username="judge-self", clearance="sealed", marks=("JUVENILE",))
    bench = Group.objects.create(name="bench of the judge")
    judge.groups.add(bench)
    with pytest.raises(RecordsError, match="their own"):
        classification.assign(sealed_case, actor=judge, user=judge)
    with pytest.raises(RecordsError, match="belong to"):
        classification.assign(sealed_case, actor=judge, group=bench)
    assert not access.can_see(judge, sealed_case)


def test_nobody_routes_restricted_cases_to_a_group_they_belong_to(sealed_case, second_admin):
    """A route assigns every new case of its type to its group: a registrar who routed juvenile cases to
    their own group would give themselves the need to know for all of them."""
    registrar = UserFactory(role="registrar", username="reg-router", clearance="sealed", marks=("JUVENILE",))
    own, other = Group.objects.create(name="bench of the registrar"), Group.objects.create(name="another bench")
    with context.acting(second_admin):
        registrar.groups.add(own)
    juvenile, court = sealed_case.case_type, sealed_case.court
    with pytest.raises(RecordsError, match="belong to"):
        routing.save_route(Route(court=court, case_type=juvenile, group=own), actor=registrar)
    route = routing.save_route(Route(court=court, case_type=juvenile, group=other), actor=registrar)
    route.group = own
    with pytest.raises(RecordsError, match="belong to"):
        routing.save_route(route, actor=registrar)
    assert list(Route.objects.filter(court=court).values_list("group__name", flat=True)) == ["another bench"]
    case_file = CaseFile(number="J-2/2026", court=court, case_type=juvenile, date_filed=date(2026, 1, 6))
    services.register_case_file(case_file, actor=UserFactory(role="clerk", username="clerk-after-route"))
    assert not access.can_see(registrar, case_file)


# The rule against a plain reference ---------------------------------------------------------------------

KINDS = ["clearance", "assign user", "assign group", "join group"]


def reference_refuses(kind, actor, target, members):
    """Who may not do what, from the issue's rule: nobody changes their own clearance, groups or
    assignments; a group's members do not assign it."""
    if kind == "join group":
        return actor == target and target not in members  # joining a group one is in changes nothing
    if kind in ("clearance", "assign user"):
        return actor == target
    return actor in members


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(KINDS),
    actor=st.integers(0, 2),
    target=st.integers(0, 2),
    members=st.frozensets(st.integers(0, 2)),
    raise_to_sealed=st.booleans(),
)
def test_the_self_grant_rule_holds_as_the_reference_says(sealed_case, kind, actor, target, members, raise_to_sealed):
    with transaction.atomic():
        people = [UserFactory(username=f"p{i}-{kind[:3]}-{actor}{target}") for i in range(3)]
        group = Group.objects.create(name=f"g-{kind}-{actor}-{target}")
        for i in members:
            people[i].groups.add(group)
        act = {
            "clearance": lambda: classification.set_clearance(
                people[target], actor=people[actor], level="sealed" if raise_to_sealed else "internal"
            ),
            "assign user": lambda: classification.assign(sealed_case, actor=people[actor], user=people[target]),
            "assign group": lambda: classification.assign(sealed_case, actor=people[actor], group=group),
            "join group": lambda: _join(people[actor], people[target], group),
        }[kind]
        try:
            result = act()
            refused = False
        except RecordsError:
            refused = True
        assert refused == reference_refuses(kind, actor, target, members)
        if kind == "clearance" and not refused:
            assert isinstance(result, ClearanceGrant) == raise_to_sealed
        transaction.set_rollback(True)


def _join(actor, user, group):
    with context.acting(actor), transaction.atomic():
        user.groups.add(group)
