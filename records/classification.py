"""Classifying case files and documents, assigning people to cases, and granting clearances.

Sealed by rule, not by memory: a case's type and its parties set a floor (a juvenile or GBV case type's
default level and marks; a child party, or one under 18 on the filing date, makes the case JUVENILE).
Every path that saves a case applies the floor in the same transaction, so no one sees a case before it
is sealed. People may then classify higher, within their own clearance; lowering needs a reason and a
court order, and lowering to public is a separate, explicit declassification. Each change is kept in the
classification history and written to the audit trail.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions, trail
from records import access, signals
from records.errors import RecordsError
from records.models import (
    Assignment,
    CaseFile,
    ClassificationChange,
    Clearance,
    ClearanceGrant,
    Document,
    Level,
    Mark,
    Party,
    PartyRole,
)

JUVENILE = "JUVENILE"
ADULT_AGE = 18


class ClassificationRefused(RecordsError):
    field = "level"


def _mark_codes(marks):
    return sorted(mark.code for mark in marks)


def _marks(codes_or_marks):
    """Mark objects from codes or marks; an unknown code is an error naming it."""
    wanted = {m.code if isinstance(m, Mark) else m for m in codes_or_marks}
    found = list(Mark.objects.filter(code__in=wanted))
    if missing := wanted - {mark.code for mark in found}:
        raise ClassificationRefused(
            _("Unknown mark: %(codes)s.") % {"codes": ", ".join(sorted(missing))}, field="marks"
        )
    return found


def _age_on(born, day):
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def has_child_party(case_file):
    """A party in the role of child, or born less than 18 years before the filing date."""
    for party in Party.objects.filter(case=case_file).only("role", "date_of_birth"):
        if party.role == PartyRole.CHILD:
            return True
        if party.date_of_birth and case_file.date_filed and _age_on(party.date_of_birth, case_file.date_filed) < ADULT_AGE:
            return True
    return False


def floor_of(case_file):
    """The least level and marks the rules give this case: (level, set of mark codes)."""
    case_type = case_file.case_type
    level = case_type.default_level
    codes = set(case_type.default_marks.values_list("code", flat=True))
    if has_child_party(case_file):
        codes.add(JUVENILE)
    return access.higher(level, mark_floor(codes)), codes


def mark_floor(codes):
    """The least level that marks carry: a child party seals the case, it does not only mark it."""
    level = Level.PUBLIC
    for floor in Mark.objects.filter(code__in=codes).values_list("floor", flat=True):
        level = access.higher(level, floor)
    return level


def may_be_public(case_file):
    """Whether the rules allow this case to be public at all (no floor above public, no marks by rule)."""
    level, codes = floor_of(case_file)
    return level == Level.PUBLIC and not codes


def _record(*, actor, case=None, document=None, before, after, reason="", court_order="", by_rule=False):
    change = ClassificationChange.objects.create(
        case=case,
        document=document,
        from_level=before[0],
        to_level=after[0],
        from_marks=sorted(before[1]),
        to_marks=sorted(after[1]),
        reason=reason,
        court_order=court_order,
        by_rule=by_rule,
        changed_by=actor,
    )
    # The event is kept under the stricter of the two states: it tells of both.
    about = access.trail_refs(case or document)
    about["level"] = access.higher(about["level"], before[0])
    about["marks"] = sorted(set(about["marks"]) | set(before[1]))
    trail.record(
        actions.CLASSIFY,
        actor=actor,
        **about,
        before={"level": before[0], "marks": sorted(before[1])},
        after={
            "level": after[0],
            "marks": sorted(after[1]),
            "reason": reason,
            "court_order": court_order,
            "by_rule": by_rule,
        },
    )
    if case is not None:
        signals.announce(signals.case_changed, case_id=case.pk)
    else:
        signals.announce(signals.document_changed, document_id=document.pk)
    return change


def apply_floor(case_file, *, actor):
    """Raise the case to its rule floor if it is below it; part of every save of a case."""
    level, codes = floor_of(case_file)
    current_codes = set(case_file.marks.values_list("code", flat=True))
    new_codes = current_codes | codes
    new_level = access.higher(access.higher(case_file.level, level), mark_floor(new_codes))
    if new_level == case_file.level and new_codes == current_codes:
        return None
    before = (case_file.level, current_codes)
    CaseFile.objects.filter(pk=case_file.pk).update(level=new_level)
    case_file.level = new_level
    case_file.marks.add(*_marks(new_codes - current_codes))
    return _record(actor=actor, case=case_file, before=before, after=(new_level, new_codes), by_rule=True)


def apply_type_floor(case_type, *, actor):
    """After a case type's floor was raised: raise every case of the type below it, each recorded."""
    raised = 0
    for case_file in CaseFile.objects.filter(case_type=case_type).select_related("case_type").iterator(chunk_size=500):
        with transaction.atomic():
            if apply_floor(case_file, actor=actor):
                _route(case_file, actor)
                raised += 1
    return raised


def _check_within_reach(actor, level, marks):
    reach = access.reach_of(actor)
    if level and access.rank(level) > access.rank(reach.level):
        raise ClassificationRefused(
            _("You are cleared up to %(cleared)s; you cannot classify at %(level)s.")
            % {"cleared": Level(reach.level).label, "level": Level(level).label}
        )
    if outside := sorted(mark.code for mark in marks if mark.pk not in reach.mark_ids):
        raise ClassificationRefused(
            _("You are not cleared for %(marks)s, so you cannot give it.") % {"marks": ", ".join(outside)},
            field="marks",
        )


def _check_lowering(before, after, reason, court_order, *, declassify):
    lowered = access.rank(after[0] or Level.PUBLIC) < access.rank(before[0] or Level.PUBLIC) or not before[1] <= after[1]
    if not lowered:
        return
    if not reason.strip():
        raise ClassificationRefused(_("Lowering a classification needs a reason."), field="reason")
    if not court_order.strip():
        raise ClassificationRefused(
            _("Lowering a classification needs the reference of the court order that allows it."), field="court_order"
        )
    if after[0] == Level.PUBLIC and not declassify:
        raise ClassificationRefused(
            _("Making an item public is a declassification; use Declassify, which says so explicitly.")
        )


def classify_case(case_file, *, actor, level, marks=(), reason="", court_order="", declassify=False):
    """Set a case's level and marks, within the actor's clearance and never below the rule floor."""
    level = Level(level)
    marks = _marks(marks)
    with transaction.atomic():
        current = CaseFile.objects.select_for_update().get(pk=case_file.pk)
        before = (current.level, set(current.marks.values_list("code", flat=True)))
        after = (level, {mark.code for mark in marks})
        if after == before:
            return None
        _check_within_reach(actor, level, marks)
        floor_level, floor_codes = floor_of(current)
        floor_level = access.higher(floor_level, mark_floor(after[1]))
        if access.rank(level) < access.rank(floor_level) or not floor_codes <= after[1]:
            raise ClassificationRefused(
                _("By rule this case is at least %(level)s with %(marks)s (its type or a child party).")
                % {"level": Level(floor_level).label, "marks": ", ".join(sorted(floor_codes)) or "—"}
            )
        _check_lowering(before, after, reason, court_order, declassify=declassify)
        CaseFile.objects.filter(pk=current.pk).update(level=level)
        current.marks.set(marks)
        change = _record(
            actor=actor, case=current, before=before, after=after, reason=reason.strip(), court_order=court_order.strip()
        )
        current.level = level
        _route(current, actor)
    case_file.level = level
    return change


def _route(case_file, actor):
    from records import routing  # routing assigns through this module

    return routing.route(case_file, actor=actor)


def declassify_case(case_file, *, actor, reason, court_order):
    """Make a case public: the explicit act, with its reason and court order, that lowering to public is."""
    return classify_case(
        case_file, actor=actor, level=Level.PUBLIC, marks=(), reason=reason, court_order=court_order, declassify=True
    )


def classify_document(document, *, actor, level="", marks=(), reason="", court_order="", declassify=False):
    """Restrict a document beyond its case (level "" means as its case); never below its case."""
    level = Level(level) if level else ""
    marks = _marks(marks)
    with transaction.atomic():
        current = Document.objects.select_for_update(of=("self",)).select_related("case").get(pk=document.pk)
        before = (current.level, set(current.marks.values_list("code", flat=True)))
        after = (level, {mark.code for mark in marks})
        if after == before:
            return None
        _check_within_reach(actor, level, marks)
        if level in access.NEEDS_ASSIGNMENT and current.case_id is None:
            raise ClassificationRefused(
                _("A document outside any case cannot be confidential or sealed: no one could be assigned to it.")
            )
        case_level = current.case.level if current.case_id else Level.PUBLIC
        if level and access.rank(level) < access.rank(case_level):
            raise ClassificationRefused(
                _("A document may be more restricted than its case, never less; its case is %(level)s.")
                % {"level": Level(case_level).label}
            )
        # A document's own level below its case's is no lowering of what anyone may see.
        effective_before = (access.higher(before[0], case_level), before[1])
        effective_after = (access.higher(after[0], case_level), after[1])
        _check_lowering(effective_before, effective_after, reason, court_order, declassify=declassify)
        Document.objects.filter(pk=current.pk).update(level=level)
        current.marks.set(marks)
        change = _record(
            actor=actor, document=current, before=before, after=after, reason=reason.strip(), court_order=court_order.strip()
        )
    document.level = level
    return change


# Assignments and clearances ------------------------------------------------------------------------


def assign(case_file, *, actor, user=None, group=None):
    """Give a user or a group the need to know for a case."""
    if (user is None) == (group is None):
        raise RecordsError(_("Assign either a user or a group."), field="user")
    _refuse_own_assignment(actor, user=user, group=group)
    return _assign(case_file, actor=actor, user=user, group=group)


def _refuse_own_assignment(actor, *, user=None, group=None):
    """Nobody gives themselves, or a group they belong to, the need to know."""
    if user is not None:
        _refuse_self(user, actor, _("assignments"))
    if group is not None and actor is not None and group.user_set.filter(pk=actor.pk).exists():
        raise ClassificationRefused(
            _("You belong to %(group)s, so you cannot assign it; ask another person.") % {"group": group.name},
            field="group",
        )


def assign_by_rule(case_file, *, actor, user=None, group=None):
    """An assignment the rules make, not a person's choice: the registrant of a restricted case cleared for
    it keeps it in view (they typed it in)."""
    return _assign(case_file, actor=actor, user=user, group=group)


def _assign(case_file, *, actor, user=None, group=None):
    with transaction.atomic():
        assignment, created = Assignment.objects.get_or_create(
            case=case_file, user=user, group=group, defaults={"assigned_by": actor}
        )
        if created:
            trail.record(
                actions.ASSIGN,
                actor=actor,
                **access.trail_refs(case_file),
                after={"user": user.get_username() if user else None, "group": group.name if group else None},
            )
    access.forget(user)
    return assignment


def unassign(assignment, *, actor):
    _refuse_own_assignment(actor, user=assignment.user, group=assignment.group)
    with transaction.atomic():
        case_file = assignment.case
        trail.record(
            actions.UNASSIGN,
            actor=actor,
            **access.trail_refs(case_file),
            before={
                "user": assignment.user.get_username() if assignment.user_id else None,
                "group": assignment.group.name if assignment.group_id else None,
            },
        )
        assignment.delete()
    access.forget(assignment.user)


def _refuse_self(user, actor, what):
    if actor is not None and user is not None and actor.pk == user.pk:
        raise ClassificationRefused(
            _("Nobody may change their own %(what)s; ask another administrator.") % {"what": what}, field="user"
        )


def _current_clearance(user):
    clearance = Clearance.objects.filter(user=user).first()
    if clearance is None:
        return Level.PUBLIC, set()
    return clearance.level, set(clearance.marks.values_list("code", flat=True))


def needs_second_person(user, level, codes):
    """A raise to sealed, or a mark the user does not hold yet, takes two people."""
    current_level, current_codes = _current_clearance(user)
    return (Level(level) == Level.SEALED and current_level != Level.SEALED) or not set(codes) <= current_codes


def _apply_clearance(user, *, actor, level, marks, approved_by=None):
    with transaction.atomic():
        clearance, created = Clearance.objects.select_for_update().get_or_create(user=user, defaults={"level": level})
        before = {"level": clearance.level if not created else Level.PUBLIC, "marks": _mark_codes(clearance.marks.all())}
        clearance.level = level
        clearance.save()
        clearance.marks.set(marks)
        after = {"level": level, "marks": _mark_codes(marks)}
        if approved_by is not None:
            after["approved_by"] = approved_by.get_username()
        if before["level"] != after["level"] or before["marks"] != after["marks"]:
            trail.record(actions.CLEARANCE, actor=actor, target=user, before=before, after=after)
    access.forget(user)
    return clearance


def set_clearance(user, *, actor, level, marks=()):
    """Grant or change another user's clearance, recorded in the audit trail.

    Nobody changes their own. A raise to sealed or a new mark is only proposed: it returns a pending
    `ClearanceGrant`, which takes effect when a second person approves it (`approve_clearance_grant`).
    Anything else (lowering, the same marks) takes effect at once and returns the `Clearance`.
    """
    level = Level(level)
    marks = _marks(marks)
    _refuse_self(user, actor, _("clearance"))
    codes = _mark_codes(marks)
    if not needs_second_person(user, level, codes):
        return _apply_clearance(user, actor=actor, level=level, marks=marks)
    with transaction.atomic():
        grant = ClearanceGrant.objects.create(user=user, level=level, marks=codes, proposed_by=actor)
        trail.record(
            actions.CLEARANCE_PROPOSED,
            actor=actor,
            target=user,
            after={"level": level, "marks": codes, "grant": grant.pk},
        )
    return grant


def _pending(grant):
    current = ClearanceGrant.objects.select_for_update().get(pk=grant.pk)
    if current.decision != ClearanceGrant.Decision.PENDING:
        raise ClassificationRefused(
            _("This clearance grant was already %(decision)s.") % {"decision": current.get_decision_display().lower()}
        )
    return current


def approve_clearance_grant(grant, *, actor):
    """The second person's approval: the proposer and the user it is for cannot give it."""
    if actor.pk in (grant.proposed_by_id, grant.user_id):
        raise ClassificationRefused(
            _("A clearance grant is approved by a second person: neither its proposer nor the user it is for.")
        )
    with transaction.atomic():
        current = _pending(grant)
        current.decision, current.decided_by, current.decided_at = ClearanceGrant.Decision.APPROVED, actor, timezone.now()
        current.save(update_fields=["decision", "decided_by", "decided_at"])
        clearance = _apply_clearance(
            current.user, actor=actor, level=current.level, marks=_marks(current.marks), approved_by=actor
        )
    return clearance


def decline_clearance_grant(grant, *, actor):
    with transaction.atomic():
        current = _pending(grant)
        current.decision, current.decided_by, current.decided_at = ClearanceGrant.Decision.DECLINED, actor, timezone.now()
        current.save(update_fields=["decision", "decided_by", "decided_at"])
        trail.record(actions.CLEARANCE_DECLINED, actor=actor, target=current.user, after={"grant": current.pk})
    return current


def set_clearance_by_command(user, *, level, marks=()):
    """A clearance given from the server's command line (installation, demo data): whoever runs commands on
    the server holds the database already, so the two-person rule has nothing to add; it is recorded."""
    return _apply_clearance(user, actor=None, level=Level(level), marks=_marks(marks))


def revoke_clearance(user, *, actor):
    """Take a user's clearance away: from now on they see public items only."""
    _refuse_self(user, actor, _("clearance"))
    with transaction.atomic():
        clearance = Clearance.objects.select_for_update().filter(user=user).first()
        if clearance is None:
            return
        before = {"level": clearance.level, "marks": _mark_codes(clearance.marks.all())}
        clearance.delete()
        trail.record(actions.CLEARANCE, actor=actor, target=user, before=before, after={"level": Level.PUBLIC, "marks": []})
    access.forget(user)
