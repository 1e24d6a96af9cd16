from django.conf import settings
from django.db import models
from django.utils import timezone

from appointments.constraints import NoOverlapConstraint
from doctors.models import Doctor, VisitType
from patients.models import Patient


class Status(models.TextChoices):
    """Lifecycle (docs/ARCHITECTURE.md); FHIR Appointment.status in the comments."""

    SCHEDULED = "scheduled", "Scheduled"  # booked
    CONFIRMED = "confirmed", "Confirmed"  # booked
    CHECKED_IN = "checked_in", "Checked in"  # arrived
    COMPLETED = "completed", "Completed"  # fulfilled
    CANCELLED = "cancelled", "Cancelled"  # cancelled
    NO_SHOW = "no_show", "No-show"  # noshow


# Statuses that hold the doctor's and the patient's time.
ACTIVE_STATUSES = [Status.SCHEDULED, Status.CONFIRMED, Status.CHECKED_IN]


class Appointment(models.Model):
    """The visit `[start, end)` of one visit type, for one doctor and one patient. It takes the
    doctor's time `[blocked_start, blocked_end)`: the visit and the visit type's buffers around it.
    Never deleted; cancelled instead."""

    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="appointments")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    visit_type = models.ForeignKey(VisitType, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField()
    end = models.DateTimeField()
    # Fixed at booking from the visit type's buffers, so a later change to them leaves booked
    # visits as they were (like the fee).
    blocked_start = models.DateTimeField()
    blocked_end = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    reason = models.CharField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    # The fee when booked (the visit type's, or the doctor's): revenue reports stay true when
    # fees change later.
    fee = models.DecimalField(max_digits=10, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=500, blank=True)
    # Set when the reminder is claimed for sending, so it goes out once (appointments.services).
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="appointments_end_after_start",
                violation_error_message="An appointment must end after it starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values),
                name="appointments_status_valid",
                violation_error_message="Unknown appointment status.",
            ),
            models.CheckConstraint(
                condition=models.Q(fee__gte=0),
                name="appointments_fee_not_negative",
                violation_error_message="The fee cannot be negative.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.CANCELLED) | models.Q(cancelled_at__isnull=False),
                name="appointments_cancelled_has_time",
                violation_error_message="A cancelled appointment records when it was cancelled.",
            ),
            models.CheckConstraint(
                condition=models.Q(blocked_start__lte=models.F("start"), blocked_end__gte=models.F("end")),
                name="appointments_blocked_holds_visit",
                violation_error_message="The doctor's blocked time holds the whole visit.",
            ),
            # The doctor's time is the blocked interval (buffers included); the patient's is the
            # visit itself.
            NoOverlapConstraint(
                name="appointments_doctor_blocked_no_overlap",
                key="doctor",
                status_field="status",
                active_values=ACTIVE_STATUSES,
                start="blocked_start",
                end="blocked_end",
                violation_error_message="The doctor already has an appointment at this time; pick another free slot.",
                violation_error_code="doctor_busy",
            ),
            NoOverlapConstraint(
                name="appointments_patient_no_overlap",
                key="patient",
                status_field="status",
                active_values=ACTIVE_STATUSES,
                violation_error_message="The patient already has another appointment at this time.",
                violation_error_code="patient_busy",
            ),
        ]
        indexes = [
            models.Index(fields=["doctor", "start"], name="appointments_doctor_start"),
            # A doctor's history grows for ever; their active appointments stay within the booking
            # horizon. Overlap checks (the SQLite triggers, the booking service) and free slots ask
            # for active rows around a time: from this index they read only those, and with the
            # end in it, without visiting the table (a booked month was 460 table reads at 1M rows).
            models.Index(
                fields=["doctor", "blocked_start", "blocked_end"],
                condition=models.Q(status__in=ACTIVE_STATUSES),
                name="appointments_doctor_span",
            ),
            models.Index(fields=["patient", "start"], name="appointments_patient_start"),
            # One doctor's visits in one status over a range (the desk's and the doctor's filtered
            # lists): the page in order, and its count from the index alone, however scattered
            # the doctor's rows are in the table (a count had read 860 table pages at 1M rows).
            models.Index(fields=["doctor", "status", "start"], name="appointments_doctor_status"),
            models.Index(fields=["status", "start"], name="appointments_status_start"),
            models.Index(fields=["start"], name="appointments_start"),
            models.Index(fields=["created_at"], name="appointments_created"),
        ]

    def __str__(self):
        # In the clinic's zone, named: how the admin shows every time (config/formats).
        return f"{self.patient} with {self.doctor} at {timezone.localtime(self.start):%Y-%m-%d %H:%M %Z}"


class AppointmentEvent(models.Model):
    """One change to an appointment: who, when, from and to. Append-only."""

    class Action(models.TextChoices):
        BOOKED = "booked", "Booked"
        CONFIRMED = "confirmed", "Confirmed"
        CHECKED_IN = "checked_in", "Checked in"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "Marked no-show"
        RESCHEDULED = "rescheduled", "Rescheduled"
        UPDATED = "updated", "Details updated"

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    old_start = models.DateTimeField(null=True, blank=True)
    new_start = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["appointment", "at"], name="appointments_event_appt_at")]

    def __str__(self):
        return f"{self.get_action_display()} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"


class DayTally(models.Model):
    """One doctor's appointments that start on one clinic day: how many are in each status, the
    fees of the completed ones and the cost of their recorded treatments, in cents (exact on
    every database). appointments.tallies keeps it in the transaction of every change, so the
    summary report reads a few thousand of these instead of every appointment in its range.

    One row per doctor and day, not one for the clinic: a write waits for another only when both
    change that doctor's visits of that day (bookings of one doctor already take turns on the
    doctor's lock), and holds the row only from its last statement to its commit."""

    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(help_text="The clinic day (CLINIC_TIME_ZONE) the appointments start on.")
    scheduled = models.IntegerField(default=0, db_default=0)
    confirmed = models.IntegerField(default=0, db_default=0)
    checked_in = models.IntegerField(default=0, db_default=0)
    completed = models.IntegerField(default=0, db_default=0)
    cancelled = models.IntegerField(default=0, db_default=0)
    no_show = models.IntegerField(default=0, db_default=0)
    consultation_cents = models.BigIntegerField(
        default=0, db_default=0, help_text="Fees of the completed appointments."
    )
    treatment_cents = models.BigIntegerField(default=0, db_default=0, help_text="Costs of their recorded treatments.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["doctor", "day"], name="appointments_daytally_doctor_day")]
        indexes = [models.Index(fields=["day"], name="appointments_daytally_day")]

    def __str__(self):
        return f"{self.doctor} on {self.day}"


class FirstVisit(models.Model):
    """When each patient's first appointment that was not cancelled starts (the summary report's
    new patients), kept by appointments.tallies with every change that can move it."""

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, primary_key=True, related_name="+")
    start = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.patient} first seen {self.start:%Y-%m-%d}"
