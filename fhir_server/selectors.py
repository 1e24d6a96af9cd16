"""The other apps' role-scoped selectors, with what the FHIR mapping reads of each row prefetched:
a page of any size costs the same queries."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from appointments.models import Status
from appointments.selectors import appointment_list_for_user
from doctors.models import Doctor, DoctorVisitType, TimeOff
from doctors.selectors import doctor_list_for_user
from prescriptions.models import PrescriptionItem
from prescriptions.selectors import prescription_list_for_user

ENCOUNTER_STATUSES = (Status.CHECKED_IN, Status.COMPLETED)


def doctors_with_schedule(*, user: User) -> QuerySet[Doctor]:
    """Doctors the user may see, with their weekly hours, the active visit types they offer
    (default first) and their time off from now on."""
    return doctor_list_for_user(user=user).prefetch_related(
        "working_hours",
        Prefetch(
            "offered_visit_types",
            queryset=DoctorVisitType.objects.filter(visit_type__is_active=True)
            .select_related("visit_type")
            .order_by("-is_default", "visit_type__name"),
        ),
        Prefetch("time_off", queryset=TimeOff.objects.filter(end__gt=timezone.now()).order_by("start")),
    )


def encounters_for_user(*, user: User):
    """Visits that took place (checked in or completed) among the appointments the user may see."""
    return appointment_list_for_user(user=user).filter(status__in=ENCOUNTER_STATUSES)


def prescription_items_for_user(*, user: User) -> QuerySet[PrescriptionItem]:
    """Items of the prescriptions the user may see, each with its prescription, prescriber and patient."""
    visible = prescription_list_for_user(user=user).prefetch_related(None).values("pk")
    return PrescriptionItem.objects.filter(prescription__in=visible).select_related(
        "prescription__doctor__user", "prescription__patient__user"
    )
