"""Routes by rule: a restricted case reaches the bench or unit that handles it, on every path that saves it.

A sealed juvenile case that nobody is assigned to is seen by nobody, not even the juvenile judge. So when
a case is (or becomes) confidential or sealed, it is assigned to the groups its court's routes name for its
type or its marks. Where no route names it, it goes to its court's registry group ("Registry, <court>"),
made on demand: a registrar or administrator puts the people who handle such cases in that group, or adds
a route, and the case is theirs. No restricted case is left reachable by nobody.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit import actions, trail
from records import access, classification
from records.errors import RecordsError
from records.models import Assignment, Route

# The group's name is data, the same whoever's language made it first (one group per court, not one per
# language); the catalogue still translates the words for display.
REGISTRY = gettext_noop("Registry, %(court)s")


def registry_name(court):
    return (REGISTRY % {"court": court.code})[:150]


def registry_group(court):
    return Group.objects.get_or_create(name=registry_name(court))[0]


def routes_for(case_file):
    marks = case_file.marks.values_list("pk", flat=True)
    return (
        Route.objects.filter(Q(court=case_file.court_id) | Q(court__isnull=True))
        .filter(Q(case_type=case_file.case_type_id) | Q(mark__in=marks))
        .select_related("group")
    )


def route(case_file, *, actor):
    """Assign a restricted case to its routed groups (or its court's registry); the groups it went to."""
    if case_file.level not in access.NEEDS_ASSIGNMENT:
        return []
    groups = {r.group for r in routes_for(case_file)}
    if not groups and not Assignment.objects.filter(case=case_file).exists():
        groups = {registry_group(case_file.court)}
    already = set(Assignment.objects.filter(case=case_file, group__in=groups).values_list("group_id", flat=True))
    for group in sorted(groups, key=lambda g: g.name):
        if group.pk not in already:
            classification.assign_by_rule(case_file, actor=actor, group=group)
    return sorted(groups, key=lambda g: g.name)


def _route_values(route):
    return {
        "court": route.court.code if route.court_id else None,
        "case_type": route.case_type.code if route.case_type_id else None,
        "mark": route.mark.code if route.mark_id else None,
        "group": route.group.name if route.group_id else None,
    }


def _check_within_reach(route, actor):
    """A registrar routes only cases they are cleared for: the route's mark, or the case type's floor."""
    level, codes = access.Level.INTERNAL, set()
    if route.case_type_id:
        level = route.case_type.default_level
        codes |= set(route.case_type.default_marks.values_list("code", flat=True))
    if route.mark_id:
        codes.add(route.mark.code)
        level = access.higher(level, route.mark.floor)
    marks = classification._marks(codes)
    if not access.reach_of(actor).covers(level, [mark.pk for mark in marks]):
        raise RecordsError(
            _("Only someone cleared for %(level)s with %(marks)s may route these cases.")
            % {"level": access.Level(level).label, "marks": ", ".join(sorted(codes)) or "—"}
        )


def _refuse_own_group(route, actor):
    """A route assigns each new case it names to its group: routing them to a group one belongs to would be
    assigning oneself, which nobody does (records.classification)."""
    if actor is not None and route.group_id and route.group.user_set.filter(pk=actor.pk).exists():
        # The words of the assignment refusal, already in every catalogue: a route assigns the group its cases.
        raise RecordsError(
            _("You belong to %(group)s, so you cannot assign it; ask another person.") % {"group": route.group.name},
            field="group",
        )


def _refuse_falling_to_own_registry(route, actor):
    """Cases a route stops naming fall to their court's registry group (route): someone in that group who
    deletes or narrows the route would be assigning those cases to themselves."""
    if actor is None:
        return
    from records.models import Institution

    courts = [route.court] if route.court_id else Institution.objects.all()
    names = [registry_name(court) for court in courts]
    mine = actor.groups.filter(name__in=names).first()
    if mine is not None:
        raise RecordsError(
            _("You belong to %(group)s, so you cannot assign it; ask another person.") % {"group": mine.name},
            field="group",
        )


def save_route(route, *, actor):
    if not route.case_type_id and not route.mark_id:
        raise RecordsError(_("A route names a case type or a mark."), field="case_type")
    _check_within_reach(route, actor)
    _refuse_own_group(route, actor)
    if route.pk:
        _refuse_falling_to_own_registry(Route.objects.select_related("court").get(pk=route.pk), actor)
    with transaction.atomic():
        before = _route_values(Route.objects.get(pk=route.pk)) if route.pk else None
        route.save()
        trail.record(actions.CHANGE if before else actions.CREATE, actor=actor, target=route, before=before, after=_route_values(route))
    return route


def delete_route(route, *, actor):
    _check_within_reach(route, actor)
    _refuse_falling_to_own_registry(route, actor)
    with transaction.atomic():
        trail.record(actions.DELETE, actor=actor, target=route, before=_route_values(route))
        route.delete()
