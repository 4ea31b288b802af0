import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from records.errors import RecordDeclared, VersionImmutable
from records.languages import Language
from records.models.cases import Level


class DocumentKind(models.TextChoices):
    JUDGMENT = "judgment", _("Judgment / ruling")
    ORDER = "order", _("Order")
    SOCIAL_ENQUIRY_REPORT = "social_enquiry_report", _("Social enquiry report")
    MINUTES = "minutes", _("Minutes")
    FILING = "filing", _("Filing")
    EVIDENCE = "evidence", _("Evidence")
    CORRESPONDENCE = "correspondence", _("Correspondence")
    LEGISLATION = "legislation", _("Legislation")
    LEGACY_SCAN = "legacy_scan", _("Legacy scan")
    OTHER = "other", pgettext_lazy("document kind", "Other")


# What a declared record may never change: its identity and where it belongs.
FIXED_ON_DECLARATION = ("case_id", "kind", "title", "document_date", "declared_at", "declared_by_id")
_FIXED_NAMES = set(FIXED_ON_DECLARATION) | {name.removesuffix("_id") for name in FIXED_ON_DECLARATION}


def _upsert_fields(args, kwargs):
    """The fields a bulk_create(update_conflicts=True) would overwrite, or None for a plain insert."""
    names = ("batch_size", "ignore_conflicts", "update_conflicts", "update_fields", "unique_fields")
    given = {**dict(zip(names, args, strict=False)), **kwargs}
    if not given.get("update_conflicts"):
        return None
    return [getattr(field, "name", field) for field in given.get("update_fields") or ()]


class DocumentQuerySet(models.QuerySet):
    def declared(self):
        return self.filter(declared_at__isnull=False)

    def update(self, **values):
        fixed = sorted(set(values) & _FIXED_NAMES)
        if fixed and self.declared().exists():
            raise RecordDeclared(
                gettext("Refused to update %(fields)s of declared records; a declared record's identity and content are fixed.")
                % {"fields": ", ".join(fixed)}
            )
        return super().update(**values)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        upsert = _upsert_fields(args, kwargs)
        if upsert is not None and set(upsert) & _FIXED_NAMES:
            keys = [obj.pk for obj in objs if obj.pk is not None]
            if Document.objects.filter(pk__in=keys).declared().exists():
                raise RecordDeclared(
                    gettext("Refused to overwrite declared records by an upsert; their identity and content are fixed.")
                )
        return super().bulk_create(objs, *args, **kwargs)

    def delete(self):
        declared = list(self.declared().values_list("title", flat=True)[:3])
        if declared:
            raise RecordDeclared(
                gettext("Refused to delete declared records (%(titles)s); only a disposition can destroy a record.")
                % {"titles": ", ".join(declared)}
            )
        return super().delete()


class Document(models.Model):
    """A paper or file in a case (or a piece of legislation), kept as an ordered series of versions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "records.CaseFile",
        verbose_name=_("case file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=400)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    document_date = models.DateField(_("date of the document"), null=True, blank=True)
    # Empty: as restricted as its case. A document may be more restricted than its case, never less.
    level = models.CharField(
        _("confidentiality level"), max_length=16, choices=Level.choices, blank=True, default="", editable=False
    )
    marks = models.ManyToManyField("records.Mark", verbose_name=_("marks"), blank=True, related_name="+")
    # Kept by the database, as CaseFile.marked is: true exactly when the document has marks of its own.
    marked = models.BooleanField(_("marked"), default=False, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared as a record at"), null=True, blank=True, editable=False)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [
            ("declare_document", _("Can declare a document as a record")),
            ("classify_document", _("Can change the level and marks of a document")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(kind="legislation"),
                name="document_in_a_case_unless_legislation",
                violation_error_message=_("Only legislation may stand outside a case file."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self._refuse_change_if_declared()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if type(self).objects.filter(pk=self.pk).declared().exists():
            raise RecordDeclared(
                gettext("Document «%(title)s» is a declared record; only a disposition can destroy it.")
                % {"title": self.title}
            )
        return super().delete(*args, **kwargs)

    def get_languages_display(self):
        labels = dict(Language.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.languages)

    @property
    def is_declared(self):
        return self.declared_at is not None

    def _refuse_change_if_declared(self):
        # Read from the database, not from this instance: a stale copy must not undo a declaration.
        stored = type(self).objects.filter(pk=self.pk).values(*FIXED_ON_DECLARATION).first()
        if stored is None or stored["declared_at"] is None:
            return
        changed = [name for name in FIXED_ON_DECLARATION if getattr(self, name) != stored[name]]
        if changed:
            raise RecordDeclared(
                gettext("Document «%(title)s» is a declared record: %(fields)s cannot change.")
                % {"title": stored["title"], "fields": ", ".join(name.removesuffix("_id") for name in changed)}
            )


class VersionQuerySet(models.QuerySet):
    def update(self, **values):
        raise VersionImmutable(gettext("Versions are immutable: a change is a new version, never an update."))

    def delete(self):
        raise VersionImmutable(
            gettext(
                "Versions are not deleted one by one: an undeclared document is deleted whole, and a "
                "declared record only by disposition."
            )
        )

    def bulk_create(self, objs, *args, **kwargs):
        if _upsert_fields(args, kwargs) is not None:
            raise VersionImmutable(gettext("Versions are immutable: an upsert would rewrite stored versions."))
        objs = list(objs)
        document_ids = {obj.document_id for obj in objs}
        if Document.objects.filter(pk__in=document_ids).declared().exists():
            raise RecordDeclared(gettext("Refused to add versions to a declared record."))
        return super().bulk_create(objs, *args, **kwargs)


class Version(models.Model):
    """The bytes of a document at one moment: written once, hashed, never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    storage_key = models.CharField(max_length=500, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    media_type = models.CharField(_("media type"), max_length=127)
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    change_note = models.TextField(_("change note"), blank=True)
    reverted_from = models.ForeignKey(
        "self",
        verbose_name=_("reverted from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_number_unique"),
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise VersionImmutable(
                gettext("Version %(number)s of «%(document)s» is immutable; upload a new version instead.")
                % {"number": self.number, "document": self.document}
            )
        if Document.objects.filter(pk=self.document_id).declared().exists():
            raise RecordDeclared(
                gettext("«%(document)s» is a declared record; no new version can be added to it.")
                % {"document": self.document}
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise VersionImmutable(
            gettext(
                "Version %(number)s of «%(document)s» cannot be deleted on its own; versions go with "
                "their (undeclared) document, or by disposition."
            )
            % {"number": self.number, "document": self.document}
        )
