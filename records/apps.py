from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from records import memberships
        from records.staff import inline_rows

        memberships.connect()
        inline_rows.install()
