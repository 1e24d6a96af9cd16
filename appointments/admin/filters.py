"""The appointments list's quick filters: the day (today by default, in the clinic's zone), the
doctor (names in one query) and the visit type."""

from datetime import date, datetime, time, timedelta

from django.contrib import admin
from django.utils import timezone

from doctors.models import Doctor, VisitType

DAYS = [
    ("today", "Today"),
    ("tomorrow", "Tomorrow"),
    ("week", "This week"),
    ("upcoming", "From today on"),
    ("past", "Before today"),
    ("any", "Any day"),
]


def local_midnight(day: date) -> datetime:
    """00:00 of a date in the clinic's zone (the admin's active zone), as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def day_range(choice: str, today: date) -> tuple[date | None, date | None]:
    """[first, after) dates of a quick choice; None where it is open."""
    monday = today - timedelta(days=today.weekday())
    return {
        "today": (today, today + timedelta(days=1)),
        "tomorrow": (today + timedelta(days=1), today + timedelta(days=2)),
        "week": (monday, monday + timedelta(days=7)),
        "upcoming": (today, None),
        "past": (None, today),
    }.get(choice, (None, None))


class DayFilter(admin.SimpleListFilter):
    """Today unless asked otherwise: the desk's list is today's. A search, or a date picked in
    the date hierarchy, looks at every day instead, so a patient's visits are all found."""

    title = "day"
    parameter_name = "day"

    def __init__(self, request, params, model, model_admin):
        self.searching = bool(request.GET.get("q")) or any(key.startswith("start__") for key in request.GET)
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return DAYS

    def value(self):
        return super().value() or ("any" if self.searching else "today")

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        first, after = day_range(self.value(), timezone.localdate())
        if first is not None:
            queryset = queryset.filter(start__gte=local_midnight(first))
        if after is not None:
            queryset = queryset.filter(start__lt=local_midnight(after))
        return queryset


class DoctorListFilter(admin.SimpleListFilter):
    """Like list_filter = ["doctor"], but the doctors' names come in one query, not one each."""

    title = "doctor"
    parameter_name = "doctor__id__exact"

    def lookups(self, request, model_admin):
        doctors = Doctor.objects.select_related("user").order_by("user__last_name", "user__first_name")
        return [(doctor.pk, str(doctor)) for doctor in doctors]

    def queryset(self, request, queryset):
        return queryset.filter(doctor_id=self.value()) if self.value() else queryset


class VisitTypeListFilter(admin.SimpleListFilter):
    title = "visit type"
    parameter_name = "visit_type__id__exact"

    def lookups(self, request, model_admin):
        return [(visit_type.pk, visit_type.name) for visit_type in VisitType.objects.order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(visit_type_id=self.value()) if self.value() else queryset
