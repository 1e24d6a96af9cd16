import hashlib
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from accounts.models import Role

SLOT_MINUTES_MIN, SLOT_MINUTES_MAX = 5, 240


def clinic_time_zone() -> str:
    return settings.CLINIC_TIME_ZONE


def hash_calendar_token(token: str) -> str:
    """What is stored of a calendar feed secret (the secret itself is shown to the doctor once)."""
    return hashlib.sha256(token.encode()).hexdigest()


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone such as Europe/London or America/New_York.")


class Specialization(models.Model):
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="doctors_specialization_name_ci_unique",
                violation_error_message="A specialization with this name already exists.",
                violation_error_code="specialization_exists",
            )
        ]

    def __str__(self):
        return self.name


class Doctor(models.Model):
    """A doctor's practice profile. Active means the user account is active (one flag, not two)."""

    # What an admin may set on a doctor's profile, and the part of it the doctor edits themselves
    # (credentials, specialty and the fee are the hospital's).
    EDITABLE_FIELDS = (
        "specialization",
        "licence_number",
        "years_of_experience",
        "consultation_fee",
        "location",
        "bio",
        "time_zone",
        "slot_minutes",
        "is_accepting_patients",
    )
    SELF_EDITABLE_FIELDS = (
        "years_of_experience",
        "location",
        "bio",
        "time_zone",
        "slot_minutes",
        "is_accepting_patients",
    )

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="doctor_profile",
        limit_choices_to={"role": Role.DOCTOR},
    )
    specialization = models.ForeignKey(Specialization, on_delete=models.PROTECT, related_name="doctors")
    licence_number = models.CharField(max_length=64, unique=True)
    years_of_experience = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(80)])
    consultation_fee = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    location = models.CharField("location / clinic", max_length=200, blank=True)
    bio = models.TextField(blank=True)
    time_zone = models.CharField(max_length=64, default=clinic_time_zone, validators=[validate_time_zone])
    slot_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(SLOT_MINUTES_MIN), MaxValueValidator(SLOT_MINUTES_MAX)]
    )
    is_accepting_patients = models.BooleanField(default=True)
    # SHA-256 of the secret in the doctor's calendar feed URL; the secret itself is shown once.
    calendar_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consultation_fee__gte=0),
                name="doctors_doctor_fee_not_negative",
                violation_error_message="The consultation fee cannot be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=SLOT_MINUTES_MIN, slot_minutes__lte=SLOT_MINUTES_MAX),
                name="doctors_doctor_slot_minutes_range",
                violation_error_message=f"Slots last {SLOT_MINUTES_MIN} to {SLOT_MINUTES_MAX} minutes.",
            ),
        ]
        indexes = [
            models.Index(fields=["consultation_fee"], name="doctors_doctor_fee"),
            models.Index(fields=["years_of_experience"], name="doctors_doctor_experience"),
        ]

    def __str__(self):
        return f"Dr {self.user.get_full_name() or self.user.username}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)
