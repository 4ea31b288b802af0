"""What the records core writes to the audit trail on reading: seeing restricted items, and refusals.

Changes are recorded by the services that make them; reads happen in views, which call these.
"""

from django.db.models import Q

from audit import actions, trail
from records import access
from records.models import Mark


def viewed(user, obj):
    """A confidential or sealed item was shown: who looked is part of the record."""
    if access.is_restricted(obj):
        trail.record(actions.VIEW, actor=user, **access.trail_refs(obj))


def downloaded(user, version):
    """Every download of a confidential or sealed file is recorded."""
    if access.is_restricted(version):
        trail.record(
            actions.DOWNLOAD, actor=user, after={"version": version.number, "sha256": version.sha256},
            **access.trail_refs(version),
        )


def refused(user, model, lookup):
    """Someone asked for an item they may not see, or one that does not exist (they were answered: not found).

    Both are written, and alike: the event keeps what was asked for (the model and the lookup as typed),
    never the item's case, level or marks. Writing it only for an existing item made a hidden id answer
    measurably slower than a missing one, and an event carrying the item's restriction would be shown or
    hidden in the trail by whether the item exists.
    """
    meta = model._meta
    typed = {name: str(value)[:200] for name, value in sorted(lookup.items())}
    trail.record(
        actions.REFUSED,
        actor=user,
        target_type=f"{meta.app_label}.{meta.model_name}",
        target_id=typed.get("pk", ""),
        target_repr="",
        after={"lookup": typed},
    )


SEARCH_TARGET = "records.search"
# The most restricted cases an event's scope names; a search matching more is rare, and beyond this the
# event is still kept under the searcher's level and marks.
SCOPE_LIMIT = 1000


def restricted_ids(cases):
    """The confidential, sealed or marked cases among `cases`: those a reader must be able to see to read
    words about them."""
    restricted = Q(level__in=access.NEEDS_ASSIGNMENT) | Q(marked=True)
    return list(cases.filter(restricted).order_by().values_list("pk", flat=True)[:SCOPE_LIMIT])


def reach_restriction(user):
    """The searcher's level and mark codes: an event carrying their words is kept under them."""
    reach = access.reach_of(user)
    codes = sorted(Mark.objects.filter(pk__in=reach.mark_ids).values_list("code", flat=True))
    return reach.level, codes


def records_words_of(user):
    """Whose searches are recorded: anyone whose reach goes beyond open items (a mark, or a level that
    needs an assignment), since what they look for may be about what only they can see."""
    reach = access.reach_of(user)
    return bool(reach.mark_ids) or reach.level in access.NEEDS_ASSIGNMENT


def searched(user, query, *, hits=None, **filters):
    """A search by someone whose reach goes beyond open items is recorded: what was looked for is itself
    sensitive. The words are as restricted as what they are about: the event keeps the searcher's level and
    marks, and names in its scope the restricted cases the search found, so that only readers who may see
    every one of them read it (audit.trail.record's `scope`)."""
    if not records_words_of(user):
        return
    level, codes = reach_restriction(user)
    trail.record(
        actions.SEARCH,
        actor=user,
        target_type=SEARCH_TARGET,
        target_id=",".join(codes),
        level=level,
        marks=codes,
        after={"query": query, **{k: v for k, v in filters.items() if v}},
        scope=restricted_ids(hits) if hits is not None else (),
    )


def listed(user, objects):
    """Confidential and sealed items shown in a list are seen as surely as on their own page."""
    for obj in objects:
        viewed(user, obj)
