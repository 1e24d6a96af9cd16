"""Processes killed with SIGKILL at the worst moment, then started again: every notification still
goes out, and none twice (but for the one a worker may have had in flight, between the mail
server's acceptance and the recording of it: at-least-once, as documented in config/tasks.py).

The processes are real ones (manage.py send_reminders, manage.py run_worker) on the test
database, with the database task backend and e-mails written as files.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from appointments.models import Appointment
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = settings.DATABASES["default"]
    if "sqlite" in db["ENGINE"]:
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def environment(outbox: Path, **extra) -> dict:
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "crash-tests-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "tests.tools.slow_email.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
        "SILK_ENABLED": "0",
        **extra,
    }


def start(env, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def delivered(outbox: Path) -> Counter:
    """(recipient, subject) of every message written, counted."""
    messages = Counter()
    for path in outbox.glob("*.log"):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = message_from_bytes(chunk)
                messages[(message["To"], message["Subject"])] += 1
    return messages


def test_a_reminder_run_killed_midway_then_run_again_reminds_everyone_exactly_once(tmp_path):
    doctor = DoctorFactory()
    now = timezone.now()
    for n in range(120):
        AppointmentFactory(
            doctor=doctor,
            patient=PatientFactory(user__email=f"p{n}@example.com"),
            start=now + timedelta(hours=2, minutes=30 * n),
        )
    env = environment(tmp_path, REMINDER_HOURS_BEFORE="72")

    run = start(env, "send_reminders", "--batch-size", "1")
    assert wait_for(lambda: Appointment.objects.filter(reminder_sent_at__isnull=False).exists())
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    claimed_when_killed = Appointment.objects.filter(reminder_sent_at__isnull=False).count()
    # Whatever was claimed was queued in the same transaction: nothing claimed is left unqueued.
    assert DBTaskResult.objects.count() == claimed_when_killed < 120

    subprocess.run([sys.executable, "manage.py", "send_reminders"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [sys.executable, "manage.py", "run_worker", "--once"], cwd=ROOT, env=env, check=True, capture_output=True
    )

    assert DBTaskResult.objects.count() == 120
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 120
    sent = delivered(tmp_path)
    assert sorted(to for to, _ in sent) == sorted(f"p{n}@example.com" for n in range(120))
    assert set(sent.values()) == {1}


def test_a_worker_killed_mid_send_loses_nothing_and_repeats_at_most_the_one_in_flight(tmp_path):
    doctor = DoctorFactory()
    now = timezone.now()
    for n in range(40):
        AppointmentFactory(
            doctor=doctor,
            patient=PatientFactory(user__email=f"w{n}@example.com"),
            start=now + timedelta(hours=2, minutes=30 * n),
        )
    env = environment(tmp_path, REMINDER_HOURS_BEFORE="24", TASK_LEASE_SECONDS="5", EMAIL_SLOW_SECONDS="0.05")
    subprocess.run([sys.executable, "manage.py", "send_reminders"], cwd=ROOT, env=env, check=True, capture_output=True)
    assert DBTaskResult.objects.filter(status="READY").count() == 40

    worker = start(env, "run_worker", "--interval", "0.2")
    assert wait_for(lambda: sum(delivered(tmp_path).values()) >= 10)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() < 40  # killed midway

    restarted = start(env, "run_worker", "--interval", "0.2")
    try:
        # The task the dead worker held is handed out again once its lease (5 s) has run out.
        assert wait_for(lambda: DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 40, timeout=60)
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=30)

    sent = delivered(tmp_path)
    assert sorted(to for to, _ in sent) == sorted(f"w{n}@example.com" for n in range(40))  # none lost
    assert sum(sent.values()) - len(sent) <= 1  # at most the one in flight went twice
