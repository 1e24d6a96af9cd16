from django.conf import settings
from rest_framework import serializers

from accounts.serializers import ActorSerializer
from appointments.availability import MAX_RANGE_DAYS
from appointments.models import Appointment, AppointmentEvent, Status
from config.fields import AwareDateTimeField, IdField, validate_day_range
from doctors.models import Doctor, TimeOff
from doctors.selectors import doctor_list_for_user
from doctors.serializers import DoctorBriefSerializer
from patients.models import Patient
from patients.selectors import patient_list_for_user
from patients.serializers import PatientBriefSerializer


class AppointmentSerializer(serializers.ModelSerializer):
    doctor = DoctorBriefSerializer()
    patient = PatientBriefSerializer()
    currency = serializers.SerializerMethodField()
    created_by = serializers.IntegerField(source="created_by_id")
    cancelled_by = serializers.IntegerField(source="cancelled_by_id", allow_null=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "doctor",
            "patient",
            "start",
            "end",
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

    def get_currency(self, appointment) -> str:
        return settings.CLINIC_CURRENCY


class AppointmentBookSerializer(serializers.Serializer):
    """Ids are looked up among what the caller may see: a guessed id of anyone else's record, or of
    a doctor who has left, reads as "does not exist". Who may book for whom is the booking
    service's rule (appointments.policies)."""

    doctor = IdField(queryset=Doctor.objects.none(), required=False, help_text="Required unless you are the doctor.")
    patient = IdField(queryset=Patient.objects.none(), required=False, help_text="Required unless you are the patient.")
    start = AwareDateTimeField(help_text="A slot start from /api/doctors/{id}/slots/; naive times are clinic time.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["patient"].queryset = patient_list_for_user(user=request.user)
            self.fields["doctor"].queryset = doctor_list_for_user(user=request.user)


class AppointmentUpdateSerializer(serializers.Serializer):
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


class TransitionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why: kept with the appointment and shown to both sides.")


class RescheduleSerializer(serializers.Serializer):
    start = AwareDateTimeField(help_text="The new start: a free slot of the same doctor.")


class AppointmentEventSerializer(serializers.ModelSerializer):
    actor = ActorSerializer(allow_null=True)

    class Meta:
        model = AppointmentEvent
        fields = ["id", "action", "actor", "from_status", "to_status", "old_start", "new_start", "note", "at"]
        read_only_fields = fields


# --- A doctor's schedule as booking sees it: time off and free slots ---------------------------------


class TimeOffSerializer(serializers.ModelSerializer):
    start = AwareDateTimeField()
    end = AwareDateTimeField()

    class Meta:
        model = TimeOff
        fields = ["id", "start", "end", "reason", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["The end must be after the start."]})
        return attrs

    def to_representation(self, time_off):
        data = super().to_representation(time_off)
        # Why a doctor is away is for them and admins; others see only that they are.
        if not self.context.get("show_reason", False):
            data["reason"] = ""
        return data


class SlotQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="First day, in the doctor's time zone (default today).")
    date_to = serializers.DateField(
        required=False, help_text=f"Last day, inclusive (default date_from + 13 days; at most {MAX_RANGE_DAYS} days)."
    )

    def validate(self, attrs):
        validate_day_range(attrs["date_from"], attrs["date_to"], max_days=MAX_RANGE_DAYS)
        return attrs


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="In the doctor's time zone, with its offset.")
    end = serializers.DateTimeField()

    def to_representation(self, slot):
        zone = self.context["zone"]
        return {"start": slot.start.astimezone(zone).isoformat(), "end": slot.end.astimezone(zone).isoformat()}


class SlotsSerializer(serializers.Serializer):
    doctor = serializers.IntegerField()
    time_zone = serializers.CharField()
    slot_minutes = serializers.IntegerField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    slots = SlotSerializer(many=True)


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The new feed URL; the secret in it is not stored and not shown again.")
