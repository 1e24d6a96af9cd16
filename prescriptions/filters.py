from config.filters import BoundedDateFilter, FilterSet, IdFilter, StableOrderingFilter, clinic_day_start
from prescriptions.models import Prescription


class PrescriptionFilter(FilterSet):
    appointment = IdFilter(field_name="appointment_id")
    patient = IdFilter(field_name="patient_id")
    doctor = IdFilter(field_name="doctor_id")
    date_from = BoundedDateFilter(method="filter_date_from", help_text="Issued on or after this day.")
    date_to = BoundedDateFilter(method="filter_date_to", help_text="Issued on or before this day.")
    ordering = StableOrderingFilter(fields=(("issued_at", "issued"),))

    class Meta:
        model = Prescription
        fields = ["status"]

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(issued_at__gte=clinic_day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(issued_at__lt=clinic_day_start(value, days_after=1))
