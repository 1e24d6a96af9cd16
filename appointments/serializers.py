from django.conf import settings
from rest_framework import serializers

from accounts.serializers import ActorSerializer, FrontDeskOmitsMixin
from appointments import selectors
from appointments.models import Appointment, AppointmentEvent, Status
from config.fields import AwareDateTimeField, IdField
from config.rows import datetime_writer, decimal_writer, full_name
from config.serializers import StrictInputMixin
from doctors.models import Doctor, VisitType
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


def appointment_rows(page: list[dict], *, user) -> list[dict]:
    """AppointmentSerializer's output for a page of appointments given as `{"id", ...}` rows, the
    front desk's without the notes: one query for the rows with their doctors, patients and visit
    types (config.rows says why; tests/test_fast_rows.py holds the two equal)."""
    found = {row["id"]: row for row in selectors.appointment_output_values(ids=[row["id"] for row in page])}
    when, fee = datetime_writer(), decimal_writer(Appointment._meta.get_field("fee"))
    currency = settings.CLINIC_CURRENCY
    front_desk = getattr(user, "is_receptionist", False)
    written = []
    for row in (found[item["id"]] for item in page):
        item = {
            "id": row["id"],
            "doctor": {
                "id": row["doctor_id"],
                "full_name": full_name(row["doctor__user__first_name"], row["doctor__user__last_name"]),
                "specialization": row["doctor__specialization__name"],
            },
            "patient": {
                "id": row["patient_id"],
                "full_name": full_name(row["patient__user__first_name"], row["patient__user__last_name"]),
            },
            "visit_type": {
                "id": row["visit_type_id"],
                "name": row["visit_type__name"],
                "duration_minutes": row["visit_type__duration_minutes"],
                "buffer_before_minutes": row["visit_type__buffer_before_minutes"],
                "buffer_after_minutes": row["visit_type__buffer_after_minutes"],
            },
            "start": when(row["start"]),
            "end": when(row["end"]),
            "blocked_start": when(row["blocked_start"]),
            "blocked_end": when(row["blocked_end"]),
            "status": row["status"],
            "reason": row["reason"],
            "notes": row["notes"],
            "fee": fee(row["fee"]),
            "currency": currency,
            "created_by": row["created_by_id"],
            "created_at": when(row["created_at"]),
            "updated_at": when(row["updated_at"]),
            "cancelled_by": row["cancelled_by_id"],
            "cancelled_at": when(row["cancelled_at"]),
            "cancellation_reason": row["cancellation_reason"],
        }
        if front_desk:
            del item["notes"]
        written.append(item)
    return written


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


class AppointmentEventSerializer(FrontDeskOmitsMixin, serializers.ModelSerializer):
    """An event's note is the doctor's on completing or a no-show: left out for the front desk,
    except a cancellation's reason, which is the desk's business."""

    actor = ActorSerializer(allow_null=True)
    from_status = serializers.ChoiceField(
        choices=Status.choices, allow_blank=True, help_text='The status before; "" for the booking itself.'
    )

    class Meta:
        model = AppointmentEvent
        fields = ["id", "action", "actor", "from_status", "to_status", "old_start", "new_start", "note", "at"]
        read_only_fields = fields
        clinical_fields = ["note"]

    def clinical_fields_of(self, event) -> list[str]:
        return [] if event.action == AppointmentEvent.Action.CANCELLED else self.Meta.clinical_fields


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The new feed URL; the secret in it is not stored and not shown again.")
