from django.conf import settings
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

LARGEST_OFFSET = 2**63 - 1


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (at most 100; 20 by default), with a count that stays cheap.

    The count is exact up to LIST_COUNT_CAP rows; past it the response says
    `"count": <the cap>, "count_capped": true` instead of counting a whole large table on every
    request, so a page costs the same at a thousand rows or a million. Pages past the cap still
    work; `next` comes from fetching one row more than the page holds. Two queries per page, one
    on the last page (its count is the rows before it and on it).
    """

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        # DRF falls back to the default on a page_size it cannot read and clamps a large one;
        # a client that asked for something else should hear that it did not get it.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise ValidationError(
                {self.page_size_query_param: [f"Send a whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size, "default": 20}
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.size = self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param, "1")
        if not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise ValidationError({self.page_query_param: ["Send a whole number from 1."]})
        self.number = int(raw)
        offset = (self.number - 1) * self.size
        # Databases take 64-bit offsets; a page past that holds nothing, like any page past the end.
        if self.number < 1 or offset + self.size + 1 > LARGEST_OFFSET:
            raise NotFound("Invalid page.")
        self.queryset = queryset
        rows = list(queryset[offset : offset + self.size + 1])
        self.has_next = len(rows) > self.size
        rows = rows[: self.size]
        if not rows and self.number > 1:
            raise NotFound("Invalid page.")
        self.offset, self.rows = offset, rows
        return rows

    @cached_property
    def capped_count(self) -> tuple[int, bool]:
        cap = settings.LIST_COUNT_CAP
        if not self.has_next and (self.rows or self.number == 1) and self.offset + len(self.rows) <= cap:
            # The last page: the rows before it and on it are all there are, no count needed.
            return self.offset + len(self.rows), False
        # Unordered and only the key: counting needs no sort and can be answered from any index
        # (a fast list's values() would otherwise carry its columns into the subquery).
        counted = self.queryset.order_by().values("pk")[: cap + 1].count()
        return min(counted, cap), counted > cap

    def get_next_link(self):
        if not self.has_next:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data):
        count, capped = self.capped_count
        return Response(
            {
                "count": count,
                "count_capped": capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = "Rows in all pages, exact up to the cap (see count_capped)."
        response["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "true when there are more rows than the count says (it stopped at the cap).",
        }
        response["required"] = ["count", "count_capped", "results"]
        return response
