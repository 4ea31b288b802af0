"""Filing a batch's files into case files and documents, through the records services.

Each manifest row names a case (court + case number, or + legacy number) and one file. The case is found,
or registered as a clerk would register it (sealed by rule before anyone can see it, routed to its bench);
the file becomes a document with its first version, whose pages ingest then reads. A row is filed alone,
in one transaction: a refused file leaves nothing behind and the batch goes on.

Running the same manifest again creates nothing twice:
- the case is the one the person filing can see under that number in that court, or else the one an
  earlier batch of theirs filed that case's rows into (a sealed case its registrant cannot see stays
  found), or else a new one (held out of the court's numbering if the number is a hidden case's);
- a file whose SHA-256 is already a version of a document of that case is not stored again.
The answer for a row is the same whether its case was found, hidden or new: filing tells nothing of
cases the person cannot see.
"""

import hashlib
from datetime import date
from pathlib import PurePosixPath

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ingest import sources, work
from ingest.manifest import ManifestRow, PartyRow
from ingest.models import Batch, BatchItem, ItemState, Reading, ReadingState
from records import access, keys, labels, services
from records.errors import RecordsError
from records.lifecycle import Status
from records.models import CaseFile, CaseType, Document, Institution, LegacyNumber, Party, Version

_CHUNK = 1024 * 1024


# A manifest row as stored on its item -----------------------------------------------------------------


def details_of(row):
    """A ManifestRow as JSON for the item, so filing (and a retry) needs nothing else."""
    values = {name: getattr(row, name) for name in ManifestRow.__dataclass_fields__}
    for name in ("filing_date", "judgment_date", "closure_date"):
        values[name] = values[name].isoformat() if values[name] else None
    values["legacy_numbers"] = list(row.legacy_numbers)
    values["languages"] = list(row.languages)
    values["parties"] = [
        {
            "name": party.name,
            "role": party.role,
            "national_id": party.national_id,
            "date_of_birth": party.date_of_birth.isoformat() if party.date_of_birth else None,
            "sex": party.sex,
        }
        for party in row.parties
    ]
    return values


def row_of(details):
    values = dict(details)
    for name in ("filing_date", "judgment_date", "closure_date"):
        values[name] = date.fromisoformat(values[name]) if values.get(name) else None
    values["legacy_numbers"] = tuple(values["legacy_numbers"])
    values["languages"] = tuple(values["languages"])
    values["parties"] = tuple(
        PartyRow(
            name=party["name"],
            role=party["role"],
            national_id=party["national_id"],
            date_of_birth=date.fromisoformat(party["date_of_birth"]) if party["date_of_birth"] else None,
            sex=party["sex"],
        )
        for party in values["parties"]
    )
    return ManifestRow(**values)


def case_key_of(row):
    court, number_key = row.case_key
    return f"{court}|{number_key}"


# Starting a batch from a manifest -------------------------------------------------------------------


def start_batch(*, actor, source, name, manifest, location="", batch_id=None, wake=True):
    """The batch and an item per manifest row: valid rows wait to be filed, rows with problems fail with
    them (each names its own). Problems of the batch as a whole (row 0) are kept as a failed item too."""
    problems = {}
    for problem in manifest.problems:
        problems.setdefault(problem.row, []).append(problem)
    with transaction.atomic():
        batch = Batch.objects.create(
            **({"id": batch_id} if batch_id else {}),
            name=name[:300], source=source, created_by=actor, encoding=manifest.encoding or "", location=str(location)
        )
        items = [
            BatchItem(batch=batch, row=row.row, path=row.file, case_key=case_key_of(row), details=details_of(row))
            for row in manifest.rows
        ]
        for number, found in sorted(problems.items()):
            items.append(
                BatchItem(
                    batch=batch,
                    row=number,
                    path=manifest.files.get(number, ""),
                    state=ItemState.FAILED,
                    error="\n".join(f"{p.column}: {p.message}" if p.column else p.message for p in found),
                )
            )
        BatchItem.objects.bulk_create(items)
        if wake and manifest.rows:
            transaction.on_commit(lambda: work.wake(len(manifest.rows)))
    from ingest import batches

    batches.finish_if_done(batch.pk)
    return batch


# Filing one item ------------------------------------------------------------------------------------


def file_claimed(item, name):
    """File a claimed item from its batch's folder; the outcome is written only if the claim still holds."""
    batch = Batch.objects.select_related("created_by").get(pk=item.batch_id)
    if item.attempts > work.max_attempts():
        _settle(item, name, state=ItemState.FAILED, error=work._gave_up())
        return
    try:
        source = sources.FolderSource(batch.location, label=batch.name)
    except RecordsError as error:
        _settle(item, name, state=ItemState.FAILED, error=error.message)
        return
    with source:
        file_item(item, batch.created_by, lambda: source.open(item.path), name=name)
    from ingest import batches

    batches.finish_if_done(batch.pk)


def file_item(item, actor, opener, *, name=None):
    """File `item` (a manifest row in its details) with the bytes `opener()` gives; records the outcome."""
    row = row_of(item.details)
    try:
        with opener() as handle:
            sha256 = _sha256(handle)
            handle.seek(0)
            with transaction.atomic():
                if name is not None and not _still_ours(item, name):
                    return  # the lease ran out and another worker took the item: its outcome stands
                case, note = _case_for(item, row, actor)
                existing = Version.objects.filter(document__case=case, sha256=sha256).order_by("created_at").first()
                if existing is not None:
                    _settle(item, name, version=existing, case=case, note=_already_stored(existing))
                    return
                document = services.add_document(
                    Document(case=case, kind=row.document_kind, title=row.title, languages=list(row.languages)),
                    actor=actor,
                    file=handle,
                    file_name=PurePosixPath(row.file).name,
                    change_note=labels.FILED_FROM_BATCH,
                )
                version = document.versions.get()
                work.request_reading(version.pk, languages=list(row.languages))
                _settle(item, name, version=version, case=case, note=note)
    except (RecordsError, OSError) as error:
        message = getattr(error, "message", None) or str(error)
        _settle(item, name, state=ItemState.FAILED, error=message)


def file_upload(batch, row_number, upload, *, actor, case, kind, languages, title=None):
    """An uploaded file, filed at once as a new document of `case` (the staff screen's and the API's path)."""
    name = PurePosixPath(getattr(upload, "name", "") or "file").name
    item = BatchItem.objects.create(batch=batch, row=row_number, path=name, state=ItemState.FILING, case=case)
    try:
        upload.seek(0)
        existing = Version.objects.filter(document__case=case, sha256=_sha256(upload)).order_by("created_at").first()
        upload.seek(0)
        if existing is not None:
            _settle(item, None, version=existing, case=case, note=_already_stored(existing))
            item.refresh_from_db()
            return item
        with transaction.atomic():
            document = services.add_document(
                Document(case=case, kind=kind, title=title or PurePosixPath(name).stem or name, languages=list(languages)),
                actor=actor,
                file=upload,
                file_name=name,
            )
            version = document.versions.get()
            work.request_reading(version.pk, languages=list(languages))
            _settle(item, None, version=version, case=case)
    except RecordsError as error:
        _settle(item, None, state=ItemState.FAILED, error=error.message)
    item.refresh_from_db()
    return item


def _sha256(handle):
    digest = hashlib.sha256()
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _still_ours(item, name):
    return BatchItem.objects.select_for_update().filter(pk=item.pk, state=ItemState.FILING, worker=name).exists()


def _already_stored(version):
    return _("Already stored as version %(number)s of a document of this case: not stored again.") % {
        "number": version.number
    }


def _settle(item, name, *, state=None, error="", version=None, case=None, note=""):
    """Record an item's outcome: failed, or filed (then reading, or done when its text is settled)."""
    if state is None:
        state, error = _reading_state(version)
    updates = {"state": state, "error": error[:5000], "note": note, "lease_until": None, "updated_at": timezone.now()}
    if version is not None:
        updates.update(version=version, case=case, details={})  # the row may name a child: not kept once filed
    mine = BatchItem.objects.filter(pk=item.pk)
    if name is not None:
        mine = mine.filter(worker=name, state=ItemState.FILING)
    mine.update(**updates)


def _reading_state(version):
    if not work.is_readable(version.media_type):
        return ItemState.DONE, ""
    reading = Reading.objects.filter(pk=version.pk).first()
    if reading is None or reading.state not in (ReadingState.DONE, ReadingState.FAILED):
        return ItemState.READING, ""
    return (ItemState.DONE, "") if reading.state == ReadingState.DONE else (ItemState.FAILED, reading.error)


# The row's case ------------------------------------------------------------------------------------


def _case_for(item, row, actor):
    """(case, note): the case the row names, found or registered."""
    court = Institution.objects.get(code=row.court)
    named = Q(number_key=keys.case_number_key(row.case_number)) if row.case_number else Q(pk__in=[])
    legacy_keys = [keys.case_number_key(number) for number in row.legacy_numbers]
    named |= Q(pk__in=LegacyNumber.objects.filter(number_key__in=legacy_keys).values("case_id"))
    visible = access.restrict(actor, CaseFile.objects.filter(named, court=court)).order_by("created_at").first()
    if visible is not None:
        return visible, ""
    # Only the person's own earlier batches: finding someone else's hidden case by its number would tell
    # them it exists (their file would vanish into it); theirs is registered and held as a number conflict.
    earlier = (
        BatchItem.objects.filter(case_key=item.case_key, case__isnull=False, batch__created_by=actor)
        .exclude(pk=item.pk)
        .values_list("case_id", flat=True)
        .first()
    )
    if earlier is not None:
        return CaseFile.objects.get(pk=earlier), ""
    return _register(row, court, actor), ""


def _register(row, court, actor):
    case = CaseFile(
        number=row.case_number or row.legacy_numbers[0],
        court=court,
        case_type=CaseType.objects.get(code=row.case_type),
        date_filed=row.filing_date,
        date_judgment=row.judgment_date,
        location_building=row.building,
        location_room=row.room,
        location_shelf=row.shelf,
        location_box=row.box,
    )
    case.parties = [
        Party(role=p.role, name=p.name, national_id=p.national_id, date_of_birth=p.date_of_birth, sex=p.sex)
        for p in row.parties
    ]
    case.legacy_numbers = [LegacyNumber(number=number) for number in row.legacy_numbers]
    services.register_case_file(case, actor=actor, reason=labels.REGISTERED_FROM_BATCH)
    if row.closure_date:
        services.change_status(
            case, Status.CLOSED, actor=actor, reason=labels.CLOSED_BEFORE_DIGITISATION, effective_on=row.closure_date
        )
    return case
