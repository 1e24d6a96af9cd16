import django_filters

from config.filters import IdFilter, StableOrderingFilter
from patients.models import Assignment, Patient


class PatientFilter(django_filters.FilterSet):
    is_active = django_filters.BooleanFilter(field_name="user__is_active")
    ordering = StableOrderingFilter(
        fields=(("user__last_name", "name"), ("date_of_birth", "date_of_birth"), ("created_at", "created"))
    )

    class Meta:
        model = Patient
        fields = ["sex", "blood_group"]


class AssignmentFilter(django_filters.FilterSet):
    # Plain numbers, not model choices: a choice filter would tell whether an id exists.
    doctor = IdFilter(field_name="doctor_id")
    patient = IdFilter(field_name="patient_id")
    ordering = StableOrderingFilter(fields=(("created_at", "created"),))

    class Meta:
        model = Assignment
        fields = ["is_active"]
