from config.filters import BoundedDateFilter, FilterSet, IdFilter, StableOrderingFilter, clinic_day_start
from treatments.models import Treatment


class TreatmentFilter(FilterSet):
    patient = IdFilter(field_name="appointment__patient_id")
    doctor = IdFilter(field_name="appointment__doctor_id")
    appointment = IdFilter(field_name="appointment_id")
    date_from = BoundedDateFilter(method="filter_date_from", help_text="Visits on or after this day.")
    date_to = BoundedDateFilter(method="filter_date_to", help_text="Visits on or before this day.")
    ordering = StableOrderingFilter(fields=(("created_at", "created"), ("appointment__start", "visit")))

    class Meta:
        model = Treatment
        fields = ["status"]

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(appointment__start__gte=clinic_day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(appointment__start__lt=clinic_day_start(value, days_after=1))
