"""Helpers the booking tests share."""

AT_9 = "2030-01-07T09:00:00Z"  # the first slot of the test Monday (tests.clock.MONDAY_8AM)


def book(api, doctor, start=AT_9, **extra):
    """POST /api/appointments/ for `doctor` at `start` with the caller's token."""
    return api.post(
        "/api/appointments/", {"doctor": doctor.pk, "start": start, "reason": "Cough"} | extra, format="json"
    )
