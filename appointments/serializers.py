from django.conf import settings
from rest_framework import serializers

from appointments.models import Appointment, AppointmentEvent, Status
from config.fields import AwareDateTimeField, IdField
from doctors.models import Doctor
from doctors.selectors import doctor_list_for_user
from patients.models import Patient
from patients.selectors import patient_list_for_user


class DoctorBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField(source="user.get_full_name")
    specialization = serializers.CharField(source="specialization.name")


class PatientBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField(source="user.get_full_name")


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
    """Who books for whom: a patient always for themselves (`patient` is ignored), a doctor always
    into their own schedule (`doctor` is ignored) for a patient they may see, an admin for anyone."""

    doctor = IdField(queryset=Doctor.objects.none(), required=False, help_text="Required unless you are the doctor.")
    patient = IdField(queryset=Patient.objects.none(), required=False, help_text="Required unless you are the patient.")
    start = AwareDateTimeField(help_text="A slot start from /api/doctors/{id}/slots/; naive times are clinic time.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Ids in the body are looked up among what this user may see: a guessed id of anyone
            # else's record, or of a doctor who has left, reads as "does not exist".
            self.fields["patient"].queryset = patient_list_for_user(user=request.user)
            self.fields["doctor"].queryset = doctor_list_for_user(user=request.user)

    def validate(self, attrs):
        user = self.context["request"].user
        if user.is_patient:
            attrs["patient"] = _own_profile(user, "patient_profile")
            attrs["notes"] = ""
        elif user.is_doctor:
            attrs["doctor"] = _own_profile(user, "doctor_profile")
        missing = {name: ["This field is required."] for name in ("doctor", "patient") if attrs.get(name) is None}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


def _own_profile(user, name):
    profile = getattr(user, name, None)
    if profile is None:
        raise serializers.ValidationError("Your account has no profile to book with; ask an admin.")
    return profile


class PatientAppointmentUpdateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class StaffAppointmentUpdateSerializer(PatientAppointmentUpdateSerializer):
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class AdminAppointmentUpdateSerializer(StaffAppointmentUpdateSerializer):
    status = serializers.ChoiceField(
        choices=Status.choices, required=False, help_text="Moves along the lifecycle; illegal moves answer 409."
    )
    cancellation_reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="Needed when status becomes cancelled."
    )


class TransitionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why: kept with the appointment and shown to both sides.")


class RescheduleSerializer(serializers.Serializer):
    start = AwareDateTimeField(help_text="The new start: a free slot of the same doctor.")


class ActorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField(source="get_full_name")
    role = serializers.CharField()


class AppointmentEventSerializer(serializers.ModelSerializer):
    actor = ActorSerializer(allow_null=True)

    class Meta:
        model = AppointmentEvent
        fields = ["id", "action", "actor", "from_status", "to_status", "old_start", "new_start", "note", "at"]
        read_only_fields = fields
