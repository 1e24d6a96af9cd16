from django.conf import settings
from rest_framework import serializers

from accounts.serializers import ActorSerializer
from config.serializers import StrictInputMixin
from doctors.serializers import DoctorBriefSerializer
from patients.serializers import PatientBriefSerializer
from treatments.models import Treatment, TreatmentRevision

CLINICAL_FIELDS = ["diagnosis", "icd10_code", "procedure", "clinical_notes", "follow_up", "cost"]


class TreatmentSerializer(serializers.ModelSerializer):
    appointment = serializers.IntegerField(source="appointment_id")
    visit_start = serializers.DateTimeField(source="appointment.start")
    doctor = DoctorBriefSerializer(source="appointment.doctor")
    patient = PatientBriefSerializer(source="appointment.patient")
    created_by = serializers.IntegerField(source="created_by_id")
    currency = serializers.SerializerMethodField()

    class Meta:
        model = Treatment
        fields = [
            "id",
            "appointment",
            "visit_start",
            "doctor",
            "patient",
            *CLINICAL_FIELDS,
            "currency",
            "status",
            "error_reason",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_currency(self, treatment) -> str:
        return settings.CLINIC_CURRENCY


class TreatmentCreateSerializer(StrictInputMixin, serializers.ModelSerializer):
    appointment = serializers.IntegerField(min_value=1, help_text="A checked-in or completed visit of yours.")

    class Meta:
        model = Treatment
        fields = ["appointment", *CLINICAL_FIELDS]


class TreatmentUpdateSerializer(StrictInputMixin, serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=[Treatment.Status.ENTERED_IN_ERROR],
        required=False,
        help_text="Send entered_in_error (with error_reason) to retract a wrong record; it is kept.",
    )
    error_reason = serializers.CharField(max_length=500, required=False, allow_blank=True)

    class Meta:
        model = Treatment
        fields = [*CLINICAL_FIELDS, "status", "error_reason"]


class TreatmentRevisionSerializer(serializers.ModelSerializer):
    changed_by = ActorSerializer()

    class Meta:
        model = TreatmentRevision
        fields = ["id", "changed_by", "changed_at", "changed_fields", "previous"]
        read_only_fields = fields
