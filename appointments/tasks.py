"""Background work (django-tasks): e-mails about changes, and reminders.

Each task takes ids, loads what it needs when it runs, and retries a failed send a bounded
number of times (config/tasks.py); nothing here can fail the request that queued it.
"""

import logging

from django.conf import settings
from django_tasks import task

from appointments import notifications, services
from appointments.models import Appointment, AppointmentEvent
from config.sms import send_sms
from config.tasks import retry_later

logger = logging.getLogger(__name__)

RELATED = ("doctor__user", "doctor__specialization", "patient__user", "cancelled_by")


@task()
def send_appointment_email(event_id: int, recipient: str, attempt: int = 1) -> None:
    try:
        event = AppointmentEvent.objects.select_related(*(f"appointment__{name}" for name in RELATED)).get(pk=event_id)
        message = notifications.appointment_email(event, recipient)
        if message is not None:
            message.send()
    except Exception as error:
        retry_later(send_appointment_email, event_id, recipient, attempt=attempt, error=error)


@task()
def send_reminder_email(appointment_id: int, attempt: int = 1) -> None:
    try:
        message = notifications.reminder_email(Appointment.objects.select_related(*RELATED).get(pk=appointment_id))
        if message is not None:
            message.send()
    except Exception as error:
        retry_later(send_reminder_email, appointment_id, attempt=attempt, error=error)


@task()
def send_reminder_sms(appointment_id: int, attempt: int = 1) -> None:
    try:
        appointment = Appointment.objects.select_related(*RELATED).get(pk=appointment_id)
        send_sms(appointment.patient.user.phone, notifications.reminder_text(appointment))
    except Exception as error:
        retry_later(send_reminder_sms, appointment_id, attempt=attempt, error=error)


@task()
def send_due_reminders() -> int:
    """The reminder job: claim every due reminder once, then queue the e-mail and, for patients
    who opted in and have a phone number, the text."""
    claimed = services.reminders_claim_due()
    for appointment in Appointment.objects.filter(pk__in=claimed).select_related("patient__user"):
        patient = appointment.patient
        if patient.email_reminders:
            send_reminder_email.enqueue(appointment.pk)
        if patient.sms_reminders and patient.user.phone:
            send_reminder_sms.enqueue(appointment.pk)
    if claimed:
        logger.info("Queued %d reminders (%d h ahead).", len(claimed), settings.REMINDER_HOURS_BEFORE)
    return len(claimed)
