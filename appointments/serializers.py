from django.conf import settings
from rest_framework import serializers

from accounts.serializers import ActorSerializer, FrontDeskOmitsMixin
from appointments.availability import MAX_RANGE_DAYS
from appointments.models import Appointment, AppointmentEvent, Status
from config.fields import AwareDateTimeField, IdField, WallClockTimeField, validate_day_range
from config.serializers import StrictInputMixin
from doctors.models import ClinicClosure, Doctor, ScheduleOverride, TimeOff, VisitType
from doctors.selectors import doctor_list_for_user
from doctors.serializers import DoctorBriefSerializer, VisitTypeBriefSerializer
from patients.models import Patient
from patients.selectors import patient_list_for_user
from patients.serializers import PatientBriefSerializer


class AppointmentSerializer(FrontDeskOmitsMixin, serializers.ModelSerializer):
    doctor = DoctorBriefSerializer()
    patient = PatientBriefSerializer()
    visit_type = VisitTypeBriefSerializer()
    currency = serializers.SerializerMethodField()
    created_by = serializers.IntegerField(source="created_by_id")
    cancelled_by = serializers.IntegerField(source="cancelled_by_id", allow_null=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "doctor",
            "patient",
            "visit_type",
            "start",
            "end",
            "blocked_start",
            "blocked_end",
            "status",
            "reason",
            "notes",
            "fee",
            "currency",
            "created_by",
            "created_at",
            "updated_at",
            "cancelled_by",
            "cancelled_at",
            "cancellation_reason",
        ]
        read_only_fields = fields
        clinical_fields = ["notes"]

    def get_currency(self, appointment) -> str:
        return settings.CLINIC_CURRENCY


class AppointmentBookSerializer(StrictInputMixin, serializers.Serializer):
    """Ids are looked up among what the caller may see: a guessed id of anyone else's record, or of
    a doctor who has left, reads as "does not exist". Who may book for whom is the booking
    service's rule (appointments.policies)."""

    doctor = IdField(
        queryset=Doctor.objects.none(),
        required=False,
        purpose="that you can book with",
        help_text="Required unless you are the doctor.",
    )
    patient = IdField(
        queryset=Patient.objects.none(),
        required=False,
        purpose="that you can book for",
        help_text="Required unless you are the patient.",
    )
    visit_type = IdField(
        queryset=VisitType.objects.filter(is_active=True),
        required=False,
        purpose="that is in use (see visit-types/)",
        help_text="One the doctor offers (doctors/{id}/visit-types/); default: the doctor's default.",
    )
    start = AwareDateTimeField(
        required=False,
        help_text="A slot start from /api/doctors/{id}/slots/ (of this visit type); naive times are clinic time.",
    )
    walk_in = serializers.BooleanField(
        default=False, help_text="Front desk: the patient is here now; the visit starts now and is checked in."
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["patient"].queryset = patient_list_for_user(user=request.user)
            self.fields["doctor"].queryset = doctor_list_for_user(user=request.user)

    def validate(self, attrs):
        if attrs["walk_in"] and "start" in attrs:
            raise serializers.ValidationError({"start": ["A walk-in starts now; leave start out."]})
        if not attrs["walk_in"] and "start" not in attrs:
            raise serializers.ValidationError({"start": ["This field is required."]})
        return attrs


class AppointmentUpdateSerializer(StrictInputMixin, serializers.Serializer):
    """PATCH: who may change which field is the service's rule (appointments.policies)."""

    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
    notes = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, help_text="The doctor's and admins' notes."
    )
    status = serializers.ChoiceField(
        choices=Status.choices, required=False, help_text="Admins: moves along the lifecycle; illegal moves answer 409."
    )
    cancellation_reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="Admins: needed when status becomes cancelled."
    )


class TransitionSerializer(StrictInputMixin, serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class CancelSerializer(StrictInputMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why: kept with the appointment and shown to both sides.")


class RescheduleSerializer(StrictInputMixin, serializers.Serializer):
    start = AwareDateTimeField(help_text="The new start: a free slot of the same doctor.")
    visit_type = IdField(
        queryset=VisitType.objects.filter(is_active=True),
        required=False,
        purpose="that is in use (see visit-types/)",
        help_text="Another visit type the doctor offers; default: the one booked.",
    )


class AppointmentEventSerializer(serializers.ModelSerializer):
    actor = ActorSerializer(allow_null=True)

    class Meta:
        model = AppointmentEvent
        fields = ["id", "action", "actor", "from_status", "to_status", "old_start", "new_start", "note", "at"]
        read_only_fields = fields


# --- A doctor's schedule as booking sees it: time off, overrides, closures, free slots ----------------


class ConflictChoiceSerializer(serializers.Serializer):
    """What to do with booked visits that a schedule change would leave outside the doctor's time."""

    on_conflict = serializers.ChoiceField(
        choices=["refuse", "cancel"],
        default="refuse",
        write_only=True,
        help_text="refuse (default): 409 listing the visits in the way; cancel: cancel them, telling the patients.",
    )
    patient_message = serializers.CharField(
        max_length=500,
        required=False,
        default="",
        allow_blank=True,
        write_only=True,
        help_text='With cancel: the reason patients read (default "Your doctor is unavailable at this time").',
    )


class PrivateReasonMixin:
    """Why a doctor is away is for them and admins; others see only that they are."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("show_reason", False):
            data["reason"] = ""
        return data


class TimeOffSerializer(StrictInputMixin, PrivateReasonMixin, ConflictChoiceSerializer, serializers.ModelSerializer):
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    cancelled_appointments = serializers.SerializerMethodField(
        help_text="In the response to a POST: the appointments cancelled with on_conflict=cancel."
    )

    class Meta:
        model = TimeOff
        fields = [
            "id",
            "start",
            "end",
            "reason",
            "created_at",
            "on_conflict",
            "patient_message",
            "cancelled_appointments",
        ]
        read_only_fields = ["id", "created_at"]

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["The end must be after the start."]})
        return attrs

    def get_cancelled_appointments(self, time_off) -> list[int]:
        return self.context.get("cancelled", [])


class OverridePeriodSerializer(StrictInputMixin, serializers.Serializer):
    start_time = WallClockTimeField()
    end_time = WallClockTimeField()


class ScheduleOverrideSerializer(
    StrictInputMixin, PrivateReasonMixin, ConflictChoiceSerializer, serializers.ModelSerializer
):
    periods = OverridePeriodSerializer(many=True, required=False, help_text="The date's hours, unless closed.")
    cancelled_appointments = serializers.SerializerMethodField(
        help_text="In the response to a write: the appointments cancelled with on_conflict=cancel."
    )

    class Meta:
        model = ScheduleOverride
        fields = [
            "id",
            "date",
            "closed",
            "periods",
            "reason",
            "created_at",
            "updated_at",
            "on_conflict",
            "patient_message",
            "cancelled_appointments",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []  # one override per doctor and date: the service answers 409

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:  # an override is for its date; another date is another override
            fields["date"].read_only = True
        return fields

    def get_cancelled_appointments(self, override) -> list[int]:
        return self.context.get("cancelled", [])


class ConflictQuerySerializer(ConflictChoiceSerializer):
    """The same choice for a DELETE, as query parameters."""


class ClinicClosureSerializer(StrictInputMixin, ConflictChoiceSerializer, serializers.ModelSerializer):
    end_date = serializers.DateField(required=False, help_text="The last closed day, inclusive (default: start_date).")
    cancelled_appointments = serializers.SerializerMethodField(
        help_text="In the response to a POST: the appointments cancelled with on_conflict=cancel."
    )

    class Meta:
        model = ClinicClosure
        fields = [
            "id",
            "name",
            "start_date",
            "end_date",
            "created_at",
            "on_conflict",
            "patient_message",
            "cancelled_appointments",
        ]
        read_only_fields = ["id", "created_at"]

    def get_cancelled_appointments(self, closure) -> list[int]:
        return self.context.get("cancelled", [])


class SlotQuerySerializer(serializers.Serializer):
    visit_type = IdField(
        queryset=VisitType.objects.all(),
        required=False,
        help_text="One of the doctor's visit types (default: their default).",
    )
    date_from = serializers.DateField(required=False, help_text="First day, in the doctor's time zone (default today).")
    date_to = serializers.DateField(
        required=False, help_text=f"Last day, inclusive (default date_from + 13 days; at most {MAX_RANGE_DAYS} days)."
    )

    def validate(self, attrs):
        validate_day_range(attrs["date_from"], attrs["date_to"], max_days=MAX_RANGE_DAYS)
        return attrs


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="In the doctor's time zone, with its offset.")
    end = serializers.DateTimeField(help_text="When the visit ends (buffers are the doctor's, not yours).")
    visit_type = serializers.IntegerField()

    def to_representation(self, slot):
        zone = self.context["zone"]
        return {
            "start": slot.start.astimezone(zone).isoformat(),
            "end": slot.end.astimezone(zone).isoformat(),
            "visit_type": slot.visit_type.pk,
        }


class SlotsSerializer(serializers.Serializer):
    doctor = serializers.IntegerField()
    time_zone = serializers.CharField()
    slot_minutes = serializers.IntegerField(help_text="The grid: possible starts are this many minutes apart.")
    visit_type = VisitTypeBriefSerializer()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    slots = SlotSerializer(many=True)


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The new feed URL; the secret in it is not stored and not shown again.")
