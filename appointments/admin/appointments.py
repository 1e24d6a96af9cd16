"""The appointments admin: the desk's list (today first), the day sheet, booking (the add form),
and every step of the lifecycle, each through the same service as the API."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from appointments import services
from appointments.admin import actions, day_sheet
from appointments.admin.filters import DayFilter, DoctorListFilter, VisitTypeListFilter
from appointments.admin.forms import BookForm, CancelForm
from appointments.models import Appointment, AppointmentEvent
from config.admin import (
    ADD,
    CHANGE,
    VIEW,
    LinkedRecordsMixin,
    ReadOnlyAdminMixin,
    RoleAdminMixin,
    admin_datetime,
    related_records,
)
from config.errors import DomainError

Action = AppointmentEvent.Action
FRONT_DESK = frozenset({VIEW, ADD, CHANGE})


def status_label(appointment: Appointment) -> str:
    """The status as a coloured label (appointments/static/appointments/admin.css)."""
    return format_html(
        '<span class="status-label status-{}">{}</span>', appointment.status, appointment.get_status_display()
    )


def desk_note(event: AppointmentEvent) -> str:
    """What the front desk reads of an event's note: a cancellation's reason, never the doctor's
    note on completing or a no-show (as in the API, AppointmentEventSerializer)."""
    return event.note if event.action == Action.CANCELLED else ""


class FrontDeskNoteMixin:
    """Event pages: the front desk's show `desk_note` where the admin's show `note`."""

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if request.user.is_admin else [("desk_note" if f == "note" else f) for f in fields]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "desk_note"]

    @admin.display(description="note")
    def desk_note(self, event):
        return desk_note(event)


class AppointmentEventInline(FrontDeskNoteMixin, RoleAdminMixin, admin.TabularInline):
    model = AppointmentEvent
    front_desk = frozenset({VIEW})
    extra = 0
    fields = ["at", "action", "actor", "from_status", "to_status", "old_start", "new_start", "note"]
    readonly_fields = fields
    ordering = ["at", "id"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Appointment)
class AppointmentAdmin(LinkedRecordsMixin, RoleAdminMixin, admin.ModelAdmin):
    """For admins and the front desk. Booking (the add form), every status change (actions, the
    day sheet, the steps on each appointment's page) and edits of the reason (and, for admins,
    the notes) go through the API's services; nothing is deleted."""

    front_desk = FRONT_DESK
    change_form_template = "admin/appointments/appointment_change_form.html"
    list_display = ["when", "doctor", "patient", "visit_type", "status_label", "reason"]
    list_display_links = ["when"]
    list_filter = [DayFilter, "status", DoctorListFilter, VisitTypeListFilter]
    actions = ["confirm_selected", "check_in_selected", "complete_selected", "no_show_selected", "cancel_selected"]
    search_fields = [
        "patient__user__first_name",
        "patient__user__last_name",
        "doctor__user__first_name",
        "doctor__user__last_name",
        "reason",
    ]
    list_select_related = ["doctor__user", "patient__user", "visit_type"]
    date_hierarchy = "start"
    ordering = ["start"]
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

    class Media:
        css = {"all": ["appointments/admin.css"]}

    @admin.display(description="start", ordering="start")
    def when(self, appointment):
        return admin_datetime(appointment.start)

    @admin.display(description="status", ordering="status")
    def status_label(self, appointment):
        return status_label(appointment)

    # --- Pages ------------------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("day-sheet/", wrap(self.day_sheet_view), name="appointments_appointment_day_sheet"),
            path("<path:object_id>/act/<slug:slug>/", wrap(self.act_view), name="appointments_appointment_act"),
            *super().get_urls(),
        ]

    def day_sheet_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return day_sheet.day_sheet_view(self, request)

    def act_view(self, request, object_id, slug):
        return actions.act_view(self, request, object_id, slug)

    def changelist_view(self, request, extra_context=None):
        extra = {"day_sheet_url": reverse("admin:appointments_appointment_day_sheet")}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, {**(extra_context or {}), "zone": settings.TIME_ZONE})

    def linked_records(self, request, obj):
        return related_records(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if self.has_view_permission(request) else None
        steps = []
        if obj is not None and self.has_change_permission(request, obj):
            steps = [(step, actions.step_url(obj, step)) for step in actions.next_steps(obj, user=request.user)]
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "steps": steps})

    # --- Forms: booking on add; on change the reason (and the notes, for admins) --------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class Booking(BookForm):
            def __init__(self, *args, **inner):
                super().__init__(*args, actor=actor, **inner)

        return Booking

    def get_fields(self, request, obj=None):
        if obj is None:
            return list(BookForm.base_fields)
        # The doctor's notes are clinical: not on the front desk's page (as in the API).
        return self.fields if request.user.is_admin else [name for name in self.fields if name != "notes"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change:
            return  # booked by the form, through appointments.services.appointment_book
        # Through the API's service: the edit leaves an event and an audit row. The form has
        # already set the new values on obj; the service compares with the saved row.
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in ("reason", "notes")}
        services.appointment_update(actor=request.user, appointment=Appointment.objects.get(pk=obj.pk), **fields)

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, f"Booked: {obj}.", messages.SUCCESS)
        day = obj.start.astimezone(obj.doctor.zone).date()
        return HttpResponseRedirect(f"{reverse('admin:appointments_appointment_day_sheet')}?date={day.isoformat()}")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        found = super().get_actions(request)
        if not request.user.is_admin:
            found.pop("complete_selected", None)  # completing a visit is clinical
        return found

    # --- Actions: the same services as the API (lifecycle rules, history, audit, e-mails) -----------

    @admin.action(description="Confirm the selected appointments")
    def confirm_selected(self, request, queryset):
        self._transition(request, queryset, Action.CONFIRMED)

    @admin.action(description="Check in the selected appointments")
    def check_in_selected(self, request, queryset):
        self._transition(request, queryset, Action.CHECKED_IN)

    @admin.action(description="Complete the selected visits")
    def complete_selected(self, request, queryset):
        self._transition(request, queryset, Action.COMPLETED)

    @admin.action(description="Mark the selected appointments as no-shows")
    def no_show_selected(self, request, queryset):
        self._transition(request, queryset, Action.NO_SHOW)

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
class AppointmentEventAdmin(FrontDeskNoteMixin, ReadOnlyAdminMixin, RoleAdminMixin, admin.ModelAdmin):
    front_desk = frozenset({VIEW})
    list_display = ["at", "appointment", "action", "actor", "from_status", "to_status"]
    list_filter = ["action"]
    list_select_related = ["appointment__doctor__user", "appointment__patient__user", "actor"]
    date_hierarchy = "at"
    search_fields = ["appointment__patient__user__last_name", "note"]
    fields = ["appointment", "at", "action", "actor", "from_status", "to_status", "old_start", "new_start", "note"]

    def get_search_fields(self, request):
        # A search by the note's words would tell the desk what the notes say.
        fields = super().get_search_fields(request)
        return fields if request.user.is_admin else [name for name in fields if name != "note"]
