import django_filters

from appointments.models import Appointment, Status
from config.filters import BoundedDateFilter, IdFilter, StableOrderingFilter, clinic_day_start


class StatusInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    pass


class AppointmentFilter(django_filters.FilterSet):
    # Plain numbers, not model choices: a choice filter would tell whether an id exists.
    doctor = IdFilter(field_name="doctor_id")
    patient = IdFilter(field_name="patient_id")
    status = StatusInFilter(
        field_name="status", choices=Status.choices, help_text="One or more, comma-separated: scheduled,confirmed"
    )
    date_from = BoundedDateFilter(method="filter_date_from", help_text="Starts on or after this day (clinic zone).")
    date_to = BoundedDateFilter(method="filter_date_to", help_text="Starts on or before this day (clinic zone).")
    ordering = StableOrderingFilter(fields=(("start", "start"), ("created_at", "created")))

    class Meta:
        model = Appointment
        fields = []

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(start__gte=clinic_day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(start__lt=clinic_day_start(value, days_after=1))
