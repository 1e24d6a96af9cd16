from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from accounts.models import Role, phone_validator
from doctors.models import Doctor, clinic_time_zone, validate_time_zone


def validate_not_in_future(value):
    if value > timezone.localdate():
        raise ValidationError("The date of birth cannot be in the future.")


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other / diverse"
    UNKNOWN = "unknown", "Not stated"


class BloodGroup(models.TextChoices):
    A_POS = "A+", "A+"
    A_NEG = "A-", "A-"
    B_POS = "B+", "B+"
    B_NEG = "B-", "B-"
    AB_POS = "AB+", "AB+"
    AB_NEG = "AB-", "AB-"
    O_POS = "O+", "O+"
    O_NEG = "O-", "O-"
    UNKNOWN = "", "Unknown"


class Patient(models.Model):
    """A patient's record. Their name, e-mail and phone live on the user account."""

    # What a patient keeps up to date themselves. The national id is not among them: staff record
    # it after seeing a document, and letting anyone try ids would tell them who is a patient here.
    SELF_EDITABLE_FIELDS = (
        "date_of_birth",
        "sex",
        "insurance_provider",
        "insurance_number",
        "address",
        "emergency_contact_name",
        "emergency_contact_phone",
        "blood_group",
        "allergies",
        "time_zone",
        "email_reminders",
        "sms_reminders",
    )
    EDITABLE_FIELDS = (*SELF_EDITABLE_FIELDS, "national_id", "notes")
    # The front desk keeps demographics, contact and insurance up to date, never the clinical ones.
    CLINICAL_FIELDS = ("allergies", "blood_group", "notes")
    FRONT_DESK_EDITABLE_FIELDS = (
        "date_of_birth",
        "sex",
        "insurance_provider",
        "insurance_number",
        "address",
        "emergency_contact_name",
        "emergency_contact_phone",
        "time_zone",
        "email_reminders",
        "sms_reminders",
        "national_id",
    )

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="patient_profile",
        limit_choices_to={"role": Role.PATIENT},
    )
    date_of_birth = models.DateField(null=True, blank=True, validators=[validate_not_in_future])
    sex = models.CharField("sex / gender", max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    national_id = models.CharField(max_length=64, blank=True)
    insurance_provider = models.CharField(max_length=200, blank=True)
    insurance_number = models.CharField(max_length=64, blank=True)
    address = models.TextField(blank=True)
    emergency_contact_name = models.CharField(max_length=200, blank=True)
    emergency_contact_phone = models.CharField(max_length=32, blank=True, validators=[phone_validator])
    blood_group = models.CharField(max_length=3, choices=BloodGroup.choices, blank=True)
    allergies = models.TextField(blank=True)
    notes = models.TextField(blank=True, help_text="Written by staff; the patient can read but not change it.")
    time_zone = models.CharField(
        max_length=64, default=clinic_time_zone, validators=[validate_time_zone], help_text="For times in messages."
    )
    email_reminders = models.BooleanField(default=True, help_text="E-mail a reminder before each appointment.")
    sms_reminders = models.BooleanField(default=False, help_text="Also text a reminder to the account's phone.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["national_id"],
                condition=~models.Q(national_id=""),
                name="patients_patient_national_id_unique",
                violation_error_message="A patient with this national id already exists.",
                violation_error_code="unique",  # reported on the national_id field
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=Sex.values),
                name="patients_patient_sex_valid",
                violation_error_message="Sex must be female, male, other or unknown.",
            ),
        ]
        indexes = [models.Index(fields=["insurance_number"], name="patients_patient_insurance_no")]

    def __str__(self):
        return self.user.get_full_name() or self.user.username


class Assignment(models.Model):
    """A doctor put in charge of a patient by an admin; ended, never deleted."""

    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="assignments")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assignments")
    reason_for_assignment = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "patient"],
                condition=models.Q(is_active=True),
                name="patients_assignment_one_active_per_pair",
                violation_error_message="This doctor is already assigned to this patient.",
                violation_error_code="already_assigned",
            ),
        ]
        indexes = [
            models.Index(fields=["doctor", "is_active"], name="patients_assignment_doctor"),
            models.Index(fields=["patient", "is_active"], name="patients_assignment_patient"),
        ]

    def __str__(self):
        return f"{self.doctor} -> {self.patient}"
