from django.contrib import admin

from doctors.models import Doctor, Specialization, TimeOff, WorkingHours


@admin.register(Specialization)
class SpecializationAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    extra = 0
    fields = ["start", "end", "reason", "created_by"]
    readonly_fields = ["created_by"]
    ordering = ["-start"]


@admin.register(Doctor)
class DoctorAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "specialization",
        "licence_number",
        "consultation_fee",
        "location",
        "slot_minutes",
        "is_accepting_patients",
        "is_active",
    ]
    list_filter = ["specialization", "is_accepting_patients", "user__is_active", "time_zone"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "licence_number", "location"]
    list_select_related = ["user", "specialization"]
    autocomplete_fields = ["user", "specialization"]
    inlines = [WorkingHoursInline, TimeOffInline]

    @admin.display(boolean=True, ordering="user__is_active", description="active")
    def is_active(self, doctor):
        return doctor.user.is_active

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate the user account instead; appointments point here


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["doctor", "start", "end", "reason"]
    list_filter = ["doctor__specialization"]
    search_fields = ["doctor__user__last_name", "reason"]
    list_select_related = ["doctor__user"]
    autocomplete_fields = ["doctor"]
    date_hierarchy = "start"
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
