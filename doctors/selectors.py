"""Reads of doctors, scoped by who asks."""

from django.db.models import QuerySet

from accounts.models import User
from doctors.models import Doctor, Specialization, TimeOff, WorkingHours, hash_calendar_token


def specialization_list() -> QuerySet[Specialization]:
    return Specialization.objects.all()


def doctor_list_for_user(*, user: User) -> QuerySet[Doctor]:
    """Admins see every doctor; everyone else sees doctors whose account is active."""
    doctors = Doctor.objects.select_related("user", "specialization")
    if not user.is_authenticated:
        return doctors.none()
    if user.is_admin:
        return doctors
    return doctors.filter(user__is_active=True)


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
