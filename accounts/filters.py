import django_filters

from accounts.models import AuditEvent, Role, User
from config.filters import BoundedDateFilter, FilterSet, IdFilter, StableOrderingFilter, clinic_day_start


class UserFilter(FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)
    is_active = django_filters.BooleanFilter()
    ordering = StableOrderingFilter(fields=("username", "date_joined", "last_name"))

    class Meta:
        model = User
        fields = ["role", "is_active"]


class AuditEventFilter(FilterSet):
    actor = IdFilter(field_name="actor_id")
    patient = IdFilter(field_name="patient_id")
    action = django_filters.ChoiceFilter(choices=AuditEvent.Action.choices)
    object_type = django_filters.CharFilter()
    date_from = BoundedDateFilter(method="filter_date_from", help_text="On or after this day (clinic zone).")
    date_to = BoundedDateFilter(method="filter_date_to", help_text="On or before this day (clinic zone).")

    class Meta:
        model = AuditEvent
        fields = []

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(at__gte=clinic_day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(at__lt=clinic_day_start(value, days_after=1))
