"""Shared by the benchmarks: a throwaway database, Django set up on it, and bulk demo data.

Never points at your own database: PostgreSQL gets a fresh database named `bench_<size>` on the
server DATABASE_URL names; SQLite gets `bench/results/bench-<size>.sqlite3`.
"""

import os
import shutil
import subprocess
import sys
import time
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",  # DEBUG would keep every query in memory
    "DJANGO_SECRET_KEY": "bench-only-" + "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
    "SILK_ENABLED": "0",
    "DJANGO_LOG_LEVEL": "WARNING",
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    # Load tests log in and book far more than a person would.
    "THROTTLE_ANON_RATE": "1000000/min",
    "THROTTLE_USER_RATE": "1000000/min",
    "THROTTLE_AUTH_RATE": "1000000/min",
    "BOOKING_HORIZON_DAYS": "400",
    # As in production: notifications are queued in the database (no worker runs during the
    # benchmark), rather than rendered and sent inside the request.
    "TASKS_BACKEND": "database",
}
PASSWORD = "bench-password-2026"


def database_url(engine: str, name: str) -> str:
    """A fresh database for this run (created empty; the caller migrates it)."""
    if engine == "sqlite":
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    admin = f"{server}/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin, "-q", "-c", sql], check=True)
    return f"{server}/{name}"


def start_gunicorn(env: dict, port: int, *, workers: int, stderr) -> subprocess.Popen:
    """gunicorn serving the project on 127.0.0.1:port with `env`, returned once /api/health/
    answers (load.py's server, and each app server of faults.py)."""
    import urllib.request

    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    process = subprocess.Popen(
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health/", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("gunicorn did not start")


def setup_django(url: str, **env: str) -> None:
    # whitenoise warns that collectstatic has not run; the benchmarks serve no static files.
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ.update(BENCH_ENV, **env)
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(*, appointments: int, doctors: int = 200, patients: int = 50_000, log=print) -> dict:
    """Bulk data that obeys every rule the database holds: doctors on a Monday-Friday 08:00-18:00
    grid of 30-minute slots, one patient per slot, no patient in two places at once, past
    appointments finished (completed, no-show, cancelled), future ones booked; half the
    completed visits have a treatment. Returns a few ids the benchmarks use."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from accounts.models import Role, User
    from appointments import tallies
    from appointments.models import Appointment, Status
    from doctors.models import Doctor, DoctorVisitType, Specialization, VisitType, WorkingHours
    from patients.models import Patient
    from treatments.models import Treatment

    started = time.perf_counter()
    password = make_password(PASSWORD)
    with transaction.atomic():
        admin = User.objects.create(
            username="bench-admin",
            email="bench-admin@example.com",
            role=Role.ADMIN,
            is_superuser=True,
            password=password,
        )
        specializations = Specialization.objects.bulk_create(
            Specialization(name=name)
            for name in (
                "General Practice",
                "Cardiology",
                "Neurology",
                "Paediatrics",
                "Dermatology",
                "Orthopaedics",
                "Oncology",
                "Psychiatry",
            )
        )
        doctor_users = User.objects.bulk_create(
            User(
                username=f"doctor{n}",
                email=f"doctor{n}@example.com",
                first_name="Doc",
                last_name=f"Tor{n}",
                role=Role.DOCTOR,
                password=password,
            )
            for n in range(doctors)
        )
        doctor_rows = Doctor.objects.bulk_create(
            Doctor(
                user=user,
                specialization=specializations[n % len(specializations)],
                licence_number=f"BENCH-{n:05d}",
                consultation_fee=50 + (n % 10) * 10,
                location=f"Building {n % 5}",
                slot_minutes=30,
            )
            for n, user in enumerate(doctor_users)
        )
        WorkingHours.objects.bulk_create(
            WorkingHours(doctor=doctor, weekday=day, start_time="08:00", end_time="18:00")
            for doctor in doctor_rows
            for day in range(5)
        )
        # One visit type, 30 minutes without buffers, every doctor's default: blocked time = visit.
        visit_type = VisitType.objects.create(name="Consultation", duration_minutes=30)
        DoctorVisitType.objects.bulk_create(
            DoctorVisitType(doctor=doctor, visit_type=visit_type, is_default=True) for doctor in doctor_rows
        )
    log(f"  {doctors} doctors in {time.perf_counter() - started:.1f} s")

    batch = 5000
    patient_ids = []
    for first in range(0, patients, batch):
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(
                    username=f"patient{n}",
                    email=f"patient{n}@example.com",
                    first_name="Pat",
                    last_name=f"Ient{n}",
                    role=Role.PATIENT,
                    password=password,
                )
                for n in range(first, min(first + batch, patients))
            )
            patient_ids += [p.pk for p in Patient.objects.bulk_create(Patient(user=user) for user in users)]
    log(f"  {patients} patients in {time.perf_counter() - started:.1f} s")

    # Slots: 20 a day per doctor on weekdays, laid back and forth from today.
    per_doctor = -(-appointments // doctors)
    weekdays_needed = -(-per_doctor // 20)
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    days, day = [], today - timedelta(days=int(weekdays_needed * 7 / 5 * 0.8))
    while len(days) < weekdays_needed:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    slots = [d + timedelta(hours=8, minutes=30 * k) for d in days for k in range(20)]
    made, rows = 0, []
    finished = [Status.COMPLETED] * 8 + [Status.NO_SHOW, Status.CANCELLED]
    for slot_index, start in enumerate(slots):
        for d, doctor in enumerate(doctor_rows):
            if made >= appointments:
                break
            patient_id = patient_ids[(slot_index * doctors + d) % len(patient_ids)]
            past = start < today
            status = (
                finished[(slot_index + d) % 10]
                if past
                else (Status.SCHEDULED if (slot_index + d) % 2 else Status.CONFIRMED)
            )
            rows.append(
                Appointment(
                    doctor=doctor,
                    patient_id=patient_id,
                    visit_type=visit_type,
                    start=start,
                    end=start + timedelta(minutes=30),
                    blocked_start=start,
                    blocked_end=start + timedelta(minutes=30),
                    status=status,
                    fee=doctor.consultation_fee,
                    reason="Check-up",
                    created_by_id=admin.pk,
                    cancelled_at=start if status == Status.CANCELLED else None,
                )
            )
            made += 1
            if len(rows) == batch:
                Appointment.objects.bulk_create(rows)
                rows = []
        if made >= appointments:
            break
    Appointment.objects.bulk_create(rows)
    log(f"  {made} appointments in {time.perf_counter() - started:.1f} s")

    completed = (
        Appointment.objects.filter(status=Status.COMPLETED).values_list("pk", flat=True).iterator(chunk_size=batch)
    )
    treatments = []
    for n, appointment_id in enumerate(completed):
        if n % 2 == 0:
            treatments.append(
                Treatment(appointment_id=appointment_id, diagnosis="Check-up", cost=20, created_by_id=admin.pk)
            )
        if len(treatments) == batch:
            Treatment.objects.bulk_create(treatments)
            treatments = []
    Treatment.objects.bulk_create(treatments)
    log(f"  treatments: {time.perf_counter() - started:.1f} s")
    tallies.rebuild()  # written in bulk, past the services: the summary report's tallies, once
    log(f"  tallies: {time.perf_counter() - started:.1f} s")
    # Planner statistics, as a database in use has them (SQLite's come from PRAGMA optimize as
    # connections close; without them its planner read every user to list 200 doctors).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"  analyse: {time.perf_counter() - started:.1f} s")
    return {
        "admin_id": admin.pk,
        "doctor_ids": [d.pk for d in doctor_rows],
        "patient_ids": patient_ids[:1000],
        "first_day": days[0].date(),
        "last_day": days[-1].date(),
    }
