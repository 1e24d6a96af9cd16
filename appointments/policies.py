"""Who may do what to an appointment: the one statement of each rule (docs/ARCHITECTURE.md, roles).

Each function answers None when the actor may go ahead, or the sentence that says why not. The
services raise NotAllowed (403) with it; every caller (the API, the admin, a management command)
goes through the services, so none can skip a rule.
"""

from datetime import datetime

from accounts.models import User
from appointments.models import Appointment, AppointmentEvent
from doctors.models import Doctor
from patients.models import Patient
from patients.selectors import doctor_may_see_patient

Action = AppointmentEvent.Action

# Running the visit is for its doctor, admins and (but for completing it, which is clinical)
# receptionists; cancelling is for anyone who sees it.
STAFF_TRANSITIONS = {Action.CONFIRMED, Action.CHECKED_IN, Action.COMPLETED, Action.NO_SHOW}
FRONT_DESK_TRANSITIONS = {Action.CONFIRMED, Action.CHECKED_IN, Action.NO_SHOW, Action.CANCELLED}

# The fields of an appointment each role may edit with PATCH (the notes are clinical).
EDITABLE_FIELDS = {
    "patient": {"reason"},
    "receptionist": {"reason"},
    "doctor": {"reason", "notes"},
    "admin": {"reason", "notes", "status", "cancellation_reason"},
}


def is_front_desk(actor: User) -> bool:
    """Staff who run the desk (admins and receptionists): they book for anyone, inside the
    minimum notice too, and book walk-ins."""
    return actor.is_staff


def booking_refusal(*, actor: User, doctor: Doctor, patient: Patient) -> str | None:
    """Patients book for themselves, doctors into their own schedule for patients they may see,
    the front desk for anyone."""
    if is_front_desk(actor):
        return None
    if actor.is_patient:
        return None if patient.user_id == actor.pk else "Patients book appointments for themselves only."
    if actor.is_doctor:
        if doctor.user_id != actor.pk:
            return "A doctor books into their own schedule only."
        if not doctor_may_see_patient(doctor_id=doctor.pk, patient_id=patient.pk):
            return "You may book only for patients assigned to you or whom you have seen."
        return None
    return "You may not book appointments."


def transition_refusal(*, actor: User, appointment: Appointment, action: str) -> str | None:
    """Confirm, check in, complete and no-show: the visit's doctor or an admin, and the front desk
    but for completing it. Cancel: the patient too (the patient's cutoff is a timing rule, not
    this one)."""
    if actor.is_admin or _is_doctor_of(actor, appointment):
        return None
    if actor.is_receptionist:
        return None if action in FRONT_DESK_TRANSITIONS else "Only the doctor or an admin completes a visit."
    if action not in STAFF_TRANSITIONS and _is_patient_of(actor, appointment):
        return None
    return "Only the doctor or an admin can do this."


def walk_in_refusal(*, actor: User) -> str | None:
    """A walk-in (a visit starting now, checked in at once) is booked at the desk."""
    return None if is_front_desk(actor) else "Only the front desk books walk-ins."


def reschedule_refusal(*, actor: User, appointment: Appointment, now: datetime) -> str | None:
    """Moving a visit: the patient (before the cutoff, a timing rule checked apart), the visit's
    doctor within their own schedule until it starts, or the front desk."""
    if is_front_desk(actor) or _is_patient_of(actor, appointment):
        return None
    if _is_doctor_of(actor, appointment):
        return None if now < appointment.start else "A visit that has started can no longer be moved."
    return "Only the patient, the doctor or the front desk can move this appointment."


def edit_refusal(*, actor: User, fields: set[str]) -> tuple[str, str] | None:
    """(the first field this actor may not edit, why), or None."""
    allowed = EDITABLE_FIELDS.get(actor.role, set())
    for name in sorted(fields - allowed):
        return name, f"You may not change {name} of an appointment."
    return None


def _is_doctor_of(actor: User, appointment: Appointment) -> bool:
    return actor.is_doctor and appointment.doctor.user_id == actor.pk


def _is_patient_of(actor: User, appointment: Appointment) -> bool:
    return actor.is_patient and appointment.patient.user_id == actor.pk
