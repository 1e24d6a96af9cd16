"""The appointment lifecycle: scheduled -> confirmed -> checked_in -> completed, and from scheduled
or confirmed: cancelled, or (after the start) no_show. Edits of the free-text fields too."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from appointments import policies, tallies
from appointments.models import Appointment, AppointmentEvent, Status
from appointments.services.booking import check_patient_cutoff
from appointments.services.common import lock_appointment, record
from config.errors import DomainError, InvalidTransition, NotAllowed
from config.services import model_update

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


@transaction.atomic
def appointment_transition(*, actor: User, appointment: Appointment, action: str, note: str = "") -> Appointment:
    """Move along the lifecycle (confirm, check in, complete, cancel, no-show).

    Raises NotAllowed (403) for someone who may not do this, InvalidTransition (409) from a status
    the action does not apply to, DomainError (400) for a timing rule or a cancellation without
    a reason."""
    transition = TRANSITIONS[action]
    appointment = lock_appointment(appointment.pk)
    if refusal := policies.transition_refusal(actor=actor, appointment=appointment, action=action):
        raise NotAllowed(refusal)
    if appointment.status not in transition.sources:
        raise InvalidTransition(
            f"A {appointment.get_status_display().lower()} appointment cannot be {transition.verb}."
        )
    now = timezone.now()
    zone = appointment.doctor.zone
    if action == Action.CHECKED_IN and appointment.start.astimezone(zone).date() != now.astimezone(zone).date():
        raise DomainError("Patients can be checked in on the day of the appointment only.")
    if action == Action.NO_SHOW and now < appointment.start:
        raise DomainError("An appointment can be marked as a no-show only after it has started.")
    if action == Action.CANCELLED:
        if not note.strip():
            raise DomainError("Say why the appointment is cancelled.", field="reason")
        check_patient_cutoff(actor=actor, appointment=appointment, what="cancelled", now=now)
        appointment.cancelled_by, appointment.cancelled_at, appointment.cancellation_reason = actor, now, note
    before = tallies.snapshot(appointment)
    appointment.status = transition.target
    appointment.save()
    record(appointment, actor=actor, action=action, from_status=before.status, note=note)
    tallies.appointment_changed(before, appointment)
    return appointment


@transaction.atomic
def appointment_update(*, actor: User, appointment: Appointment, **fields) -> Appointment:
    """Change the reason or notes; an admin's `status` goes through the lifecycle rules.

    Raises DomainError (400) for a field this actor may not change, or a cancellation without a
    reason; InvalidTransition (409) for a status no transition leads to."""
    if refused := policies.edit_refusal(actor=actor, fields=set(fields)):
        name, why = refused
        raise DomainError(why, field=name)
    status = fields.pop("status", None)
    note = fields.pop("cancellation_reason", "")
    appointment = lock_appointment(appointment.pk)
    if model_update(instance=appointment, fields=("reason", "notes"), data=fields):
        record(appointment, actor=actor, action=Action.UPDATED, from_status=appointment.status)
    if status is not None and status != appointment.status:
        transition = TRANSITION_TO.get(status)
        if transition is None:
            raise InvalidTransition(f"An appointment cannot be set to {status} directly.")
        if transition.action == Action.CANCELLED and not note.strip():
            raise DomainError("Say why the appointment is cancelled.", field="cancellation_reason")
        appointment = appointment_transition(actor=actor, appointment=appointment, action=transition.action, note=note)
    return appointment
