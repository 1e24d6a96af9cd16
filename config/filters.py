from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters
from rest_framework.exceptions import ValidationError

# Dates outside these years are typos or probes; refusing them keeps date arithmetic in range.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2200, 12, 31)
MAX_ID = 2**63 - 1


class SearchFilter(filters.SearchFilter):
    """DRF's `?search=`, with a sane limit: at most 10 words of at most 100 characters. Thousands
    of terms would only build a query SQLite refuses to run."""

    max_terms, max_length = 10, 100

    def get_search_terms(self, request):
        if "\x00" in request.query_params.get(self.search_param, ""):
            raise ValidationError({self.search_param: ["Null characters are not allowed."]})
        return [term[: self.max_length] for term in super().get_search_terms(request)[: self.max_terms]]


class IdFilter(django_filters.Filter):
    """An id in a query string: a whole number in the database's range, or 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ClampedDateField(forms.DateField):
    def to_python(self, value):
        day = super().to_python(value)
        return day if day is None else min(max(day, EARLIEST_DATE), LATEST_DATE)


class BoundedDateFilter(django_filters.DateFilter):
    """A YYYY-MM-DD date. One before 1900 or after 2200 is read as 1900-01-01 or 2200-12-31: no
    record lies outside those years, so the answer is the same, and date arithmetic stays in range."""

    field_class = ClampedDateField


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


# Filters where an empty value is a value: text matched as typed, a choice list that offers "",
# and an empty ordering (the default order).
TEXT_FILTERS = (django_filters.CharFilter, django_filters.ChoiceFilter, django_filters.OrderingFilter)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, refusing what it would otherwise read as "no filter": a date, number, id or
    yes/no filter sent empty (`?date_to=`), or a yes/no filter sent anything but true or false
    (`?is_active=null`).
    A client that sent a filter meant it; a silently unfiltered list is the wrong answer."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            refused = {}
            for name, field in filterset.filters.items():
                values = request.query_params.getlist(name)
                if name not in request.query_params:
                    continue
                if any(value == "" for value in values) and not isinstance(field, TEXT_FILTERS):
                    refused[name] = ["Give a value, or leave the parameter out."]
                elif isinstance(field, django_filters.BooleanFilter) and set(values) - {"true", "false"}:
                    refused[name] = ["Send true or false."]
            if refused:
                raise ValidationError(refused)
        return filterset
