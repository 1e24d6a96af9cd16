from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from appointments.models import Appointment
from doctors.models import Doctor
from patients.models import Patient


class Prescription(models.Model):
    """Issued by the doctor of a completed visit. Immutable once issued: a correction is a
    cancellation (with the reason) and a new prescription."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CANCELLED = "cancelled", "Cancelled"
        ENTERED_IN_ERROR = "entered_in_error", "Entered in error"

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="prescriptions")
    # Copied from the visit when issued: the prescriber and the patient of a legal document.
    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="prescriptions")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="prescriptions")
    notes = models.TextField(blank=True)
    issued_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="active")
                | (models.Q(cancelled_at__isnull=False) & ~models.Q(cancellation_reason="")),
                name="prescriptions_cancelled_has_reason",
                violation_error_message="A cancelled prescription records when and why.",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "issued_at"], name="prescriptions_patient_issued"),
            models.Index(fields=["doctor", "issued_at"], name="prescriptions_doctor_issued"),
            models.Index(fields=["status", "issued_at"], name="prescriptions_status_issued"),
            models.Index(fields=["issued_at"], name="prescriptions_issued"),
        ]

    def __str__(self):
        return f"Prescription {self.pk} for {self.patient} ({self.issued_at:%Y-%m-%d})"


class PrescriptionItem(models.Model):
    class Route(models.TextChoices):
        ORAL = "oral", "Oral"
        SUBLINGUAL = "sublingual", "Sublingual"
        TOPICAL = "topical", "Topical"
        TRANSDERMAL = "transdermal", "Transdermal"
        INHALED = "inhaled", "Inhaled"
        NASAL = "nasal", "Nasal"
        OPHTHALMIC = "ophthalmic", "Eye"
        OTIC = "otic", "Ear"
        RECTAL = "rectal", "Rectal"
        VAGINAL = "vaginal", "Vaginal"
        SUBCUTANEOUS = "subcutaneous", "Subcutaneous injection"
        INTRAMUSCULAR = "intramuscular", "Intramuscular injection"
        INTRAVENOUS = "intravenous", "Intravenous"

    prescription = models.ForeignKey(Prescription, on_delete=models.PROTECT, related_name="items")
    medication_name = models.CharField(max_length=200)
    strength = models.CharField("strength / dosage", max_length=100, help_text="e.g. 500 mg, 5 mg/ml")
    route = models.CharField(max_length=16, choices=Route.choices, default=Route.ORAL)
    frequency = models.CharField(max_length=100, help_text="e.g. twice daily, every 8 hours")
    duration_days = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(365)])
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(10_000)])
    refills = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(12)])
    instructions = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(medication_name=""),
                name="prescriptions_item_has_medication",
                violation_error_message="Name the medication.",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_days__gte=1, quantity__gte=1),
                name="prescriptions_item_positive_amounts",
                violation_error_message="Duration and quantity must be at least 1.",
            ),
        ]

    def __str__(self):
        return f"{self.medication_name} {self.strength}"
