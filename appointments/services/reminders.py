"""Reminders: each due appointment is claimed once, then its e-mail (and text) queued."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from appointments import tasks
from appointments.models import Appointment, Status

logger = logging.getLogger(__name__)


def reminders_claim_due(*, now: datetime | None = None, batch_size: int = 200) -> list[int]:
    """Claim every scheduled or confirmed appointment starting within REMINDER_HOURS_BEFORE whose
    patient wants reminders: each is claimed once, even when two senders run at the same moment.

    Rows another sender holds are skipped (PostgreSQL: SKIP LOCKED; SQLite serialises writers),
    and the claim itself is a conditional update, so a row is never claimed twice."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        Q(patient__email_reminders=True) | Q(patient__sms_reminders=True),
        status__in=(Status.SCHEDULED, Status.CONFIRMED),
        start__gt=now,
        start__lte=now + timedelta(hours=settings.REMINDER_HOURS_BEFORE),
        reminder_sent_at__isnull=True,
    ).order_by("start")
    claimed: list[int] = []
    while True:
        with transaction.atomic():
            batch = list(
                due.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)[:batch_size]
            )
            for pk in batch:
                if Appointment.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                    claimed.append(pk)
        if len(batch) < batch_size:
            return claimed


def reminders_queue_due(*, now: datetime | None = None) -> int:
    """The reminder job: claim every due reminder once, then queue the e-mail and, for patients
    who opted in and have a phone number, the text. Returns how many were claimed."""
    claimed = reminders_claim_due(now=now)
    for appointment in Appointment.objects.filter(pk__in=claimed).select_related("patient__user"):
        patient = appointment.patient
        if patient.email_reminders:
            tasks.send_reminder_email.enqueue(appointment.pk)
        if patient.sms_reminders and patient.user.phone:
            tasks.send_reminder_sms.enqueue(appointment.pk)
    if claimed:
        logger.info("Queued %d reminders (%d h ahead).", len(claimed), settings.REMINDER_HOURS_BEFORE)
    return len(claimed)
