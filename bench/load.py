"""Load benchmark: gunicorn on 127.0.0.1 driven by wrk, at three data sizes, on PostgreSQL and
SQLite.

    make bench                     # installs wrk if missing, then runs everything below
    .venv/bin/python bench/load.py --sizes 10000 100000 1000000 --engines postgresql sqlite

For each engine and size it seeds a fresh database (200 doctors, 50,000 patients, the given
number of appointments), starts gunicorn, and runs each scenario for --duration seconds at
--concurrency connections: requests/s and p50/p99 latency from wrk, and the SQL queries one
request runs (counted in-process). Booking sends distinct free slots for distinct patients and
then checks the database for double bookings. Results are printed as a Markdown table and saved
in bench/results/.

The floor (issue 19): the same server also mounts a plain DRF list of the same appointments and
doctors (bench/floor_urls.py). Health, our three lists and their floors run alternately,
--rounds times each, and the medians are compared: ours / floor, and each / health.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, ROOT, database_url
from driver import (
    ALTERNATED,
    BOOKING_LUA,
    FLOOR,
    LOAD_ENV,
    ROLE,
    SCENARIOS,
    WORKERS,
    lua_string,
    measure,
    show,
    start_server,
    table,
    wrk,
)

# --- In a child process: seed, mint tokens, count queries ----------------------------------------


def prepare(url: str, size: int, out: Path, bookings: int) -> None:
    from common import migrate, seed, setup_django

    setup_django(url, **LOAD_ENV)
    migrate()
    print(f"  seeding {size:,} appointments ...", flush=True)
    ids = seed(appointments=size, log=lambda line: print(line, flush=True))

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from accounts.models import User
    from accounts.services import tokens_for_user
    from doctors.models import Doctor

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    admin = User.objects.get(pk=ids["admin_id"])
    patient_users = list(User.objects.filter(role="patient").order_by("pk")[: bookings + 1])
    doctor = Doctor.objects.get(pk=ids["doctor_ids"][0])
    today = datetime.now(UTC).date()

    def token(user) -> str:  # a session's token: the API refuses tokens without one (401)
        return tokens_for_user(user=user)["access"]

    filtered = (
        f"doctor={doctor.pk}&status=completed"
        f"&date_from={(today - timedelta(days=60)).isoformat()}&date_to={today.isoformat()}"
    )
    # Free slots beyond the seeded appointments: weekdays 08:00-18:00, 30 minutes, every doctor.
    first = ids["last_day"] + timedelta(days=1)
    slots = []
    day = first
    while len(slots) < bookings:
        if day.weekday() < 5:
            for k in range(20):
                start = datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(minutes=30 * k)
                slots.extend((doctor_id, start) for doctor_id in ids["doctor_ids"])
        day += timedelta(days=1)
    plan = {
        "admin": token(admin),
        "patient": token(patient_users[-1]),
        "paths": {
            "health": "/api/health/",
            "appointments, first page": "/api/appointments/",
            "appointments, filtered page": f"/api/appointments/?{filtered}",
            "slots, 31 days": f"/api/doctors/{doctor.pk}/slots/?date_from={today.isoformat()}"
            f"&date_to={(today + timedelta(days=30)).isoformat()}",
            "doctors list": "/api/doctors/",
            "summary report": "/api/reports/summary/",
            **{f"floor: {name}": path.format(query=filtered) for name, path in FLOOR.items()},
        },
        "bookings": [
            {
                "token": token(user),
                "body": json.dumps({"doctor": doctor_id, "start": start.isoformat()}),
            }
            for user, (doctor_id, start) in zip(patient_users, slots[:bookings], strict=False)
        ],
        "queries": {},
    }
    pages = {}
    for name, path in plan["paths"].items():
        client = APIClient()
        role = ROLE.get(name.removeprefix("floor: "), "admin")
        if role:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {plan[role]}")
        client.get(path)  # the first request opens the connection; count a warm one
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        plan["queries"][name] = len(queries.captured_queries)
        if name.removeprefix("floor: ") in FLOOR:
            pages[name] = [row["id"] for row in response.json()["results"]]
    for name in FLOOR:  # the floor lists as many rows; the same appointments, as the admin sees them
        ours, floor = pages[name], pages[f"floor: {name}"]
        assert len(ours) == len(floor) and (ours == floor or name == "doctors list"), (name, ours, floor)
        print(f"  {name}: {len(ours)} rows a page, ours and the floor", flush=True)
    booker = patient_users[-1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token(booker)}")
    probe = slots[-1]
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/appointments/", {"doctor": probe[0], "start": probe[1].isoformat()}, format="json")
    assert response.status_code == 201, response.content
    plan["queries"]["booking"] = len(queries.captured_queries)
    out.write_text(json.dumps(plan))


def count_double_bookings(url: str) -> None:
    from common import setup_django

    setup_django(url, **LOAD_ENV)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT COUNT(*) FROM appointments_appointment a JOIN appointments_appointment b
               ON a.doctor_id = b.doctor_id AND a.id < b.id AND a.start < b."end" AND b.start < a."end"
               WHERE a.status IN ('scheduled', 'confirmed', 'checked_in')
                 AND b.status IN ('scheduled', 'confirmed', 'checked_in')"""
        )
        print(json.dumps({"double_bookings": cursor.fetchone()[0]}))


# --- In the parent: the server, wrk, the table -------------------------------------------------------


def run_child(*args) -> str:
    result = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"bench child {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def bench_one(engine: str, size: int, args) -> dict:
    name = f"bench_load_{engine}_{size}"
    url = database_url(engine, name)
    plan_file = RESULTS / f"{name}.json"
    print(f"{engine}, {size:,} appointments", flush=True)
    started = time.perf_counter()
    print(run_child("prepare", url, str(size), str(plan_file), str(args.bookings)), end="")
    print(f"  prepared in {time.perf_counter() - started:.0f} s", flush=True)
    plan = json.loads(plan_file.read_text())
    port = 8600 + (size % 97)
    server = start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    results = {}
    run = {"duration": args.duration, "concurrency": args.concurrency}
    try:
        # Health, our lists and their floors in turn, --rounds times, on the same data (before
        # booking adds rows); medians. A 2-second warm-up of each first fills caches and workers.
        alternated = [
            key for scenario in ALTERNATED for key in (scenario, f"floor: {scenario}") if key in plan["paths"]
        ]
        for key in alternated:
            measure(base, plan, key, duration=2, concurrency=args.concurrency)
        runs = {key: [] for key in alternated}
        for number in range(args.rounds):
            print(f"  round {number + 1} of {args.rounds}", flush=True)
            for key in alternated:
                runs[key].append(measure(base, plan, key, **run))
                show(key, runs[key][-1])
        for key, measured in runs.items():
            results[key] = {
                field: statistics.median(r[field] for r in measured) for field in ("rps", "p50", "p99", "requests")
            }
            results[key].update(queries=measured[0]["queries"], rounds=[r["rps"] for r in measured])
        for scenario in SCENARIOS:
            if scenario in ALTERNATED:
                continue
            if scenario == "booking":
                script = RESULTS / f"{name}-booking.lua"
                rows = ",".join(f"{{{lua_string(b['token'])},{lua_string(b['body'])}}}" for b in plan["bookings"])
                script.write_text(BOOKING_LUA % rows)
                result = wrk(base + "/", script=script, **run)
                result.update(json.loads(run_child("doubles", url)), queries=plan["queries"]["booking"])
            else:
                measure(base, plan, scenario, duration=2, concurrency=args.concurrency)
                result = measure(base, plan, scenario, **run)
            results[scenario] = result
            show(scenario, result)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("prepare", "doubles"):
        if sys.argv[1] == "prepare":
            prepare(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5]))
        else:
            count_double_bookings(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--engines", nargs="+", default=["postgresql", "sqlite"], choices=["postgresql", "sqlite"])
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--concurrency", type=int, default=8, help="open connections")
    parser.add_argument("--rounds", type=int, default=3, help="alternated runs of health, our lists and the floor")
    parser.add_argument("--bookings", type=int, default=6000, help="distinct slots prepared for the booking run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk (make bench does it)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    all_results = {}
    for engine in args.engines:
        for size in args.sizes:
            all_results[(engine, size)] = bench_one(engine, size, args)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = (
        f"Measured {stamp}; {os.cpu_count()} cores; {WORKERS} gunicorn workers; "
        f"wrk -t2 -c{args.concurrency} -d{args.duration}s; health and lists: medians of {args.rounds} "
        "alternated runs\n"
    )
    report += table(all_results, args.rounds)
    (RESULTS / "load.md").write_text(report)
    print("\n" + report)


if __name__ == "__main__":
    main()
