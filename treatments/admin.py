from django.contrib import admin

from config.admin import ReadOnlyAdminMixin
from treatments import services
from treatments.models import Treatment, TreatmentRevision


class TreatmentRevisionInline(admin.TabularInline):
    model = TreatmentRevision
    extra = 0
    fields = ["changed_at", "changed_by", "changed_fields", "previous"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Treatment)
class TreatmentAdmin(admin.ModelAdmin):
    """Edits here go through the same service as the API, so each one leaves a revision."""

    list_display = ["created_at", "patient", "doctor", "diagnosis", "icd10_code", "cost", "status"]
    list_filter = ["status", "appointment__doctor__specialization"]
    search_fields = ["diagnosis", "icd10_code", "appointment__patient__user__last_name"]
    list_select_related = ["appointment__doctor__user", "appointment__patient__user"]
    date_hierarchy = "created_at"
    raw_id_fields = ["appointment"]
    fields = [
        "appointment",
        "diagnosis",
        "icd10_code",
        "procedure",
        "clinical_notes",
        "follow_up",
        "cost",
        "status",
        "error_reason",
        "created_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [TreatmentRevisionInline]

    @admin.display(ordering="appointment__patient__user__last_name")
    def patient(self, treatment):
        return treatment.appointment.patient

    @admin.display(ordering="appointment__doctor__user__last_name")
    def doctor(self, treatment):
        return treatment.appointment.doctor

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "appointment"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS}
        if change:
            status = form.cleaned_data.get("status")
            services.treatment_update(
                actor=request.user,
                treatment=obj,
                status=status if "status" in form.changed_data else None,
                error_reason=form.cleaned_data.get("error_reason", ""),
                **fields,
            )
        else:
            created = services.treatment_create(
                actor=request.user,
                appointment=form.cleaned_data["appointment"],
                **{name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS},
            )
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TreatmentRevision)
class TreatmentRevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["changed_at", "treatment", "changed_by", "changed_fields"]
    list_select_related = [
        "treatment__appointment__patient__user",
        "treatment__appointment__doctor__user",
        "changed_by",
    ]
    date_hierarchy = "changed_at"
