"""Group membership is a fact the access rule reads (a bench group's assignment gives its members the need
to know), so every change of it, by any path, is an audit event, and nobody changes their own.

Connected to `m2m_changed` of `User.groups` in RecordsConfig.ready(): Wagtail's user editor, the shell,
the demo loader and tests all go through it. The actor is the user of the current request (audit.context);
commands run without one.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext as _

from audit import actions, context, trail
from records import access
from records.errors import RecordsError

_BEFORE_CLEAR = "_sijill_groups_before_clear"


class OwnMembershipRefused(RecordsError):
    field = "groups"


def _pairs(instance, reverse, pk_set):
    """(user, group) pairs touched, whichever side the change was made from."""
    if not reverse:
        return [(instance, group) for group in Group.objects.filter(pk__in=pk_set or ())]
    return [(user, instance) for user in get_user_model().objects.filter(pk__in=pk_set or ())]


def _actor():
    actor = context.current().user
    return actor if actor is not None and actor.is_authenticated else None


def membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        related = instance.user_set.all() if reverse else instance.groups.all()
        setattr(instance, _BEFORE_CLEAR, set(related.values_list("pk", flat=True)))
        action, pk_set = "pre_remove", getattr(instance, _BEFORE_CLEAR)
    elif action == "post_clear":
        action, pk_set = "post_remove", getattr(instance, _BEFORE_CLEAR, set())
    if action not in ("pre_add", "pre_remove", "post_add", "post_remove"):
        return
    actor = _actor()
    pairs = _pairs(instance, reverse, pk_set)
    if action.startswith("pre_"):
        if actor is not None and any(user.pk == actor.pk for user, _group in pairs):
            raise OwnMembershipRefused(_("Nobody may change their own groups; ask another administrator."))
        return
    verb = "added" if action == "post_add" else "removed"
    for user, group in pairs:
        trail.record(actions.GROUPS, actor=actor, target=user, after={verb: group.name})
        access.forget(user)


def connect():
    m2m_changed.connect(membership_changed, sender=get_user_model().groups.through, dispatch_uid="sijill-groups")
