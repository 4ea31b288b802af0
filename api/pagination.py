"""Pages of a list: limit and offset are checked before they reach a query, within what both databases hold."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

# Far below SQLite's and PostgreSQL's 64-bit LIMIT/OFFSET, and far beyond any real list.
MAX_OFFSET = 1_000_000_000


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 500

    def get_limit(self, request):
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return self.default_limit
        return min(self._count(raw, self.limit_query_param, minimum=1), self.max_limit)

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param)
        if raw is None:
            return 0
        return self._count(raw, self.offset_query_param, minimum=0)

    @staticmethod
    def _count(raw, name, *, minimum):
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or not minimum <= value <= MAX_OFFSET:
            raise ValidationError(
                {name: _("A whole number from %(low)d to %(high)d.") % {"low": minimum, "high": MAX_OFFSET}}
            )
        return value

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": MAX_OFFSET},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
