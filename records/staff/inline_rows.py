"""Inline rows (a case's parties, its legacy numbers, and every other InlinePanel) read their ids as Django does.

django-modelcluster's formsets turn a posted row id straight into the model's key: an id that is not a
number, or a row whose id field is left out, raised and answered 500. Django's own model formsets treat
such an id as naming no row, so the row's form answers "Select a valid choice" (or, for a row shown with
the form whose id is left out, asks for it) and nothing is saved. `install`, run once when records is ready, gives modelcluster's formsets that reading;
it covers Wagtail's own inline editors (workflows, groups) as well as Sijill's.
"""

from django.core.exceptions import ValidationError
from django.forms.models import BaseModelFormSet
from modelcluster.forms import BaseTransientModelFormSet


def _posted_row(formset, index):
    """The row a bound initial form names by its posted id; a new, unsaved row when the id names none."""
    pk = formset.data.get(f"{formset.add_prefix(index)}-{formset.model._meta.pk.name}")
    if pk in (None, ""):
        return formset.model()
    try:
        pk = formset._get_to_python(formset.model._meta.pk)(pk)
    except ValidationError:
        return formset.model()
    return formset._existing_object(pk)


def _construct_form(self, i, **kwargs):
    """modelcluster's construction of a formset's form, with the posted id read by `_posted_row`."""
    initial_forms = self.initial_form_count()
    if i < initial_forms:
        kwargs["instance"] = _posted_row(self, i) if self.is_bound else self.get_queryset()[i]
    elif self.initial_extra and i - initial_forms < len(self.initial_extra):
        kwargs["initial"] = self.initial_extra[i - initial_forms]
    # As modelcluster does: past BaseModelFormSet's own construction, which looks the row up in the database.
    form = super(BaseModelFormSet, self)._construct_form(i, **kwargs)
    id_field = form.fields.get(self.model._meta.pk.name)
    if self.is_bound and i < initial_forms and id_field is not None:
        # A row that was shown must say which it is: without its id it would replace the row it stood for.
        id_field.required = True
    return form


def install():
    BaseTransientModelFormSet._construct_form = _construct_form
