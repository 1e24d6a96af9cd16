"""What a visit is: its length, the doctor's time around it, its fee; and which doctors offer it."""

from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from doctors.models.doctors import Doctor, Specialization

DURATION_MIN, DURATION_MAX = 5, 480
BUFFER_MAX = 120


class VisitType(models.Model):
    """A kind of visit. The buffers are the doctor's time before and after it (preparing the room,
    cleaning up): no other visit of the doctor may overlap them, though the patient is free."""

    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(DURATION_MIN), MaxValueValidator(DURATION_MAX)]
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(BUFFER_MAX)])
    buffer_after_minutes = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(BUFFER_MAX)])
    fee = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="When set, charged instead of the doctor's consultation fee.",
    )
    bookable_online = models.BooleanField(default=True, help_text="Patients may book it themselves; staff book any.")
    is_active = models.BooleanField(default=True)
    specializations = models.ManyToManyField(
        Specialization, blank=True, related_name="visit_types", help_text="Who may offer it; none means any."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="doctors_visittype_name_ci_unique",
                violation_error_message="A visit type with this name already exists.",
                violation_error_code="visit_type_exists",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=DURATION_MIN, duration_minutes__lte=DURATION_MAX),
                name="doctors_visittype_duration_range",
                violation_error_message=f"A visit lasts {DURATION_MIN} to {DURATION_MAX} minutes.",
            ),
            models.CheckConstraint(
                condition=models.Q(buffer_before_minutes__lte=BUFFER_MAX, buffer_after_minutes__lte=BUFFER_MAX),
                name="doctors_visittype_buffer_range",
                violation_error_message=f"Buffers are 0 to {BUFFER_MAX} minutes.",
            ),
            models.CheckConstraint(
                condition=models.Q(fee__isnull=True) | models.Q(fee__gte=0),
                name="doctors_visittype_fee_not_negative",
                violation_error_message="The fee cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.duration_minutes} min)"

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    def blocked(self, start: datetime) -> tuple[datetime, datetime]:
        """The doctor's time a visit of this type starting at `start` takes: the visit and its buffers."""
        before, after = self.blocked_offsets()
        return start - before, start + after

    def blocked_offsets(self) -> tuple[timedelta, timedelta]:
        """How long before its start the doctor's time for a visit begins, and how long after its
        start it ends (for loops over many starts: `blocked` for each would rebuild these)."""
        return (
            timedelta(minutes=self.buffer_before_minutes),
            self.duration + timedelta(minutes=self.buffer_after_minutes),
        )

    def describe(self) -> str:
        """ "Procedure (60 min, then 15 min to clear up)": for messages."""
        extras = []
        if self.buffer_before_minutes:
            extras.append(f"{self.buffer_before_minutes} min to prepare")
        if self.buffer_after_minutes:
            extras.append(f"{self.buffer_after_minutes} min to clear up")
        return f"{self.name} ({', '.join([f'{self.duration_minutes} min', *extras])})"


class DoctorVisitType(models.Model):
    """A visit type a doctor offers; exactly one of a doctor's is their default (the one booked
    when a booking names none)."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="offered_visit_types")
    visit_type = models.ForeignKey(VisitType, on_delete=models.PROTECT, related_name="offerings")
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["doctor_id", "-is_default", "visit_type__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "visit_type"],
                name="doctors_offering_unique",
                violation_error_message="The doctor already offers this visit type.",
            ),
            models.UniqueConstraint(
                fields=["doctor"],
                condition=models.Q(is_default=True),
                name="doctors_offering_one_default",
                violation_error_message="A doctor has one default visit type.",
            ),
        ]

    def __str__(self):
        return f"{self.doctor}: {self.visit_type}{' (default)' if self.is_default else ''}"
