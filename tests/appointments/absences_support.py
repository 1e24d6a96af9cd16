"""What the absence tests share: the test Monday, times on it, and the time-off request."""

from datetime import UTC, datetime, timedelta

from appointments.models import Appointment

MONDAY = datetime(2030, 1, 7, tzinfo=UTC)


def at(hour, minute=0, day=0):
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


def time_off(api, doctor, start, end, **extra):
    body = {"start": start.isoformat(), "end": end.isoformat(), "reason": "Surgery of my own"} | extra
    return api.post(f"/api/doctors/{doctor.pk}/time-off/", body, format="json")


def statuses(visits):
    return {name: Appointment.objects.get(pk=visit.pk).status for name, visit in visits.items()}
