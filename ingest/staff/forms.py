"""Forms of the ingest screens: many files to one case, or a ZIP with its manifest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from records.languages import Language
from records.models import DocumentKind


class ManyFilesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ManyFilesField(forms.FileField):
    """Several files from one input; each is checked when it is filed, one refusal does not stop the rest."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", ManyFilesInput(attrs={"multiple": True}))
        kwargs.setdefault("allow_empty_file", True)  # refused per file when filed, with the batch going on
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError(_("Choose at least one file."), code="required")
        return [super(ManyFilesField, self).clean(each, initial) for each in files]


class UploadToCaseForm(forms.Form):
    files = ManyFilesField(label=_("Files"), help_text=_("Scans (TIFF, JPEG, PNG), PDFs or text files; each becomes a document."))
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices, initial=DocumentKind.LEGACY_SCAN)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages the pages are written in; left empty, the script of each page is detected."),
    )


class ArchiveForm(forms.Form):
    archive = forms.FileField(
        label=_("ZIP archive"),
        help_text=_("A ZIP of the batch folder, with its manifest (manifest.csv) at the top."),
    )
    name = forms.CharField(label=_("Batch name"), max_length=300, required=False)
