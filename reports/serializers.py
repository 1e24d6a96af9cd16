from datetime import timedelta

from django.utils import timezone
from rest_framework import serializers

from appointments.serializers import AppointmentSerializer
from config.fields import validate_day_range
from config.serializers import StrictInputMixin
from doctors.serializers import DoctorBriefSerializer
from prescriptions.serializers import PrescriptionSerializer
from reports.selectors import ReportScope
from treatments.serializers import TreatmentSerializer

MAX_RANGE_DAYS = 731
DEFAULT_RANGE_DAYS = 30


class HistoryEntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["appointment", "treatment", "prescription"])
    at = serializers.DateTimeField(help_text="Appointment start, treatment recorded, or prescription issued.")
    appointment = AppointmentSerializer(allow_null=True, help_text="Set when kind is appointment.")
    treatment = TreatmentSerializer(allow_null=True, help_text="Set when kind is treatment.")
    prescription = PrescriptionSerializer(allow_null=True, help_text="Set when kind is prescription.")


# --- Report parameters ----------------------------------------------------------------------------


class ReportQuerySerializer(StrictInputMixin, serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="First clinic day (default: 29 days before date_to).")
    date_to = serializers.DateField(
        required=False,
        help_text=f"Last clinic day, inclusive (default: today). Not before date_from, and at most {MAX_RANGE_DAYS} "
        "days after it: 400 otherwise.",
    )
    doctor = serializers.IntegerField(required=False, min_value=1, max_value=2**53, help_text="One doctor's id.")
    specialization = serializers.CharField(required=False, max_length=100, help_text="A specialization's id or name.")

    def validate(self, attrs):
        date_to = attrs.get("date_to") or timezone.localdate()
        date_from = attrs.get("date_from") or date_to - timedelta(days=DEFAULT_RANGE_DAYS - 1)
        validate_day_range(date_from, date_to, max_days=MAX_RANGE_DAYS)
        attrs.update(date_from=date_from, date_to=date_to)
        return attrs

    def scope(self) -> ReportScope:
        data = self.validated_data
        return ReportScope(
            date_from=data["date_from"],
            date_to=data["date_to"],
            doctor_id=data.get("doctor"),
            specialization=data.get("specialization", "").strip(),
        )


class RevenueQuerySerializer(ReportQuerySerializer):
    group_by = serializers.ChoiceField(choices=["day", "week", "month", "doctor", "specialization"], default="day")


# --- Report bodies -------------------------------------------------------------------------------------


class StatusCountsSerializer(serializers.Serializer):
    scheduled = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    checked_in = serializers.IntegerField()
    completed = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    no_show = serializers.IntegerField()


class RevenueSerializer(serializers.Serializer):
    consultations = serializers.DecimalField(max_digits=14, decimal_places=2)
    treatments = serializers.DecimalField(max_digits=14, decimal_places=2)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class SummarySerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    appointments = serializers.IntegerField()
    by_status = StatusCountsSerializer()
    completion_rate = serializers.FloatField(help_text="completed / appointments")
    cancellation_rate = serializers.FloatField(help_text="cancelled / appointments")
    no_show_rate = serializers.FloatField(help_text="no-shows / appointments")
    new_patients = serializers.IntegerField(
        help_text="Patients whose first (not cancelled) appointment is in the range."
    )
    revenue = RevenueSerializer()


class DoctorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    specialization = serializers.CharField(required=False)


class DoctorFiguresSerializer(serializers.Serializer):
    doctor = DoctorRefSerializer()
    appointments = serializers.IntegerField()
    by_status = StatusCountsSerializer()
    distinct_patients = serializers.IntegerField()
    revenue = RevenueSerializer()
    booked_minutes = serializers.IntegerField(help_text="Length of the range's appointments that were not cancelled.")
    available_minutes = serializers.IntegerField(help_text="Working hours in the range less time off.")
    utilisation = serializers.FloatField(allow_null=True, help_text="booked / available; null without hours.")


class SpecializationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RevenueRowSerializer(serializers.Serializer):
    period = serializers.DateField(required=False, help_text="With group_by day, week (Monday) or month.")
    doctor = DoctorRefSerializer(required=False, help_text="With group_by doctor.")
    specialization = SpecializationRefSerializer(required=False, help_text="With group_by specialization.")
    completed_appointments = serializers.IntegerField()
    consultations = serializers.DecimalField(max_digits=14, decimal_places=2)
    treatments = serializers.DecimalField(max_digits=14, decimal_places=2)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class ReportTreatmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    diagnosis = serializers.CharField()
    icd10_code = serializers.CharField()
    cost = serializers.DecimalField(max_digits=10, decimal_places=2)


class ReportAppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    status = serializers.CharField()
    doctor = DoctorBriefSerializer()
    reason = serializers.CharField()
    fee = serializers.DecimalField(max_digits=10, decimal_places=2)
    treatments = ReportTreatmentSerializer(many=True, source="treatments.all")
    prescriptions = serializers.IntegerField(source="prescription_count")


class PatientTotalsSerializer(serializers.Serializer):
    appointments = serializers.IntegerField()
    by_status = StatusCountsSerializer()
    consultations = serializers.DecimalField(max_digits=14, decimal_places=2)
    treatments = serializers.DecimalField(max_digits=14, decimal_places=2)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class PatientRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class PatientReportSerializer(serializers.Serializer):
    patient = PatientRefSerializer()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    appointments = ReportAppointmentSerializer(many=True)
    totals = PatientTotalsSerializer()
