from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InstitutionKind(models.TextChoices):
    COURT = "court", _("Court")
    PROSECUTION = "prosecution", _("Prosecution office")
    POLICE = "police", _("Police station")
    PROBATION = "probation", _("Probation office")
    PRISON = "prison", _("Prison")
    CHILD_PROTECTION = "child_protection", _("Child protection office")
    ARCHIVE = "archive", _("Archive")
    OTHER = "other", pgettext_lazy("institution kind", "Other")


class Institution(models.Model):
    """A court or another office of the justice sector; `parent` builds the court hierarchy."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=InstitutionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self):
        return self.name

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError(
                    {"parent": _("An institution cannot sit under itself or one of its own branches.")}
                )
            ancestor = ancestor.parent
