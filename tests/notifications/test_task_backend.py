"""The production setting: tasks queued in the database and run by `manage.py db_worker`."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from appointments import services
from tests.factories import DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_with_the_database_backend_the_worker_sends_what_the_request_queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    doctor = DoctorFactory(weekly_hours=True, user__email="doc@example.com")
    patient = PatientFactory(user__email="pat@example.com")

    with time_machine.travel(datetime(2030, 1, 7, 6, 0, tzinfo=UTC), tick=False):
        services.appointment_book(
            actor=patient.user, doctor=doctor, patient=patient, start=datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
        )

    assert mail.outbox == []  # queued, not sent by the request
    assert DBTaskResult.objects.filter(status="READY").count() == 2

    call_command("db_worker", "--batch", "--no-reload", "--interval", "0", verbosity=0)

    assert sorted(message.to[0] for message in mail.outbox) == ["doc@example.com", "pat@example.com"]
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_a_failed_send_is_queued_again_for_later(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr("django.core.mail.EmailMessage.send", lambda self, fail_silently=False: 1 / 0)
    doctor = DoctorFactory(weekly_hours=True, user__email="doc@example.com")
    patient = PatientFactory(user__email="")  # only the doctor has an address to fail on

    with time_machine.travel(datetime(2030, 1, 7, 6, 0, tzinfo=UTC), tick=False):
        services.appointment_book(
            actor=patient.user, doctor=doctor, patient=patient, start=datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
        )
    call_command("db_worker", "--batch", "--no-reload", "--interval", "0", verbosity=0)

    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"][1] == "doctor"
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after is not None  # not straight away: after a pause
