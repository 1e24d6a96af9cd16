"""A doctor's absences, which must not silently orphan booked visits: new time off is refused
while active appointments fall inside it. (Removing time off needs no check:
doctors.services.time_off_delete.)"""

from datetime import datetime

from django.db import transaction

from accounts.models import User
from appointments.models import ACTIVE_STATUSES, Appointment
from appointments.services.common import lock_doctor
from config.errors import Conflict
from doctors.models import Doctor, TimeOff


@transaction.atomic
def time_off_create(*, doctor: Doctor, actor: User, start: datetime, end: datetime, reason: str = "") -> TimeOff:
    """Block a period. Raises Conflict (409, appointments_in_time_off) while active appointments
    fall inside it (move them first), ValidationError for a period that ends before it starts."""
    # The doctor row lock serialises this with bookings for the same doctor (they take it too).
    lock_doctor(doctor.pk)
    time_off = TimeOff(doctor=doctor, start=start, end=end, reason=reason, created_by=actor)
    time_off.full_clean()
    booked = Appointment.objects.filter(doctor=doctor, status__in=ACTIVE_STATUSES, start__lt=end, end__gt=start)
    count = booked.count()
    if count:
        raise Conflict(
            f"{count} active appointment(s) fall in this period; cancel or reschedule them first.",
            code="appointments_in_time_off",
        )
    time_off.save()
    return time_off
