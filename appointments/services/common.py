"""What every appointment write shares: the locks (always taken in one order), the save that
turns a lost race into 409, and the history each change leaves.

Lock order, everywhere: the doctor row, then the patient row, then appointment rows, and last the
summary report's tallies (appointments.tallies: day rows in (doctor, day) order, then the
patient's first visit). Each lock covers that one row (`of=("self",)`), never the rows a query
joins to.
"""

from django.db import IntegrityError

from accounts.models import AuditEvent, User
from accounts.services import audit_write
from appointments import tasks
from appointments.constraints import NoOverlapConstraint
from appointments.models import Appointment, AppointmentEvent
from config.errors import DomainError, PatientBusy, SlotUnavailable
from doctors.models import Doctor
from patients.models import Patient

Action = AppointmentEvent.Action

OVERLAP_CONSTRAINTS = [c for c in Appointment._meta.constraints if isinstance(c, NoOverlapConstraint)]
_OVERLAP_ERRORS = {"doctor_busy": SlotUnavailable, "patient_busy": PatientBusy}
AUDIT_ACTIONS = {Action.BOOKED: AuditEvent.Action.CREATE, Action.CANCELLED: AuditEvent.Action.CANCEL}


def lock_doctor(doctor_id: int) -> Doctor:
    """The doctor row, locked: bookings, moves and time off of one doctor take turns."""
    return Doctor.objects.select_for_update(of=("self",)).select_related("user", "specialization").get(pk=doctor_id)


def lock_patient(patient_id: int) -> Patient:
    """The patient row, locked: one patient's bookings take turns (the upcoming quota holds)."""
    return Patient.objects.select_for_update(of=("self",)).select_related("user").get(pk=patient_id)


def lock_appointment(appointment_id: int) -> Appointment:
    """The appointment again, locked: two changes to one appointment take turns and see each other."""
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("doctor__user", "doctor__specialization", "patient__user")
        .get(pk=appointment_id)
    )


def _overlap_error(error: Exception) -> DomainError | None:
    """The 409 for a refusal by one of the no-overlap constraints (by its code or its name)."""
    for constraint in OVERLAP_CONSTRAINTS:
        code = constraint.violation_error_code
        if getattr(error, "code", None) == code or constraint.name in str(error):
            return _OVERLAP_ERRORS[code](str(constraint.violation_error_message))
    return None


def save_checked(appointment: Appointment) -> None:
    """Save; the database's no-overlap constraints decide, and their refusal becomes 409 (with
    the constraint's own message), never 500. No check in Python runs first: it could only
    repeat the database's answer, one query later. Any other constraint is not a clash and is
    re-raised as it is. The caller's transaction rolls back with the refusal."""
    try:
        appointment.save()
    except IntegrityError as exc:
        conflict = _overlap_error(exc)
        if conflict is None:
            raise
        raise conflict from exc


def record(appointment: Appointment, *, actor: User, action: str, from_status: str = "", **details) -> AppointmentEvent:
    """Write the change to the appointment's history and the audit trail, and queue the e-mails
    about it (sent only if the transaction commits)."""
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
    tasks.queue_event_emails(event)
    return event
