import django_filters

from config.filters import FilterSet, StableOrderingFilter
from doctors.models import Doctor
from doctors.selectors import specialization_q


class DoctorFilter(FilterSet):
    """The doctors list's filters. `available_on` (a free slot that day) needs bookings, so it is
    added by appointments.filters.DoctorSearchFilter, the filter the doctors list is served with."""

    specialization = django_filters.CharFilter(
        method="filter_specialization", max_length=100, help_text="Id or name (any case)."
    )
    location = django_filters.CharFilter(lookup_expr="icontains")
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
        return queryset.filter(specialization_q(value))
