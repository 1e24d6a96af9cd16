"""Reminders: each due appointment exactly once, never for cancelled, past or opted-out ones."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from appointments.models import Appointment, Status
from appointments.services import reminders_queue_due
from config.sms import LocMemSmsBackend
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory

NOW = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)


def appointment(hours_ahead, **kwargs):
    kwargs.setdefault("patient", PatientFactory(user__email=f"p{hours_ahead}@example.com"))
    return AppointmentFactory(start=NOW + timedelta(hours=hours_ahead), **kwargs)


def send_reminders():
    # The reminders are queued with their claim, so they run when its transaction commits.
    with time_machine.travel(NOW, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.django_db
def test_due_appointments_are_reminded_once_even_when_the_job_runs_twice():
    due = appointment(3)
    also_due = appointment(23.5, status=Status.CONFIRMED)
    appointment(25)  # not yet

    send_reminders()
    send_reminders()

    assert sorted(m.to[0] for m in mail.outbox) == sorted([due.patient.user.email, also_due.patient.user.email])
    assert "reminder" in mail.outbox[0].subject
    due.refresh_from_db()
    assert due.reminder_sent_at == NOW


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.CANCELLED, Status.NO_SHOW, Status.COMPLETED, Status.CHECKED_IN])
def test_cancelled_and_finished_appointments_are_never_reminded(status):
    appointment(3, status=status)

    send_reminders()

    assert mail.outbox == []


@pytest.mark.django_db
def test_past_appointments_are_never_reminded():
    appointment(-1)

    send_reminders()

    assert mail.outbox == []


@pytest.mark.django_db
def test_patients_who_opted_out_get_none():
    appointment(3, patient=PatientFactory(email_reminders=False, sms_reminders=False, user__phone="+44 20 7946 0001"))

    send_reminders()

    assert mail.outbox == []
    assert LocMemSmsBackend.outbox == []


@pytest.mark.django_db
def test_patients_who_opted_in_to_texts_also_get_an_sms_without_clinical_details():
    visit = appointment(
        3, patient=PatientFactory(sms_reminders=True, user__phone="+44 20 7946 0001"), reason="Depression follow-up"
    )
    appointment(4, patient=PatientFactory(sms_reminders=True, user__phone=""))  # no phone: e-mail only

    send_reminders()

    [text] = LocMemSmsBackend.outbox
    assert text.to == "+44 20 7946 0001"
    assert visit.doctor.user.get_full_name() in text.body
    assert "Depression" not in text.body
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_switching_reminders_off_in_the_profile(client_for):
    patient = PatientFactory()

    response = client_for(patient.user).patch("/api/profile/", {"patient": {"email_reminders": False}}, format="json")

    assert response.status_code == 200
    patient.refresh_from_db()
    assert patient.email_reminders is False


@pytest.mark.django_db
def test_a_reminder_says_when_in_the_patients_time_zone():
    appointment(3, patient=PatientFactory(user__email="ny@example.com", time_zone="America/New_York"))

    send_reminders()

    assert "Monday 04 March 2030, 06:00 (America/New_York)" in mail.outbox[0].body  # 11:00 UTC


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_the_same_moment_remind_each_appointment_once():
    doctor = DoctorFactory()
    for hour in range(40):
        appointment(1 + hour * 0.5, doctor=doctor)
    barrier = threading.Barrier(2)
    claims = [None, None]

    def sender(i):
        try:
            barrier.wait(timeout=10)
            claims[i] = reminders_queue_due(now=NOW, batch_size=5)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert claims[0] + claims[1] == 40
    assert Appointment.objects.filter(reminder_sent_at__isnull=True).count() == 0
    recipients = [message.to[0] for message in mail.outbox]
    assert len(recipients) == len(set(recipients)) == 40
