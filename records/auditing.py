"""What the records core writes to the audit trail on reading: seeing restricted items, and refusals.

Changes are recorded by the services that make them; reads happen in views, which call these.
"""

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


def searched(user, query, **filters):
    """Searches by holders of any mark are recorded: what was looked for is itself sensitive.

    The event names the searcher's marks, so that the trail shows it only to readers who hold them all
    (a search for a child's name is as sensitive as the child's case).
    """
    reach = access.reach_of(user)
    if reach.mark_ids:
        codes = sorted(Mark.objects.filter(pk__in=reach.mark_ids).values_list("code", flat=True))
        trail.record(
            actions.SEARCH,
            actor=user,
            target_type=SEARCH_TARGET,
            target_id=",".join(codes),
            after={"query": query, **{k: v for k, v in filters.items() if v}},
        )
