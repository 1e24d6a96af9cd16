from rest_framework import serializers

from config.serializers import StrictInputMixin
from doctors.serializers import DoctorBriefSerializer
from patients.serializers import PatientBriefSerializer
from prescriptions.models import Prescription, PrescriptionItem


class PrescriptionItemSerializer(StrictInputMixin, serializers.ModelSerializer):
    class Meta:
        model = PrescriptionItem
        fields = [
            "medication_name",
            "strength",
            "route",
            "frequency",
            "duration_days",
            "quantity",
            "refills",
            "instructions",
        ]


class PrescriberSerializer(DoctorBriefSerializer):
    licence_number = serializers.CharField()


class PrescriptionSerializer(serializers.ModelSerializer):
    appointment = serializers.IntegerField(source="appointment_id")
    doctor = PrescriberSerializer()
    patient = PatientBriefSerializer()
    items = PrescriptionItemSerializer(many=True)
    cancelled_by = serializers.IntegerField(source="cancelled_by_id", allow_null=True)

    class Meta:
        model = Prescription
        fields = [
            "id",
            "appointment",
            "doctor",
            "patient",
            "issued_at",
            "status",
            "notes",
            "items",
            "cancelled_by",
            "cancelled_at",
            "cancellation_reason",
        ]
        read_only_fields = fields


class PrescriptionCreateSerializer(StrictInputMixin, serializers.Serializer):
    appointment = serializers.IntegerField(min_value=1, help_text="A completed visit of yours.")
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    items = PrescriptionItemSerializer(many=True, allow_empty=False, max_length=50)


class PrescriptionCancelSerializer(StrictInputMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    entered_in_error = serializers.BooleanField(
        default=False, help_text="true: it should never have been issued; false (default): withdrawn."
    )
