import re

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from appointments.models import Appointment

# ICD-10 shape: a letter, two characters, then optionally a dot and up to four more (J45.909).
# Any case is accepted; the service stores it upper-case.
icd10_validator = RegexValidator(
    r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$",
    "Enter an ICD-10 code such as J45 or J45.909 (letter, two characters, optional dot and up to four more).",
    flags=re.IGNORECASE,
)


class Treatment(models.Model):
    """What the doctor recorded for one visit. Edits keep a revision; nothing is ever deleted:
    a wrong record is marked entered in error, with the reason."""

    class Status(models.TextChoices):
        RECORDED = "recorded", "Recorded"
        ENTERED_IN_ERROR = "entered_in_error", "Entered in error"

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="treatments")
    diagnosis = models.TextField()
    icd10_code = models.CharField("ICD-10 code", max_length=8, blank=True, validators=[icd10_validator])
    procedure = models.TextField("procedure / treatment given", blank=True)
    clinical_notes = models.TextField(blank=True)
    follow_up = models.TextField("follow-up advice", blank=True)
    cost = models.DecimalField(max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECORDED)
    error_reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost__gte=0),
                name="treatments_cost_not_negative",
                violation_error_message="The cost cannot be negative.",
            ),
            models.CheckConstraint(
                condition=~models.Q(diagnosis=""),
                name="treatments_diagnosis_required",
                violation_error_message="A treatment records a diagnosis.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="entered_in_error") | ~models.Q(error_reason=""),
                name="treatments_error_has_reason",
                violation_error_message="Say why the record was entered in error.",
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="treatments_created")]

    def __str__(self):
        return f"{self.diagnosis[:40]} ({self.appointment})"


class TreatmentRevision(models.Model):
    """The values a treatment had before one change, who changed it and when. Append-only."""

    treatment = models.ForeignKey(Treatment, on_delete=models.PROTECT, related_name="revisions")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_fields = models.JSONField(default=list)
    previous = models.JSONField(default=dict, help_text="Field name -> value before the change.")

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["treatment", "changed_at"], name="treatments_revision_at")]

    def __str__(self):
        return f"{', '.join(self.changed_fields)} by {self.changed_by} at {self.changed_at:%Y-%m-%d %H:%M}"
