"""The admin pages for what can take booked time away: time off, date overrides, clinic closures.
Each saves through the same service as the API (appointments.services.absences), so a change over
booked visits is refused with their ids, or (when asked) cancels them and tells the patients."""

import re
from datetime import time

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from appointments import services
from config.admin import VIEW, RoleAdminMixin
from config.errors import DomainError
from doctors import services as doctor_services
from doctors.models import ClinicClosure, ScheduleOverride, TimeOff

PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class ActorFormMixin:
    """ModelAdmin side: hands the signed-in user to the form, which saves through the service (so
    the admin's own save has nothing left to do); deletes go through `remove` one row at a time,
    a refusal shown as a message. A saved row changes only by removing it and adding another
    (checked again), unless `changeable`."""

    changeable = False

    def remove(self, *, actor, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        return (obj is None or self.changeable) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        pass  # saved by the form, through the service

    def delete_through_service(self, request, obj):
        try:
            self.remove(actor=request.user, obj=obj)
        except DomainError as refusal:
            self.message_user(request, f"{obj}: {refusal.message}", messages.ERROR)

    def delete_model(self, request, obj):
        self.delete_through_service(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_through_service(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class WithActor(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, actor=request.user, **inner)

        return WithActor


class ServiceForm(forms.ModelForm):
    """A form whose clean() performs the write through a service, so a refusal (a 409 in the API)
    shows as a form error; the admin's own save then has nothing left to do."""

    cancel_clashing = forms.BooleanField(
        required=False,
        label="Cancel booked visits in the way",
        help_text="Unticked: refused while visits are booked then. Ticked: they are cancelled and the patients told.",
    )
    patient_message = forms.CharField(
        required=False,
        max_length=500,
        help_text='What the patients read (default "Your doctor is unavailable at this time").',
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def conflict_choice(self) -> dict:
        data = self.cleaned_data
        return {
            "on_conflict": "cancel" if data.get("cancel_clashing") else "refuse",
            "patient_message": data.get("patient_message", ""),
        }

    def write(self):
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                self.instance = self.write().stored
            except DomainError as refusal:
                raise ValidationError(refusal.message) from None
        return data


class TimeOffForm(ServiceForm):
    class Meta:
        model = TimeOff
        fields = ["doctor", "start", "end", "reason"]

    def write(self):
        data = self.cleaned_data
        return services.time_off_create(
            doctor=data["doctor"],
            actor=self.actor,
            start=data["start"],
            end=data["end"],
            reason=data["reason"],
            **self.conflict_choice(),
        )


@admin.register(TimeOff)
class TimeOffAdmin(ActorFormMixin, RoleAdminMixin, admin.ModelAdmin):
    form = TimeOffForm
    list_display = ["doctor", "start", "end", "reason"]
    list_filter = ["doctor__specialization"]
    search_fields = ["doctor__user__last_name", "reason"]
    list_select_related = ["doctor__user"]
    autocomplete_fields = ["doctor"]
    date_hierarchy = "start"
    readonly_fields = ["created_by", "created_at"]

    def remove(self, *, actor, obj):
        doctor_services.time_off_delete(time_off=obj)


def parse_periods(text: str) -> list[dict]:
    """ "09:00-12:00, 13:00-16:00" -> [{"start_time": 09:00, "end_time": 12:00}, ...]"""
    periods = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        match = PERIOD.match(part)
        if not match:
            raise ValidationError(f"{part!r} is not a period like 09:00-12:00.")
        h1, m1, h2, m2 = map(int, match.groups())
        try:
            periods.append({"start_time": time(h1, m1), "end_time": time(h2, m2)})
        except ValueError:
            raise ValidationError(f"{part!r} is not a time of day.") from None
    return periods


class ScheduleOverrideForm(ServiceForm):
    periods_text = forms.CharField(
        required=False,
        label="Working periods",
        help_text="Wall-clock times in the doctor's zone, e.g. 09:00-12:00, 13:00-16:00; empty when closed.",
    )

    class Meta:
        model = ScheduleOverride
        fields = ["doctor", "date", "closed", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["periods_text"].initial = ", ".join(str(period) for period in self.instance.periods.all())

    def clean_periods_text(self):
        return parse_periods(self.cleaned_data["periods_text"])

    def write(self):
        data = self.cleaned_data
        if self.instance.pk:
            return services.schedule_override_update(
                actor=self.actor,
                override=self.instance,
                closed=data["closed"],
                periods=data["periods_text"],
                reason=data["reason"],
                **self.conflict_choice(),
            )
        return services.schedule_override_create(
            actor=self.actor,
            doctor=data["doctor"],
            date=data["date"],
            closed=data["closed"],
            periods=data["periods_text"],
            reason=data["reason"],
            **self.conflict_choice(),
        )


@admin.register(ScheduleOverride)
class ScheduleOverrideAdmin(ActorFormMixin, RoleAdminMixin, admin.ModelAdmin):
    form = ScheduleOverrideForm
    list_display = ["date", "doctor", "closed", "hours", "reason"]
    list_filter = ["closed", "doctor__specialization"]
    search_fields = ["doctor__user__last_name", "reason"]
    list_select_related = ["doctor__user"]
    autocomplete_fields = ["doctor"]
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created_at", "updated_at"]
    changeable = True

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("periods")

    def get_readonly_fields(self, request, obj=None):
        # An override is for its doctor and date; another date is another override.
        return [*self.readonly_fields, "doctor", "date"] if obj else self.readonly_fields

    @admin.display(description="hours")
    def hours(self, override):
        return ", ".join(str(period) for period in override.periods.all()) or "-"

    def remove(self, *, actor, obj):
        # Refused (409 in the API) when visits were booked on the override's own hours.
        services.schedule_override_delete(actor=actor, override=obj)


class ClinicClosureForm(ServiceForm):
    class Meta:
        model = ClinicClosure
        fields = ["name", "start_date", "end_date"]

    def write(self):
        data = self.cleaned_data
        return services.clinic_closure_create(
            actor=self.actor,
            name=data["name"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            **self.conflict_choice(),
        )


@admin.register(ClinicClosure)
class ClinicClosureAdmin(ActorFormMixin, RoleAdminMixin, admin.ModelAdmin):
    front_desk = frozenset({VIEW})
    form = ClinicClosureForm
    list_display = ["start_date", "end_date", "name"]
    search_fields = ["name"]
    date_hierarchy = "start_date"
    readonly_fields = ["created_by", "created_at"]

    def remove(self, *, actor, obj):
        doctor_services.clinic_closure_delete(closure=obj)
