"""Writes to patients, assignments and the caller's profile. Keyword-only, one transaction each."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import services as account_services
from accounts import tasks as account_emails
from accounts.models import AuditEvent, Role, User
from config.errors import Conflict
from config.services import model_update
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
    registering a walk-in. Raises ValidationError for a taken username, e-mail or national id."""
    user = account_services.user_create(role=Role.PATIENT, **account)
    patient = Patient(user=user, **profile)
    patient.full_clean()
    patient.save()
    _audit(actor or user, patient, AuditEvent.Action.CREATE)
    return patient


_TAKEN_CODES = {"unique", "username_taken", "email_taken"}


def _is_taken(error: ValidationError) -> bool:
    codes = {e.code for errors in getattr(error, "error_dict", {}).values() for e in errors}
    return bool(codes & _TAKEN_CODES)


@transaction.atomic
def patient_sign_up(*, account: dict, **profile) -> None:
    """Sign-up, answering the caller the same way whatever happens; only the e-mail to the given
    address tells. A new account is created unverified (it cannot log in) and gets a
    verification link; a taken address gets "you already have an account" (or, when that account
    was never verified, a new link); a taken username gets "choose another". Raises
    ValidationError only for what does not depend on other accounts (a weak password, say)."""
    email = User.objects.normalize_email(account["email"])
    existing = User.objects.exclude(email="").filter(email__lower=email.lower()).first()
    if existing is None and not User.objects.filter(username__lower=account["username"].lower()).exists():
        try:
            with transaction.atomic():
                patient = patient_create(account={**account, "email_verified": False}, **profile)
        except ValidationError as error:
            if not _is_taken(error):
                raise
        except IntegrityError:
            pass  # a sign-up with the same username or address won a race: tell as below
        else:
            account_services.account_email_send(kind=account_emails.VERIFY, user=patient.user)
            return
        existing = User.objects.exclude(email="").filter(email__lower=email.lower()).first()
    # As slow as creating the account, so the time taken does not tell either.
    User().set_password(account["password"])
    if existing is not None:
        unverified = existing.is_active and not existing.email_verified
        kind = account_emails.VERIFY if unverified else account_emails.ALREADY_REGISTERED
        account_services.account_email_send(kind=kind, user=existing)
    else:
        account_services.account_email_send(
            kind=account_emails.USERNAME_TAKEN,
            to=email,
            name=account.get("first_name", ""),
            username=account["username"],
        )


@transaction.atomic
def patient_register_walk_in(*, actor: User, account: dict, confirm_duplicate: bool = False, **profile) -> Patient:
    """The front desk registers a patient who walked in. Raises Conflict (409): duplicate_national_id
    when that national id is on file (the answer names no one), possible_duplicate when a patient
    with the same name and date of birth is, unless the desk confirms it is someone else."""
    national_id = profile.get("national_id", "")
    if national_id and Patient.objects.filter(national_id=national_id).exists():
        raise Conflict("A patient with this national id is already on file.", code="duplicate_national_id")
    born = profile.get("date_of_birth")
    if born and not confirm_duplicate:
        same = Patient.objects.filter(
            date_of_birth=born,
            user__first_name__iexact=account.get("first_name", ""),
            user__last_name__iexact=account.get("last_name", ""),
        )
        if same.exists():
            raise Conflict(
                "A patient with this name and date of birth is already on file; find them in patients/, or send "
                "confirm_duplicate: true if this is someone else.",
                code="possible_duplicate",
            )
    return patient_create(account=account, actor=actor, **profile)


@transaction.atomic
def patient_update(*, patient: Patient, actor: User | None = None, **fields) -> Patient:
    """Change record fields (Patient.EDITABLE_FIELDS); audited as an update."""
    model_update(instance=patient, fields=Patient.EDITABLE_FIELDS, data=fields)
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
    """Put a doctor in charge of a patient; one active assignment per pair (database constraint),
    a second answers 409 already_assigned."""
    assignment = Assignment(
        doctor=doctor, patient=patient, reason_for_assignment=reason_for_assignment, assigned_by=actor
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def assignment_update(
    *, assignment: Assignment, actor: User, reason_for_assignment: str | None = None, end: bool = False
) -> Assignment:
    """Change the reason and/or end the assignment (kept for the record), all or nothing.

    Raises Conflict (409) when asked to end one that has already ended."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if end and not assignment.is_active:
        raise Conflict("This assignment has already ended.", code="assignment_ended")
    changes = {}
    if reason_for_assignment is not None:
        changes["reason_for_assignment"] = reason_for_assignment
    if end:
        changes.update(is_active=False, ended_at=timezone.now(), ended_by=actor)
    model_update(
        instance=assignment, fields=("reason_for_assignment", "is_active", "ended_at", "ended_by"), data=changes
    )
    return assignment


def assignment_end(*, assignment: Assignment, actor: User) -> Assignment:
    """End an assignment; ending one that has ended is a conflict (409)."""
    return assignment_update(assignment=assignment, actor=actor, end=True)


@transaction.atomic
def profile_update(*, user: User, account: dict, doctor: dict | None = None, patient: dict | None = None) -> User:
    """The caller's own profile in one transaction: account fields, plus the doctor's details and
    weekly hours, or the patient's record."""
    account_services.user_update(user=user, **account)
    if doctor is not None:
        working_hours = doctor.pop("working_hours", None)
        doctor_services.doctor_update(doctor=user.doctor_profile, **doctor)
        if working_hours is not None:
            doctor_services.working_hours_replace(doctor=user.doctor_profile, periods=working_hours)
    if patient is not None:
        patient_update(patient=user.patient_profile, actor=user, **patient)
    return user
