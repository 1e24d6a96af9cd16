from rest_framework import serializers

from appointments.serializers import AppointmentSerializer
from prescriptions.serializers import PrescriptionSerializer
from treatments.serializers import TreatmentSerializer


class HistoryEntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["appointment", "treatment", "prescription"])
    at = serializers.DateTimeField(help_text="Appointment start, treatment recorded, or prescription issued.")
    appointment = AppointmentSerializer(allow_null=True, help_text="Set when kind is appointment.")
    treatment = TreatmentSerializer(allow_null=True, help_text="Set when kind is treatment.")
    prescription = PrescriptionSerializer(allow_null=True, help_text="Set when kind is prescription.")
