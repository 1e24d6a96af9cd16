from datetime import date, datetime, time, timedelta

import django_filters
from django.utils import timezone


def clinic_day_start(day: date, *, days_after: int = 0) -> datetime:
    """Midnight at the start of `day` (plus `days_after`) in the clinic's time zone: date filters
    (`date_from`, `date_to`) mean clinic days, inclusive."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=days_after), time.min))


class StableOrderingFilter(django_filters.OrderingFilter):
    """django-filter's `?ordering=` (with public aliases), plus the primary key as a tie-breaker so
    pages never repeat or skip rows that share a sort value."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs
