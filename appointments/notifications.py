"""Messages about appointments: what to send to whom. Pure builders: the tasks (appointments.tasks)
load the rows, call these and send."""

from zoneinfo import ZoneInfo

from django.conf import settings

from appointments import calendar
from appointments.models import Appointment, AppointmentEvent
from config.email import calendar_attachment, templated_email

Action = AppointmentEvent.Action
RECIPIENTS = ("patient", "doctor")

# The changes that are e-mailed, with their subjects.
SUBJECTS = {
    Action.BOOKED: "appointment booked for {when}",
    Action.CONFIRMED: "appointment confirmed for {when}",
    Action.RESCHEDULED: "appointment moved to {when}",
    Action.CANCELLED: "appointment on {when} cancelled",
}
HEADLINES = {
    "patient": {
        Action.BOOKED: "Your appointment is booked.",
        Action.CONFIRMED: "Your appointment is confirmed.",
        Action.RESCHEDULED: "Your appointment has moved to a new time.",
        Action.CANCELLED: "Your appointment has been cancelled.",
    },
    "doctor": {
        Action.BOOKED: "A new appointment is in your schedule.",
        Action.CONFIRMED: "An appointment in your schedule is confirmed.",
        Action.RESCHEDULED: "An appointment in your schedule has moved to a new time.",
        Action.CANCELLED: "An appointment in your schedule has been cancelled.",
    },
}
CLOSINGS = {
    Action.CANCELLED: "The attached calendar entry removes it from your calendar.",
}
DEFAULT_CLOSING = "The attached calendar entry adds it to (or updates it in) your calendar."


def when(moment, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%A %d %B %Y, %H:%M")


def _people(appointment: Appointment, recipient: str):
    """(recipient user, their time zone, the other party's name) for "patient" or "doctor"."""
    doctor, patient = appointment.doctor, appointment.patient
    if recipient == "patient":
        return (
            patient.user,
            ZoneInfo(patient.time_zone),
            f"Dr {doctor.user.get_full_name()} ({doctor.specialization.name})",
        )
    return doctor.user, doctor.zone, patient.user.get_full_name() or patient.user.username


def rebook_url(appointment: Appointment) -> str:
    """Where a patient whose visit was cancelled finds the doctor's free time straight away: of
    the same visit type when they may book it themselves, else with none named (the slots
    endpoint refuses a patient one not bookable online, and names those they can book)."""
    url = f"{settings.PUBLIC_BASE_URL}/api/doctors/{appointment.doctor_id}/slots/"
    visit_type = appointment.visit_type
    return f"{url}?visit_type={visit_type.pk}" if visit_type.bookable_online and visit_type.is_active else url


def appointment_email(event: AppointmentEvent, recipient: str, *, sequence: int):
    """The e-mail about one change for "patient" or "doctor", or None when they have no address.
    `sequence` is the iCalendar SEQUENCE of the invitation (appointments.selectors.with_ics_sequence)."""
    appointment = event.appointment
    person, zone, other = _people(appointment, recipient)
    if not person.email:
        return None
    cancelled = event.action == Action.CANCELLED
    context = {
        "recipient_name": person.get_full_name() or person.username,
        "headline": HEADLINES[recipient][event.action],
        "when": when(appointment.start, zone),
        "old_when": when(event.old_start, zone) if event.action == Action.RESCHEDULED and event.old_start else "",
        "time_zone": str(zone),
        "with_whom": other,
        "where": ", ".join(filter(None, [appointment.doctor.location, settings.CLINIC_ADDRESS])),
        "reason": appointment.reason,
        "cancelled_by": (appointment.cancelled_by.get_full_name() or "the clinic") if cancelled else "",
        "cancellation_reason": appointment.cancellation_reason if cancelled else "",
        "closing": CLOSINGS.get(event.action, DEFAULT_CLOSING),
        "rebook_url": rebook_url(appointment) if cancelled and recipient == "patient" else "",
        "visit_type": appointment.visit_type.name,
    }
    message = templated_email(
        to=person.email,
        subject=SUBJECTS[event.action].format(when=context["when"]),
        template="appointments/email/appointment",
        context=context,
    )
    method = "CANCEL" if cancelled else "REQUEST"
    ics = calendar.single_event_ics(
        appointment,
        sequence=sequence,
        summary=f"Appointment with {other}" if recipient == "patient" else f"Appointment: {other}",
        method=method,
        attendee_email=person.email,
    )
    message.attach(calendar_attachment(ics, method=method))
    return message


def reminder_email(appointment: Appointment):
    person, zone, other = _people(appointment, "patient")
    if not person.email:
        return None
    context = {
        "recipient_name": person.get_full_name() or person.username,
        "when": when(appointment.start, zone),
        "time_zone": str(zone),
        "with_whom": other,
        "where": ", ".join(filter(None, [appointment.doctor.location, settings.CLINIC_ADDRESS])),
    }
    return templated_email(
        to=person.email,
        subject=f"reminder of your appointment on {context['when']}",
        template="appointments/email/reminder",
        context=context,
    )


def reminder_text(appointment: Appointment) -> str:
    """The SMS: when and with whom, nothing clinical."""
    _, zone, other = _people(appointment, "patient")
    return f"{settings.CLINIC_NAME}: reminder of your appointment with {other} on {when(appointment.start, zone)}."
