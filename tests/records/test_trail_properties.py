"""The audit trail's visibility and the self-grant rule, checked against plain-Python references over the
random small worlds of test_access_properties (its reference rule of who sees what, and its builder).

Who reads an event: about an item, those who may see it, and once it is deleted those cleared for the level
and marks it kept, with the need to know its case still gives; a search's words, those cleared for the
searcher's reach who see every restricted case the words found. Who may change whose reach: anyone but the
person it is about, and a raise to sealed or a new mark only with a second person's approval.
"""

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from audit import actions, context, trail
from records import access, auditing, classification
from records.errors import RecordsError
from records.models import Clearance, ClearanceGrant
from records.staff.audit import visible_events
from tests.records.test_access_properties import (
    MARKS,
    NEEDS_ASSIGNMENT,
    RANK,
    a_world,
    assigned,
    build,
    clearance_of,
    examples,
    principals,
    rolled_back,
    sees_case,
    sees_document,
    worlds,
)

pytestmark = pytest.mark.django_db


# The words of a search ----------------------------------------------------------------------------


def reads_words(world, who, typist, scope):
    """The reference for a search or export event: the reader is cleared for the typist's level and marks
    (as kept in the event), and sees every restricted case the words are about."""
    level, marks = clearance_of(world, who)
    typed_level = world["users"][typist]["level"] or "public"
    typed_marks = world["users"][typist]["marks"]
    if RANK[typed_level] > RANK[level] or not typed_marks <= marks:
        return False
    return all(sees_case(world, who, world["cases"][i]) for i in scope)


@examples(40)
@given(data=st.data())
def test_the_words_of_a_search_are_read_by_the_reference_readers_only(data):
    world = data.draw(worlds(), label="world")
    typist = data.draw(st.integers(0, len(world["users"]) - 1), label="typist")
    scope = data.draw(st.frozensets(st.integers(0, len(world["cases"]) - 1)), label="scope")
    with rolled_back():
        built = build(world)
        spec = world["users"][typist]
        event = trail.record(
            actions.SEARCH,
            actor=built["users"][typist],
            target_type=auditing.SEARCH_TARGET,
            target_id=",".join(sorted(spec["marks"])),
            level=spec["level"] or "public",
            marks=sorted(spec["marks"]),
            scope=[built["cases"][f"case{i}"].pk for i in scope],
            after={"query": "Haddad"},
        )
        for who, user in principals(world, built):
            want = reads_words(world, who, typist, scope)
            assert visible_events(user).filter(pk=event.pk).exists() == want, f"principal {who}"


# An item's own events, before and after it is deleted ---------------------------------------------


def restriction(world, case_index, document):
    """(level, marks) of an item by the rule, as its events keep them: a case's own; a document's own level
    where set, and never below its case's (legislation: public), with its own marks and its case's."""
    case = world["cases"][case_index] if case_index is not None else None
    if document is None:
        return case["level"], case["marks"]
    floor = case["level"] if case else "public"
    level = max(document["level"] or floor, floor, key=RANK.get)
    return level, document["marks"] | (case["marks"] if case else frozenset())


def cleared_for(world, who, level, marks):
    reader_level, reader_marks = clearance_of(world, who)
    return RANK[level] <= RANK[reader_level] and marks <= reader_marks


def reads_item_event(world, who, case_index, document, gone):
    """The reference for an event about a case, a document or a version (`document` None for a case's own).

    While an item exists its events are read by those who may see it. Once it is deleted, by those cleared
    for the level and marks its events kept, and, while its case still exists, who have the need to know
    the case gives (seeing the case, and an assignment to it where the kept level needs one): an event is as
    restricted as its item, need-to-know included, not by level and marks alone. A deleted case's
    assignments went with it, so clearance alone decides its events."""
    level, marks = restriction(world, case_index, document)
    case = world["cases"][case_index] if case_index is not None else None
    case_gone = case_index is not None and ("case", case_index) in gone
    if case is not None:
        if case_gone:
            if not cleared_for(world, who, level, marks):
                return False
        elif not sees_case(world, who, case):
            return False
    if document is None:
        return True
    if ("document", id(document)) not in gone:
        return sees_document(world, who, case, document)
    if not cleared_for(world, who, level, marks):
        return False
    if case is not None and not case_gone and level in NEEDS_ASSIGNMENT:
        return assigned(world, who, case)
    return True


@examples(40)
@given(data=st.data())
def test_the_trail_of_an_item_is_read_by_the_reference_readers_before_and_after_it_is_deleted(data):
    world = data.draw(worlds(), label="world")
    documents = [(i, j) for i, case in enumerate(world["cases"]) for j in range(len(case["documents"]))]
    gone_documents = data.draw(
        st.frozensets(st.sampled_from(documents)) if documents else st.just(frozenset()), label="gone documents"
    )
    # A case is deleted only once it holds nothing (its documents protect it).
    emptied = [
        i
        for i, case in enumerate(world["cases"])
        if all((i, j) in gone_documents for j in range(len(case["documents"])))
    ]
    gone_cases = data.draw(
        st.frozensets(st.sampled_from(emptied)) if emptied else st.just(frozenset()), label="gone cases"
    )
    gone_legislation = world["legislation"] is not None and data.draw(st.booleans(), label="legislation gone")
    with rolled_back():
        built = build(world)
        events = []  # (event, case index or None, document spec or None)
        for i in range(len(world["cases"])):
            case = built["cases"][f"case{i}"]
            events.append((trail.record(actions.VIEW, actor=built["actor"], **access.trail_refs(case)), i, None))
            for j, spec in enumerate(world["cases"][i]["documents"]):
                for kind in ("documents", "versions"):
                    refs = access.trail_refs(built[kind][f"doc{i}.{j}"])
                    events.append((trail.record(actions.VIEW, actor=built["actor"], **refs), i, spec))
        if world["legislation"] is not None:
            for kind in ("documents", "versions"):
                refs = access.trail_refs(built[kind]["legislation"])
                events.append((trail.record(actions.VIEW, actor=built["actor"], **refs), None, world["legislation"]))
        gone = set()
        for i, j in gone_documents:
            built["documents"][f"doc{i}.{j}"].delete()
            gone.add(("document", id(world["cases"][i]["documents"][j])))
        for i in gone_cases:
            built["cases"][f"case{i}"].delete()
            gone.add(("case", i))
        if gone_legislation:
            built["documents"]["legislation"].delete()
            gone.add(("document", id(world["legislation"])))
        for who, user in principals(world, built):
            shown = set(visible_events(user).values_list("pk", flat=True))
            for event, case_index, document in events:
                want = reads_item_event(world, who, case_index, document, gone)
                assert (event.pk in shown) == want, (
                    f"principal {who}, event about case {case_index} document {document} (gone: {sorted(map(str, gone))})"
                )


# Who may change whose reach -----------------------------------------------------------------------


def may_change(actor, target_user=None, group_members=None):
    """The reference for who may change whose reach: anyone but the person whose reach it is (a group's
    members, for a group's assignments or membership)."""
    if target_user is not None:
        return actor != target_user
    return actor not in group_members


@examples(30)
@given(data=st.data())
def test_no_one_changes_their_own_reach_and_others_may(data):
    world = data.draw(worlds(), label="world")
    n = len(world["users"])
    actor = data.draw(st.integers(0, n - 1), label="actor")
    target = data.draw(st.integers(0, n - 1), label="target")
    kinds = ["clearance", "revoke", "assign user"] + (["assign group", "join group"] if world["n_groups"] else [])
    kind = data.draw(st.sampled_from(kinds), label="kind")
    group = data.draw(st.integers(0, world["n_groups"] - 1), label="group") if world["n_groups"] else None
    with rolled_back():
        built = build(world)
        users, case = built["users"], built["cases"]["case0"]
        by = users[actor]
        if kind == "assign group":
            want = may_change(
                actor, group_members={u for u, spec in enumerate(world["users"]) if group in spec["groups"]}
            )
        elif kind == "join group" and group in world["users"][target]["groups"]:
            want = True  # joining a group one is already in changes nothing, so nothing is refused
        else:
            want = may_change(actor, target_user=target)
        try:
            with transaction.atomic(), context.acting(by):
                if kind == "clearance":
                    classification.set_clearance(users[target], actor=by, level="internal")
                elif kind == "revoke":
                    classification.revoke_clearance(users[target], actor=by)
                elif kind == "assign user":
                    classification.assign(case, actor=by, user=users[target])
                elif kind == "assign group":
                    classification.assign(case, actor=by, group=built["groups"][group])
                else:
                    users[target].groups.add(built["groups"][group])
            allowed = True
        except RecordsError:
            allowed = False
        assert allowed == want, (kind, actor, target)


@examples(30)
@given(data=st.data())
def test_a_grant_of_sealed_or_a_mark_is_approved_by_a_second_person_only(data):
    world = data.draw(worlds(), label="world")
    n = len(world["users"])
    grantee, approver = (
        data.draw(st.integers(0, n - 1), label="grantee"),
        data.draw(st.integers(-1, n - 1), label="approver"),
    )
    mark = data.draw(st.sampled_from(MARKS), label="mark")
    with rolled_back():
        built = build(world)
        users = built["users"]
        by = built["actor"] if approver < 0 else users[approver]  # -1: the proposer approves their own proposal
        spec = world["users"][grantee]
        pending = classification.set_clearance(users[grantee], actor=built["actor"], level="sealed", marks=[mark])
        already = (spec["level"] == "sealed") and mark in spec["marks"]
        assert isinstance(pending, ClearanceGrant) != already
        if already:
            return
        assert Clearance.objects.filter(user=users[grantee], level="sealed", marks__code=mark).exists() is False
        want = approver >= 0 and approver != grantee  # reference: neither the grantee nor the proposer
        try:
            classification.approve_clearance_grant(pending, actor=by)
            allowed = True
        except RecordsError:
            allowed = False
        assert allowed == want
        assert Clearance.objects.filter(user=users[grantee], level="sealed", marks__code=mark).exists() == want


def test_a_deleted_sealed_document_in_a_standing_case_stays_with_those_assigned_to_the_case():
    """Found by the property above: a reader cleared for sealed but not assigned, who sees the internal case,
    did not see its sealed document, and read the document's events (title, files) once it was deleted."""
    document = {"level": "sealed", "marks": frozenset()}
    world = a_world(
        users=[{"level": "sealed"}, {"level": "sealed"}],
        cases=[{"level": "internal", "users": frozenset({1}), "documents": [document]}],
    )
    with rolled_back():
        built = build(world)
        event = trail.record(actions.VIEW, actor=built["actor"], **access.trail_refs(built["documents"]["doc0.0"]))
        built["documents"]["doc0.0"].delete()
        readers = [visible_events(user).filter(pk=event.pk).exists() for user in built["users"]]
    gone = {("document", id(document))}
    assert readers == [reads_item_event(world, who, 0, document, gone) for who in (0, 1)] == [False, True]
