import django_filters

from appointments import availability
from appointments.models import Appointment, Status
from config.filters import BoundedDateFilter, FilterSet, IdFilter, StableOrderingFilter, clinic_day_start
from doctors.filters import DoctorFilter


class StatusInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    pass


class AppointmentFilter(FilterSet):
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


class DoctorSearchFilter(DoctorFilter):
    """The doctors list's filters, plus the one that needs bookings: a free slot on a given day."""

    available_on = BoundedDateFilter(
        method="filter_available_on", help_text="YYYY-MM-DD: at least one free slot that day (doctor's zone)."
    )

    class Meta(DoctorFilter.Meta):
        pass

    def filter_available_on(self, queryset, name, value):
        bookable = queryset.filter(user__is_active=True, is_accepting_patients=True).select_related(None)
        free = availability.doctors_free_on(
            doctors=bookable.only("id", "time_zone", "slot_minutes"), day=value, online=self.request.user.is_patient
        )
        return queryset.filter(pk__in=free)
