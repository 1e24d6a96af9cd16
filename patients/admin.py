from django.contrib import admin

from patients.models import Assignment, Patient


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fk_name = "patient"
    extra = 0
    fields = ["doctor", "reason_for_assignment", "is_active", "assigned_by", "created_at", "ended_at"]
    readonly_fields = ["assigned_by", "created_at", "ended_at"]
    autocomplete_fields = ["doctor"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email", "phone", "date_of_birth", "sex", "national_id", "insurance_number", "is_active"]
    list_filter = ["sex", "blood_group", "user__is_active"]
    search_fields = [
        "user__first_name",
        "user__last_name",
        "user__email",
        "user__phone",
        "national_id",
        "insurance_number",
    ]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [AssignmentInline]

    @admin.display(ordering="user__email")
    def email(self, patient):
        return patient.user.email

    @admin.display(ordering="user__phone")
    def phone(self, patient):
        return patient.user.phone

    @admin.display(boolean=True, ordering="user__is_active", description="active")
    def is_active(self, patient):
        return patient.user.is_active

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate the user account instead; every record is kept


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["doctor", "patient", "is_active", "assigned_by", "created_at", "ended_at"]
    list_filter = ["is_active", "doctor__specialization"]
    search_fields = ["doctor__user__last_name", "patient__user__last_name", "reason_for_assignment"]
    list_select_related = ["doctor__user", "patient__user", "assigned_by"]
    autocomplete_fields = ["doctor", "patient"]
    readonly_fields = ["assigned_by", "ended_by", "created_at", "updated_at", "ended_at"]
    date_hierarchy = "created_at"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.assigned_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False
