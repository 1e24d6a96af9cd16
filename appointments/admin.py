from django.contrib import admin

from appointments.models import Appointment, AppointmentEvent


class AppointmentEventInline(admin.TabularInline):
    model = AppointmentEvent
    extra = 0
    fields = ["at", "action", "actor", "from_status", "to_status", "old_start", "new_start", "note"]
    readonly_fields = fields
    ordering = ["at", "id"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Booking and status changes go through the API's services (booking rules, history); here
    staff read appointments and edit the free-text fields."""

    list_display = ["start", "doctor", "patient", "status", "reason", "fee", "created_at"]
    list_filter = ["status", "doctor__specialization", "doctor"]
    search_fields = [
        "patient__user__first_name",
        "patient__user__last_name",
        "doctor__user__first_name",
        "doctor__user__last_name",
        "reason",
    ]
    list_select_related = ["doctor__user", "patient__user"]
    date_hierarchy = "start"
    ordering = ["-start"]
    fields = [
        "doctor",
        "patient",
        "start",
        "end",
        "status",
        "fee",
        "reason",
        "notes",
        "created_by",
        "created_at",
        "cancelled_by",
        "cancelled_at",
        "cancellation_reason",
    ]
    readonly_fields = [name for name in fields if name not in ("reason", "notes")]
    inlines = [AppointmentEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AppointmentEvent)
class AppointmentEventAdmin(admin.ModelAdmin):
    list_display = ["at", "appointment", "action", "actor", "from_status", "to_status"]
    list_filter = ["action"]
    list_select_related = ["appointment__doctor__user", "appointment__patient__user", "actor"]
    date_hierarchy = "at"
    search_fields = ["appointment__patient__user__last_name", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
