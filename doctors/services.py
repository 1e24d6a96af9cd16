"""Writes to doctors, their weekly hours and time off. Keyword-only, one transaction each.

New time off is created by appointments.services.absences: it must refuse, or cancel, the
appointments it would overlap, which this app knows nothing of."""

import secrets
from collections import defaultdict
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import services as account_services
from accounts.models import Role
from config.services import model_update
from doctors.models import Doctor, TimeOff, Weekday, WorkingHours, hash_calendar_token


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
    """Change profile fields (Doctor.EDITABLE_FIELDS); raises ValidationError for a bad value."""
    model_update(instance=doctor, fields=Doctor.EDITABLE_FIELDS, data=fields)
    return doctor


@transaction.atomic
def doctor_deactivate(*, doctor: Doctor) -> Doctor:
    """The doctor leaves: not listed, not bookable, cannot log in; every record stays."""
    account_services.user_deactivate(user=doctor.user)
    return doctor


def working_hours_overlaps(periods: list[dict]) -> list[str]:
    """One message per pair of periods of one weekday that overlap (empty when none do)."""
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
    """Replace the whole weekly schedule at once; raises ValidationError when periods of one
    weekday overlap or a period is invalid.

    Booked appointments are kept even when the new hours no longer cover them."""
    rows = [WorkingHours(doctor=doctor, **period) for period in periods]
    for row in rows:
        row.full_clean(exclude=["doctor"], validate_unique=False, validate_constraints=False)
    errors = working_hours_overlaps(periods)
    if errors:
        raise ValidationError(errors)
    WorkingHours.objects.filter(doctor=doctor).delete()
    return WorkingHours.objects.bulk_create(rows)


@transaction.atomic
def time_off_delete(*, time_off: TimeOff) -> None:
    """Give the period back: its time becomes bookable again."""
    time_off.delete()


@transaction.atomic
def calendar_token_rotate(*, doctor: Doctor) -> str:
    """A new secret for the doctor's calendar feed; the old feed URL stops working at once.

    Only a hash is stored, so the token is returned here and never shown again."""
    token = secrets.token_urlsafe(32)
    doctor.calendar_token_hash = hash_calendar_token(token)
    doctor.save(update_fields=["calendar_token_hash", "updated_at"])
    return token
