"""Reads of patients and assignments, scoped by who asks.

Who may see a patient (docs/ARCHITECTURE.md, roles table): the patient, admins, and the doctors
linked to them, by an active assignment or by an appointment. The appointment link is read
through the ORM's reverse relation `Patient.appointments` (the foreign key the appointments
app declares): a query over that table, with no import of the appointments app's code.
"""

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.selectors import everything, scope_by_role
from patients.models import Assignment, Patient


def linked_patients_q(doctor_id: int) -> Q:
    """A filter on Patient: linked to this doctor by an active assignment, or by an appointment
    (of any status, past or future) with them."""
    assigned = Assignment.objects.filter(doctor_id=doctor_id, is_active=True).values("patient_id")
    seen = Patient.objects.filter(appointments__doctor_id=doctor_id).values("pk")
    return Q(pk__in=assigned) | Q(pk__in=seen)


def patient_ids_visible_to(doctor_id: int) -> QuerySet:
    """The ids of the patients this doctor may see, as a subquery."""
    return Patient.objects.filter(linked_patients_q(doctor_id)).values("pk")


def _own_record(patients: QuerySet, user: User) -> QuerySet:
    return patients.filter(user=user)


def _linked_to_doctor(patients: QuerySet, user: User) -> QuerySet:
    if not hasattr(user, "doctor_profile"):
        return patients.none()
    return patients.filter(linked_patients_q(user.doctor_profile.pk))


def patient_list_for_user(*, user: User) -> QuerySet[Patient]:
    """Patients `user` may see: all for admins and the front desk (who see their demographics,
    not the clinical fields: patients.serializers), their own record for a patient, linked ones
    for a doctor."""
    return scope_by_role(
        Patient.objects.select_related("user"),
        user,
        receptionist=everything,
        doctor=_linked_to_doctor,
        patient=_own_record,
    )


def doctor_may_see_patient(*, doctor_id: int, patient_id: int) -> bool:
    return Patient.objects.filter(linked_patients_q(doctor_id), pk=patient_id).exists()


def assignment_list_for_user(*, user: User) -> QuerySet[Assignment]:
    """Admins and the front desk see every assignment (the front desk without its reason); a
    doctor their current ones (an ended assignment no longer lets them see the patient); a
    patient all of theirs."""
    assignments = Assignment.objects.select_related(
        "doctor__user", "doctor__specialization", "patient__user", "assigned_by", "ended_by"
    )
    return scope_by_role(
        assignments,
        user,
        receptionist=everything,
        doctor=lambda rows, doctor: rows.filter(doctor__user=doctor, is_active=True),
        patient=lambda rows, patient: rows.filter(patient__user=patient),
    )
