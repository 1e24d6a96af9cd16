"""Booking, rescheduling and the appointment lifecycle. Each function is one transaction.

The no-overlap rule is the database's (appointments/constraints.py): a Python check runs first
for a friendly message, and a lost race surfaces as IntegrityError, turned into 409 here.
On SQLite every transaction begins IMMEDIATE (settings), so bookings are serialised there too.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import AuditEvent, User
from accounts.services import audit_write
from appointments import notifications
from appointments.constraints import NoOverlapConstraint
from appointments.models import ACTIVE_STATUSES, Appointment, AppointmentEvent, Status
from config.errors import DomainError, InvalidTransition, NotAllowed, PatientBusy, SlotUnavailable
from doctors import availability
from doctors.models import Doctor, TimeOff
from patients.models import Patient
from patients.selectors import doctor_may_see_patient

Action = AppointmentEvent.Action


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    verb: str


TRANSITIONS = {
    Action.CONFIRMED: Transition(Action.CONFIRMED, (Status.SCHEDULED,), Status.CONFIRMED, "confirmed"),
    Action.CHECKED_IN: Transition(Action.CHECKED_IN, (Status.CONFIRMED,), Status.CHECKED_IN, "checked in"),
    Action.COMPLETED: Transition(Action.COMPLETED, (Status.CHECKED_IN,), Status.COMPLETED, "completed"),
    Action.CANCELLED: Transition(Action.CANCELLED, (Status.SCHEDULED, Status.CONFIRMED), Status.CANCELLED, "cancelled"),
    Action.NO_SHOW: Transition(
        Action.NO_SHOW, (Status.SCHEDULED, Status.CONFIRMED), Status.NO_SHOW, "marked as a no-show"
    ),
}
# The transition that leads to each status, for admins who PATCH a status directly.
TRANSITION_TO = {transition.target: transition for transition in TRANSITIONS.values()}

_OVERLAP_ERRORS = {"doctor_busy": SlotUnavailable, "patient_busy": PatientBusy}
AUDIT_ACTIONS = {Action.BOOKED: AuditEvent.Action.CREATE, Action.CANCELLED: AuditEvent.Action.CANCEL}


# --- Booking rules -------------------------------------------------------------------------------


def _check_doctor_bookable(doctor: Doctor) -> None:
    if not doctor.user.is_active:
        raise DomainError(f"{doctor} no longer sees patients here.", field="doctor")
    if not doctor.is_accepting_patients:
        raise DomainError(f"{doctor} is not accepting new appointments at the moment.", field="doctor")


def _check_start(*, doctor: Doctor, start: datetime, end: datetime, now: datetime) -> None:
    """The booking rules on time (ARCHITECTURE.md); each refusal says what to do instead."""
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


def _check_patient_quota(*, patient: Patient, now: datetime) -> None:
    """A patient booking online holds at most BOOKING_MAX_UPCOMING_PER_PATIENT upcoming visits."""
    limit = settings.BOOKING_MAX_UPCOMING_PER_PATIENT
    upcoming = Appointment.objects.filter(patient=patient, status__in=ACTIVE_STATUSES, start__gte=now).count()
    if upcoming >= limit:
        raise DomainError(
            f"You already have {upcoming} upcoming appointments, the most that can be booked online; "
            "cancel one or call the clinic.",
            field="start",
        )


def _ensure_actor_may_book(*, actor: User, doctor: Doctor, patient: Patient) -> None:
    """Patients book for themselves, doctors into their own schedule for patients they may see."""
    if actor.is_admin:
        return
    if actor.is_patient and patient.user_id == actor.pk:
        return
    if (
        actor.is_doctor
        and doctor.user_id == actor.pk
        and doctor_may_see_patient(doctor_id=doctor.pk, patient_id=patient.pk)
    ):
        return
    raise NotAllowed("You may not book this appointment.")


OVERLAP_CONSTRAINTS = [c for c in Appointment._meta.constraints if isinstance(c, NoOverlapConstraint)]


def _overlap_error(error: Exception) -> DomainError | None:
    """The 409 for a refusal by one of the no-overlap constraints (by its code or its name)."""
    for constraint in OVERLAP_CONSTRAINTS:
        code = constraint.violation_error_code
        if getattr(error, "code", None) == code or constraint.name in str(error):
            return _OVERLAP_ERRORS[code](str(constraint.violation_error_message))
    return None


def _save_checked(appointment: Appointment) -> None:
    """The friendly overlap check, then save; a race lost after the check becomes 409, never 500.

    Everything else an appointment must satisfy is set by the services themselves and held by
    the table's check constraints."""
    try:
        for constraint in OVERLAP_CONSTRAINTS:
            constraint.validate(Appointment, appointment)
    except ValidationError as exc:
        raise (_overlap_error(exc) or exc) from None
    try:
        with transaction.atomic():  # a savepoint, so the refusal leaves the transaction usable
            appointment.save()
    except IntegrityError as exc:
        conflict = _overlap_error(exc)
        if conflict is None:
            raise
        raise conflict from exc


def _record(appointment: Appointment, *, actor: User, action: str, from_status: str = "", **details) -> None:
    """Write the change to the appointment's history and tell the people concerned (after commit)."""
    event = AppointmentEvent.objects.create(
        appointment=appointment,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=appointment.status,
        **details,
    )
    audit_write(
        actor=actor,
        action=AUDIT_ACTIONS.get(action, AuditEvent.Action.UPDATE),
        object_type="appointment",
        object_id=appointment.pk,
        patient_id=appointment.patient_id,
    )
    notifications.on_event(event)


# --- Writes ---------------------------------------------------------------------------------------


@transaction.atomic
def appointment_book(
    *, actor: User, doctor: Doctor, patient: Patient, start: datetime, reason: str = "", notes: str = ""
) -> Appointment:
    """Book one slot. Raises DomainError (400) for a booking rule, NotAllowed (403),
    SlotUnavailable / PatientBusy (409) when the time is taken."""
    # Lock the doctor row: bookings and new time off for one doctor take turns (PostgreSQL).
    doctor = Doctor.objects.select_for_update().select_related("user", "specialization").get(pk=doctor.pk)
    _ensure_actor_may_book(actor=actor, doctor=doctor, patient=patient)
    _check_doctor_bookable(doctor)
    end = start + timedelta(minutes=doctor.slot_minutes)
    now = timezone.now()
    _check_start(doctor=doctor, start=start, end=end, now=now)
    if actor.is_patient:
        _check_patient_quota(patient=patient, now=now)
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
    _save_checked(appointment)
    _record(appointment, actor=actor, action=Action.BOOKED, new_start=start)
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    """The row again, locked: two changes to one appointment take turns and see each other."""
    return (
        Appointment.objects.select_for_update().select_related("doctor__user", "patient__user").get(pk=appointment.pk)
    )


def _check_patient_cutoff(*, actor: User, appointment: Appointment, what: str, now: datetime) -> None:
    if actor.is_patient and appointment.start - now < timedelta(hours=settings.CANCELLATION_CUTOFF_HOURS):
        raise DomainError(
            f"Appointments can be {what} online up to {settings.CANCELLATION_CUTOFF_HOURS} hours before the "
            "start; please call the clinic."
        )


@transaction.atomic
def appointment_transition(*, actor: User, appointment: Appointment, action: str, note: str = "") -> Appointment:
    """Move along the lifecycle (confirm, check in, complete, cancel, no-show).

    Raises InvalidTransition (409) from a status the action does not apply to, NotAllowed (403)
    for a patient doing what only staff do, DomainError (400) for a timing rule."""
    transition = TRANSITIONS[action]
    appointment = _locked(appointment)
    now = timezone.now()
    if action != Action.CANCELLED and actor.is_patient:
        raise NotAllowed("Only the doctor or an admin can do this.")
    if appointment.status not in transition.sources:
        raise InvalidTransition(
            f"A {appointment.get_status_display().lower()} appointment cannot be {transition.verb}."
        )
    if (
        action == Action.CHECKED_IN
        and appointment.start.astimezone(appointment.doctor.zone).date()
        != now.astimezone(appointment.doctor.zone).date()
    ):
        raise DomainError("Patients can be checked in on the day of the appointment only.")
    if action == Action.NO_SHOW and now < appointment.start:
        raise DomainError("An appointment can be marked as a no-show only after it has started.")
    if action == Action.CANCELLED:
        if not note.strip():
            raise DomainError("Say why the appointment is cancelled.", field="reason")
        _check_patient_cutoff(actor=actor, appointment=appointment, what="cancelled", now=now)
        appointment.cancelled_by, appointment.cancelled_at, appointment.cancellation_reason = actor, now, note
    from_status = appointment.status
    appointment.status = transition.target
    appointment.save()
    _record(appointment, actor=actor, action=action, from_status=from_status, note=note)
    return appointment


@transaction.atomic
def appointment_reschedule(*, actor: User, appointment: Appointment, start: datetime) -> Appointment:
    """Move a scheduled or confirmed appointment to a new start under the booking rules; its own
    current time does not count against it. A patient's move needs the doctor's confirmation again."""
    Doctor.objects.select_for_update().filter(pk=appointment.doctor_id).first()
    appointment = _locked(appointment)
    if appointment.status not in (Status.SCHEDULED, Status.CONFIRMED):
        raise InvalidTransition(f"A {appointment.get_status_display().lower()} appointment cannot be rescheduled.")
    now = timezone.now()
    _check_patient_cutoff(actor=actor, appointment=appointment, what="rescheduled", now=now)
    doctor = appointment.doctor
    _check_doctor_bookable(doctor)
    end = start + timedelta(minutes=doctor.slot_minutes)
    _check_start(doctor=doctor, start=start, end=end, now=now)
    old_start, from_status = appointment.start, appointment.status
    appointment.start, appointment.end = start, end
    if actor.is_patient:
        appointment.status = Status.SCHEDULED
    _save_checked(appointment)
    _record(
        appointment,
        actor=actor,
        action=Action.RESCHEDULED,
        from_status=from_status,
        old_start=old_start,
        new_start=start,
    )
    return appointment


@transaction.atomic
def appointment_update(*, actor: User, appointment: Appointment, **fields) -> Appointment:
    """Change the reason or notes; an admin's `status` goes through the lifecycle rules."""
    status = fields.pop("status", None)
    note = fields.pop("cancellation_reason", "")
    appointment = _locked(appointment)
    if fields:
        for name, value in fields.items():
            setattr(appointment, name, value)
        appointment.save(update_fields=[*fields, "updated_at"])
        _record(appointment, actor=actor, action=Action.UPDATED, from_status=appointment.status)
    if status is not None and status != appointment.status:
        transition = TRANSITION_TO.get(status)
        if transition is None:
            raise InvalidTransition(f"An appointment cannot be set to {status} directly.")
        if transition.action == Action.CANCELLED and not note.strip():
            raise DomainError("Say why the appointment is cancelled.", field="cancellation_reason")
        appointment = appointment_transition(actor=actor, appointment=appointment, action=transition.action, note=note)
    return appointment


def reminders_claim_due(*, now: datetime | None = None, batch_size: int = 200) -> list[int]:
    """Claim every scheduled or confirmed appointment starting within REMINDER_HOURS_BEFORE whose
    patient wants reminders: each is claimed once, even when two senders run at the same moment.

    Rows another sender holds are skipped (PostgreSQL: SKIP LOCKED; SQLite serialises writers),
    and the claim itself is a conditional update, so a row is never claimed twice."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        Q(patient__email_reminders=True) | Q(patient__sms_reminders=True),
        status__in=(Status.SCHEDULED, Status.CONFIRMED),
        start__gt=now,
        start__lte=now + timedelta(hours=settings.REMINDER_HOURS_BEFORE),
        reminder_sent_at__isnull=True,
    ).order_by("start")
    claimed: list[int] = []
    while True:
        with transaction.atomic():
            batch = list(
                due.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)[:batch_size]
            )
            for pk in batch:
                if Appointment.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                    claimed.append(pk)
        if len(batch) < batch_size:
            return claimed
