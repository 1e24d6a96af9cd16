"""Fast output for the hottest read-only lists (issue 19): a page read as `values()` rows and
written as the list's serializer would write it, without model instances or DRF's field tree.

DRF builds a model instance per row and per related row (about 120 for a page of 20
appointments) and walks its field tree for each; that was a third of a page's cost. Here the page
is one `values()` query, the related records one small `values_list()` query each, and the rows
are written by plain code that uses DRF's own formatting for datetimes and decimals.

The serializers stay the description of these responses: the OpenAPI schema is built from them,
and single records, writes and every other list still use them. tests/test_fast_rows.py checks,
for every role and on varied rows, that a fast page equals the serializer's output for the same
rows, so a field added to a serializer and not here fails a test.
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings


def datetime_writer() -> Callable[[datetime | None], str | None]:
    """DRF's DateTimeField.to_representation, with the request's time zone looked up once: the
    time in the current zone in ISO 8601, with "Z" for UTC."""
    if api_settings.DATETIME_FORMAT != ISO_8601:
        return serializers.DateTimeField().to_representation
    zone = timezone.get_current_timezone()

    def write(value):
        if value is None:
            return None
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


def decimal_writer(model_field) -> Callable[[Decimal | None], str | None]:
    """DRF's DecimalField.to_representation for a model's DecimalField (a string, by default)."""
    field = serializers.DecimalField(max_digits=model_field.max_digits, decimal_places=model_field.decimal_places)

    def write(value):
        return None if value is None else field.to_representation(value)

    return write


def full_name(first_name: str, last_name: str) -> str:
    """User.full_name (Django's get_full_name) from the two columns."""
    return f"{first_name} {last_name}".strip()


class RowsListMixin:
    """A list view whose page is read as `values(*row_columns)` and written by `write_rows`.

    Filtering, search, ordering, pagination and the audit of reads are the view's usual ones; the
    queryset's prefetches are dropped (the writer reads related records itself)."""

    row_columns: tuple[str, ...] = ()

    def write_rows(self, rows: list[dict]) -> list[dict]:
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset()).prefetch_related(None).values(*self.row_columns)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.write_rows(page))
