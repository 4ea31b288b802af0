import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from records import keys, labels
from records.errors import InvalidTransition
from records.lifecycle import Status


class Level(models.TextChoices):
    """Confidentiality levels, lowest first; the rules that use them belong to the access layer."""

    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    SEALED = "sealed", _("Sealed")


class CaseType(models.Model):
    """Civil, criminal, family, juvenile, GBV, ...: data a court defines, not code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    # Labels in the interface's other languages; empty ones fall back to the name (see records.labels).
    name_fr = models.CharField(_("name in French"), max_length=120, blank=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    default_level = models.CharField(
        _("default level"),
        max_length=16,
        choices=Level.choices,
        default=Level.INTERNAL,
        help_text=_("Every case of this type is at least this restricted, whoever registers it."),
    )
    default_marks = models.ManyToManyField(
        "records.Mark",
        verbose_name=_("default marks"),
        blank=True,
        related_name="+",
        help_text=_("Every case of this type carries these marks, e.g. JUVENILE for juvenile cases."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("case type")
        verbose_name_plural = _("case types")

    def __str__(self):
        return labels.label(self)


def _ids_with_number(key):
    """Ids of the case files numbered `key` now or in an earlier register.

    A UNION of indexed look-ups, not an OR of subqueries: PostgreSQL answers the OR by scanning every
    case file (about 100 ms at 100,000 cases), the UNION with three index probes (about 1 ms).
    """
    return (
        CaseFile.objects.filter(number_key=key).values("pk").order_by()
        .union(LegacyNumber.objects.filter(number_key=key).values("case_id").order_by(), all=True)
    )


class CaseFileQuerySet(models.QuerySet):
    def in_court(self, court):
        return self.filter(court=court)

    def with_number(self, number):
        """Case files whose number or one of whose legacy numbers is `number`, however typed."""
        return self.filter(pk__in=_ids_with_number(keys.case_number_key(number)))

    def with_party_national_id(self, national_id):
        # An empty key ("(...)", a redacted ID) would match every party recorded without an ID.
        if not (key := keys.national_id_key(national_id)):
            return self.none()
        return self.filter(pk__in=Party.objects.filter(national_id_key=key).values("case_id"))

    def with_party_name(self, name):
        if not (key := keys.name_key(name)):
            return self.none()
        return self.filter(pk__in=Party.objects.filter(name_key__contains=key).values("case_id"))

    def matching(self, text):
        """What the staff search box finds: exact numbers and IDs first, else partial numbers and names.

        The exact pass is a few indexed equality tests, so the look-up a clerk makes every day is fast;
        only when it finds nothing does the slower partial match over numbers and party names run.
        """
        number = keys.case_number_key(text or "")
        if not number:
            return self.none()
        ids = _ids_with_number(number)
        if national_id := keys.national_id_key(text):
            ids = ids.union(Party.objects.filter(national_id_key=national_id).values("case_id").order_by(), all=True)
        found = self.filter(pk__in=ids)
        if found.exists():
            return found
        # A UNION again, so that each part reads its own trigram index (records 0017 on PostgreSQL).
        partial = [LegacyNumber.objects.filter(number_key__contains=number).values("case_id").order_by()]
        if name := keys.name_key(text):
            partial.append(Party.objects.filter(name_key__contains=name).values("case_id").order_by())
        return self.filter(pk__in=CaseFile.objects.filter(number_key__contains=number).values("pk").order_by().union(*partial, all=True))

    def filed_in(self, year):
        """By filing year, as a date range so the index on date_filed serves it; ValueError off the calendar."""
        return self.filter(date_filed__gte=datetime.date(year, 1, 1), date_filed__lte=datetime.date(year, 12, 31))


class CaseFile(ClusterableModel):
    """One case as the court knows it, from filing to archive.

    `id` is the system identifier: random, never edited, and used in every URL, so URLs neither
    reveal how many cases exist nor let anyone guess the next one.
    """

    id = models.UUIDField(_("system identifier"), primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(
        _("case number"), max_length=100, help_text=_("As the court writes it, e.g. 2025/10062 E.")
    )
    number_key = models.CharField(max_length=100, editable=False, db_index=True)
    court = models.ForeignKey(
        "records.Institution",
        verbose_name=_("court or office"),
        on_delete=models.PROTECT,
        related_name="case_files",
    )
    case_type = models.ForeignKey(
        CaseType, verbose_name=_("case type"), on_delete=models.PROTECT, related_name="case_files"
    )
    title = models.CharField(
        _("title"), max_length=300, blank=True, help_text=_("Short name, e.g. the parties: A v. B")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.FILED, editable=False
    )
    date_filed = models.DateField(_("date filed"))
    date_judgment = models.DateField(_("date of judgment"), null=True, blank=True)
    date_closed = models.DateField(_("date closed"), null=True, blank=True)
    level = models.CharField(
        _("confidentiality level"), max_length=16, choices=Level.choices, default=Level.INTERNAL
    )
    # Set on registration; changed afterwards only by classification (records.classification).
    marks = models.ManyToManyField("records.Mark", verbose_name=_("marks"), blank=True, related_name="+")
    # Kept by the database (triggers of migration 0006): true exactly when the case has a mark, so the
    # access rule looks marks up only for marked cases. Whatever Django writes here is overruled.
    marked = models.BooleanField(_("marked"), default=False, editable=False)
    # True while the case's number is also that of a case its registrant could not see: such a case is
    # registered as any other (the answer tells nothing of the hidden one) and held out of the court's
    # numbering until a registrar who sees both renumbers one (records.numbering).
    number_held = models.BooleanField(_("number held for review"), default=False, editable=False)
    location_building = models.CharField(_("building"), max_length=100, blank=True)
    location_room = models.CharField(_("room"), max_length=50, blank=True)
    location_shelf = models.CharField(_("shelf"), max_length=50, blank=True)
    location_box = models.CharField(_("box"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseFileQuerySet.as_manager()

    class Meta:
        ordering = ["-date_filed", "number"]
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        constraints = [
            # Two live cases never share a number in a court; a held one waits for a registrar.
            models.UniqueConstraint(
                fields=["court", "number_key"],
                condition=models.Q(number_held=False),
                name="case_number_unique_in_court",
            )
        ]
        indexes = [
            models.Index(fields=["-date_filed", "number"], name="case_list_order"),
            models.Index(fields=["status"], name="case_status"),
        ]
        permissions = [
            ("classify_casefile", _("Can change the level and marks of a case file")),
            ("assign_casefile", _("Can assign users and groups to a case file")),
        ]

    def __str__(self):
        return f"{self.number} — {self.court}" if self.court_id else self.number

    @property
    def location(self):
        parts = [self.location_building, self.location_room, self.location_shelf, self.location_box]
        return " / ".join(part for part in parts if part)

    def save(self, *args, **kwargs):
        self.number = self.number.strip()
        self.number_key = keys.case_number_key(self.number)
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored != self.status:
                raise InvalidTransition(
                    f"Case {self.number}: the status is changed with change_status (which checks the "
                    f"transition and records who, when and why), not by saving the case file."
                )
        super().save(*args, **kwargs)


class StatusChange(models.Model):
    """One step of a case's life cycle: who moved it, when, from what to what, and why."""

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("previous status"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("new status"), max_length=16, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.case}: {self.from_status or '—'} → {self.to_status}"


class LegacyNumber(models.Model):
    """A number the case had in an earlier register: paper books, an older system, another court."""

    case = ParentalKey(CaseFile, on_delete=models.CASCADE, related_name="legacy_numbers")
    number = models.CharField(_("legacy number"), max_length=100)
    number_key = models.CharField(max_length=100, editable=False, db_index=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Where it comes from, e.g. 1998 registry book")
    )

    class Meta:
        verbose_name = _("legacy number")
        verbose_name_plural = _("legacy numbers")

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        self.number = self.number.strip()
        self.number_key = keys.case_number_key(self.number)
        super().save(*args, **kwargs)


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant / plaintiff")
    RESPONDENT = "respondent", _("Respondent / defendant")
    ACCUSED = "accused", _("Accused")
    VICTIM = "victim", _("Victim")
    CHILD = "child", _("Child")
    GUARDIAN = "guardian", _("Guardian")
    WITNESS = "witness", _("Witness")
    ADVOCATE = "advocate", _("Advocate")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    EXPERT = "expert", _("Expert")
    OTHER = "other", pgettext_lazy("party role", "Other")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NOT_RECORDED = "not_recorded", _("Not recorded")


class Party(models.Model):
    case = ParentalKey(CaseFile, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    national_id = models.CharField(_("national ID number"), max_length=40, blank=True)
    national_id_key = models.CharField(max_length=40, editable=False, db_index=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, default=Sex.NOT_RECORDED)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.name_key = keys.name_key(self.name)
        self.national_id = self.national_id.strip()
        self.national_id_key = keys.national_id_key(self.national_id)
        super().save(*args, **kwargs)
