"""What the lifecycle tests share: one visit on the test Monday at 10:00, a clock set relative to it,
and a way to post an action."""

from datetime import UTC, datetime, timedelta

import time_machine

VISIT = datetime(2030, 1, 7, 10, 0, tzinfo=UTC)  # Monday 10:00, clinic zone UTC


def at(hours_from_visit: float):
    return time_machine.travel(VISIT + timedelta(hours=hours_from_visit), tick=False)


def act(api, appointment, action, body=None):
    return api.post(f"/api/appointments/{appointment.pk}/{action}/", body or {}, format="json")


def status_of(appointment):
    appointment.refresh_from_db()
    return appointment.status
