"""Forms of the staff screens that are not plain model forms: acts on a case or a document."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from records import access, lifecycle
from records.languages import Language
from records.models import Level, Mark


def levels_within(user):
    """The levels a user may give: up to their own clearance."""
    reach = access.reach_of(user)
    return [(level.value, level.label) for level in Level if access.rank(level) <= access.rank(reach.level)]


def marks_within(user):
    return Mark.objects.filter(pk__in=access.reach_of(user).mark_ids)


class CaseFileForm(WagtailAdminModelForm):
    """The case particulars; on registration also the level and marks asked for, within one's clearance.

    The case type and the parties may raise them further by rule. Later changes of level and marks are a
    classification, with its own screen, reason and court order.
    """

    level = forms.ChoiceField(label=_("Confidentiality level"), initial=Level.INTERNAL)
    marks = forms.ModelMultipleChoiceField(
        label=_("Marks"),
        queryset=Mark.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The case type and a child party add their marks by rule."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            del self.fields["level"]
            del self.fields["marks"]
            return
        self.fields["level"].choices = levels_within(self.for_user)
        self.fields["marks"].queryset = marks_within(self.for_user)


class ChangeStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    effective_on = forms.DateField(
        label=_("Effective on"), required=False, widget=AdminDateInput, help_text=_("Today if left empty.")
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Kept in the case history.")
    )

    def __init__(self, *args, current_status, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (status.value, status.label) for status in lifecycle.allowed_transitions(current_status)
        ] or [("", _("None: an archived case only leaves by disposition"))]


class VersionUploadForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    change_note = forms.CharField(
        label=_("Change note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What changed in this version, e.g. 'Signed copy' or 'Corrected page 3'."),
    )


class DocumentForm(WagtailAdminModelForm):
    """Document metadata; on creation it also takes the first file."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    file = forms.FileField(label=_("File"), required=False, allow_empty_file=True)
    change_note = forms.CharField(label=_("Change note"), required=False, initial=_("First version"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "case" in self.fields:
            # Only a case the user can see may be named: another is answered as if it did not exist.
            self.fields["case"].queryset = access.visible_cases(self.for_user)
        if not self.instance._state.adding:
            # Further files are new versions, uploaded from the document's page.
            del self.fields["file"]
            del self.fields["change_note"]
        if self.instance.is_declared:
            # Shown, not editable: a declared record's identity is fixed (the services refuse it too).
            for name in ("case", "kind", "title", "document_date"):
                if name in self.fields:
                    self.fields[name].disabled = True


class ClassifyForm(forms.Form):
    level = forms.ChoiceField(label=_("Confidentiality level"))
    marks = forms.ModelMultipleChoiceField(
        label=_("Marks"), queryset=Mark.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the classification is lowered; kept in the classification history."),
    )
    court_order = forms.CharField(
        label=_("Court order reference"),
        required=False,
        max_length=200,
        help_text=_("Required when the classification is lowered: the order that allows it."),
    )

    def __init__(self, *args, user, as_case_choice=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = levels_within(user)
        if as_case_choice:
            choices = [("", _("As its case")), *choices]
            self.fields["level"].required = False
        self.fields["level"].choices = choices
        self.fields["marks"].queryset = marks_within(user)


class DeclassifyForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    court_order = forms.CharField(label=_("Court order reference"), max_length=200)
    confirm = forms.BooleanField(
        label=_("I understand that the item becomes public: visible to everyone, without marks or assignments.")
    )


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=None, required=False)
    group = forms.ModelChoiceField(label=_("Group"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["group"].queryset = Group.objects.order_by("name")

    def clean(self):
        values = super().clean()
        if bool(values.get("user")) == bool(values.get("group")):
            raise forms.ValidationError(_("Choose either a user or a group."))
        return values
