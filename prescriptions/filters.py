import django_filters

from config.filters import StableOrderingFilter, clinic_day_start
from prescriptions.models import Prescription


class PrescriptionFilter(django_filters.FilterSet):
    appointment = django_filters.NumberFilter(field_name="appointment_id")
    patient = django_filters.NumberFilter(field_name="patient_id")
    doctor = django_filters.NumberFilter(field_name="doctor_id")
    date_from = django_filters.DateFilter(method="filter_date_from", help_text="Issued on or after this day.")
    date_to = django_filters.DateFilter(method="filter_date_to", help_text="Issued on or before this day.")
    ordering = StableOrderingFilter(fields=(("issued_at", "issued"),))

    class Meta:
        model = Prescription
        fields = ["status"]

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(issued_at__gte=clinic_day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(issued_at__lt=clinic_day_start(value, days_after=1))
