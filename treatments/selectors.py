"""Reads of treatments, scoped by who asks."""

from django.db.models import Q, QuerySet

from accounts.models import User
from patients.models import Patient
from patients.selectors import linked_patients_q
from treatments.models import Treatment, TreatmentRevision


def treatment_list_for_user(*, user: User) -> QuerySet[Treatment]:
    """Admins see all; a patient their own; a doctor those of patients they may see (which
    includes every patient they have had an appointment with)."""
    treatments = Treatment.objects.select_related(
        "appointment__doctor__user", "appointment__doctor__specialization", "appointment__patient__user"
    )
    if not user.is_authenticated:
        return treatments.none()
    if user.is_admin:
        return treatments
    if user.is_patient:
        return treatments.filter(appointment__patient__user=user)
    if user.is_doctor and hasattr(user, "doctor_profile"):
        visible = Patient.objects.filter(linked_patients_q(user.doctor_profile.pk)).values("pk")
        return treatments.filter(Q(appointment__doctor__user=user) | Q(appointment__patient__in=visible))
    return treatments.none()


def revisions_of(*, treatment: Treatment) -> QuerySet[TreatmentRevision]:
    return TreatmentRevision.objects.filter(treatment=treatment).select_related("changed_by")
