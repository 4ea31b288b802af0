"""Grant a PostgreSQL application role what Sijill needs, and no more (sijill.database_roles)."""

from django.core.management.base import BaseCommand, CommandError

from sijill.database_roles import grant_application_role


class Command(BaseCommand):
    help = "Grant ROLE the privileges the site needs on every table, as the tables' owner (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="The application role, e.g. sijill_app.")

    def handle(self, *args, role, **options):
        try:
            tables = grant_application_role(role)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"{role} may now run Sijill on {tables} tables, owning none of them."))
