import django_filters
from django.db.models import Q
from django.utils import timezone

from config.filters import BoundedDateFilter, StableOrderingFilter
from doctors import availability
from doctors.models import Doctor


class DoctorFilter(django_filters.FilterSet):
    specialization = django_filters.CharFilter(
        method="filter_specialization", max_length=100, help_text="Id or name (any case)."
    )
    location = django_filters.CharFilter(lookup_expr="icontains")
    available_on = BoundedDateFilter(
        method="filter_available_on", help_text="YYYY-MM-DD: at least one free slot that day (doctor's zone)."
    )
    min_fee = django_filters.NumberFilter(
        field_name="consultation_fee", lookup_expr="gte", min_value=0, max_value=10**8, max_digits=12, decimal_places=2
    )
    max_fee = django_filters.NumberFilter(
        field_name="consultation_fee", lookup_expr="lte", min_value=0, max_value=10**8, max_digits=12, decimal_places=2
    )
    accepting = django_filters.BooleanFilter(field_name="is_accepting_patients")
    is_active = django_filters.BooleanFilter(field_name="user__is_active")
    ordering = StableOrderingFilter(
        fields=(
            ("consultation_fee", "fee"),
            ("years_of_experience", "experience"),
            ("user__last_name", "name"),
        )
    )

    class Meta:
        model = Doctor
        fields = []

    def filter_specialization(self, queryset, name, value):
        value = value.strip()
        if value.isascii() and value.isdigit():
            return queryset.filter(specialization_id=int(value)) if len(value) <= 18 else queryset.none()
        return queryset.filter(specialization__name__iexact=value)

    def filter_available_on(self, queryset, name, value):
        bookable = queryset.filter(user__is_active=True, is_accepting_patients=True).select_related(None)
        free = availability.doctors_free_on(
            doctors=bookable.only("id", "time_zone", "slot_minutes"), day=value, now=timezone.now()
        )
        return queryset.filter(Q(pk__in=free))
