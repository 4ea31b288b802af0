"""Who may see what: marks, users' clearances, assignments to cases and the history of classifications.

The rule that uses them lives in records.access; these are only the facts it reads.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from records import labels
from records.models.cases import Level


class Mark(models.Model):
    """A need-to-know compartment such as JUVENILE, GBV or FAMILY: data, so a court can add its own."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    # Labels in the interface's other languages; empty ones fall back to the name (see records.labels).
    name_fr = models.CharField(_("name in French"), max_length=120, blank=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The least level of an item with this mark: a child party seals a case, not just marks it.
    floor = models.CharField(_("least level"), max_length=16, choices=Level.choices, default=Level.INTERNAL)

    class Meta:
        ordering = ["code"]
        verbose_name = _("mark")
        verbose_name_plural = _("marks")

    def __str__(self):
        return labels.label(self)


class Clearance(models.Model):
    """The highest level and the marks a user is cleared for. A user without one is cleared for public only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="clearance"
    )
    level = models.CharField(_("highest level"), max_length=16, choices=Level.choices, default=Level.INTERNAL)
    marks = models.ManyToManyField(Mark, verbose_name=_("marks"), blank=True, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("clearance")
        verbose_name_plural = _("clearances")

    def __str__(self):
        return f"{self.user}: {self.get_level_display()}"


class Assignment(models.Model):
    """A user, or a group such as "juvenile bench, Ramallah", assigned to a case: the need to know."""

    case = models.ForeignKey(
        "records.CaseFile", verbose_name=_("case file"), on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="case_assignments",
    )
    group = models.ForeignKey(
        Group, verbose_name=_("group"), null=True, blank=True, on_delete=models.CASCADE, related_name="case_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(group__isnull=True)) | (Q(user__isnull=True) & Q(group__isnull=False)),
                name="assignment_to_user_or_group",
            ),
            models.UniqueConstraint(fields=["case", "user"], name="assignment_unique_user"),
            models.UniqueConstraint(fields=["case", "group"], name="assignment_unique_group"),
        ]
        indexes = [models.Index(fields=["user", "case"], name="assignment_by_user")]

    def __str__(self):
        return str(self.user or self.group)


class ClassificationChange(models.Model):
    """One change of an item's level or marks: who, when, from what to what, why, on whose order."""

    case = models.ForeignKey(
        "records.CaseFile", on_delete=models.CASCADE, related_name="classification_changes", null=True, blank=True
    )
    document = models.ForeignKey(
        "records.Document", on_delete=models.CASCADE, related_name="classification_changes", null=True, blank=True
    )
    from_level = models.CharField(_("previous level"), max_length=16, choices=Level.choices, blank=True)
    to_level = models.CharField(_("new level"), max_length=16, choices=Level.choices, blank=True)
    from_marks = models.JSONField(_("previous marks"), default=list)
    to_marks = models.JSONField(_("new marks"), default=list)
    reason = models.TextField(_("reason"), blank=True)
    court_order = models.CharField(_("court order reference"), max_length=200, blank=True)
    by_rule = models.BooleanField(_("applied by rule"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("classification change")
        verbose_name_plural = _("classification changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(document__isnull=False), name="classification_of_something"
            )
        ]

    def __str__(self):
        return f"{self.from_level or '—'} {self.from_marks} → {self.to_level or '—'} {self.to_marks}"


class ClearanceGrant(models.Model):
    """A raise of someone's clearance to sealed, or a mark added, as proposed by one person: it takes effect
    only when a second person (neither the proposer nor the one it is for) approves it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="clearance_grants"
    )
    level = models.CharField(_("highest level"), max_length=16, choices=Level.choices)
    marks = models.JSONField(_("marks"), default=list)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("clearance grant")
        verbose_name_plural = _("clearance grants")

    def __str__(self):
        return f"{self.user}: {self.get_level_display()} {', '.join(self.marks)}".rstrip()


class Route(models.Model):
    """Which bench or unit a court sends its restricted cases of a type (or with a mark) to: the route by
    rule that gives a sealed case its people on registration (records.routing)."""

    court = models.ForeignKey(
        "records.Institution",
        verbose_name=_("court or office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routes",
        help_text=_("Empty: every court."),
    )
    case_type = models.ForeignKey(
        "records.CaseType", verbose_name=_("case type"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    mark = models.ForeignKey(Mark, verbose_name=_("mark"), on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    group = models.ForeignKey(Group, verbose_name=_("bench or unit"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        constraints = [
            models.CheckConstraint(
                condition=Q(case_type__isnull=False) | Q(mark__isnull=False), name="route_by_type_or_mark"
            )
        ]

    def __str__(self):
        what = self.case_type or self.mark
        return f"{self.court or '*'}: {what} → {self.group}"
