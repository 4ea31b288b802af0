"""What the records core writes to the audit trail on reading: seeing restricted items, and refusals.

Changes are recorded by the services that make them; reads happen in views, which call these.
"""

from audit import actions, trail
from records import access
from records.models import CaseFile, Document, Mark, Version


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
    """Someone asked for an item that exists but that they may not see (they were answered: not found)."""
    target = model._default_manager.filter(**lookup).first()
    if isinstance(target, CaseFile | Document | Version):
        trail.record(actions.REFUSED, actor=user, target_repr="", **access.trail_refs(target))
    elif target is not None:
        trail.record(actions.REFUSED, actor=user, target=target, target_repr="")


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
