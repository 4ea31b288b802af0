"""Chooser widgets for the models the access rule covers: an id becomes text only through the access layer.

Wagtail's chooser widget turns a submitted id into the chosen item's title with an unrestricted
`objects.get(pk=…)`, so a form re-rendered after a refusal would name a hidden case. This widget resolves
the value through `access.restrict` for the user of the current request, and shows the blank chooser of a
non-existent id for an item that user may not see.
"""

from django.core.exceptions import ValidationError
from wagtail.admin.widgets.chooser import BaseChooser

from audit import context
from records import access


class AccessRuledChooser(BaseChooser):
    def get_instance(self, value):
        if value is None or value == "":
            return None
        pk = value.pk if isinstance(value, self.model_class) else value
        user = context.current().user
        try:
            return access.restrict(user, self.model_class._default_manager.filter(pk=pk)).first()
        except (ValidationError, ValueError, TypeError):  # a malformed id (not a UUID) is no item at all
            return None
