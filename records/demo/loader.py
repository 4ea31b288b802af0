"""Creates demo institutions, case files and documents from a corpus folder, through the services.

Going through the services means the demo data is made exactly as a clerk's would be: checked
uploads, versions with SHA-256, life-cycle history, declared records. All of it is made in one
transaction, so a failure part-way leaves nothing behind and running the command again finishes.
"""

import hashlib
import re
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from records import services, storage
from records.demo.accounts import GBV_UNIT, JUVENILE_BENCH, ensure_accounts
from records.demo.corpus import plan
from records.lifecycle import Status
from records.models import (
    CaseFile,
    CaseType,
    Document,
    Institution,
    InstitutionKind,
    Level,
    Mark,
    Party,
    PartyRole,
    Route,
)

CASE_TYPES = [
    ("civil", "Civil"),
    ("criminal", "Criminal"),
    ("commercial", "Commercial"),
    ("family", "Family"),
    ("juvenile", "Juvenile"),
    ("gbv", "Gender-based violence"),
    ("labour", "Labour"),
    ("administrative", "Administrative"),
]
# Sealed by rule: every case of these types is sealed with the mark, whoever registers it.
SEALED_CASE_TYPES = {"juvenile": "JUVENILE", "gbv": "GBV"}
OTHER_INSTITUTIONS = [
    ("DEMO-PROS", "Demo Public Prosecution Office", InstitutionKind.PROSECUTION),
    ("DEMO-POL", "Demo Central Police Station", InstitutionKind.POLICE),
    ("DEMO-PROB", "Demo Probation and Aftercare Office", InstitutionKind.PROBATION),
    ("DEMO-PRIS", "Demo Correctional Facility", InstitutionKind.PRISON),
]
_VERSUS = re.compile(r"\s+v\.?\s+")


def guess_case_type(court, title):
    text = f"{court} {title}".lower()
    if "commerc" in text or "tijar" in text or "تجاري" in text:
        return "commercial"
    if "workers" in text or "hukuk dairesi" in text or "labour" in text:
        return "labour"
    if "tax" in text or "commissioner" in text or "health" in text:
        return "administrative"
    if re.search(r"\b(state|united states v|s v)\b", text):
        return "criminal"
    return "civil"


def demo_national_id(name):
    """A stable, obviously synthetic ID number, written in groups as clerks often type them."""
    digits = f"{int(hashlib.sha256(name.encode()).hexdigest()[:15], 16) % 10**12:012d}"
    return f"{digits[:4]} {digits[4:8]} {digits[8:]}"


def parties_from_title(title, case_type):
    sides = _VERSUS.split(title, maxsplit=1)
    if len(sides) != 2:
        return []
    first, second = (side.strip(" ,.") for side in sides)
    second = re.sub(r"\s+et al$", "", second)
    if case_type == "criminal" and re.match(r"(State|United States|S)\b", first):
        roles = [(PartyRole.PROSECUTOR, first), (PartyRole.ACCUSED, second)]
    else:
        roles = [(PartyRole.APPLICANT, first), (PartyRole.RESPONDENT, second)]
    return [Party(role=role, name=name[:200], national_id=demo_national_id(name)) for role, name in roles]


def load_demo(corpus_files, *, report=print):
    """Load `corpus_files` (checked by records.demo.manifest), all or nothing; returns (case files, pieces
    of legislation) loaded.

    The accounts are made first, outside the transaction: their passwords are written to the data
    directory as they are created, and an account kept after a failed load is reused by the next run.
    """
    loader = DemoLoader(corpus_files, actor=ensure_accounts(), report=report)
    try:
        with transaction.atomic():
            return loader.load()
    except BaseException:
        # The rollback takes the versions' rows with it but not their bytes in the originals storage.
        for key in loader.stored:
            storage.remove(key)
        raise


class DemoLoader:
    def __init__(self, corpus_files, *, actor, report=print):
        self.corpus_files = corpus_files
        self.actor = actor
        self.report = report
        self.roots = {}
        self.stored = set()  # the originals' storage keys written so far

    def load(self):
        case_groups, legislation = plan(self.corpus_files)
        case_types = {
            code: CaseType.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in CASE_TYPES
        }
        for code, mark in SEALED_CASE_TYPES.items():
            case_types[code].default_level = Level.SEALED
            case_types[code].save(update_fields=["default_level"])
            case_types[code].default_marks.add(Mark.objects.get(code=mark))
        for code, name, kind in OTHER_INSTITUTIONS:
            Institution.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
        for position, group in enumerate(case_groups, start=1):
            case_file = self.add_case(group, case_types, position)
            self.report(f"  case {case_file.number} ({case_file.court}): {len(group.files)} files")
        self.add_sealed_examples(case_types)
        for corpus_file in legislation:
            document = Document(
                kind="legislation",
                title=corpus_file.title[:400],
                languages=[corpus_file.language],
                document_date=corpus_file.date,
            )
            with open(corpus_file.path, "rb") as upload:
                services.add_document(document, actor=self.actor, file=upload, file_name=corpus_file.path.name)
            self.keep_keys(document)
            self.report(f"  legislation: {corpus_file.path.name}")
        return len(case_groups), len(legislation)

    def keep_keys(self, document):
        self.stored.update(document.versions.values_list("storage_key", flat=True))

    def add_sealed_examples(self, case_types):
        """A juvenile and a GBV case: sealed by rule the moment they are registered, and visible only to the
        demo judge, who is cleared for them and assigned (the juvenile one through the juvenile bench)."""
        court = Institution.objects.filter(kind=InstitutionKind.COURT, parent__isnull=False).first()
        if court is None:
            return
        filed = date(2025, 3, 10)
        juvenile = CaseFile(number="JUV-1/2025", court=court, case_type=case_types["juvenile"], date_filed=filed,
                            title="In the matter of a child")
        juvenile.parties = [
            Party(role=PartyRole.CHILD, name="Child A", date_of_birth=date(2011, 6, 2)),
            Party(role=PartyRole.GUARDIAN, name="Guardian of child A"),
        ]
        gbv = CaseFile(number="GBV-7/2025", court=court, case_type=case_types["gbv"], date_filed=filed,
                       title="Protection order application")
        gbv.parties = [Party(role=PartyRole.APPLICANT, name="Applicant B"), Party(role=PartyRole.RESPONDENT, name="Respondent C")]
        # Routes by rule: every court's juvenile cases (and any case with a child) to the juvenile bench, GBV
        # cases to the GBV unit. Registration then assigns them; nobody has to remember.
        bench = Group.objects.get_or_create(name=JUVENILE_BENCH)[0]
        unit = Group.objects.get_or_create(name=GBV_UNIT)[0]
        for values in (
            {"case_type": case_types["juvenile"], "group": bench},
            {"mark": Mark.objects.get(code="JUVENILE"), "group": bench},
            {"case_type": case_types["gbv"], "group": unit},
        ):
            Route.objects.get_or_create(court=None, **values)
        for case_file in (juvenile, gbv):
            services.register_case_file(case_file, actor=self.actor, reason="Registered from the demo corpus")
        self.report("  sealed examples: a juvenile case (juvenile bench) and a GBV case (GBV unit), routed by rule")

    def court_for(self, group):
        country = group.jurisdiction.split("-")[0] or "XX"
        if country not in self.roots:
            self.roots[country] = Institution.objects.get_or_create(
                code=slugify(f"judiciary-{country}")[:32].upper(),
                defaults={"name": f"Judiciary ({group.jurisdiction.split('-')[0]})", "kind": InstitutionKind.COURT},
            )[0]
        code = hashlib.sha1(group.court.encode()).hexdigest()[:6].upper()
        return Institution.objects.get_or_create(
            code=f"{slugify(country)[:8].upper()}-{code}",
            defaults={"name": group.court[:200], "kind": InstitutionKind.COURT, "parent": self.roots[country]},
        )[0]

    def add_case(self, group, case_types, position):
        judgment = group.main.kind == "judgment"
        type_code = guess_case_type(group.court, group.title)
        filed = group.date - timedelta(days=200 if judgment else 0)
        case_file = CaseFile(
            number=group.number,
            court=self.court_for(group),
            case_type=case_types[type_code],
            title=group.title,
            date_filed=filed,
            location_building="Main archive",
            location_room=f"R{1 + position % 3}",
            location_shelf=f"S{position:02d}",
            location_box=f"B{position * 7:03d}",
        )
        case_file.parties = parties_from_title(group.title, type_code)
        services.register_case_file(case_file, actor=self.actor, reason="Registered from the demo corpus")
        documents = [
            self.add_document(case_file, kind, files, title=group.main.title if kind == group.main.kind else None)
            for kind, files in group.documents()
        ]
        self.walk_life_cycle(case_file, group, judgment)
        if case_file.status == Status.CLOSED and documents:
            services.declare_record(documents[0], actor=self.actor)
        return case_file

    def add_document(self, case_file, kind, files, title=None):
        first = files[0]
        document = Document(
            case=case_file,
            kind=kind if kind in {"judgment", "filing", "legacy_scan"} else "other",
            title=(title or first.title)[:400],
            languages=[first.language],
            document_date=first.date,
        )
        with open(first.path, "rb") as upload:
            services.add_document(
                document, actor=self.actor, file=upload, file_name=first.path.name, change_note="First version"
            )
        self.keep_keys(document)
        for later in files[1:]:
            with open(later.path, "rb") as upload:
                services.add_version(
                    document,
                    upload,
                    author=self.actor,
                    file_name=later.path.name,
                    change_note=f"Same decision as {later.format.replace('-', ' ')}",
                )
            self.keep_keys(document)
        return document

    def walk_life_cycle(self, case_file, group, judgment):
        today = timezone.localdate()
        steps = [(Status.HEARING, case_file.date_filed + timedelta(days=60), "First hearing scheduled")]
        if judgment:
            steps += [
                (Status.JUDGMENT, group.date, "Judgment delivered"),
                (Status.CLOSED, group.date + timedelta(days=30), "Time for appeal expired"),
            ]
        for status, effective_on, reason in steps:
            if effective_on <= today:
                services.change_status(
                    case_file, status, actor=self.actor, reason=reason, effective_on=effective_on
                )
