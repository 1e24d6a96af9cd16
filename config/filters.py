from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from rest_framework import filters

# Dates outside these years are typos or probes; refusing them keeps date arithmetic in range.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2200, 12, 31)
MAX_ID = 2**63 - 1


class SearchFilter(filters.SearchFilter):
    """DRF's `?search=`, with a sane limit: at most 10 words of at most 100 characters. Thousands
    of terms would only build a query SQLite refuses to run."""

    max_terms, max_length = 10, 100

    def get_search_terms(self, request):
        return [term[: self.max_length] for term in super().get_search_terms(request)[: self.max_terms]]


class IdFilter(django_filters.Filter):
    """An id in a query string: a whole number in the database's range, or 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class BoundedDateFilter(django_filters.DateFilter):
    """A YYYY-MM-DD date between 1900 and 2200, or 400."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)])
        super().__init__(*args, **kwargs)


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
