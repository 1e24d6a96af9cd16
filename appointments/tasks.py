"""Background work (django-tasks): e-mails about changes, and reminders.

Each task takes ids, loads what it needs when it runs, and retries a failed send a bounded
number of times (config/tasks.py); nothing here can fail the request that queued it.
"""

from django_tasks import task

from appointments import notifications
from appointments.models import Appointment, AppointmentEvent
from appointments.selectors import with_ics_sequence
from config.sms import send_sms
from config.tasks import enqueue, retry_later, send_once

RELATED = ("doctor__user", "doctor__specialization", "patient__user", "cancelled_by", "visit_type")


def queue_event_emails(event: AppointmentEvent) -> None:
    """E-mail the patient and the doctor about a change, queued with the change itself (config.
    tasks.enqueue: a change that rolls back sends nothing, one that commits loses nothing). Each
    recipient gets their own task and message key, so a retry never repeats a message someone
    already received."""
    if event.action in notifications.SUBJECTS:  # booked, confirmed, rescheduled, cancelled
        for recipient in notifications.RECIPIENTS:
            enqueue(send_appointment_email, event.pk, recipient)


@task()
def send_appointment_email(event_id: int, recipient: str, attempt: int = 1) -> None:
    try:
        event = AppointmentEvent.objects.get(pk=event_id)
        appointments = Appointment.objects.filter(pk=event.appointment_id).select_related(*RELATED)
        event.appointment = with_ics_sequence(appointments, up_to_event_id=event.pk).get()
        message = notifications.appointment_email(event, recipient, sequence=event.appointment.ics_sequence)
        if message is not None:
            send_once(f"appointment-event:{event_id}:{recipient}", message.send)
    except Exception as error:
        retry_later(send_appointment_email, event_id, recipient, attempt=attempt, error=error)


@task()
def send_reminder_email(appointment_id: int, attempt: int = 1) -> None:
    try:
        message = notifications.reminder_email(Appointment.objects.select_related(*RELATED).get(pk=appointment_id))
        if message is not None:
            send_once(f"reminder:{appointment_id}:email", message.send)
    except Exception as error:
        retry_later(send_reminder_email, appointment_id, attempt=attempt, error=error)


@task()
def send_reminder_sms(appointment_id: int, attempt: int = 1) -> None:
    try:
        appointment = Appointment.objects.select_related(*RELATED).get(pk=appointment_id)
        text = notifications.reminder_text(appointment)
        send_once(f"reminder:{appointment_id}:sms", lambda: send_sms(appointment.patient.user.phone, text))
    except Exception as error:
        retry_later(send_reminder_sms, appointment_id, attempt=attempt, error=error)
