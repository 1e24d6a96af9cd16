from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from doctors import services
from doctors.models import Doctor, Specialization, TimeOff, WorkingHours


@admin.register(Specialization)
class SpecializationAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


class WorkingHoursFormSet(BaseInlineFormSet):
    """The week is checked and saved as a whole, by the same service as the API's PUT."""

    def periods(self) -> list[dict]:
        return [
            {name: form.cleaned_data[name] for name in ("weekday", "start_time", "end_time")}
            for form in self.forms
            if form.cleaned_data and form not in self.deleted_forms
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        overlaps = services.working_hours_overlaps(self.periods())
        if overlaps:
            raise ValidationError(overlaps)


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    formset = WorkingHoursFormSet
    extra = 0


class TimeOffInline(admin.TabularInline):
    """Shown here; added and removed on the time-off page, whose service checks the bookings."""

    model = TimeOff
    extra = 0
    fields = ["start", "end", "reason", "created_by"]
    readonly_fields = fields
    ordering = ["-start"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


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

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in Doctor.EDITABLE_FIELDS}
        # The form has already set the new values on obj; the service compares with the saved row.
        services.doctor_update(doctor=Doctor.objects.get(pk=obj.pk), **fields)

    def save_formset(self, request, form, formset, change):
        if formset.model is not WorkingHours:
            super().save_formset(request, form, formset, change)
            return
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.has_changed():
            formset.new_objects = services.working_hours_replace(doctor=form.instance, periods=formset.periods())

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate the user account instead; appointments point here
