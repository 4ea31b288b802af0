"""The access layer: the one place that decides who may see a case file, a document or a version.

The rule: an item is visible to a user when its level is at most the user's cleared level, its marks are
all among the user's marks, and, for confidential and sealed items, the user is assigned to the case,
directly or through a group. Superusers are under the same rule. A document is as restricted as its case
and may be more restricted, never less. What the user may then do with a visible item is their role's
(Django permissions).

Every channel (staff pages, the API, downloads, search, exports, statistics) asks here, through
`restrict()` for querysets and `can_see()` for one object, and answers an invisible item exactly as a
missing one. The rule is written once, as a queryset filter, so the database answers it for lists,
counts and single objects alike.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from records.models import Assignment, CaseFile, Document, Level, Page, Rendition, Version

RANK = {Level.PUBLIC: 0, Level.INTERNAL: 1, Level.CONFIDENTIAL: 2, Level.SEALED: 3}
NEEDS_ASSIGNMENT = (Level.CONFIDENTIAL, Level.SEALED)
# Django permission of each act, by model; seeing is the access rule's, acting is the role's.
ACTS = {
    CaseFile: {
        "view": "records.view_casefile",
        "change": "records.change_casefile",
        "delete": "records.delete_casefile",
        "classify": "records.classify_casefile",
        "assign": "records.assign_casefile",
    },
    Document: {
        "view": "records.view_document",
        "download": "records.view_document",
        "change": "records.change_document",
        "delete": "records.delete_document",
        "declare": "records.declare_document",
        "classify": "records.classify_document",
    },
}


def rank(level):
    return RANK[Level(level)]


def higher(level_a, level_b):
    """The more restrictive of two levels ("" means none)."""
    if not level_a:
        return level_b
    if not level_b:
        return level_a
    return level_a if rank(level_a) >= rank(level_b) else level_b


@dataclass(frozen=True)
class Reach:
    """What one user is cleared for and assigned through: everything the rule needs to know of them."""

    user_id: int | None
    level: str
    mark_ids: frozenset
    group_ids: frozenset

    @property
    def levels(self):
        return [level for level in Level.values if RANK[level] <= RANK[self.level]]

    def covers(self, level, mark_ids):
        return (not level or rank(level) <= rank(self.level)) and set(mark_ids) <= self.mark_ids


NOBODY = Reach(user_id=None, level=Level.PUBLIC, mark_ids=frozenset(), group_ids=frozenset())
_CACHE = "_sijill_reach"


def reach_of(user):
    """The user's clearance, marks and groups, read once per user object (that is, once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    from records.models import Clearance

    clearance = Clearance.objects.filter(user=user).first()
    reach = Reach(
        user_id=user.pk,
        level=clearance.level if clearance else Level.PUBLIC,
        mark_ids=frozenset(clearance.marks.values_list("pk", flat=True)) if clearance else frozenset(),
        group_ids=frozenset(user.groups.values_list("pk", flat=True)),
    )
    setattr(user, _CACHE, reach)
    return reach


def forget(user):
    """Drop the cached reach after the user's clearance or groups changed, so this request sees the change."""
    if user is not None and hasattr(user, _CACHE):
        delattr(user, _CACHE)


def _assigned(reach, case_field):
    """The item's case is assigned to the user or one of their groups. Written as `IN (assigned cases)`, not as a
    correlated EXISTS: the database then gathers the user's few assignments once instead of once per row."""
    who = Q(user_id=reach.user_id) if reach.user_id else Q(pk__in=[])
    if reach.group_ids:
        who |= Q(group_id__in=reach.group_ids)
    return Q(**{f"{case_field}__in": Assignment.objects.filter(who).values("case_id")})


def assignment_rule(user, case_field):
    """A filter: the case named by `case_field` is assigned to the user or one of their groups."""
    return _assigned(reach_of(user), case_field)


def _marks_within(through, owner_field, reach):
    """The item's marks are all among the user's. `marked` (kept by database triggers) spares the look-up
    for the many items without marks; a user without marks sees unmarked items only."""
    if not reach.mark_ids:
        return Q(marked=False)
    outside = through.objects.filter(**{owner_field: OuterRef("pk")}).exclude(mark_id__in=reach.mark_ids)
    return Q(marked=False) | ~Exists(outside)


def _levels(reach, case_field):
    """The item's level is within the user's, and levels that need an assignment have one.

    Open levels and assigned levels are tested apart so the many open items pass on their level alone.
    """
    open_levels = [level for level in reach.levels if level not in NEEDS_ASSIGNMENT]
    rule = Q(level__in=open_levels)
    assigned_levels = [level for level in reach.levels if level in NEEDS_ASSIGNMENT]
    if assigned_levels:
        rule |= Q(level__in=assigned_levels) & _assigned(reach, case_field)
    return rule


def case_rule(reach):
    """The access rule for case files, as a filter."""
    return _marks_within(CaseFile.marks.through, "casefile_id", reach) & _levels(reach, "pk")


def document_rule(reach):
    """Documents: their case must be visible, and their own level and marks must be within reach too (a
    document's level "" is its case's, already checked with the case)."""
    # EXISTS, correlated on the document's case, not `IN (visible cases)`: SQLite would gather every visible
    # case (a hundred thousand) to answer for twenty documents; each engine plans the EXISTS as a join.
    in_visible_case = Q(case__isnull=True) | Exists(CaseFile.objects.filter(case_rule(reach), pk=OuterRef("case_id")))
    own = _marks_within(Document.marks.through, "document_id", reach) & (Q(level="") | _levels(reach, "case_id"))
    return in_visible_case & own


def rule_on_copies(reach, *, marks, owner_field, case_field="case_id"):
    """The rule over a copy that holds each document's effective level (`level`: its own where higher,
    else its case's), whether it has any mark (`marked`), its marks (rows of `marks` with a `mark_id`,
    linked by `owner_field`) and its case (`case_field`): a search index's. The same Q objects as
    `document_rule`, read from the copy; equal to it while the copy is current (tests/search/
    test_access_properties.py checks that on random worlds)."""
    return _marks_within(marks, owner_field, reach) & _levels(reach, case_field)


def restrict(user, queryset):
    """`queryset` cut to what `user` may see. Every list, count, look-up and export starts here."""
    reach = reach_of(user)
    model = queryset.model
    if model is CaseFile:
        return queryset.filter(case_rule(reach))
    if model is Document:
        return queryset.filter(document_rule(reach))
    if model is Version:
        return queryset.filter(Exists(Document.objects.filter(document_rule(reach), pk=OuterRef("document_id"))))
    if model in (Page, Rendition):
        return queryset.filter(Exists(Document.objects.filter(document_rule(reach), pk=OuterRef("version__document_id"))))
    raise TypeError(f"The access rule does not cover {model.__name__}; add it here before exposing it.")


def visible_cases(user):
    return restrict(user, CaseFile.objects.all())


def visible_documents(user):
    return restrict(user, Document.objects.all())


def visible_versions(user):
    return restrict(user, Version.objects.all())


def visible_pages(user):
    return restrict(user, Page.objects.all())


def can_see(user, obj):
    """Whether `user` may see this one case file, document or version (asked of the database)."""
    if obj is None or obj.pk is None:
        return False
    return restrict(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def may(user, act, obj):
    """Whether `user` may see `obj` and their role allows `act` on it."""
    model = Document if isinstance(obj, Version) else type(obj)
    perm = ACTS[model][act]
    return user.has_perm(perm) and can_see(user, obj)


def sees_all_it_may_hold(user, case_file):
    """Whether nothing the case file could hold is out of the user's reach: cleared for sealed and every
    mark, and assigned to the case. Acts whose outcome would depend on the case's hidden contents (deleting
    it, which its documents prevent) are for such users only, so the answer never tells of those contents."""
    from records.models import Mark

    reach = reach_of(user)
    if reach.level != Level.SEALED or not set(Mark.objects.values_list("pk", flat=True)) <= reach.mark_ids:
        return False
    return CaseFile.objects.filter(_assigned(reach, "pk"), pk=case_file.pk).exists()


def not_found():
    raise Http404("Not found.")


def get_visible_or_404(user, queryset, **lookup):
    """The one object matching `lookup` if the user may see it; otherwise the 404 of a missing object.

    An item out of reach and one that does not exist take the same path: one access-filtered query, then
    the same refusal event (what was asked for, not what was found), so neither the answer nor its timing
    nor the trail tells them apart. Nothing here asks whether the item exists.
    """
    try:
        return restrict(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError):
        pass
    from records import auditing

    auditing.refused(user, queryset.model, lookup)
    not_found()


def effective_level(document):
    """A document's level: its own where it is set higher, else its case's."""
    case_level = document.case.level if document.case_id else Level.PUBLIC
    return Level(higher(document.level, case_level))


def effective_marks(document):
    """A document's marks: its case's and its own."""
    codes = set(document.marks.values_list("code", flat=True))
    if document.case_id:
        codes |= set(document.case.marks.values_list("code", flat=True))
    return sorted(codes)


def trail_refs(obj):
    """What an audit event keeps of a case file, document or version: the object, its case and document,
    and its effective level and marks now, by which the event is read once the item is deleted."""
    if isinstance(obj, CaseFile):
        return {
            "target": obj,
            "case_ref": obj.pk,
            "level": obj.level,
            "marks": sorted(obj.marks.values_list("code", flat=True)),
        }
    document = obj.document if isinstance(obj, Version) else obj
    return {
        "target": obj,
        "case_ref": document.case_id,
        "document_ref": document.pk,
        "level": effective_level(document),
        "marks": effective_marks(document),
    }


def is_restricted(obj):
    """Confidential or sealed: seeing it is itself an event for the audit trail."""
    if isinstance(obj, Version):
        obj = obj.document
    level = effective_level(obj) if isinstance(obj, Document) else obj.level
    return level in NEEDS_ASSIGNMENT
