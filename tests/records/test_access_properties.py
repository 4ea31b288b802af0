"""The access rule, checked against a plain-Python statement of it over random small worlds.

The reference below is written from the rule as the issue states it, not from records.access: levels
public < internal < confidential < sealed; an item is visible when its level is within the user's
clearance, its marks are all among the user's marks and, for confidential and sealed items, the user is
assigned to the case, directly or through a group. No clearance: public only, no marks. Inactive and
anonymous users: public only, no assignments. Superusers have no bypass. A document needs its case
visible and its own level and marks within reach (its own confidential or sealed level needs the
assignment to its case); legislation outside any case needs only its own. A version goes with its document.

Each world is written with the ORM directly, bypassing the services' checks, because the rule must hold
for whatever is stored; each example runs in a savepoint that is rolled back, so no rows leak between them.
"""

import datetime
import uuid
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from records import access, classification
from records.models import (
    Assignment,
    CaseFile,
    CaseType,
    Clearance,
    ClearanceGrant,
    Document,
    Institution,
    Mark,
    Version,
)

pytestmark = pytest.mark.django_db

LEVELS = ["public", "internal", "confidential", "sealed"]
RANK = {level: rank for rank, level in enumerate(LEVELS)}
NEEDS_ASSIGNMENT = {"confidential", "sealed"}
MARKS = ["JUVENILE", "GBV", "FAMILY"]
COURTS = 2
ANONYMOUS = None


def examples(n):
    """Hypothesis settings for `n` worlds; the counts keep this file under a minute on SQLite."""
    return settings(
        max_examples=n,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# The reference rule, over plain data ---------------------------------------------------------------


def clearance_of(world, who):
    """(level, marks) a principal is cleared for; `who` is a user's index, or ANONYMOUS."""
    if who is ANONYMOUS or not world["users"][who]["active"] or world["users"][who]["level"] is None:
        return "public", frozenset()
    user = world["users"][who]
    return user["level"], user["marks"]


def assigned(world, who, case):
    if who is ANONYMOUS or not world["users"][who]["active"]:
        return False
    return who in case["users"] or bool(world["users"][who]["groups"] & case["groups"])


def sees_case(world, who, case):
    level, marks = clearance_of(world, who)
    if RANK[case["level"]] > RANK[level] or not case["marks"] <= marks:
        return False
    return case["level"] not in NEEDS_ASSIGNMENT or assigned(world, who, case)


def sees_document(world, who, case, document):
    """`case` is None for legislation outside any case."""
    level, marks = clearance_of(world, who)
    if case is not None and not sees_case(world, who, case):
        return False
    own = document["level"]
    if own and RANK[own] > RANK[level]:
        return False
    if not document["marks"] <= marks:
        return False
    if own in NEEDS_ASSIGNMENT:
        return case is not None and assigned(world, who, case)
    return True


def expected(world, who):
    """The keys of the cases and of the documents (so of the versions) the principal may see."""
    cases = {f"case{i}" for i, case in enumerate(world["cases"]) if sees_case(world, who, case)}
    documents = {
        f"doc{i}.{j}"
        for i, case in enumerate(world["cases"])
        for j, document in enumerate(case["documents"])
        if sees_document(world, who, case, document)
    }
    if world["legislation"] is not None and sees_document(world, who, None, world["legislation"]):
        documents.add("legislation")
    return cases, documents


# Random small worlds -------------------------------------------------------------------------------

marks_st = st.frozensets(st.sampled_from(MARKS))
# Weighted so that confidential and sealed items are often visible to someone, not only hidden from all.
user_levels = st.sampled_from([None, "public", "internal", "confidential", "sealed", "sealed"])
user_marks = marks_st | st.just(frozenset(MARKS))
item_marks = st.just(frozenset()) | marks_st


@st.composite
def worlds(draw):
    n_users = draw(st.integers(1, 4))
    n_groups = draw(st.integers(0, 2))
    some_users = st.frozensets(st.sampled_from(range(n_users))) | st.just(frozenset(range(n_users)))
    some_groups = st.frozensets(st.sampled_from(range(n_groups))) if n_groups else st.just(frozenset())
    users = []
    for _ in range(n_users):
        level = draw(user_levels)
        users.append(
            {
                "level": level,
                "marks": draw(user_marks) if level else frozenset(),
                "superuser": draw(st.booleans()),
                "active": draw(st.booleans() | st.just(True)),
                "groups": draw(some_groups),
            }
        )
    cases = []
    for _ in range(draw(st.integers(1, 5))):
        documents = [
            {"level": draw(st.sampled_from(["", *LEVELS])), "marks": draw(item_marks)}
            for _ in range(draw(st.integers(0, 2)))
        ]
        cases.append(
            {
                "level": draw(st.sampled_from(LEVELS)),
                "marks": draw(item_marks),
                "court": draw(st.integers(0, COURTS - 1)),
                "users": draw(some_users),
                "groups": draw(some_groups),
                "documents": documents,
            }
        )
    legislation = draw(
        st.none() | st.fixed_dictionaries({"level": st.sampled_from(["", "public", "internal"]), "marks": item_marks})
    )
    return {"n_groups": n_groups, "users": users, "cases": cases, "legislation": legislation}


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    """Run the body in a savepoint and always roll it back: each example starts from the same empty state."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def build(world):
    """Write the world with the ORM; return its rows by key."""
    User = get_user_model()
    marks = {code: Mark.objects.get_or_create(code=code, defaults={"name": code.title()})[0] for code in MARKS}
    actor = User.objects.create(username="registrar")
    approver = User.objects.create(username="second-registrar")
    courts = [Institution.objects.create(code=f"CRT-{n}", name=f"Court {n}", kind="court") for n in range(COURTS)]
    case_type = CaseType.objects.create(code="civil", name="Civil")
    groups = [Group.objects.create(name=f"bench {n}") for n in range(world["n_groups"])]
    users = []
    for i, spec in enumerate(world["users"]):
        user = User.objects.create(username=f"user{i}", is_superuser=spec["superuser"], is_active=spec["active"])
        user.groups.set(groups[g] for g in spec["groups"])
        if spec["level"] is not None:
            clearance = Clearance.objects.create(user=user, level=spec["level"])
            clearance.marks.set(marks[code] for code in spec["marks"])
        users.append(user)
    rows = {"cases": {}, "documents": {}, "versions": {}}

    def add_document(key, case, spec):
        document = Document.objects.create(
            case=case,
            kind="judgment" if case else "legislation",
            title=key,
            level=spec["level"],
            created_by=actor,
        )
        document.marks.set(marks[code] for code in spec["marks"])
        rows["documents"][key] = document
        rows["versions"][key] = Version.objects.create(
            document=document,
            number=1,
            storage_key=f"originals/{uuid.uuid4()}",
            original_name=f"{key}.pdf",
            media_type="application/pdf",
            size=1,
            sha256="0" * 64,
            author=actor,
        )

    for i, spec in enumerate(world["cases"]):
        case = CaseFile.objects.create(
            number=f"{i + 1}/2024",
            court=courts[spec["court"]],
            case_type=case_type,
            date_filed=datetime.date(2024, 2, 1),
            level=spec["level"],
        )
        case.marks.set(marks[code] for code in spec["marks"])
        for u in sorted(spec["users"]):
            Assignment.objects.create(case=case, user=users[u], assigned_by=actor)
        for g in sorted(spec["groups"]):
            Assignment.objects.create(case=case, group=groups[g], assigned_by=actor)
        rows["cases"][f"case{i}"] = case
        for j, document in enumerate(spec["documents"]):
            add_document(f"doc{i}.{j}", case, document)
    if world["legislation"] is not None:
        add_document("legislation", None, world["legislation"])
    return {"actor": actor, "approver": approver, "courts": courts, "groups": groups, "users": users, "marks": marks, **rows}


def principals(world, built):
    """Every user of the world, by index, and an anonymous visitor."""
    return [*enumerate(built["users"]), (ANONYMOUS, AnonymousUser())]


def keys_of(rows, queryset):
    by_pk = {row.pk: key for key, row in rows.items()}
    pks = list(queryset.values_list("pk", flat=True))
    assert len(pks) == len(set(pks)), "the access filter returned an item twice"
    return {by_pk[pk] for pk in pks}


def seen(built, user):
    """What the access layer lets `user` see, as keys: (cases, documents, versions)."""
    return (
        keys_of(built["cases"], access.visible_cases(user)),
        keys_of(built["documents"], access.visible_documents(user)),
        keys_of(built["versions"], access.visible_versions(user)),
    )


def assert_sees_as_reference(world, built, who, user):
    cases, documents = expected(world, who)
    assert seen(built, user) == (cases, documents, documents), f"principal {who}"


# Properties ----------------------------------------------------------------------------------------


@examples(60)
@given(world=worlds())
def test_visible_sets_and_can_see_agree_with_the_rule(world):
    with rolled_back():
        built = build(world)
        for who, user in principals(world, built):
            cases, documents = expected(world, who)
            assert seen(built, user) == (cases, documents, documents), f"principal {who}"
            for kind, visible in (("cases", cases), ("documents", documents), ("versions", documents)):
                for key, row in built[kind].items():
                    assert access.can_see(user, row) == (key in visible), f"principal {who}, {kind} {key}"


@examples(40)
@given(world=worlds())
def test_restrict_composes_with_other_filters_and_counts(world):
    with rolled_back():
        built = build(world)
        courts = built["courts"]
        for who, user in principals(world, built):
            cases, documents = expected(world, who)
            assert access.visible_cases(user).count() == len(cases)
            assert access.visible_documents(user).count() == len(documents)
            assert access.visible_versions(user).count() == len(documents)
            for n, court in enumerate(courts):
                in_court = {f"case{i}" for i, case in enumerate(world["cases"]) if case["court"] == n}
                before = access.restrict(user, CaseFile.objects.filter(court=court))
                after = access.restrict(user, CaseFile.objects.all()).filter(court=court)
                assert keys_of(built["cases"], before) == keys_of(built["cases"], after) == cases & in_court
                assert before.count() == len(cases & in_court)
                docs_in_court = {
                    f"doc{i}.{j}"
                    for i, case in enumerate(world["cases"])
                    if case["court"] == n
                    for j in range(len(case["documents"]))
                }
                versions = access.restrict(user, Version.objects.filter(document__case__court=court))
                assert keys_of(built["versions"], versions) == documents & docs_in_court
            legislation = access.restrict(user, Document.objects.filter(kind="legislation"))
            assert keys_of(built["documents"], legislation) == documents & {"legislation"}
            assert legislation.count() == len(documents & {"legislation"})


@examples(30)
@given(world=worlds(), missing=st.uuids())
def test_an_invisible_item_is_answered_exactly_as_a_missing_one(world, missing):
    querysets = {
        "cases": CaseFile.objects.all(),
        "documents": Document.objects.all(),
        "versions": Version.objects.all(),
    }
    with rolled_back():
        built = build(world)
        for who, user in principals(world, built):
            cases, documents = expected(world, who)
            for kind, visible in (("cases", cases), ("documents", documents), ("versions", documents)):
                with pytest.raises(Http404) as not_there:
                    access.get_visible_or_404(user, querysets[kind], pk=missing)
                for key, row in built[kind].items():
                    if key in visible:
                        assert access.get_visible_or_404(user, querysets[kind], pk=row.pk) == row
                    else:
                        with pytest.raises(Http404) as refused:
                            access.get_visible_or_404(user, querysets[kind], pk=row.pk)
                        assert refused.value.args == not_there.value.args, f"principal {who}, {kind} {key}"


@st.composite
def grants(draw, world):
    """One change that only widens what someone may see, applied through the services where there is one."""
    who = draw(st.integers(0, len(world["users"]) - 1))
    case = draw(st.integers(0, len(world["cases"]) - 1))
    choices = [
        st.tuples(st.just("mark"), st.just(who), st.sampled_from(MARKS)),
        st.tuples(st.just("level"), st.just(who), st.sampled_from(LEVELS)),
        st.tuples(st.just("assign user"), st.just(who), st.just(case)),
    ]
    if world["n_groups"]:
        group = st.integers(0, world["n_groups"] - 1)
        choices += [
            st.tuples(st.just("assign group"), group, st.just(case)),
            st.tuples(st.just("join group"), st.just(who), group),
        ]
    return draw(st.one_of(choices))


def granted(world, grant):
    """The world after `grant`, as plain data; and the grant applied to the database."""
    kind, a, b = grant
    users = [dict(user) for user in world["users"]]
    cases = [dict(case) for case in world["cases"]]
    if kind == "mark":
        users[a]["level"] = users[a]["level"] or "public"
        users[a]["marks"] = users[a]["marks"] | {b}
    elif kind == "level":
        old = users[a]["level"] or "public"
        users[a]["level"] = max(old, b, key=RANK.get)
    elif kind == "assign user":
        cases[b]["users"] = cases[b]["users"] | {a}
    elif kind == "assign group":
        cases[b]["groups"] = cases[b]["groups"] | {a}
    elif kind == "join group":
        users[a]["groups"] = users[a]["groups"] | {b}
    return {**world, "users": users, "cases": cases}


def give_clearance(built, user, level, marks):
    """Set a clearance as the staff do: proposed by one registrar, approved by a second where it must be."""
    result = classification.set_clearance(user, actor=built["actor"], level=level, marks=sorted(marks))
    if isinstance(result, ClearanceGrant):
        classification.approve_clearance_grant(result, actor=built["approver"])
        access.forget(user)  # the approval was another person's request, with its own copy of the user


def apply(built, after, grant):
    kind, a, b = grant
    actor = built["actor"]
    if kind in ("mark", "level"):
        spec = after["users"][a]
        give_clearance(built, built["users"][a], spec["level"], spec["marks"])
    elif kind == "assign user":
        classification.assign(built["cases"][f"case{b}"], actor=actor, user=built["users"][a])
    elif kind == "assign group":
        classification.assign(built["cases"][f"case{b}"], actor=actor, group=built["groups"][a])
    elif kind == "join group":
        built["users"][a].groups.add(built["groups"][b])
        access.forget(built["users"][a])  # as access.forget says: the caller that changes groups forgets


@examples(50)
@given(data=st.data())
def test_granting_a_mark_a_level_or_an_assignment_never_hides_anything(data):
    world = data.draw(worlds(), label="world")
    grant = data.draw(grants(world), label="grant")
    after = granted(world, grant)
    with rolled_back():
        built = build(world)
        everyone = principals(world, built)
        before = {who: seen(built, user) for who, user in everyone}  # also fills each user's cached reach
        apply(built, after, grant)
        for who, user in everyone:
            now = seen(built, user)
            assert all(old <= new for old, new in zip(before[who], now, strict=True)), f"principal {who} lost items"
            assert_sees_as_reference(after, built, who, user)


@examples(40)
@given(data=st.data())
def test_a_changed_clearance_applies_at_once_to_the_same_user_object(data):
    world = data.draw(worlds(), label="world")
    who = data.draw(st.integers(0, len(world["users"]) - 1), label="who")
    level = data.draw(st.sampled_from(LEVELS), label="level")
    marks = data.draw(marks_st, label="marks")
    users = [dict(user) for user in world["users"]]
    users[who].update(level=level, marks=marks)
    after = {**world, "users": users}
    with rolled_back():
        built = build(world)
        user = built["users"][who]
        assert_sees_as_reference(world, built, who, user)  # caches the old reach on this object
        give_clearance(built, user, level, marks)
        assert_sees_as_reference(after, built, who, user)
        assert Clearance.objects.get(user=user).level == level


# Named edge cases ----------------------------------------------------------------------------------


def a_world(users, cases, legislation=None, n_groups=0):
    user_defaults = {"level": None, "marks": frozenset(), "superuser": False, "active": True, "groups": frozenset()}
    case_defaults = {"marks": frozenset(), "court": 0, "users": frozenset(), "groups": frozenset(), "documents": []}
    return {
        "n_groups": n_groups,
        "users": [{**user_defaults, **user} for user in users],
        "cases": [{**case_defaults, **case} for case in cases],
        "legislation": legislation,
    }


def check(world, want):
    """`want` maps a principal to the keys it sees: (cases, documents); the reference must agree too."""
    with rolled_back():
        built = build(world)
        for who, user in principals(world, built):
            cases, documents = want[who]
            assert expected(world, who) == (cases, documents), f"reference, principal {who}"
            assert seen(built, user) == (cases, documents, documents), f"access layer, principal {who}"


def test_a_superuser_without_assignment_does_not_see_a_sealed_case():
    everything = frozenset(MARKS)
    world = a_world(
        users=[
            {"level": "sealed", "marks": everything, "superuser": True},
            {"level": "sealed", "marks": everything, "superuser": True},
        ],
        cases=[{"level": "sealed", "users": frozenset({1})}, {"level": "internal"}],
    )
    check(world, {0: ({"case1"}, set()), 1: ({"case0", "case1"}, set()), ANONYMOUS: (set(), set())})


def test_assignment_through_a_group_is_assignment():
    world = a_world(
        users=[
            {"level": "confidential", "groups": frozenset({0})},
            {"level": "confidential", "groups": frozenset({1})},
        ],
        cases=[{"level": "confidential", "groups": frozenset({0}), "documents": [{"level": "", "marks": frozenset()}]}],
        n_groups=2,
    )
    check(world, {0: ({"case0"}, {"doc0.0"}), 1: (set(), set()), ANONYMOUS: (set(), set())})


def test_a_mark_the_user_lacks_hides_the_case_even_from_an_assigned_user():
    world = a_world(
        users=[
            {"level": "sealed", "marks": frozenset({"GBV", "FAMILY"})},
            {"level": "sealed", "marks": frozenset(MARKS)},
        ],
        cases=[{"level": "confidential", "marks": frozenset({"JUVENILE"}), "users": frozenset({0, 1})}],
    )
    check(world, {0: (set(), set()), 1: ({"case0"}, set()), ANONYMOUS: (set(), set())})


def test_a_document_more_restricted_than_its_case():
    world = a_world(
        users=[
            {"level": "internal"},
            {"level": "sealed"},
            {"level": "sealed"},
            {"level": "sealed", "marks": frozenset({"FAMILY"})},
        ],
        cases=[
            {
                "level": "internal",
                "users": frozenset({2, 3}),
                "documents": [
                    {"level": "sealed", "marks": frozenset()},
                    {"level": "", "marks": frozenset({"FAMILY"})},
                ],
            }
        ],
    )
    check(
        world,
        {
            0: ({"case0"}, set()),  # cleared below the document's own level
            1: ({"case0"}, set()),  # cleared, but not assigned to its case
            2: ({"case0"}, {"doc0.0"}),  # cleared and assigned; the other document has FAMILY, they have not
            3: ({"case0"}, {"doc0.0", "doc0.1"}),
            ANONYMOUS: (set(), set()),
        },
    )


def test_an_inactive_user_sees_public_items_only_whatever_their_clearance_and_assignments():
    world = a_world(
        users=[
            {"level": "sealed", "marks": frozenset(MARKS), "active": False, "superuser": True, "groups": frozenset({0})}
        ],
        cases=[
            {"level": "sealed", "users": frozenset({0}), "groups": frozenset({0})},
            {"level": "internal", "users": frozenset({0})},
            {"level": "public", "marks": frozenset({"GBV"})},
            {"level": "public", "documents": [{"level": "", "marks": frozenset()}]},
        ],
        legislation={"level": "", "marks": frozenset()},
        n_groups=1,
    )
    public = ({"case3"}, {"doc3.0", "legislation"})
    check(world, {0: public, ANONYMOUS: public})


def test_without_a_clearance_a_user_sees_unmarked_public_items_only():
    world = a_world(
        users=[{}],
        cases=[
            {"level": "public", "users": frozenset({0}), "documents": [{"level": "", "marks": frozenset({"FAMILY"})}]},
            {"level": "internal", "users": frozenset({0})},
        ],
        legislation={"level": "internal", "marks": frozenset()},
    )
    check(world, {0: ({"case0"}, set()), ANONYMOUS: ({"case0"}, set())})
