"""Booking and rescheduling, under the booking rules (docs/ARCHITECTURE.md, "Booking rules").

Which starts can be booked is appointments.availability's one rule, the same the slots endpoint
shows. The no-overlap rule is the database's alone (appointments/constraints.py: the doctor's
blocked time, the patient's visit): no check in Python runs first; the insert or update is
tried, and the constraint's IntegrityError becomes 409 doctor_busy or patient_busy
(common.save_checked). On SQLite every transaction begins IMMEDIATE (settings), so bookings are
serialised there too.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from appointments import availability, policies, tallies
from appointments.models import ACTIVE_STATUSES, Appointment, AppointmentEvent, Status
from appointments.services.common import lock_appointment, lock_doctor, lock_patient, record, save_checked
from config.errors import DomainError, InvalidTransition, NotAllowed
from doctors.models import Doctor, VisitType
from patients.models import Patient

Action = AppointmentEvent.Action


def check_doctor_bookable(doctor: Doctor) -> None:
    """Raises DomainError (400) for a doctor who has left or is not taking appointments."""
    if not doctor.user.is_active:
        raise DomainError(f"{doctor} no longer sees patients here.", field="doctor")
    if not doctor.is_accepting_patients:
        raise DomainError(f"{doctor} is not accepting new appointments at the moment.", field="doctor")


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


def check_patient_cutoff(*, actor: User, appointment: Appointment, what: str, now: datetime) -> None:
    """Patients change a visit online up to CANCELLATION_CUTOFF_HOURS before it (DomainError, 400)."""
    if actor.is_patient and appointment.start - now < timedelta(hours=settings.CANCELLATION_CUTOFF_HOURS):
        raise DomainError(
            f"Appointments can be {what} online up to {settings.CANCELLATION_CUTOFF_HOURS} hours before the "
            "start; please call the clinic."
        )


def _own_profile(actor: User, role: str):
    """The actor's own doctor or patient record, the default party of their booking."""
    if not getattr(actor, f"is_{role}"):
        raise DomainError("This field is required.", field=role)
    profile = getattr(actor, f"{role}_profile", None)
    if profile is None:
        raise DomainError("Your account has no profile to book with; ask an admin.")
    return profile


def _place(appointment: Appointment, *, start: datetime, visit_type: VisitType) -> None:
    appointment.visit_type = visit_type
    appointment.start, appointment.end = start, start + visit_type.duration
    appointment.blocked_start, appointment.blocked_end = visit_type.blocked(start)


def _fee(doctor: Doctor, visit_type: VisitType):
    return visit_type.fee if visit_type.fee is not None else doctor.consultation_fee


@transaction.atomic
def appointment_book(
    *,
    actor: User,
    start: datetime | None = None,
    doctor: Doctor | None = None,
    patient: Patient | None = None,
    visit_type: VisitType | None = None,
    reason: str = "",
    notes: str = "",
    walk_in: bool = False,
) -> Appointment:
    """Book a visit of `visit_type` (by default the doctor's default). Without a patient, a patient
    books for themselves; without a doctor, a doctor books into their own schedule. A walk-in
    (front desk only) starts now, off the grid, and is checked in at once.

    Raises NotAllowed (403) when the actor may not book for this doctor and patient, DomainError
    (400) for a booking rule, SlotUnavailable / PatientBusy (409) when the time is taken."""
    doctor = doctor or _own_profile(actor, "doctor")
    patient = patient or _own_profile(actor, "patient")
    if refusal := policies.booking_refusal(actor=actor, doctor=doctor, patient=patient):
        raise NotAllowed(refusal)
    if walk_in and (refusal := policies.walk_in_refusal(actor=actor)):
        raise NotAllowed(refusal)
    if notes and (refused := policies.edit_refusal(actor=actor, fields={"notes"})):
        raise DomainError(refused[1], field="notes")
    doctor = lock_doctor(doctor.pk)
    patient = lock_patient(patient.pk)
    check_doctor_bookable(doctor)
    visit_type = availability.bookable_visit_type(doctor=doctor, visit_type=visit_type, online=actor.is_patient)
    now = timezone.now()
    if walk_in:
        start = now.replace(second=0, microsecond=0)
    elif start is None:
        raise DomainError("This field is required.", field="start")
    refusal = availability.start_refusal(
        doctor=doctor,
        visit_type=visit_type,
        start=start,
        now=now,
        staff=policies.is_front_desk(actor),
        on_grid=not walk_in,
    )
    if refusal:
        raise refusal
    if actor.is_patient:
        check_patient_quota(patient=patient, now=now)
    appointment = Appointment(
        doctor=doctor, patient=patient, reason=reason, notes=notes, fee=_fee(doctor, visit_type), created_by=actor
    )
    _place(appointment, start=start, visit_type=visit_type)
    save_checked(appointment)
    record(appointment, actor=actor, action=Action.BOOKED, new_start=start)
    if walk_in:
        appointment.status = Status.CHECKED_IN
        appointment.save(update_fields=["status", "updated_at"])
        record(appointment, actor=actor, action=Action.CHECKED_IN, from_status=Status.SCHEDULED, note="Walk-in")
    tallies.appointment_changed(None, appointment)
    return appointment


@transaction.atomic
def appointment_reschedule(
    *, actor: User, appointment: Appointment, start: datetime, visit_type: VisitType | None = None
) -> Appointment:
    """Move a scheduled or confirmed appointment to a new start (and, if given, another visit type
    the doctor offers) under the booking rules; its own current time does not count against it.
    A patient's move needs the doctor's confirmation again.

    Raises NotAllowed (403) for someone who may not move it, InvalidTransition (409) from another
    status, DomainError (400) for a booking rule, SlotUnavailable / PatientBusy (409)."""
    lock_doctor(appointment.doctor_id)
    appointment = lock_appointment(appointment.pk)
    before = tallies.snapshot(appointment)
    now = timezone.now()
    if refusal := policies.reschedule_refusal(actor=actor, appointment=appointment, now=now):
        raise NotAllowed(refusal)
    if appointment.status not in (Status.SCHEDULED, Status.CONFIRMED):
        raise InvalidTransition(f"A {appointment.get_status_display().lower()} appointment cannot be rescheduled.")
    check_patient_cutoff(actor=actor, appointment=appointment, what="rescheduled", now=now)
    doctor = appointment.doctor
    check_doctor_bookable(doctor)
    if visit_type is None:
        visit_type = appointment.visit_type  # kept as booked, even one a patient could not book online
    else:
        visit_type = availability.bookable_visit_type(doctor=doctor, visit_type=visit_type, online=actor.is_patient)
        appointment.fee = _fee(doctor, visit_type)
    refusal = availability.start_refusal(
        doctor=doctor, visit_type=visit_type, start=start, now=now, staff=policies.is_front_desk(actor)
    )
    if refusal:
        raise refusal
    old_start, from_status = appointment.start, appointment.status
    _place(appointment, start=start, visit_type=visit_type)
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
    tallies.appointment_changed(before, appointment)
    return appointment
