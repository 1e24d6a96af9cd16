from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (at most 100); the default page holds 20 rows."""

    page_size_query_param = "page_size"
    max_page_size = 100
