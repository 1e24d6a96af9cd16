"""The admin's forms for appointments: booking (the add form), rescheduling and cancelling. The
starts offered are the free slots the API offers (appointments.availability); the write is the
API's service, whose refusal (a rule, a lost race) becomes a form error."""

from datetime import date, datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.core.exceptions import ValidationError
from django.utils import timezone

from appointments import availability, services
from appointments.models import Appointment
from config.admin import admin_time
from config.errors import DomainError
from doctors.models import Doctor, VisitType


def slot_choices(*, doctor: Doctor | None, visit_type: VisitType | None, day: date | None) -> list[tuple[str, str]]:
    """The free starts of a doctor for a visit type on a day of their zone, as the front desk may
    book them (inside the minimum notice too): (ISO start, "09:30") pairs."""
    if doctor is None or visit_type is None or day is None:
        return []
    slots = availability.free_slots(
        doctor=doctor, visit_type=visit_type, first_day=day, last_day=day, staff=True, now=timezone.now()
    )
    return [(slot.start.isoformat(), f"{admin_time(slot.start)} - {admin_time(slot.end)}") for slot in slots]


class SlotField(forms.ChoiceField):
    """A start among the free slots shown. A start that was free when the page was drawn and is
    taken now is not refused here: the booking service decides, and says so (a lost race)."""

    def valid_value(self, value):
        return True

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            start = datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError("Pick one of the free times shown.") from None
        if timezone.is_naive(start):
            start = timezone.make_aware(start)
        return start


def refusal_as_form_error(form: forms.Form, refusal: DomainError) -> None:
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


def _pk(value) -> str:
    return str(value.pk if hasattr(value, "pk") else value or "")


class BookForm(forms.ModelForm):
    """Book from the admin: doctor, visit type and day, then a start among that day's free
    slots, for a patient. clean() books through appointments.services.appointment_book."""

    day = forms.DateField(widget=AdminDateWidget, help_text="In the doctor's time zone.")
    start = SlotField(
        required=False,
        help_text='The free times of this doctor, visit type and day; after changing them, press "Show free times".',
    )

    class Meta:
        model = Appointment
        fields = ["doctor", "visit_type", "day", "patient", "start", "reason"]
        widgets = {"patient": AutocompleteSelect(Appointment._meta.get_field("patient"), admin.site)}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["doctor"].queryset = Doctor.objects.filter(user__is_active=True).select_related("user")
        self.fields["visit_type"].queryset = VisitType.objects.filter(is_active=True).order_by("name")
        self.fields["visit_type"].required = False
        self.fields["visit_type"].help_text = "Empty: the doctor's default."
        self.fields["start"].choices = [("", "---------"), *self._slots()]

    def _raw(self, name):
        return self.data.get(name) if self.is_bound else self.initial.get(name)

    def _slots(self):
        try:
            doctor = self.fields["doctor"].queryset.filter(pk=_pk(self._raw("doctor"))).first()
            visit_type = None
            if doctor is not None:
                wanted_pk = _pk(self._raw("visit_type"))
                wanted = VisitType.objects.filter(pk=wanted_pk).first() if wanted_pk else None
                visit_type = availability.bookable_visit_type(doctor=doctor, visit_type=wanted, online=False)
            day = self.fields["day"].to_python(self._raw("day") or "")
        except (ValueError, ValidationError, DomainError):
            return []
        return slot_choices(doctor=doctor, visit_type=visit_type, day=day)

    def clean(self):
        data = super().clean()
        if "_refresh" in self.data:
            raise ValidationError("These are the free times now: pick a start, then save.")
        if self.errors:
            return data
        if data.get("start") is None:
            self.add_error("start", "Pick one of the free times.")
            return data
        try:
            self.instance = services.appointment_book(
                actor=self.actor,
                doctor=data["doctor"],
                patient=data["patient"],
                visit_type=data.get("visit_type"),
                start=data["start"],
                reason=data.get("reason", ""),
            )
        except DomainError as refusal:
            refusal_as_form_error(self, refusal)
        return data

    def _post_clean(self):
        pass  # the booking service validated and saved the appointment

    def save(self, commit=True):
        return self.instance

    def save_m2m(self):
        pass


class EmptyForm(forms.Form):
    """Confirm, check in, complete, no-show: nothing to ask."""

    def __init__(self, *args, appointment=None, day=None, **kwargs):
        super().__init__(*args, **kwargs)


class CancelForm(EmptyForm):
    reason = forms.CharField(max_length=500, widget=forms.TextInput(attrs={"size": 60}))


class RescheduleForm(EmptyForm):
    """A new start among the free slots of the appointment's doctor and visit type on a day."""

    start = SlotField()

    def __init__(self, *args, appointment=None, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day
        self.fields["start"].choices = slot_choices(
            doctor=appointment.doctor, visit_type=appointment.visit_type, day=day
        )
