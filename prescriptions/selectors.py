"""Reads of prescriptions, scoped by who asks."""

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from appointments.selectors import with_doctor_and_patient
from patients.models import Patient
from patients.selectors import linked_patients_q
from prescriptions.models import Prescription, PrescriptionItem


def prescription_list_for_user(*, user: User) -> QuerySet[Prescription]:
    """Admins see all; a patient their own; a doctor those they issued and those of patients they
    may see. Items, doctors and patients come in one extra query each for the whole page."""
    prescriptions = with_doctor_and_patient(
        Prescription.objects.select_related("appointment").prefetch_related(
            Prefetch("items", queryset=PrescriptionItem.objects.order_by("id"))
        )
    )
    if not user.is_authenticated:
        return prescriptions.none()
    if user.is_admin:
        return prescriptions
    if user.is_patient:
        return prescriptions.filter(patient__user=user)
    if user.is_doctor and hasattr(user, "doctor_profile"):
        visible = Patient.objects.filter(linked_patients_q(user.doctor_profile.pk)).values("pk")
        return prescriptions.filter(Q(doctor__user=user) | Q(patient__in=visible))
    return prescriptions.none()
