"""What the registry does with case files and documents.

The admin, the API, commands and the demo loader all call these functions, so every rule holds on every
path: case numbers are unique in their court, status changes follow the life cycle and are recorded,
files are checked before anything is stored, and a declared record does not change.
"""

from contextlib import contextmanager
from pathlib import PurePath

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions, trail
from records import access, classification, keys, labels, lifecycle, routing, signals, storage
from records.errors import (
    DuplicateCaseNumber,
    InvalidTransition,
    PageAlreadyRead,
    RecordDeclared,
    RecordsError,
    SameAsCurrentVersion,
)
from records.lifecycle import Status
from records.models import (
    CaseFile,
    Document,
    DocumentKind,
    LegacyNumber,
    Level,
    Page,
    PageText,
    Party,
    Rendition,
    StatusChange,
    TextSource,
    Version,
)
from records.upload import CheckedUpload, checked_upload

# Case files ------------------------------------------------------------------------------------------


def _check_number_free(case_file, actor):
    """Refuse a number already used in the court by a case the actor can see; hold the case when the
    number is only used by cases the actor cannot see.

    Saying "already exists" of a hidden case would confirm it (a clerk could enumerate sealed numbers by
    renaming a case), so such a registration is answered as any other; the case is kept out of the
    court's numbering (`number_held`) until a registrar who sees both renumbers one. Both look-ups run
    whatever the first finds, so the answer takes the same time either way.
    """
    key = keys.case_number_key(case_file.number or "")
    if not key:
        raise RecordsError(_("A case number is required."), field="number")
    others = CaseFile.objects.filter(court_id=case_file.court_id, number_key=key).exclude(pk=case_file.pk)
    clashes = list(others.values_list("pk", flat=True))
    seen = access.restrict(actor, CaseFile.objects.filter(pk__in=clashes)).exists()
    if seen:
        raise DuplicateCaseNumber(
            _(
                "Case number %(number)s already exists in %(court)s; check the number, or find the "
                "existing case file instead of registering it again."
            )
            % {"number": case_file.number.strip(), "court": case_file.court}
        )
    case_file.number_held = bool(clashes)
    return clashes


def _record_number_conflict(case_file, clashes, actor):
    """Each hidden case the number clashes with gets an event of its own, read by those who may see it."""
    for other in CaseFile.objects.filter(pk__in=clashes):
        trail.record(
            actions.NUMBER_CONFLICT,
            actor=actor,
            **access.trail_refs(other),
            after={"number": case_file.number, "held_case": str(case_file.pk)},
        )


@contextmanager
def _number_guard(case_file):
    """Turns the database's uniqueness refusal (a concurrent registration) into the same clear error."""
    try:
        yield
    except IntegrityError as error:
        if "case_number_unique_in_court" in str(error) or "number_key" in str(error):
            raise DuplicateCaseNumber(
                _("Case number %(number)s already exists in %(court)s.")
                % {"number": case_file.number, "court": case_file.court}
            ) from error
        raise


def _check_dates(case_file):
    """A case's dates are in the past and in order: filed, then judged, then closed (admin and API alike)."""
    today = timezone.localdate()
    named = [
        ("date_filed", _("The filing date")),
        ("date_judgment", _("The date of judgment")),
        ("date_closed", _("The closing date")),
    ]
    for field, label in named:
        day = getattr(case_file, field)
        if day and day > today:
            raise RecordsError(
                _("%(what)s, %(day)s, is in the future; today is %(today)s.")
                % {"what": label, "day": f"{day:%Y-%m-%d}", "today": f"{today:%Y-%m-%d}"},
                field=field,
            )
    filed = case_file.date_filed
    for field, label in named[1:]:
        day = getattr(case_file, field)
        if day and filed and day < filed:
            raise RecordsError(
                _("%(what)s, %(day)s, is before the case was filed on %(filed)s.")
                % {"what": label, "day": f"{day:%Y-%m-%d}", "filed": f"{filed:%Y-%m-%d}"},
                field=field,
            )
    if case_file.date_judgment and case_file.date_closed and case_file.date_closed < case_file.date_judgment:
        raise RecordsError(
            _("The case cannot close on %(closed)s, before its judgment of %(judged)s.")
            % {"closed": f"{case_file.date_closed:%Y-%m-%d}", "judged": f"{case_file.date_judgment:%Y-%m-%d}"},
            field="date_closed",
        )


CASE_FIELDS = ("number", "court_id", "case_type_id", "title", "date_filed", "date_judgment", "date_closed",
               "location_building", "location_room", "location_shelf", "location_box")


def _snapshot(case_file):
    """What the audit trail keeps of a case's particulars, read from the database."""
    stored = CaseFile.objects.filter(pk=case_file.pk).values(*CASE_FIELDS).first() or {}
    stored["parties"] = [f"{role}: {name}" for role, name in Party.objects.filter(case=case_file).values_list("role", "name")]
    stored["legacy_numbers"] = list(LegacyNumber.objects.filter(case=case_file).values_list("number", flat=True))
    return stored


def _changed(before, after):
    names = [name for name in after if before.get(name) != after[name]]
    return {name: before.get(name) for name in names}, {name: after[name] for name in names}


def register_case_file(case_file, *, actor, reason=None, level=None, marks=()):
    """Save a new case file (with any parties and legacy numbers attached to it) and its first status.

    `level` and `marks` are what the person registering asks for, within their clearance; the case type
    and the parties may raise them (see records.classification), in the same transaction, so the case is
    never visible to anyone before it is sealed.
    """
    _check_dates(case_file)
    clashes = _check_number_free(case_file, actor)
    with _number_guard(case_file), transaction.atomic():
        asked_marks = classification._marks(marks)
        if level or asked_marks:
            classification._check_within_reach(actor, level, asked_marks)
        case_file.level = level or case_file.level or Level.INTERNAL
        case_file.save()
        case_file.marks.set(asked_marks)
        classification.apply_floor(case_file, actor=actor)
        StatusChange.objects.create(
            case=case_file,
            from_status="",
            to_status=case_file.status,
            changed_by=actor,
            effective_on=case_file.date_filed,
            # Stored in English whoever registers; shown in the reader's language (records.labels).
            reason=reason or labels.REGISTERED,
        )
        trail.record(actions.CREATE, actor=actor, **access.trail_refs(case_file), after=_snapshot(case_file))
        _record_number_conflict(case_file, clashes, actor)
        _assign_registrar(case_file, actor)
        case_file.routed_to = routing.route(case_file, actor=actor)
        signals.announce(signals.case_changed, case_id=case_file.pk)
    return case_file


def _assign_registrar(case_file, actor):
    """Whoever registers a restricted case knows it already; if cleared for it, they keep it in view."""
    if case_file.level not in access.NEEDS_ASSIGNMENT:
        return
    reach = access.reach_of(actor)
    if reach.covers(case_file.level, case_file.marks.values_list("pk", flat=True)):
        classification.assign_by_rule(case_file, actor=actor, user=actor)


def update_case_file(case_file, *, actor):
    _check_dates(case_file)
    clashes = _check_number_free(case_file, actor)
    with _number_guard(case_file), transaction.atomic():
        before = _snapshot(case_file)
        # The level changes only by classification: a form's stale copy must not put an old one back.
        case_file.level = CaseFile.objects.select_for_update().values_list("level", flat=True).get(pk=case_file.pk)
        case_file.save()
        classification.apply_floor(case_file, actor=actor)
        case_file.routed_to = routing.route(case_file, actor=actor)
        old, new = _changed(before, _snapshot(case_file))
        if new:
            trail.record(actions.CHANGE, actor=actor, **access.trail_refs(case_file), before=old, after=new)
        if "number" in new:
            _record_number_conflict(case_file, clashes, actor)
        signals.announce(signals.case_changed, case_id=case_file.pk)
    return case_file


def change_status(case_file, to_status, *, actor, reason, effective_on=None):
    """Move a case file along its life cycle, recording who, when and why."""
    try:
        to_status = Status(to_status)
    except ValueError:
        choices = ", ".join(Status.values)
        raise InvalidTransition(
            _("%(status)r is not a case status; use one of %(choices)s.") % {"status": to_status, "choices": choices}
        ) from None
    reason = (reason or "").strip()
    if not reason:
        raise RecordsError(_("Say why the status changes; the reason is kept in the case history."), field="reason")
    effective_on = effective_on or timezone.localdate()
    with transaction.atomic():
        current = CaseFile.objects.select_for_update().get(pk=case_file.pk)
        _check_effective_on(current, effective_on)
        if not lifecycle.is_allowed(current.status, to_status):
            allowed = [str(Status(s).label) for s in lifecycle.allowed_transitions(current.status)]
            where = {"number": current.number, "status": Status(current.status).label, "to": to_status.label}
            raise InvalidTransition(
                (
                    _("Case %(number)s is %(status)s; it cannot move to %(to)s. Allowed next: %(allowed)s.")
                    if allowed
                    else _("Case %(number)s is %(status)s; it cannot move to %(to)s. It is archived: only a disposition ends it.")
                )
                % {**where, "allowed": ", ".join(allowed)}
            )
        updates = {"status": to_status, "updated_at": timezone.now()}
        if to_status == Status.JUDGMENT and current.date_judgment is None:
            updates["date_judgment"] = effective_on
        if to_status == Status.CLOSED:
            updates["date_closed"] = effective_on
        CaseFile.objects.filter(pk=current.pk).update(**updates)
        change = StatusChange.objects.create(
            case=current,
            from_status=current.status,
            to_status=to_status,
            changed_by=actor,
            effective_on=effective_on,
            reason=reason,
        )
        trail.record(
            actions.STATUS_CHANGE,
            actor=actor,
            **access.trail_refs(current),
            before={"status": current.status},
            after={"status": to_status.value, "effective_on": effective_on, "reason": reason},
        )
        signals.announce(signals.case_changed, case_id=current.pk)
    case_file.refresh_from_db(fields=["status", "date_judgment", "date_closed", "updated_at"])
    return change


def _check_effective_on(case_file, effective_on):
    """A status change takes effect between the filing date (or the last change) and today."""
    today = timezone.localdate()
    if effective_on > today:
        raise RecordsError(
            _("A status change cannot take effect in the future (%(day)s); today is %(today)s.")
            % {"day": f"{effective_on:%Y-%m-%d}", "today": f"{today:%Y-%m-%d}"},
            field="effective_on",
        )
    last = case_file.status_changes.order_by("-effective_on").values_list("effective_on", flat=True).first()
    earliest = max(day for day in (case_file.date_filed, last) if day) if (case_file.date_filed or last) else None
    if earliest and effective_on < earliest:
        raise RecordsError(
            _("A status change of case %(number)s cannot take effect on %(day)s, before %(earliest)s (its filing or its last change).")
            % {"number": case_file.number, "day": f"{effective_on:%Y-%m-%d}", "earliest": f"{earliest:%Y-%m-%d}"},
            field="effective_on",
        )


def delete_case_file(case_file, *, actor):
    """Delete a case registered by mistake; one that holds documents is protected (ProtectedError).

    Only someone who could see anything the case may hold deletes it: for anyone else, "it holds
    documents" against "deleted" would tell whether it holds documents they cannot see.
    """
    if not access.sees_all_it_may_hold(actor, case_file):
        raise RecordsError(
            _(
                "Only someone cleared for sealed items and every mark, and assigned to case %(number)s, can "
                "delete it: they alone can see everything it may hold."
            )
            % {"number": case_file.number}
        )
    with transaction.atomic():
        trail.record(actions.DELETE, actor=actor, **access.trail_refs(case_file), before=_snapshot(case_file))
        signals.announce(signals.case_changed, case_id=case_file.pk)
        case_file.delete()


# Documents and versions ------------------------------------------------------------------------------


@contextmanager
def _removed_on_failure(key):
    """Yield the key of freshly stored bytes; remove them if what follows fails: nothing half-written."""
    try:
        yield key
    except BaseException:
        storage.remove(key)
        raise


def _lock(document):
    Document.objects.select_for_update().filter(pk=document.pk).first()


def _next_number(document):
    # The document row is locked first, so two uploads at once cannot take the same number.
    _lock(document)
    return (document.versions.aggregate(top=Max("number"))["top"] or 0) + 1


def _refuse_if_declared(document):
    if Document.objects.filter(pk=document.pk).declared().exists():
        raise RecordDeclared(
            _("«%(title)s» is a declared record; its content cannot change.") % {"title": document.title}
        )


def _check_document(document):
    document.title = (document.title or "").strip()
    if not document.title:
        raise RecordsError(_("A document needs a title."), field="title")
    if document.case_id is None and document.kind != DocumentKind.LEGISLATION:
        raise RecordsError(
            _("A document of kind «%(kind)s» must belong to a case file; only legislation can stand alone.")
            % {"kind": DocumentKind(document.kind).label},
            field="case",
        )


def _name_of(file, file_name):
    """The name to record: the one given (checked as it is), or the file's own name without its folder."""
    if file_name is not None:
        return file_name
    return PurePath(getattr(file, "name", "") or "").name


def add_document(document, *, actor, file=None, file_name=None, change_note=""):
    """Register a new document, with its first version when a file is given."""
    document.created_by = actor
    _check_document(document)
    if file is None:
        with transaction.atomic():
            _save_new_document(document, actor)
        return document
    with checked_upload(_name_of(file, file_name), file) as checked, _removed_on_failure(storage.write(checked)) as key:
        with transaction.atomic():
            _save_new_document(document, actor)
            _record_version(document, checked, key, author=actor, change_note=change_note)
    return document


DOCUMENT_FIELDS = ("case_id", "kind", "title", "languages", "document_date")


def _document_snapshot(document):
    return Document.objects.filter(pk=document.pk).values(*DOCUMENT_FIELDS).first() or {}


def _save_new_document(document, actor):
    document.level = document.level or ""
    document.save()
    trail.record(actions.CREATE, **access.trail_refs(document), actor=actor, after=_document_snapshot(document))
    signals.announce(signals.document_changed, document_id=document.pk)


def update_document(document, *, actor):
    _check_document(document)
    with transaction.atomic():
        before = _document_snapshot(document)
        # The level changes only by classification: a stale copy must not put an old one back.
        document.level = Document.objects.select_for_update().values_list("level", flat=True).get(pk=document.pk)
        document.save()
        old, new = _changed(before, _document_snapshot(document))
        if new:
            trail.record(actions.CHANGE, **access.trail_refs(document), actor=actor, before=old, after=new)
            signals.announce(signals.document_changed, document_id=document.pk)
    return document


def _record_version(document, checked, key, *, author, change_note, reverted_from=None):
    version = Version.objects.create(
        document=document,
        number=_next_number(document),
        storage_key=key,
        original_name=checked.name,
        media_type=checked.media_type,
        size=checked.size,
        sha256=checked.sha256,
        author=author,
        change_note=(change_note or "").strip(),
        reverted_from=reverted_from,
    )
    trail.record(
        actions.REVERT if reverted_from else actions.ADD_VERSION,
        **access.trail_refs(document),
        actor=author,
        after={
            "version": version.number,
            "sha256": version.sha256,
            "size": version.size,
            "name": version.original_name,
            "reverted_from": reverted_from.number if reverted_from else None,
        },
    )
    signals.announce(signals.version_added, version_id=version.pk)
    return version


def add_version(document, file, *, author, file_name=None, change_note=""):
    """Store `file` as the document's next version; earlier versions stay as they were."""
    _refuse_if_declared(document)
    with checked_upload(_name_of(file, file_name), file) as checked:
        # Checked before writing, so a refused file leaves no bytes behind ...
        _refuse_if_same_as_current(document, checked)
        with _removed_on_failure(storage.write(checked)) as key, transaction.atomic():
            # ... and again under the document's lock, against an identical upload that got in meanwhile.
            _lock(document)
            _refuse_if_same_as_current(document, checked)
            return _record_version(document, checked, key, author=author, change_note=change_note)


def _refuse_if_same_as_current(document, checked):
    current = document.versions.order_by("-number").select_related("document").first()
    if current is not None and current.sha256 == checked.sha256:
        raise SameAsCurrentVersion(checked.name, current)


def revert_to_version(document, version, *, author, change_note=""):
    """Make an earlier version current again, as a new version: history is never rewritten."""
    if version.document_id != document.pk:
        raise RecordsError(
            _("Version %(number)s belongs to another document.") % {"number": version.number}, field="version"
        )
    _refuse_if_declared(document)
    # The same bytes, name and type as the version brought back; only the key is new.
    same = CheckedUpload(
        name=version.original_name, media_type=version.media_type, size=version.size, sha256=version.sha256, file=None
    )
    note = (change_note or "").strip() or labels.reverted_note(version.number)
    with _removed_on_failure(storage.copy(version.storage_key)) as key, transaction.atomic():
        return _record_version(document, same, key, author=author, change_note=note, reverted_from=version)


def declare_record(document, *, actor):
    """Fix a document as a record: from now on its content and identity cannot change."""
    with transaction.atomic():
        current = Document.objects.select_for_update().get(pk=document.pk)
        if current.is_declared:
            raise RecordDeclared(
                _("«%(title)s» was already declared a record on %(date)s.")
                % {"title": current.title, "date": f"{current.declared_at:%Y-%m-%d}"}
            )
        if not current.versions.exists():
            raise RecordsError(
                _("«%(title)s» has no file yet; upload it before declaring it a record.") % {"title": current.title},
                field="file",
            )
        now = timezone.now()
        Document.objects.filter(pk=current.pk).update(declared_at=now, declared_by=actor)
        trail.record(actions.DECLARE, **access.trail_refs(current), actor=actor, after={"declared_at": now})
        signals.announce(signals.document_changed, document_id=current.pk)
    document.refresh_from_db(fields=["declared_at", "declared_by"])
    return document


def delete_document(document, *, actor):
    """Delete a document registered by mistake, with its files; a declared record is refused."""
    _refuse_if_declared(document)
    keys_to_remove = list(document.versions.values_list("storage_key", flat=True))
    with transaction.atomic():
        trail.record(actions.DELETE, **access.trail_refs(document), actor=actor, before=_document_snapshot(document))
        signals.announce(signals.document_changed, document_id=document.pk)
        document.delete()
        transaction.on_commit(lambda: [storage.remove(key) for key in keys_to_remove])


# Page text --------------------------------------------------------------------------------------------


def record_page(version, number, *, text, source, needs_review, width=0, height=0, confidence=None, words=(),
                unit="", engine="", languages="", renditions=()):
    """Keep the text a page was first read as (revision 1) and the images made of it, once.

    `renditions`: (kind, storage key, media type, size) of files already written to the renditions
    storage. PageAlreadyRead when the page has its text already: the caller removes its files.
    """
    try:
        with transaction.atomic():
            page = Page.objects.create(
                version=version, number=number, width=round(width), height=round(height), text=text,
                source=source, confidence=confidence, needs_review=needs_review,
            )
            PageText.objects.create(
                page=page, revision=1, text=text, source=source, confidence=confidence,
                words=[list(word) for word in words], unit=unit, engine=engine[:60], languages=languages[:60],
            )
            Rendition.objects.bulk_create(
                Rendition(version=version, kind=kind, page_number=number, storage_key=key, media_type=media, size=size)
                for kind, key, media, size in renditions
            )
    except IntegrityError as error:
        raise PageAlreadyRead(
            _("Page %(number)s of %(version)s already has its text.") % {"number": number, "version": version}
        ) from error
    signals.announce(signals.pages_changed, version_id=version.pk, numbers=[number])
    return page


def record_page_images(version_id, number, renditions):
    """Keep images of a page made after its text (kind, key, type, size); False if it has them already."""
    try:
        with transaction.atomic():
            Rendition.objects.bulk_create(
                Rendition(version_id=version_id, kind=kind, page_number=number, storage_key=key, media_type=media, size=size)
                for kind, key, media, size in renditions
            )
    except IntegrityError:
        return False
    return True


def record_rendition(version, kind, key, media_type, size):
    """Keep a file made of the whole version (the searchable PDF); None if it has one already."""
    try:
        with transaction.atomic():
            return Rendition.objects.create(version=version, kind=kind, storage_key=key, media_type=media_type, size=size)
    except IntegrityError:
        return None



def correct_page_text(page, text, *, actor):
    """Make `text` the page's text as a new revision by `actor`; earlier revisions stay as they were."""
    text = (text or "").replace("\r\n", "\n")
    with transaction.atomic():
        page = Page.objects.select_for_update().select_related("version__document").get(pk=page.pk)
        if text == page.text:
            raise RecordsError(_("The text is unchanged; nothing was saved."), field="text")
        revision = page.revision + 1
        PageText.objects.create(page=page, revision=revision, text=text, source=TextSource.CORRECTION, created_by=actor)
        Page.objects.filter(pk=page.pk).update(text=text, source=TextSource.CORRECTION, revision=revision, needs_review=False)
        trail.record(
            actions.CORRECT_TEXT,
            actor=actor,
            **access.trail_refs(page.version.document),
            after={"version": page.version.number, "page": page.number, "revision": revision},
        )
        signals.announce(signals.pages_changed, version_id=page.version_id, numbers=[page.number])
    page.refresh_from_db()
    return page
