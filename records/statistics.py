"""Case statistics: how many case files there are, by court, case type and year filed.

Statistics exist to report caseloads, juvenile and GBV ones included, so every cell counts all the case
files of its group, those the reader may not see as well. That is safe only where a count cannot point
at a person, hence these rules:

- A cell that includes a case the reader may not see is suppressed when its total, less the cases the
  reader swayed, is below `settings.SUPPRESSION_THRESHOLD`, and reads "fewer than N". A cell whose
  cases the reader may all see is exact whatever its size: the reader could count those cases in the case
  list anyway. The cases the reader swayed (registered, or changed, classified or assigned: the trail
  says) are left out of the decision because they are what the reader can change: registering four
  sealed cases into a cell of one hidden case, or moving four visible ones of others into it by their
  filing date, would otherwise lift it to the threshold and publish it exactly, the reader subtracting
  their own four. The decision rests on cases the reader never touched.
- Suppression is decided on the finest cells (court, case type, year) only. Every coarser figure (a cell
  of a coarser `by`, a row, column or grand total) is a sum of finest cells and is withheld as soon as
  one of them is suppressed. So every published number is a sum of exact finest cells, and no
  subtraction of published numbers recovers a suppressed one. A withheld total carries no bound: "fewer
  than N" on a total would narrow the cells inside it.
- Filters choose whole finest cells (a court, a case type, a year) and never split one: a filter on any
  other field (status, a party) would cut a cell into parts whose difference is a small count.
- Groups are named by court, case type and year only, never by anything a hidden case alone would
  reveal (its number, title or parties).

The reader learns how many cases of a group they may not see (the cell less their own list); that is
what the statistic is for, and the threshold keeps the group from being small.

Two aggregate queries (all case files; those the reader sees, through `access.restrict`) do the counting
in the database; Python only combines groups, never cases.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from audit import actions
from audit.models import AuditEvent
from records import access
from records.models import CaseFile, CaseType, Institution, StatusChange

DIMENSIONS = ("court", "case_type", "year")
CASE_TARGET = "records.casefile"
_KEY = {"court": "court_id", "case_type": "case_type_id", "year": "year"}
# Below two, a threshold would publish counts of one hidden case.
_LEAST_THRESHOLD = 2


@dataclass(frozen=True)
class Cell:
    """One figure: its group (None for a dimension it is not split by), and its count unless suppressed.

    `fewer_than` is the bound shown for a suppressed cell ("fewer than N"); it is None for a withheld
    total, which may be of any size.
    """

    court: str | None
    case_type: str | None
    year: int | None
    count: int | None
    suppressed: bool
    fewer_than: int | None = None
    court_id: int | None = None
    case_type_id: int | None = None

    def key(self, by):
        return tuple(getattr(self, _KEY[dimension]) for dimension in by)


class YearFiled(ExtractYear):
    """The year of a date. On SQLite Django's ExtractYear calls a Python function per row, which added
    about 0.3 s to each count over 100,000 case files; SQLite's own strftime does it in C."""

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%Y', {sql}) AS INTEGER)", params


def threshold():
    return max(_LEAST_THRESHOLD, int(settings.SUPPRESSION_THRESHOLD))


def _pk(value):
    return getattr(value, "pk", value)


def _filtered(cases, filters):
    unknown = set(filters) - set(DIMENSIONS)
    if unknown:
        raise ValueError(
            f"Case statistics filter only by {', '.join(DIMENSIONS)}, not by {', '.join(sorted(unknown))}: "
            "a filter on another field splits cells, and the parts' difference can be a small count."
        )
    if filters.get("court") is not None:
        cases = cases.filter(court_id=_pk(filters["court"]))
    if filters.get("case_type") is not None:
        cases = cases.filter(case_type_id=_pk(filters["case_type"]))
    if filters.get("year") is not None:
        cases = cases.filed_in(int(filters["year"]))
    return cases


def _counts(cases):
    """{(court id, case type id, year): number of case files}, counted by the database."""
    rows = (
        cases.order_by()
        .annotate(year=YearFiled("date_filed"))
        .values("court_id", "case_type_id", "year")
        .annotate(n=Count("pk"))
    )
    return {(row["court_id"], row["case_type_id"], row["year"]): row["n"] for row in rows}


# Acts on a case that can put it into a cell (registering it, changing its court, type or filing date)
# or out of its actor's sight (classifying, assigning): what a reader can do to sway a cell.
_SWAYING_ACTS = (actions.CREATE, actions.CHANGE, actions.CLASSIFY, actions.ASSIGN, actions.UNASSIGN)


def _swayed_by(user, cases):
    """The cases `user` registered or acted on in a way that moves a case between cells or out of sight,
    read from the audit trail (and, for registrations older than the trail, their first status change)."""
    if user is None or not user.is_authenticated:
        return cases.none()
    acts = AuditEvent.objects.filter(
        actor=user, target_type=CASE_TARGET, action__in=_SWAYING_ACTS, case_ref__isnull=False
    ).values("case_ref")
    registrations = StatusChange.objects.filter(from_status="", changed_by=user).values("case_id")
    return cases.filter(Q(pk__in=acts) | Q(pk__in=registrations))


def finest_cells(user, filters=None):
    """The cells by court, case type and year, each exact or suppressed for `user`."""
    cases = _filtered(CaseFile.objects.all(), filters or {})
    totals = _counts(cases)
    visible = _counts(access.restrict(user, cases))
    own = _counts(_swayed_by(user, cases))
    courts = dict(Institution.objects.filter(pk__in={key[0] for key in totals}).values_list("pk", "name"))
    types = dict(CaseType.objects.filter(pk__in={key[1] for key in totals}).values_list("pk", "name"))
    least = threshold()
    cells = []
    for (court_id, case_type_id, year), total in totals.items():
        key = (court_id, case_type_id, year)
        suppressed = visible.get(key, 0) < total and total - own.get(key, 0) < least
        cells.append(
            Cell(
                court=courts[court_id],
                case_type=types[case_type_id],
                year=year,
                count=None if suppressed else total,
                suppressed=suppressed,
                fewer_than=least if suppressed else None,
                court_id=court_id,
                case_type_id=case_type_id,
            )
        )
    return cells


def _check_by(by):
    by = tuple(by)
    if not set(by) <= set(DIMENSIONS) or len(set(by)) != len(by):
        raise ValueError(f"Case statistics group by some of {', '.join(DIMENSIONS)}, each once; got {by!r}.")
    return by


def _order(by):
    names = {"court": ("court", "court_id"), "case_type": ("case_type", "case_type_id"), "year": ("year",)}
    fields = [field for dimension in by for field in names[dimension]]
    return lambda cell: tuple(getattr(cell, field) for field in fields)


def roll_up(cells, by):
    """Finest cells (or an earlier roll-up) summed into groups `by`; a sum with a suppressed part is withheld."""
    by = _check_by(by)
    if set(by) == set(DIMENSIONS):
        return sorted(cells, key=_order(by))
    groups = defaultdict(list)
    for cell in cells:
        groups[cell.key(by)].append(cell)
    merged = []
    for parts in groups.values():
        first = parts[0]
        suppressed = any(part.suppressed for part in parts)
        merged.append(
            Cell(
                court=first.court if "court" in by else None,
                case_type=first.case_type if "case_type" in by else None,
                year=first.year if "year" in by else None,
                count=None if suppressed else sum(part.count for part in parts),
                suppressed=suppressed,
                court_id=first.court_id if "court" in by else None,
                case_type_id=first.case_type_id if "case_type" in by else None,
            )
        )
    return sorted(merged, key=_order(by))


def case_counts(user, *, by=DIMENSIONS, filters=None):
    """Case files counted by `by` (some of court, case type, year), as `user` may read the counts.

    `filters` may name a court, a case type and a year (objects or ids); see the module for the rules.
    """
    return roll_up(finest_cells(user, filters), by)


def shown(cell):
    """How a cell reads on a screen or in an export."""
    if not cell.suppressed:
        return str(cell.count)
    if cell.fewer_than:
        return str(_("fewer than %(n)s") % {"n": cell.fewer_than})
    return str(_("withheld"))
