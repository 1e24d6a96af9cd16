"""Reads of patients and assignments, scoped by who asks.

Who may see a patient (ARCHITECTURE.md, roles table): the patient, admins, and doctors linked to
them. A link is an active assignment (here) or any link a later app registers with
`register_patient_link`: the appointments app registers "has an appointment with this doctor" in
its AppConfig.ready, keeping the import direction patients -> appointments one way.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from accounts.models import User
from patients.models import Assignment, Patient

# doctor id -> queryset of patient ids linked to that doctor (used as a subquery).
PatientLink = Callable[[int], QuerySet]

_patient_links: list[PatientLink] = []


def register_patient_link(link: PatientLink) -> PatientLink:
    if link not in _patient_links:
        _patient_links.append(link)
    return link


def _assigned_patient_ids(doctor_id: int) -> QuerySet:
    return Assignment.objects.filter(doctor_id=doctor_id, is_active=True).values("patient_id")


def linked_patients_q(doctor_id: int) -> Q:
    """A filter on Patient: linked to this doctor by an active assignment or a registered link."""
    condition = Q(pk__in=_assigned_patient_ids(doctor_id))
    for link in _patient_links:
        condition |= Q(pk__in=link(doctor_id))
    return condition


def patient_list_for_user(*, user: User) -> QuerySet[Patient]:
    """Patients `user` may see: all for admins, their own record for a patient, linked ones for a doctor."""
    patients = Patient.objects.select_related("user")
    if not user.is_authenticated:
        return patients.none()
    if user.is_admin:
        return patients
    if user.is_patient:
        return patients.filter(user=user)
    if user.is_doctor and hasattr(user, "doctor_profile"):
        return patients.filter(linked_patients_q(user.doctor_profile.pk))
    return patients.none()


def doctor_may_see_patient(*, doctor_id: int, patient_id: int) -> bool:
    return Patient.objects.filter(linked_patients_q(doctor_id), pk=patient_id).exists()


def assignment_list_for_user(*, user: User) -> QuerySet[Assignment]:
    """Admins see every assignment; a doctor sees theirs; a patient sees theirs."""
    assignments = Assignment.objects.select_related(
        "doctor__user", "doctor__specialization", "patient__user", "assigned_by", "ended_by"
    )
    if not user.is_authenticated:
        return assignments.none()
    if user.is_admin:
        return assignments
    if user.is_doctor:
        # Only current ones: an ended assignment no longer lets the doctor see the patient.
        return assignments.filter(doctor__user=user, is_active=True)
    if user.is_patient:
        return assignments.filter(patient__user=user)
    return assignments.none()
