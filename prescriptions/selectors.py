"""Reads of prescriptions, scoped by who asks."""

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from accounts.selectors import scope_by_role
from appointments.selectors import with_doctor_and_patient
from patients.selectors import patient_ids_visible_to
from prescriptions.models import Prescription, PrescriptionItem


def _of_doctors_patients(prescriptions: QuerySet, user: User) -> QuerySet:
    """A doctor: those they issued and those of the patients they may see."""
    if not hasattr(user, "doctor_profile"):
        return prescriptions.none()
    visible = patient_ids_visible_to(user.doctor_profile.pk)
    return prescriptions.filter(Q(doctor__user=user) | Q(patient__in=visible))


def prescription_list_for_user(*, user: User) -> QuerySet[Prescription]:
    """Admins see all; a patient their own; a doctor theirs and their patients'. Items, doctors and
    patients come in one extra query each for the whole page."""
    prescriptions = with_doctor_and_patient(
        Prescription.objects.select_related("appointment").prefetch_related(
            Prefetch("items", queryset=PrescriptionItem.objects.order_by("id"))
        )
    )
    return scope_by_role(
        prescriptions,
        user,
        doctor=_of_doctors_patients,
        patient=lambda rows, patient: rows.filter(patient__user=patient),
    )
