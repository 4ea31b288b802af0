"""Forms of the staff screens that are not plain model forms: acts on a case or a document."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from records import lifecycle
from records.languages import Language


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
        if not self.instance._state.adding:
            # Further files are new versions, uploaded from the document's page.
            del self.fields["file"]
            del self.fields["change_note"]
        if self.instance.is_declared:
            # Shown, not editable: a declared record's identity is fixed (the services refuse it too).
            for name in ("case", "kind", "title", "document_date"):
                if name in self.fields:
                    self.fields[name].disabled = True
