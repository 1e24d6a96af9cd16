"""Reminders: each due appointment is claimed once, and its e-mail (and text) queued in the same
transaction as the claim (config.tasks.enqueue): a run killed at any moment loses no reminder,
and a re-run sends none twice."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from appointments import tasks
from appointments.models import Appointment, Status
from config.tasks import enqueue

logger = logging.getLogger(__name__)


def reminders_queue_due(*, now: datetime | None = None, batch_size: int = 200) -> int:
    """The reminder job: claim every scheduled or confirmed appointment starting within
    REMINDER_HOURS_BEFORE whose patient wants reminders, each once even when two runs overlap,
    and queue its e-mail and, for patients who opted in and have a phone number, its text.
    Returns how many were claimed.

    Each batch is one transaction: the claims and the queued messages commit together. Rows
    another run holds are skipped (PostgreSQL: SKIP LOCKED; SQLite serialises writers), and the
    claim is a conditional update, so a row is never claimed twice."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        Q(patient__email_reminders=True) | Q(patient__sms_reminders=True),
        status__in=(Status.SCHEDULED, Status.CONFIRMED),
        start__gt=now,
        start__lte=now + timedelta(hours=settings.REMINDER_HOURS_BEFORE),
        reminder_sent_at__isnull=True,
    ).order_by("start")
    claimed = 0
    while True:
        with transaction.atomic():
            batch = list(
                due.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)[:batch_size]
            )
            for pk in batch:
                if Appointment.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                    claimed += 1
                    _queue(pk)
        if len(batch) < batch_size:
            break
    if claimed:
        logger.info("Queued %d reminders (%d h ahead).", claimed, settings.REMINDER_HOURS_BEFORE)
    return claimed


def _queue(appointment_id: int) -> None:
    patient = Appointment.objects.select_related("patient__user").get(pk=appointment_id).patient
    if patient.email_reminders:
        enqueue(tasks.send_reminder_email, appointment_id)
    if patient.sms_reminders and patient.user.phone:
        enqueue(tasks.send_reminder_sms, appointment_id)
