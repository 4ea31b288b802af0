"""Shared behaviour of the staff views that act through the records services."""

from wagtail.log_actions import log

from records.errors import RecordsError


class ServiceFormMixin:
    """Turns a service's refusal into an error on the form, where the person who caused it reads it."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except RecordsError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
            self.produced_error_message = error.message
            return self.form_invalid(form)


def log_action(instance, action, user, **data):
    """Wagtail's history of an object, until the tamper-evident audit trail takes over."""
    log(instance=instance, action=action, user=user, data=data or None)
