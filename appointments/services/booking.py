"""Booking and rescheduling, under the booking rules (docs/ARCHITECTURE.md, "Booking rules").

The no-overlap rule is the database's (appointments/constraints.py): a Python check runs first
for a friendly message, and a lost race surfaces as IntegrityError, turned into 409.
On SQLite every transaction begins IMMEDIATE (settings), so bookings are serialised there too.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from appointments import availability, policies
from appointments.models import ACTIVE_STATUSES, Appointment, AppointmentEvent, Status
from appointments.services.common import lock_appointment, lock_doctor, lock_patient, record, save_checked
from config.errors import DomainError, InvalidTransition, NotAllowed
from doctors.models import Doctor, TimeOff
from patients.models import Patient

Action = AppointmentEvent.Action


def check_doctor_bookable(doctor: Doctor) -> None:
    """Raises DomainError (400) for a doctor who has left or is not taking appointments."""
    if not doctor.user.is_active:
        raise DomainError(f"{doctor} no longer sees patients here.", field="doctor")
    if not doctor.is_accepting_patients:
        raise DomainError(f"{doctor} is not accepting new appointments at the moment.", field="doctor")


def check_start(*, doctor: Doctor, start: datetime, end: datetime, now: datetime) -> None:
    """The booking rules on time; each refusal (DomainError, 400) says what to do instead."""
    earliest, latest = availability.booking_window(now)
    if start < now:
        raise DomainError("That time has already passed; pick a future slot.", field="start")
    if start < earliest:
        raise DomainError(
            f"Appointments must be booked at least {settings.BOOKING_MIN_NOTICE_MINUTES} minutes ahead; "
            "pick a later slot or call the clinic.",
            field="start",
        )
    if start > latest:
        raise DomainError(
            f"Appointments can be booked at most {settings.BOOKING_HORIZON_DAYS} days ahead.", field="start"
        )
    if not availability.is_on_grid(doctor=doctor, start=start):
        local = start.astimezone(doctor.zone)
        raise DomainError(
            f"{doctor} has no slot starting at {local:%Y-%m-%d %H:%M} ({doctor.time_zone}); "
            f"pick one from /api/doctors/{doctor.pk}/slots/.",
            field="start",
        )
    if TimeOff.objects.filter(doctor=doctor, start__lt=end, end__gt=start).exists():
        raise DomainError(f"{doctor} is away at that time; pick another slot.", field="start")


def check_patient_quota(*, patient: Patient, now: datetime) -> None:
    """A patient booking online holds at most BOOKING_MAX_UPCOMING_PER_PATIENT upcoming visits
    (DomainError, 400). The caller holds the patient row's lock, so the count cannot go stale."""
    limit = settings.BOOKING_MAX_UPCOMING_PER_PATIENT
    upcoming = Appointment.objects.filter(patient=patient, status__in=ACTIVE_STATUSES, start__gte=now).count()
    if upcoming >= limit:
        raise DomainError(
            f"You already have {upcoming} upcoming appointments, the most that can be booked online; "
            "cancel one or call the clinic.",
            field="start",
        )


def _own_profile(actor: User, role: str, name: str):
    if getattr(actor, f"is_{role}"):
        profile = getattr(actor, f"{role}_profile", None)
        if profile is None:
            raise DomainError("Your account has no profile to book with; ask an admin.")
        return profile
    raise DomainError("This field is required.", field=name)


@transaction.atomic
def appointment_book(
    *,
    actor: User,
    start: datetime,
    doctor: Doctor | None = None,
    patient: Patient | None = None,
    reason: str = "",
    notes: str = "",
) -> Appointment:
    """Book one slot. Without a patient, a patient books for themselves; without a doctor, a
    doctor books into their own schedule.

    Raises NotAllowed (403) when the actor may not book for this doctor and patient, DomainError
    (400) for a booking rule, SlotUnavailable / PatientBusy (409) when the time is taken."""
    doctor = doctor or _own_profile(actor, "doctor", "doctor")
    patient = patient or _own_profile(actor, "patient", "patient")
    if refusal := policies.booking_refusal(actor=actor, doctor=doctor, patient=patient):
        raise NotAllowed(refusal)
    if notes and (refused := policies.edit_refusal(actor=actor, fields={"notes"})):
        raise DomainError(refused[1], field="notes")
    doctor = lock_doctor(doctor.pk)
    patient = lock_patient(patient.pk)
    check_doctor_bookable(doctor)
    end = start + timedelta(minutes=doctor.slot_minutes)
    now = timezone.now()
    check_start(doctor=doctor, start=start, end=end, now=now)
    if actor.is_patient:
        check_patient_quota(patient=patient, now=now)
    appointment = Appointment(
        doctor=doctor,
        patient=patient,
        start=start,
        end=end,
        reason=reason,
        notes=notes,
        fee=doctor.consultation_fee,
        created_by=actor,
    )
    save_checked(appointment)
    record(appointment, actor=actor, action=Action.BOOKED, new_start=start)
    return appointment


def check_patient_cutoff(*, actor: User, appointment: Appointment, what: str, now: datetime) -> None:
    """Patients change a visit online up to CANCELLATION_CUTOFF_HOURS before it (DomainError, 400)."""
    if actor.is_patient and appointment.start - now < timedelta(hours=settings.CANCELLATION_CUTOFF_HOURS):
        raise DomainError(
            f"Appointments can be {what} online up to {settings.CANCELLATION_CUTOFF_HOURS} hours before the "
            "start; please call the clinic."
        )


@transaction.atomic
def appointment_reschedule(*, actor: User, appointment: Appointment, start: datetime) -> Appointment:
    """Move a scheduled or confirmed appointment to a new start under the booking rules; its own
    current time does not count against it. A patient's move needs the doctor's confirmation again.

    Raises NotAllowed (403) for someone who may not move it, InvalidTransition (409) from another
    status, DomainError (400) for a booking rule, SlotUnavailable / PatientBusy (409)."""
    lock_doctor(appointment.doctor_id)
    appointment = lock_appointment(appointment.pk)
    if refusal := policies.reschedule_refusal(actor=actor, appointment=appointment):
        raise NotAllowed(refusal)
    if appointment.status not in (Status.SCHEDULED, Status.CONFIRMED):
        raise InvalidTransition(f"A {appointment.get_status_display().lower()} appointment cannot be rescheduled.")
    now = timezone.now()
    check_patient_cutoff(actor=actor, appointment=appointment, what="rescheduled", now=now)
    doctor = appointment.doctor
    check_doctor_bookable(doctor)
    end = start + timedelta(minutes=doctor.slot_minutes)
    check_start(doctor=doctor, start=start, end=end, now=now)
    old_start, from_status = appointment.start, appointment.status
    appointment.start, appointment.end = start, end
    if actor.is_patient:
        appointment.status = Status.SCHEDULED
    save_checked(appointment)
    record(
        appointment,
        actor=actor,
        action=Action.RESCHEDULED,
        from_status=from_status,
        old_start=old_start,
        new_start=start,
    )
    return appointment
