"""Writes to patients, assignments and the caller's profile. Keyword-only, one transaction each."""

from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.models import AuditEvent, Role, User
from config.errors import Conflict
from doctors import services as doctor_services
from doctors.models import Doctor
from patients.models import Assignment, Patient


def _audit(actor: User | None, patient: Patient, action: str) -> None:
    account_services.audit_write(
        actor=actor, action=action, object_type="patient", object_id=patient.pk, patient_id=patient.pk
    )


@transaction.atomic
def patient_create(*, account: dict, actor: User | None = None, **profile) -> Patient:
    """Create a patient's account and record together: sign-up (no actor yet), or an admin
    registering a walk-in."""
    user = account_services.user_create(role=Role.PATIENT, **account)
    patient = Patient(user=user, **profile)
    patient.full_clean()
    patient.save()
    _audit(actor or user, patient, AuditEvent.Action.CREATE)
    return patient


@transaction.atomic
def patient_update(*, patient: Patient, actor: User | None = None, **fields) -> Patient:
    for name, value in fields.items():
        setattr(patient, name, value)
    patient.full_clean()
    patient.save()
    _audit(actor or patient.user, patient, AuditEvent.Action.UPDATE)
    return patient


@transaction.atomic
def patient_deactivate(*, patient: Patient, actor: User | None = None) -> Patient:
    """The record and its history stay; the account can no longer log in."""
    account_services.user_deactivate(user=patient.user)
    _audit(actor, patient, AuditEvent.Action.UPDATE)
    return patient


@transaction.atomic
def assignment_create(*, actor: User, doctor: Doctor, patient: Patient, reason_for_assignment: str = "") -> Assignment:
    """Put a doctor in charge of a patient; one active assignment per pair (database constraint)."""
    assignment = Assignment(
        doctor=doctor, patient=patient, reason_for_assignment=reason_for_assignment, assigned_by=actor
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def assignment_update(*, assignment: Assignment, reason_for_assignment: str) -> Assignment:
    assignment.reason_for_assignment = reason_for_assignment
    assignment.save(update_fields=["reason_for_assignment", "updated_at"])
    return assignment


@transaction.atomic
def assignment_end(*, assignment: Assignment, actor: User) -> Assignment:
    """End an assignment (kept for the record); ending one that has ended is a conflict."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not assignment.is_active:
        raise Conflict("This assignment has already ended.", code="assignment_ended")
    assignment.is_active = False
    assignment.ended_at = timezone.now()
    assignment.ended_by = actor
    assignment.save(update_fields=["is_active", "ended_at", "ended_by", "updated_at"])
    return assignment


@transaction.atomic
def profile_update(*, user: User, account: dict, doctor: dict | None = None, patient: dict | None = None) -> str | None:
    """The caller's own profile in one transaction: account fields, plus the doctor's details,
    weekly hours and calendar feed secret, or the patient's record.

    Returns the new calendar feed secret when the doctor asked for one (it is not stored)."""
    account_services.user_update(user=user, **account)
    new_calendar_token = None
    if doctor is not None:
        working_hours = doctor.pop("working_hours", None)
        rotate = doctor.pop("rotate_calendar_token", False)
        doctor_services.doctor_update(doctor=user.doctor_profile, **doctor)
        if working_hours is not None:
            doctor_services.working_hours_replace(doctor=user.doctor_profile, periods=working_hours)
        if rotate:
            new_calendar_token = doctor_services.calendar_token_rotate(doctor=user.doctor_profile)
    if patient is not None:
        patient_update(patient=user.patient_profile, actor=user, **patient)
    return new_calendar_token
