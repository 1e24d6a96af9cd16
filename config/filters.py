import django_filters


class StableOrderingFilter(django_filters.OrderingFilter):
    """django-filter's `?ordering=` (with public aliases), plus the primary key as a tie-breaker so
    pages never repeat or skip rows that share a sort value."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs
