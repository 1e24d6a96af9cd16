"""Fault injection against a real deployment shape (not in CI): `.venv/bin/python bench/faults.py`.

Starts its own throwaway PostgreSQL cluster on a free port (never the shared server the test suite
uses), two gunicorn instances of 2 workers each on it (production settings, the database task
backend), then:
1. races 1,100 bookings for 55 slots (20 patients each, spread over both instances), SIGKILLing
   one gunicorn worker in the middle (gunicorn starts another);
2. books distinct slots under load while the database is restarted;
3. runs the notification worker, SIGKILLs it mid-batch, starts it again;
4. sends 60 wrong-password logins across both instances (limit 20/min from one address; the
   django-axes lockout is set out of the way so the throttle is what answers);
and prints attempts, outcomes by status, rows, double bookings, lost acknowledged writes and
duplicate notifications. Takes a minute or two.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import time as clock
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cluster import Cluster, free_port  # noqa: E402  (bench/ is on sys.path, as for load.py)
from common import start_gunicorn  # noqa: E402


def environment(url: str, outbox: Path) -> dict:
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "faults-only-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "CRITICAL",
        "SILK_ENABLED": "0",
        "DATABASE_URL": url,
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "tests.tools.slow_email.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
        "EMAIL_SLOW_SECONDS": "0.02",
        "TASK_LEASE_SECONDS": "5",
        "THROTTLE_USER_RATE": "1000000/min",
        "BOOKING_MAX_UPCOMING_PER_PATIENT": "1000",
        "JWT_ACCESS_MINUTES": "60",
        # Step 4 measures the shared throttle; the lockout (10 failures by default) would answer first.
        "LOGIN_FAILURE_LIMIT": "100000",
        "MFA_REQUIRED_ROLES": "none",
    }


def serve(env: dict, port: int) -> subprocess.Popen:
    return start_gunicorn(env, port, workers=2, stderr=subprocess.DEVNULL)


def post(port: int, path: str, body: dict, token: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", json.dumps(body).encode(), headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
    except OSError:
        return 0, {}  # no answer at all (connection refused or reset)


def prepare(env: dict) -> dict:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.services import tokens_for_user
    from tests.factories import DoctorFactory, PatientFactory

    call_command("migrate", verbosity=0)
    doctor = DoctorFactory(weekly_hours=[(day, clock(0), clock(23, 30)) for day in range(7)])
    patients = [PatientFactory(user__email=f"fault{n}@example.com") for n in range(400)]
    first = (timezone.now() + timedelta(days=2)).replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "doctor": doctor.pk,
        # Minted as a login does (a session, `sid` and `ver` claims), so the servers accept them.
        "tokens": [tokens_for_user(user=patient.user)["access"] for patient in patients],
        # Half-hour starts from 00:00 to 23:00 (the hours end at 23:30).
        "starts": [(first + timedelta(days=n // 47, minutes=30 * (n % 47))).isoformat() for n in range(300)],
    }


def kill_one_worker(master: subprocess.Popen, after: float) -> threading.Thread:
    """SIGKILL one of gunicorn's workers `after` seconds from now (its master starts another)."""

    def kill():
        time.sleep(after)
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master.pid)], capture_output=True, text=True)
        pids = [int(pid) for pid in children.stdout.split()]
        if pids:
            os.kill(pids[0], signal.SIGKILL)

    thread = threading.Thread(target=kill)
    thread.start()
    return thread


def stored_ids(ids) -> set:
    from appointments.models import Appointment

    return set(Appointment.objects.filter(pk__in=ids).values_list("pk", flat=True))


def race(jobs) -> list:
    """Every job, 40 at a time."""
    with ThreadPoolExecutor(max_workers=40) as pool:
        return list(pool.map(lambda job: job(), jobs))


def main() -> None:
    cluster = Cluster()
    outbox = Path(tempfile.mkdtemp(prefix="faults-mail-"))
    env = environment(cluster.url(), outbox)
    servers = []
    try:
        data = prepare(env)
        from django.db import connection
        from django.db.models import Exists, OuterRef

        from appointments.models import ACTIVE_STATUSES, Appointment

        ports = [free_port(), free_port()]
        servers = [serve(env, port) for port in ports]
        doctor, tokens, starts = data["doctor"], data["tokens"], data["starts"]
        report = {}

        # 1. The race: 55 slots, 20 patients each, alternating between the two instances.
        jobs = [
            (
                lambda slot=slot, who=who: post(
                    ports[who % 2],
                    "/api/appointments/",
                    {"doctor": doctor, "start": starts[slot]},
                    tokens[(slot * 20 + who) % 400],
                )
            )
            for slot in range(55)
            for who in range(20)
        ]
        killer = kill_one_worker(servers[0], after=0.5)
        outcomes = race(jobs)
        killer.join()
        booked = {body["id"] for status, body in outcomes if status == 201}
        report["race"] = {
            "attempts": len(outcomes),
            "by_status": dict(Counter(status for status, _ in outcomes)),
            "refusals": dict(Counter(str(body)[:160] for status, body in outcomes if status == 400)),
            "rows": Appointment.objects.filter(doctor_id=doctor, status__in=ACTIVE_STATUSES).count(),
            "worker_killed": 1,
            "lost_acknowledged": len(booked - stored_ids(booked)),
        }

        # 2. Distinct slots booked while the database restarts.
        acknowledged, statuses = [], Counter()

        def booker(offset):
            for slot in range(100 + offset, 300, 4):
                status, body = post(
                    ports[slot % 2], "/api/appointments/", {"doctor": doctor, "start": starts[slot]}, tokens[slot]
                )
                statuses[status] += 1
                if status == 201:
                    acknowledged.append(body["id"])
                time.sleep(0.1)

        threads = [threading.Thread(target=booker, args=(offset,)) for offset in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        connection.close()
        cluster.restart()
        for thread in threads:
            thread.join()
        report["restart"] = {
            "attempts": sum(statuses.values()),
            "by_status": dict(statuses),
            "lost_acknowledged": len(set(acknowledged) - stored_ids(acknowledged)),
        }

        # 3. The worker, killed mid-batch, then started again.
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
        )
        time.sleep(2.0)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
        )
        from django_tasks_db.models import DBTaskResult

        deadline = time.monotonic() + 120
        while (
            DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists() and time.monotonic() < deadline
        ):
            time.sleep(0.5)
        worker.send_signal(signal.SIGTERM)
        worker.wait()
        sent = Counter()
        for path in outbox.glob("*.log"):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    message = message_from_bytes(chunk)
                    sent[(message["To"], message["Subject"])] += 1
        expected = 2 * Appointment.objects.filter(doctor_id=doctor).count()  # patient and doctor, per booking
        report["worker_kill"] = {
            "expected": expected,
            "delivered": len(sent),
            "duplicates": sum(sent.values()) - len(sent),
            "lost": expected - len(sent),
        }

        # 4. One throttle limit across both instances.
        logins = [post(ports[n % 2], "/api/token/", {"username": "nobody", "password": "wrong"}) for n in range(60)]
        report["throttle"] = {
            "attempts": 60,
            "by_status": dict(Counter(status for status, _ in logins)),
            "limit": "20/min",
        }

        overlapping = Appointment.objects.filter(
            doctor_id=OuterRef("doctor_id"),
            status__in=ACTIVE_STATUSES,
            blocked_start__lt=OuterRef("blocked_end"),
            blocked_end__gt=OuterRef("blocked_start"),
        ).exclude(pk=OuterRef("pk"))
        report["double_bookings"] = (
            Appointment.objects.filter(status__in=ACTIVE_STATUSES).filter(Exists(overlapping)).count()
        )
        print(json.dumps(report, indent=2))
    finally:
        for server in servers:
            server.terminate()
        cluster.destroy()
        shutil.rmtree(outbox, ignore_errors=True)


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    main()
