"""Writes to treatments. Only the visit's doctor (or an admin) records or corrects one."""

from decimal import Decimal

from django.db import transaction

from accounts.models import AuditEvent, User
from accounts.services import audit_write
from appointments import tallies
from appointments.models import Appointment, Status
from config.errors import Conflict, DomainError, NotAllowed
from config.services import model_update
from treatments.models import Treatment, TreatmentRevision

EDITABLE_FIELDS = ("diagnosis", "icd10_code", "procedure", "clinical_notes", "follow_up", "cost")
RECORDABLE_STATUSES = (Status.CHECKED_IN, Status.COMPLETED)
ZERO = Decimal("0.00")


def _ensure_clinician(actor: User, appointment: Appointment) -> None:
    if not (actor.is_admin or (actor.is_doctor and appointment.doctor.user_id == actor.pk)):
        raise NotAllowed("Only the doctor of this visit or an admin may record or change its treatment.")


def _audit(actor: User, treatment: Treatment, action: str) -> None:
    audit_write(
        actor=actor,
        action=action,
        object_type="treatment",
        object_id=treatment.pk,
        patient_id=treatment.appointment.patient_id,
    )


def _counted_cost(treatment: Treatment) -> Decimal:
    """What the treatment adds to revenue: its cost, unless it was entered in error."""
    return treatment.cost if treatment.status == Treatment.Status.RECORDED else ZERO


def _json_value(value):
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def treatment_create(*, actor: User, appointment: Appointment, **fields) -> Treatment:
    """Record a treatment for a visit that is checked in or completed.

    Raises NotAllowed (403) for anyone but the visit's doctor or an admin, DomainError (400) for
    a visit in another status."""
    _ensure_clinician(actor, appointment)
    if appointment.status not in RECORDABLE_STATUSES:
        raise DomainError(
            f"Treatments are recorded for visits that are checked in or completed; this one is "
            f"{appointment.get_status_display().lower()}.",
            field="appointment",
        )
    if "icd10_code" in fields:
        fields["icd10_code"] = fields["icd10_code"].strip().upper()
    treatment = Treatment(appointment=appointment, created_by=actor, **fields)
    treatment.full_clean()
    treatment.save()
    tallies.treatment_cost_changed(appointment, before=ZERO, after=_counted_cost(treatment))
    _audit(actor, treatment, AuditEvent.Action.CREATE)
    return treatment


@transaction.atomic
def treatment_update(
    *, actor: User, treatment: Treatment, status: str | None = None, error_reason: str = "", **fields
) -> Treatment:
    """Change a treatment, keeping the previous values as a revision; or mark it entered in error.

    Raises NotAllowed (403) for anyone but the visit's doctor or an admin, Conflict (409) for a
    record already marked entered in error."""
    # Only the treatment row: FOR UPDATE over the join would lock the visit and doctor rows too,
    # out of the one lock order (doctor, patient, appointments) the booking paths keep.
    treatment = (
        Treatment.objects.select_for_update(of=("self",)).select_related("appointment__doctor").get(pk=treatment.pk)
    )
    _ensure_clinician(actor, treatment.appointment)
    if treatment.status == Treatment.Status.ENTERED_IN_ERROR:
        raise Conflict("This record is marked entered in error and can no longer change.", code="entered_in_error")
    if "icd10_code" in fields:
        fields["icd10_code"] = fields["icd10_code"].strip().upper()
    if status == Treatment.Status.ENTERED_IN_ERROR:
        if not error_reason.strip():
            raise DomainError("Say why the record was entered in error.", field="error_reason")
        fields.update(status=status, error_reason=error_reason)
    before = {name: getattr(treatment, name) for name in fields}
    counted_before = _counted_cost(treatment)
    changed = model_update(instance=treatment, fields=(*EDITABLE_FIELDS, "status", "error_reason"), data=fields)
    if not changed:
        return treatment
    tallies.treatment_cost_changed(treatment.appointment, before=counted_before, after=_counted_cost(treatment))
    previous = {name: _json_value(before[name]) for name in changed}
    TreatmentRevision.objects.create(
        treatment=treatment, changed_by=actor, changed_fields=sorted(changed), previous=previous
    )
    _audit(actor, treatment, AuditEvent.Action.UPDATE)
    return treatment
