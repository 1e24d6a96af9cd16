import django_filters
from rest_framework.exceptions import PermissionDenied

from config.filters import FilterSet, IdFilter, StableOrderingFilter
from patients.models import Assignment, BloodGroup, Patient


class PatientFilter(FilterSet):
    is_active = django_filters.BooleanFilter(field_name="user__is_active")
    blood_group = django_filters.ChoiceFilter(
        choices=[("unknown", "Not recorded"), *[(value, label) for value, label in BloodGroup.choices if value]],
        method="filter_blood_group",
        help_text='A blood group, or "unknown" for none recorded. Clinical: not for the front desk.',
    )
    ordering = StableOrderingFilter(
        fields=(("user__last_name", "name"), ("date_of_birth", "date_of_birth"), ("created_at", "created"))
    )

    class Meta:
        model = Patient
        fields = ["sex"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # The front desk never sees a blood group; filtering by one would tell it just the same.
        if request is not None and request.user.is_receptionist and "blood_group" in self.data:
            raise PermissionDenied("Blood groups are clinical: blood_group is not a filter for the front desk.")

    def filter_blood_group(self, queryset, name, value):
        return queryset.filter(blood_group="" if value == "unknown" else value)


class AssignmentFilter(FilterSet):
    # Plain numbers, not model choices: a choice filter would tell whether an id exists.
    doctor = IdFilter(field_name="doctor_id")
    patient = IdFilter(field_name="patient_id")
    ordering = StableOrderingFilter(fields=(("created_at", "created"),))

    class Meta:
        model = Assignment
        fields = ["is_active"]
