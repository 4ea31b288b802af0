"""The world the leak tests probe: five users, five items, and a reference statement of who may see what.

The reference (`MAY_SEE`) is written out from the issue's rule, by hand, not computed by the access
layer it checks: public and internal items by level alone; confidential and sealed ones only with the
level, every mark, and an assignment (direct or through a group). Superusers have no way around it.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from PIL import Image

from ingest.models import Batch, BatchItem, ItemState
from records import classification, renditions, services
from records.models import CaseFile, CaseType, Document, Institution, Party, RenditionKind, TextSource
from tests.factories import UserFactory, clear

USERS = [
    "anonymous",
    "clerk",
    "judge_unassigned",
    "judge_assigned",
    "superuser",
    "registrar",
    "auditor",
    "auditor_marks_only",
    "registrar_marks_only",
]
# Roles that read no records at all (the audit trail only): every records endpoint refuses them alike.
NO_RECORDS_ROLE = {"auditor", "auditor_marks_only"}
ITEMS = ["public", "confidential", "sealed_juvenile", "sealed_gbv", "internal"]

# Who may see which item, read off the rule for this world (see `build`):
#   clerk: internal, no marks.             judge_unassigned: sealed + JUVENILE, assigned to nothing.
#   judge_assigned: sealed + JUVENILE, on the juvenile bench (assigned: confidential, both sealed).
#   superuser: sealed + every mark, assigned to nothing.   registrar: internal, no marks.
#   auditor: internal, reads the trail only.   auditor_marks_only: internal + JUVENILE, the trail only.
#   registrar_marks_only: internal + JUVENILE and GBV, assigned to nothing.
MAY_SEE = {
    "anonymous": {"public"},
    "clerk": {"public", "internal"},
    "judge_unassigned": {"public", "internal"},
    "judge_assigned": {"public", "internal", "confidential", "sealed_juvenile"},  # no GBV mark
    "superuser": {"public", "internal"},
    "registrar": {"public", "internal"},
    # By the rule, as anyone with their clearance (their role then refuses every records screen).
    "auditor": {"public", "internal"},
    "auditor_marks_only": {"public", "internal"},
    # Holding the marks without the level or an assignment opens nothing restricted.
    "registrar_marks_only": {"public", "internal"},
}


@dataclass
class Item:
    name: str
    case: CaseFile
    document: Document
    version: object
    party_names: list
    national_ids: list
    assignment_id: int | None = None
    secrets: list = field(default_factory=list)

    batch_id: str = ""

    @property
    def ids(self):
        return {
            "case": str(self.case.pk),
            "document": str(self.document.pk),
            "version": str(self.version.pk),
            "batch": self.batch_id,
        }


def _case_type(code, level, marks=()):
    case_type, _ = CaseType.objects.get_or_create(code=code, defaults={"name": code.capitalize()})
    case_type.default_level = level
    case_type.save()
    case_type.default_marks.set(classification._marks(marks))
    return case_type


@dataclass
class Setting:
    """What every item is registered into: the registering account, the court, case types and the bench."""

    registrar: object
    court: Institution
    types: dict
    bench: Group
    corpus_bytes: object


def prepare(corpus_bytes):
    registrar = UserFactory(role="registrar", username="leak-setup")
    clear(registrar, "sealed", ("JUVENILE", "GBV", "FAMILY"))
    court = Institution.objects.create(code="LEAK-CRT", name="Juvenile and Family Court, Leakville", kind="court")
    civil = _case_type("civil", "internal")
    types = {
        "public": (civil, "public"),
        "internal": (civil, "internal"),
        "confidential": (civil, "confidential"),
        "sealed_juvenile": (_case_type("juvenile", "sealed", ["JUVENILE"]), None),
        "sealed_gbv": (_case_type("gbv", "sealed", ["GBV"]), None),
    }
    return Setting(registrar, court, types, Group.objects.create(name="juvenile bench, Leakville"), corpus_bytes)


def register(setting, name):
    """Register one item through the services, as any path would."""
    registrar, position = setting.registrar, ITEMS.index(name) + 1
    case_type, level = setting.types[name]
    token = name.upper().replace("_", "")
    party_names = [f"Partyname{token}Alpha", f"Partyname{token}Beta"]
    national_ids = [f"90{position}1{position}2{position}3{position}4", f"80{position}5{position}6{position}7{position}8"]
    case_file = CaseFile(
        number=f"LK{token}-{position}/2025",
        court=setting.court,
        case_type=case_type,
        title=f"Casetitle{token}",
        date_filed=datetime.date(2025, 1, position),
    )
    case_file.parties = [
        Party(role="applicant", name=party_names[0], national_id=national_ids[0]),
        Party(role="respondent", name=party_names[1], national_id=national_ids[1]),
    ]
    services.register_case_file(case_file, actor=registrar, level=level)
    document = services.add_document(
        Document(case=case_file, kind="judgment", title=f"Doctitle{token}", languages=["eng"]),
        actor=registrar,
        file=setting.corpus_bytes(),
        file_name=f"filename-{token.lower()}.pdf",
    )
    assignment = None
    if name in ("confidential", "sealed_juvenile", "sealed_gbv"):
        assignment = classification.assign(case_file, actor=registrar, group=setting.bench)
    # The setup account registered everything and was assigned as registrant; it is not a probed user.
    item = Item(
        name=name,
        case=case_file,
        document=document,
        version=document.versions.get(),
        party_names=party_names,
        national_ids=national_ids,
        assignment_id=assignment.pk if assignment else None,
    )
    item.batch_id = str(give_pages_and_batch(setting, item, token).pk)
    item.secrets = [
        case_file.number,
        case_file.title,
        document.title,
        f"filename-{token.lower()}",
        f"Batchname{token}",
        f"Pagetext{token}",
        *party_names,
        *national_ids,
        *item.ids.values(),
    ]
    return item


def _webp(size):
    out = io.BytesIO()
    Image.new("L", size, 255).save(out, format="WEBP")
    return out.getvalue()


def give_pages_and_batch(setting, item, token):
    """A read page (text naming the parties, a page image, a thumbnail, a searchable PDF, left for review)
    and the batch that filed the file, as ingest leaves them: every URL that serves them is probed too."""
    files = []
    for kind, data, media in (
        (RenditionKind.PREVIEW, _webp((60, 85)), "image/webp"),
        (RenditionKind.THUMBNAIL, _webp((20, 28)), "image/webp"),
        (RenditionKind.SEARCHABLE_PDF, setting.corpus_bytes().read(), "application/pdf"),
    ):
        files.append((kind, renditions.write(data, media), media, len(data)))
    text = f"Pagetext{token}: judgment in {item.case.number} between {item.party_names[0]} and {item.party_names[1]}"
    services.record_page(
        item.version,
        1,
        text=text,
        source=TextSource.OCR,
        needs_review=True,
        width=600,
        height=850,
        confidence=42.0,
        words=[[item.party_names[0], 10, 10, 120, 20, 42.0]],
        unit="px",
        engine="tesseract 5.3.0",
        languages="eng",
        renditions=files[:2],
    )
    kind, key, media, size = files[2]
    services.record_rendition(item.version, kind, key, media, size)
    batch = Batch.objects.create(name=f"Batchname{token}", source=Batch.Source.UPLOAD, created_by=setting.registrar)
    BatchItem.objects.create(
        batch=batch,
        row=1,
        path=f"filename-{token.lower()}.pdf",
        state=ItemState.DONE,
        version=item.version,
        case=item.case,
        pages=1,
    )
    return batch


def build(corpus_bytes):
    """Register the five items and the users."""
    setting = prepare(corpus_bytes)
    items = {name: register(setting, name) for name in ITEMS}
    return make_users(setting), items


def make_users(setting):
    bench = setting.bench
    users = {"anonymous": None}
    users["clerk"] = UserFactory(role="clerk", username="leak-clerk")
    users["judge_unassigned"] = UserFactory(
        role="judge", username="leak-judge-free", clearance="sealed", marks=("JUVENILE",)
    )
    users["judge_assigned"] = UserFactory(role="judge", username="leak-judge-bench", clearance="sealed", marks=("JUVENILE",))
    users["judge_assigned"].groups.add(bench)
    users["superuser"] = UserFactory(
        username="leak-admin", is_superuser=True, is_staff=True, clearance="sealed", marks=("JUVENILE", "GBV", "FAMILY")
    )
    users["registrar"] = UserFactory(role="registrar", username="leak-registrar")
    users["auditor"] = UserFactory(role="auditor", username="leak-auditor")
    users["auditor_marks_only"] = UserFactory(
        role="auditor", username="leak-auditor-marks", clearance="internal", marks=("JUVENILE",)
    )
    users["registrar_marks_only"] = UserFactory(
        role="registrar", username="leak-registrar-marks", clearance="internal", marks=("JUVENILE", "GBV")
    )
    return users
