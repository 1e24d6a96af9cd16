"""Issuing and cancelling prescriptions. An issued prescription never changes otherwise."""

from django.db import transaction
from django.utils import timezone

from accounts.models import AuditEvent, User
from accounts.services import audit_write
from appointments.models import Appointment, Status
from config.errors import Conflict, DomainError, NotAllowed
from prescriptions import tasks
from prescriptions.models import Prescription, PrescriptionItem


@transaction.atomic
def prescription_issue(*, actor: User, appointment: Appointment, items: list[dict], notes: str = "") -> Prescription:
    """Issue a prescription with its items for a completed visit, all or nothing.

    Raises NotAllowed (403) for anyone but the visit's doctor, DomainError (400) for a visit
    that is not completed or an empty list of items."""
    if not (actor.is_doctor and appointment.doctor.user_id == actor.pk):
        raise NotAllowed("Only the doctor of this visit may prescribe for it.")
    if appointment.status != Status.COMPLETED:
        raise DomainError(
            f"Prescriptions are issued for completed visits; this one is {appointment.get_status_display().lower()}.",
            field="appointment",
        )
    if not items:
        raise DomainError("A prescription needs at least one item.", field="items")
    prescription = Prescription(
        appointment=appointment,
        doctor=appointment.doctor,
        patient=appointment.patient,
        notes=notes,
        issued_at=timezone.now(),
    )
    prescription.full_clean()
    prescription.save()
    rows = [PrescriptionItem(prescription=prescription, **item) for item in items]
    for row in rows:
        row.full_clean()
    PrescriptionItem.objects.bulk_create(rows)
    audit_write(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type="prescription",
        object_id=prescription.pk,
        patient_id=prescription.patient_id,
    )
    tasks.queue_ready_email(prescription)
    return prescription


@transaction.atomic
def prescription_cancel(
    *, actor: User, prescription: Prescription, reason: str, entered_in_error: bool = False
) -> Prescription:
    """Withdraw an active prescription (kept, with who, when and why).

    Raises NotAllowed (403) for anyone but the prescriber or an admin, Conflict (409) when it is
    no longer active, DomainError (400) without a reason."""
    prescription = Prescription.objects.select_for_update().get(pk=prescription.pk)
    if not (actor.is_admin or prescription.doctor.user_id == actor.pk):
        raise NotAllowed("Only the prescribing doctor or an admin may cancel a prescription.")
    if prescription.status != Prescription.Status.ACTIVE:
        raise Conflict(
            f"This prescription is already {prescription.get_status_display().lower()}.", code="invalid_transition"
        )
    if not reason.strip():
        raise DomainError("Say why the prescription is cancelled.", field="reason")
    prescription.status = Prescription.Status.ENTERED_IN_ERROR if entered_in_error else Prescription.Status.CANCELLED
    prescription.cancelled_by, prescription.cancelled_at, prescription.cancellation_reason = (
        actor,
        timezone.now(),
        reason,
    )
    prescription.save()
    audit_write(
        actor=actor,
        action=AuditEvent.Action.CANCEL,
        object_type="prescription",
        object_id=prescription.pk,
        patient_id=prescription.patient_id,
    )
    return prescription
