"""The audit trail for registrars and auditors: filter the events, and export them as CSV or JSON.

Events about a case file or document the viewer may not see are left out, as everywhere else: the trail
of a sealed case is read by those cleared and assigned to it (and checked whole by `verify_audit`). Once
the item is deleted, the level and marks its events kept decide.
Each export is itself an event.
"""

import csv
import json
import re
from itertools import combinations

import django_filters
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from audit import actions, trail
from audit.models import AuditEvent, EventScope
from records import access, auditing, display, labels
from records.languages import Language
from records.models import CaseFile, CaseType, Document, Institution, Mark, PartyRole
from records.staff.columns import IdentifierColumn, exact_time

# Not an event's place in the chain (its seq and hashes): between two events a reader sees, it would tell
# how many they may not see, and when, the volume of work on sealed cases. The chain is checked where all
# of it is read, by verify_audit and its anchors; screens and exports name an event by an opaque reference.
EXPORT_FIELDS = [
    "reference",
    "at",
    "actor_name",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "case_ref",
    "document_ref",
    "level",
    "marks",
    "before",
    "after",
    "request_id",
    "client_address",
]


# The Values column shows each value up to this length; tokens up to the shorter one are isolated left to
# right and kept on one line, longer or right-to-left texts take their own direction and may wrap.
VALUE_LENGTH = 120
IDENTIFIER_LENGTH = 40
LONG_TOKEN = 24
RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _mark_sets_within(user):
    """Every set of mark codes the user holds all of, written as a search event names them."""
    codes = sorted(Mark.objects.filter(pk__in=access.reach_of(user).mark_ids).values_list("code", flat=True))
    return [",".join(chosen) for size in range(1, len(codes) + 1) for chosen in combinations(codes, size)]


def _cleared_for_gone_item(user, mark_sets):
    """Events of a deleted item, read by the restriction they kept: its level within the reader's and its
    marks among theirs. Its assignments went with it, so clearance alone decides; without it, the deletion
    of a sealed case would vanish from every reader's trail. Events written before the restriction was kept
    (no level) stay hidden."""
    return Q(level__in=access.reach_of(user).levels) & (Q(marks="") | Q(marks__in=mark_sets))


def _need_to_know_in_standing_case(user):
    """A deleted document's events while its case stands: its case's assignments did not go with it, so a
    level that needs one still does (an unassigned reader cleared for sealed did not see the document, and
    does not read its title and files in the trail once it is deleted either)."""
    open_levels = [level for level in access.reach_of(user).levels if level not in access.NEEDS_ASSIGNMENT]
    return Q(level__in=open_levels) | access.assignment_rule(user, "case_ref")


def visible_events(user, events=None):
    """Events the user may read: about a case file or document in their reach (or, once deleted, one they
    are cleared for, and assigned to its case where it still stands and the level needs it), and no search
    by a holder of marks the reader does not hold."""
    events = AuditEvent.objects.all() if events is None else events
    mark_sets = _mark_sets_within(user)
    gone_ok = _cleared_for_gone_item(user, mark_sets)
    case_gone = ~Exists(CaseFile.objects.filter(pk=OuterRef("case_ref")))
    document_gone = ~Exists(Document.objects.filter(pk=OuterRef("document_ref")))
    cases = access.visible_cases(user).values("pk")
    documents = access.visible_documents(user).values("pk")
    # Words about restricted cases (a search, an export's filters) are read only by those who may see every
    # case they are about, and who hold the writer's level and marks.
    scoped_beyond_reach = Exists(EventScope.objects.filter(event=OuterRef("pk")).exclude(case_ref__in=cases))
    return (
        events.filter(Q(case_ref__isnull=True) | Q(case_ref__in=cases) | (case_gone & gone_ok))
        .filter(
            Q(document_ref__isnull=True)
            | Q(document_ref__in=documents)
            | (document_gone & gone_ok & (case_gone | _need_to_know_in_standing_case(user)))
        )
        .filter(Q(case_ref__isnull=False) | Q(level="") | gone_ok)
        .exclude(scoped_beyond_reach)
        # Searches written before events kept a level: read by holders of the searcher's marks (target_id).
        .exclude(Q(target_type=auditing.SEARCH_TARGET, level="") & ~Q(target_id__in=mark_sets))
    )


class AuditEventFilterSet(WagtailFilterSet):
    actor = django_filters.CharFilter(label=_("User"), field_name="actor_name", lookup_expr="iexact")
    action = django_filters.ChoiceFilter(label=_("Action"), choices=list(actions.LABELS.items()))
    at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    target_id = django_filters.CharFilter(label=_("Object identifier"), field_name="target_id")
    case_ref = django_filters.UUIDFilter(label=_("Case file identifier"), field_name="case_ref")
    request_id = django_filters.CharFilter(label=_("Request identifier"), field_name="request_id")
    client_address = django_filters.CharFilter(label=_("Client address"), field_name="client_address")

    class Meta:
        model = AuditEvent
        fields = ["action"]


def _action_label(event):
    return str(actions.LABELS.get(event.action, event.action))


def _object_of(event):
    """What the event is about: a case file by its number, isolated; anything else by its name."""
    if event.target_type == "records.casefile" and event.target_repr:
        number, sep, court = event.target_repr.partition(" — ")
        return format_html("{}{}{}", display.isolated(number), sep, court)
    return event.target_repr or display.isolated(event.target_id)


# Keys the services write that are no model field of the event's object, by the names the screens use.
KEY_LABELS = {
    "name": _("File name"),
    "version": _("Version"),
    "size": _("Size"),
    "sha256": "SHA-256",
    "reverted_from": _("Reverted from version"),
    "parties": _("Parties"),
    "legacy_numbers": _("Legacy numbers"),
    "reason": _("Reason"),
    "effective_on": _("Effective on"),
}


def _field_names(event):
    """{stored key: what the reader calls it}: the model's own field names (verbose_name, translated) where
    the event is about a model; other keys as they are stored."""
    try:
        model = apps.get_model(event.target_type) if "." in event.target_type else None
    except (LookupError, ValueError):
        model = None
    if model is None:
        return {}
    fields = {}
    for field in model._meta.get_fields():
        if hasattr(field, "verbose_name"):
            fields[field.name] = field
            if getattr(field, "attname", field.name) != field.name:
                fields[field.attname] = field
    return fields


_REFERENCE_DATA = (Institution, CaseType)


def _reference_label(model, pk):
    """A court or case type named by its stored id: reference data, the same for every reader."""
    found = model.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        return pk
    return labels.label(found) if model is CaseType else f"{found.code} — {found.name}"


def _shown(value, field=None, name=None):
    """One stored value as the list shows it: choices by their label, tokens isolated left to right,
    sentences isolated in their own direction, long ones cut (the exports carry them whole)."""
    if value is None or value == "" or value == []:
        return display.EMPTY
    if isinstance(value, list):
        return format_html_join(", ", "{}", ((_shown(item, field, name),) for item in value))
    if isinstance(value, dict):
        return format_html_join("; ", "{}: {}", ((key, _shown(item)) for key, item in sorted(value.items())))
    if field is not None and getattr(field, "choices", None):
        value = dict(field.flatchoices).get(value, value)
    elif name == "languages":
        value = dict(Language.choices).get(value, value)
    elif name == "parties" and isinstance(value, str) and ": " in value:
        role, name = value.split(": ", 1)  # stored as "role: name", the role by its code
        value = f"{dict(PartyRole.choices).get(role, role)}: {name}"
    elif field is not None and field.is_relation and field.many_to_one and field.related_model in _REFERENCE_DATA:
        value = _reference_label(field.related_model, value)
    text = labels.system_text(str(value))
    text = text if len(text) <= VALUE_LENGTH else text[: VALUE_LENGTH - 1] + "…"
    if len(text) <= IDENTIFIER_LENGTH and not RIGHT_TO_LEFT.search(text):
        if len(text) > LONG_TOKEN and " " not in text:
            # A UUID or a digest: it may break between its characters, inside its isolate, so that it does
            # not set the column's width (a case number, which has a space, never breaks).
            return format_html('<bdi dir="ltr" class="sijill-id sijill-long">{}</bdi>', text)
        return display.isolated(text)
    return format_html('<bdi class="sijill-text">{}</bdi>', text)


def _summary(event):
    """The event's values as "field: before → after", one line a field: readable in any direction."""
    before, after = event.before or {}, event.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        before, after = {"": before} if event.before else {}, {"": after} if event.after else {}
    fields = _field_names(event)
    lines = []
    for name in sorted(set(before) | set(after)):
        field = fields.get(name)
        if field is not None and name not in KEY_LABELS:
            label = capfirst(field.verbose_name)
        else:
            label = KEY_LABELS.get(name, name.replace("_", " "))
        if name in before and name in after:
            change = format_html("{} → {}", _shown(before[name], field, name), _shown(after[name], field, name))
        elif name in after:
            change = _shown(after[name], field, name)
        else:
            change = format_html("<del>{}</del>", _shown(before[name], field, name))
        lines.append(format_html('<li><span class="sijill-field">{}</span>: {}</li>', label, change))
    if not lines:
        return ""
    return format_html('<ul class="sijill-changes">{}</ul>', mark_safe("".join(lines)))


class AuditEventIndexView(generic.IndexView):
    default_ordering = "-seq"
    page_title = _("Audit trail")

    def get_base_queryset(self):
        return visible_events(self.request.user, super().get_base_queryset())

    @cached_property
    def columns(self):
        return [
            IdentifierColumn("reference", label=_("Reference"), accessor=reference_of, classname="sijill-reference"),
            exact_time("at", _("Time"), sort_key="at"),
            Column("actor_name", label=_("User")),
            Column("action", label=_("Action"), accessor=_action_label),
            Column("target_repr", label=_("Object"), accessor=_object_of),
            Column("changes", label=_("Values"), accessor=_summary, classname="sijill-values"),
            IdentifierColumn("client_address", label=_("Client address"), classname="sijill-address"),
            IdentifierColumn("request_id", label=_("Request identifier"), classname="sijill-request"),
        ]

    @cached_property
    def header_buttons(self):
        if not self.request.user.has_perm("audit.export_auditevent"):
            return []
        query = self.request.GET.copy()
        return [
            HeaderButton(
                label,
                url=reverse("audit_event:export") + "?" + urlencode({**query.dict(), "format": fmt}),
                icon_name="download",
            )
            for fmt, label in (("csv", _("Export CSV")), ("json", _("Export JSON")))
        ]

    def get_list_more_buttons(self, instance):
        return []


class Echo:
    def write(self, value):
        return value


def reference_of(event):
    """The name screens and exports give an event: keyed on its hash, so it is stable, tells nothing of the
    event's place in the chain, and cannot be tried against guessed contents without the site's key."""
    return salted_hmac("sijill.audit.reference", event.hash).hexdigest()[:16]


def _row(event):
    values = {name: getattr(event, name) for name in EXPORT_FIELDS if name != "reference"}
    values["reference"] = reference_of(event)
    values["at"] = event.at.isoformat()
    for name in ("case_ref", "document_ref"):
        values[name] = str(values[name]) if values[name] else None
    return values


def _csv(events):
    writer = csv.writer(Echo())
    yield writer.writerow(EXPORT_FIELDS)
    for event in events.iterator(chunk_size=2000):
        row = _row(event)
        row["before"] = json.dumps(row["before"], ensure_ascii=False, sort_keys=True) if row["before"] is not None else ""
        row["after"] = json.dumps(row["after"], ensure_ascii=False, sort_keys=True) if row["after"] is not None else ""
        yield writer.writerow(["" if row[name] is None else row[name] for name in EXPORT_FIELDS])


def _json(events):
    yield "[\n"
    first = True
    for event in events.iterator(chunk_size=2000):
        yield ("" if first else ",\n") + json.dumps(_row(event), ensure_ascii=False, sort_keys=True)
        first = False
    yield "\n]\n"


def export_events(request):
    """The filtered events the user may read, streamed as CSV or JSON; the export itself is recorded."""
    if not request.user.has_perm("audit.export_auditevent"):
        raise PermissionDenied
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "json"):
        fmt = "csv"
    filters = AuditEventFilterSet(request.GET, queryset=visible_events(request.user).order_by("seq"), request=request)
    events = filters.qs if filters.is_valid() else AuditEvent.objects.none()
    criteria = {k: v for k, v in request.GET.items() if k != "format" and v}
    # The filters are words about what was exported: the event is as restricted as the restricted cases in
    # the export, and kept under the exporter's level and marks.
    exported_cases = CaseFile.objects.filter(pk__in=events.exclude(case_ref=None).values("case_ref"))
    level, codes = auditing.reach_restriction(request.user)
    trail.record(
        actions.EXPORT,
        actor=request.user,
        level=level,
        marks=codes,
        after={"what": "audit events", "format": fmt, "filters": criteria},
        scope=auditing.restricted_ids(exported_cases) if criteria else (),
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    if fmt == "json":
        response = StreamingHttpResponse(_json(events), content_type="application/json; charset=utf-8")
    else:
        response = StreamingHttpResponse(_csv(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = _("Audit trail")
    menu_order = 900
    add_to_admin_menu = True
    index_view_class = AuditEventIndexView
    filterset_class = AuditEventFilterSet
    list_per_page = 100
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    # Read-only: there is no add, edit or delete of an event, for anyone.
    form_fields = []

    def get_common_view_kwargs(self, **kwargs):
        no_acts = dict.fromkeys(("add_url_name", "edit_url_name", "delete_url_name", "history_url_name", "usage_url_name"))
        return {**super().get_common_view_kwargs(**kwargs), **no_acts}

    def get_urlpatterns(self):
        index = [pattern for pattern in super().get_urlpatterns() if pattern.name in ("index", "index_results")]
        return index + [path("export/", export_events, name="export")]
