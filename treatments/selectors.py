"""Reads of treatments, scoped by who asks."""

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.selectors import scope_by_role
from patients.selectors import patient_ids_visible_to
from treatments.models import Treatment, TreatmentRevision


def _of_doctors_patients(treatments: QuerySet, user: User) -> QuerySet:
    """A doctor: the treatments they recorded and those of the patients they may see (which
    includes every patient they have had an appointment with)."""
    if not hasattr(user, "doctor_profile"):
        return treatments.none()
    visible = patient_ids_visible_to(user.doctor_profile.pk)
    return treatments.filter(Q(appointment__doctor__user=user) | Q(appointment__patient__in=visible))


def treatment_list_for_user(*, user: User) -> QuerySet[Treatment]:
    """Admins see all; a patient their own; a doctor those of patients they may see."""
    treatments = Treatment.objects.select_related(
        "appointment__doctor__user", "appointment__doctor__specialization", "appointment__patient__user"
    )
    return scope_by_role(
        treatments,
        user,
        doctor=_of_doctors_patients,
        patient=lambda rows, patient: rows.filter(appointment__patient__user=patient),
    )


def revisions_of(*, treatment: Treatment) -> QuerySet[TreatmentRevision]:
    return TreatmentRevision.objects.filter(treatment=treatment).select_related("changed_by")
