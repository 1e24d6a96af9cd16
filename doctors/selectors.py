"""Reads of doctors, scoped by who asks."""

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.selectors import everything, scope_by_role
from doctors.models import (
    ClinicClosure,
    Doctor,
    DoctorVisitType,
    ScheduleOverride,
    Specialization,
    TimeOff,
    VisitType,
    WorkingHours,
    hash_calendar_token,
)

MAX_ID_DIGITS = 18  # ids fit in 63 bits


def specialization_list() -> QuerySet[Specialization]:
    return Specialization.objects.all()


def specialization_q(value: str, *, prefix: str = "specialization") -> Q:
    """A filter for "this specialization", given its id or its name (any case)."""
    value = value.strip()
    if value.isascii() and value.isdigit():
        return Q(**{f"{prefix}_id": int(value)}) if len(value) <= MAX_ID_DIGITS else Q(pk__in=[])
    return Q(**{f"{prefix}__name__iexact": value})


def _active_doctors(doctors: QuerySet, user: User) -> QuerySet:
    return doctors.filter(user__is_active=True)


def doctor_list_for_user(*, user: User) -> QuerySet[Doctor]:
    """Admins see every doctor; everyone else sees doctors whose account is active."""
    doctors = Doctor.objects.select_related("user", "specialization")
    return scope_by_role(
        doctors, user, admin=everything, receptionist=_active_doctors, doctor=_active_doctors, patient=_active_doctors
    )


def visit_type_list_for_user(*, user: User) -> QuerySet[VisitType]:
    """Admins see every visit type; everyone else the ones still offered."""
    visit_types = VisitType.objects.prefetch_related("specializations")

    def still_offered(rows, _):
        return rows.filter(is_active=True)

    return scope_by_role(
        visit_types, user, admin=everything, receptionist=still_offered, doctor=still_offered, patient=still_offered
    )


def offerings_of(*, doctor: Doctor) -> QuerySet[DoctorVisitType]:
    return (
        DoctorVisitType.objects.filter(doctor=doctor)
        .select_related("visit_type")
        .order_by("-is_default", "visit_type__name")
    )


def overrides_of(*, doctor: Doctor) -> QuerySet[ScheduleOverride]:
    return ScheduleOverride.objects.filter(doctor=doctor).prefetch_related("periods").order_by("date")


def closure_list() -> QuerySet[ClinicClosure]:
    return ClinicClosure.objects.order_by("start_date", "id")


def working_hours_of(*, doctor: Doctor) -> QuerySet[WorkingHours]:
    return WorkingHours.objects.filter(doctor=doctor).order_by("weekday", "start_time")


def time_off_of(*, doctor: Doctor) -> QuerySet[TimeOff]:
    return TimeOff.objects.filter(doctor=doctor).order_by("-start", "id")


def doctor_by_calendar_token(*, doctor_id: int, token: str) -> Doctor | None:
    """The active doctor whose feed secret this is, or None (wrong, rotated or missing token)."""
    if not token:
        return None
    return (
        Doctor.objects.select_related("user")
        .filter(pk=doctor_id, user__is_active=True, calendar_token_hash=hash_calendar_token(token))
        .first()
    )
