from django.contrib import admin
from django.db.models import Count

from config.admin import LinkedRecordsMixin, ReadOnlyAdminMixin, RoleAdminMixin, change_url, related_records
from prescriptions.models import Prescription, PrescriptionItem


class PrescriptionItemInline(RoleAdminMixin, admin.TabularInline):
    model = PrescriptionItem
    extra = 0
    fields = [
        "medication_name",
        "strength",
        "route",
        "frequency",
        "duration_days",
        "quantity",
        "refills",
        "instructions",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Prescription)
class PrescriptionAdmin(LinkedRecordsMixin, ReadOnlyAdminMixin, RoleAdminMixin, admin.ModelAdmin):
    """Issued prescriptions are read-only here: they are issued and cancelled through the API.
    Clinical: admins only."""

    list_display = ["issued_at", "patient", "doctor", "status", "item_count"]
    list_filter = ["status", "doctor__specialization"]
    search_fields = ["patient__user__last_name", "doctor__user__last_name", "items__medication_name"]
    list_select_related = ["patient__user", "doctor__user"]
    date_hierarchy = "issued_at"
    inlines = [PrescriptionItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_total=Count("items"))

    @admin.display(ordering="item_total", description="items")
    def item_count(self, prescription):
        return prescription.item_total

    def linked_records(self, request, obj):
        appointment = obj.appointment
        visit = ("Appointment", change_url(appointment), str(appointment))
        return [visit, *related_records(request, appointment, exclude=obj)]
