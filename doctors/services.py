"""Writes to doctors, their weekly hours and time off. Keyword-only, one transaction each."""

import secrets
from collections import defaultdict
from datetime import datetime
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import services as account_services
from accounts.models import Role, User
from config.errors import Conflict
from doctors import availability
from doctors.models import Doctor, TimeOff, Weekday, WorkingHours, hash_calendar_token

DOCTOR_FIELDS = (
    "specialization",
    "licence_number",
    "years_of_experience",
    "consultation_fee",
    "location",
    "bio",
    "time_zone",
    "slot_minutes",
    "is_accepting_patients",
)


@transaction.atomic
def doctor_create(*, account: dict, working_hours: list[dict] | None = None, **profile) -> Doctor:
    """Create the doctor's user account (role doctor) and profile together, or neither."""
    user = account_services.user_create(role=Role.DOCTOR, **account)
    doctor = Doctor(user=user, **profile)
    doctor.full_clean()
    doctor.save()
    if working_hours:
        working_hours_replace(doctor=doctor, periods=working_hours)
    return doctor


@transaction.atomic
def doctor_update(*, doctor: Doctor, **fields) -> Doctor:
    unknown = set(fields) - set(DOCTOR_FIELDS)
    if unknown:
        raise ValueError(f"Not doctor profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(doctor, name, value)
    doctor.full_clean()
    doctor.save()
    return doctor


@transaction.atomic
def doctor_deactivate(*, doctor: Doctor) -> Doctor:
    """The doctor leaves: not listed, not bookable, cannot log in; every record stays."""
    account_services.user_deactivate(user=doctor.user)
    return doctor


def _overlap_errors(periods: list[dict]) -> list[str]:
    by_day = defaultdict(list)
    for period in periods:
        by_day[period["weekday"]].append(period)
    errors = []
    for weekday, day_periods in sorted(by_day.items()):
        day_periods.sort(key=lambda p: p["start_time"])
        for before, after in pairwise(day_periods):
            if after["start_time"] < before["end_time"]:
                errors.append(
                    f"{Weekday(weekday).label}: {before['start_time']:%H:%M}-{before['end_time']:%H:%M} "
                    f"overlaps {after['start_time']:%H:%M}-{after['end_time']:%H:%M}."
                )
    return errors


@transaction.atomic
def working_hours_replace(*, doctor: Doctor, periods: list[dict]) -> list[WorkingHours]:
    """Replace the whole weekly schedule at once; periods of one weekday must not overlap.

    Booked appointments are kept even when the new hours no longer cover them."""
    rows = [WorkingHours(doctor=doctor, **period) for period in periods]
    for row in rows:
        row.full_clean(exclude=["doctor"], validate_unique=False, validate_constraints=False)
    errors = _overlap_errors(periods)
    if errors:
        raise ValidationError(errors)
    WorkingHours.objects.filter(doctor=doctor).delete()
    return WorkingHours.objects.bulk_create(rows)


@transaction.atomic
def time_off_create(*, doctor: Doctor, actor: User, start: datetime, end: datetime, reason: str = "") -> TimeOff:
    """Block a period. Refused (409) while active appointments fall inside it: move them first."""
    # The doctor row lock serialises this with bookings for the same doctor (they take it too).
    Doctor.objects.select_for_update().filter(pk=doctor.pk).first()
    time_off = TimeOff(doctor=doctor, start=start, end=end, reason=reason, created_by=actor)
    time_off.full_clean()
    booked = availability.busy_intervals([doctor.pk], start, end, include_time_off=False).get(doctor.pk, [])
    if booked:
        raise Conflict(
            f"{len(booked)} active appointment(s) fall in this period; cancel or reschedule them first.",
            code="appointments_in_time_off",
        )
    time_off.save()
    return time_off


@transaction.atomic
def time_off_delete(*, time_off: TimeOff) -> None:
    time_off.delete()


@transaction.atomic
def calendar_token_rotate(*, doctor: Doctor) -> str:
    """A new secret for the doctor's calendar feed; the old feed URL stops working at once.

    Only a hash is stored, so the token is returned here and never shown again."""
    token = secrets.token_urlsafe(32)
    doctor.calendar_token_hash = hash_calendar_token(token)
    doctor.save(update_fields=["calendar_token_hash", "updated_at"])
    return token
