"""iCalendar (RFC 5545/5546) for appointments, built with the `icalendar` library.

Each appointment is one event with a stable UID; its SEQUENCE is the number of changes made to
it so far (appointments.selectors.with_ics_sequence), so calendar apps update the event they
already have instead of adding another.
Times are written in UTC, which every calendar converts to local time correctly across DST.
"""

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from appointments.models import Appointment, Status

PRODID = "-//Hospital appointments API//EN"
ICS_CONTENT_TYPE = "text/calendar"


def uid(appointment: Appointment) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "clinic.example"
    return f"appointment-{appointment.pk}@{domain}"


def initials(name: str) -> str:
    return " ".join(f"{part[0].upper()}." for part in name.split() if part) or "?"


def _calendar(method: str | None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def appointment_event(
    appointment: Appointment, *, sequence: int, summary: str, attendee_email: str = "", cancelled: bool = False
) -> Event:
    event = Event()
    event.add("uid", uid(appointment))
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.start.astimezone(UTC))
    event.add("dtend", appointment.end.astimezone(UTC))
    event.add("summary", summary)
    event.add("location", vText(", ".join(filter(None, [appointment.doctor.location, settings.CLINIC_ADDRESS]))))
    event.add("status", "CANCELLED" if cancelled or appointment.status == Status.CANCELLED else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(settings.CLINIC_NAME)
    event.add("organizer", organizer)
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    return event


def single_event_ics(
    appointment: Appointment, *, sequence: int, summary: str, method: str | None = None, attendee_email: str = ""
) -> bytes:
    """One appointment as a calendar: METHOD REQUEST in invitations, CANCEL on cancellation."""
    calendar = _calendar(method)
    calendar.add_component(
        appointment_event(
            appointment,
            sequence=sequence,
            summary=summary,
            attendee_email=attendee_email,
            cancelled=method == "CANCEL",
        )
    )
    return calendar.to_ical()


def doctor_feed_ics(*, doctor_name: str, time_zone: str, appointments: Iterable[Appointment]) -> bytes:
    """A doctor's subscribable feed (appointments annotated with `ics_sequence`). It may end up in a
    third-party calendar, so patients appear by their initials only and no reason for the visit is
    included."""
    calendar = _calendar(None, name=f"{doctor_name}: appointments")
    calendar.add("x-wr-timezone", time_zone)
    calendar.add("refresh-interval", timedelta(minutes=15), parameters={"VALUE": "DURATION"})
    for appointment in appointments:
        patient = initials(appointment.patient.user.get_full_name() or appointment.patient.user.username)
        calendar.add_component(
            appointment_event(appointment, sequence=appointment.ics_sequence, summary=f"Appointment: {patient}")
        )
    return calendar.to_ical()
