from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse

from appointments import services
from appointments.models import Appointment, AppointmentEvent
from config.admin import ReadOnlyAdminMixin
from config.errors import DomainError
from doctors.models import Doctor

Action = AppointmentEvent.Action


class DoctorListFilter(admin.SimpleListFilter):
    """Like list_filter = ["doctor"], but the doctors' names come in one query, not one each."""

    title = "doctor"
    parameter_name = "doctor__id__exact"

    def lookups(self, request, model_admin):
        doctors = Doctor.objects.select_related("user").order_by("user__last_name", "user__first_name")
        return [(doctor.pk, str(doctor)) for doctor in doctors]

    def queryset(self, request, queryset):
        return queryset.filter(doctor_id=self.value()) if self.value() else queryset


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.TextInput(attrs={"size": 60}))


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
    list_filter = ["status", "doctor__specialization", DoctorListFilter]
    actions = ["confirm_selected", "cancel_selected"]
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
        "visit_type",
        "start",
        "end",
        "blocked_start",
        "blocked_end",
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

    def save_model(self, request, obj, form, change):
        # Through the API's service: the edit leaves an event and an audit row. The form has
        # already set the new values on obj; the service compares with the saved row.
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in ("reason", "notes")}
        services.appointment_update(actor=request.user, appointment=Appointment.objects.get(pk=obj.pk), **fields)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # Actions go through the same services as the API: the lifecycle rules, the history, the
    # audit trail and the notifications all apply.

    @admin.action(description="Confirm the selected appointments")
    def confirm_selected(self, request, queryset):
        self._transition(request, queryset, Action.CONFIRMED)

    @admin.action(description="Cancel the selected appointments (asks for the reason)")
    def cancel_selected(self, request, queryset):
        form = CancelForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._transition(request, queryset, Action.CANCELLED, note=form.cleaned_data["reason"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Cancel appointments",
            "opts": self.model._meta,
            "appointments": queryset.select_related("doctor__user", "patient__user"),
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/appointments/cancel_selected.html", context)

    def _transition(self, request, queryset, action: str, note: str = "") -> None:
        done = 0
        for appointment in queryset.select_related("doctor__user", "patient__user"):
            try:
                services.appointment_transition(actor=request.user, appointment=appointment, action=action, note=note)
                done += 1
            except DomainError as refusal:
                self.message_user(request, f"{appointment}: {refusal.message}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} appointment(s) {services.TRANSITIONS[action].verb}.", messages.SUCCESS)


@admin.register(AppointmentEvent)
class AppointmentEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "appointment", "action", "actor", "from_status", "to_status"]
    list_filter = ["action"]
    list_select_related = ["appointment__doctor__user", "appointment__patient__user", "actor"]
    date_hierarchy = "at"
    search_fields = ["appointment__patient__user__last_name", "note"]
