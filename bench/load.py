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
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_ENV, RESULTS, ROOT, database_url

SCENARIOS = [
    "health",
    "appointments, first page",
    "appointments, filtered page",
    "slots, 31 days",
    "doctors list",
    "booking",
    "summary report",
]
WORKERS = 4


# --- In a child process: seed, mint tokens, count queries ----------------------------------------


def prepare(url: str, size: int, out: Path, bookings: int) -> None:
    from common import migrate, seed, setup_django

    setup_django(url)
    migrate()
    print(f"  seeding {size:,} appointments ...", flush=True)
    ids = seed(appointments=size, log=lambda line: print(line, flush=True))

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.models import User
    from doctors.models import Doctor

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    admin = User.objects.get(pk=ids["admin_id"])
    patient_users = list(User.objects.filter(role="patient").order_by("pk")[: bookings + 1])
    doctor = Doctor.objects.get(pk=ids["doctor_ids"][0])
    today = datetime.now(UTC).date()
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
        "admin": str(AccessToken.for_user(admin)),
        "patient": str(AccessToken.for_user(patient_users[-1])),
        "paths": {
            "health": "/api/health/",
            "appointments, first page": "/api/appointments/",
            "appointments, filtered page": f"/api/appointments/?doctor={doctor.pk}&status=completed"
            f"&date_from={(today - timedelta(days=60)).isoformat()}&date_to={today.isoformat()}",
            "slots, 31 days": f"/api/doctors/{doctor.pk}/slots/?date_from={today.isoformat()}"
            f"&date_to={(today + timedelta(days=30)).isoformat()}",
            "doctors list": "/api/doctors/",
            "summary report": "/api/reports/summary/",
        },
        "bookings": [
            {
                "token": str(AccessToken.for_user(user)),
                "body": json.dumps({"doctor": doctor_id, "start": start.isoformat()}),
            }
            for user, (doctor_id, start) in zip(patient_users, slots[:bookings], strict=False)
        ],
        "queries": {},
    }
    as_role = {"health": None, "slots, 31 days": "patient", "doctors list": "patient"}
    for name, path in plan["paths"].items():
        client = APIClient()
        role = as_role.get(name, "admin")
        if role:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {plan[role]}")
        client.get(path)  # the first request opens the connection; count a warm one
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        plan["queries"][name] = len(queries.captured_queries)
    booker = patient_users[-1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(booker)}")
    probe = slots[-1]
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/appointments/", {"doctor": probe[0], "start": probe[1].isoformat()}, format="json")
    assert response.status_code == 201, response.content
    plan["queries"]["booking"] = len(queries.captured_queries)
    out.write_text(json.dumps(plan))


def count_double_bookings(url: str) -> None:
    from common import setup_django

    setup_django(url)
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


def start_server(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": url, "JWT_ACCESS_MINUTES": "240"}
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    process = subprocess.Popen(
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health/", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("gunicorn did not start")


def wrk(url: str, *, duration: int, concurrency: int, token: str | None = None, script: Path | None = None) -> dict:
    command = ["wrk", "--latency", "-t", "2", "-c", str(concurrency), "-d", f"{duration}s"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def ms(label):
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }


BOOKING_LUA = """
local bookings = {%s}
local counter = 0
local offset, step = 0, 1
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  offset, step = id, 2
end
request = function()
  local index = offset + counter * step + 1
  counter = counter + 1
  if index > #bookings then index = ((index - 1) %% #bookings) + 1 end
  local b = bookings[index]
  return wrk.format("POST", "/api/appointments/", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. b[1]
  }, b[2])
end
"""


def lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


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
    try:
        role = {"health": None, "slots, 31 days": "patient", "doctors list": "patient"}
        for scenario in SCENARIOS:
            warm_up = {"duration": 2, "concurrency": args.concurrency}
            if scenario == "booking":
                script = RESULTS / f"{name}-booking.lua"
                rows = ",".join(f"{{{lua_string(b['token'])},{lua_string(b['body'])}}}" for b in plan["bookings"])
                script.write_text(BOOKING_LUA % rows)
                result = wrk(base + "/", duration=args.duration, concurrency=args.concurrency, script=script)
                result.update(json.loads(run_child("doubles", url)))
            else:
                who = role.get(scenario, "admin")
                token = plan[who] if who else None
                wrk(base + plan["paths"][scenario], token=token, **warm_up)  # fill caches, start workers
                result = wrk(
                    base + plan["paths"][scenario],
                    duration=args.duration,
                    concurrency=args.concurrency,
                    token=token,
                )
            result["queries"] = plan["queries"].get(scenario, 1)
            results[scenario] = result
            line = f"{result['rps']:>8.1f} req/s  p50 {result['p50']:>7.1f} ms  p99 {result['p99']:>7.1f} ms"
            print(f"  {scenario:<30} {line}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def table(all_results: dict) -> str:
    sizes = sorted({size for (_, size) in all_results})
    lines = []
    for engine in sorted({engine for (engine, _) in all_results}):
        lines.append(f"\n### {engine}\n")
        header = "| scenario | " + " | ".join(f"{size:,}: req/s, p50 / p99 ms" for size in sizes) + " | queries |"
        lines += [header, "|---|" + "---:|" * (len(sizes) + 1)]
        for scenario in SCENARIOS:
            cells = []
            for size in sizes:
                r = all_results.get((engine, size), {}).get(scenario)
                cells.append(f"{r['rps']:.0f}, {r['p50']:.1f} / {r['p99']:.1f}" if r else "")
            queries = next(
                (all_results[(engine, s)][scenario]["queries"] for s in sizes if (engine, s) in all_results), ""
            )
            lines.append(f"| {scenario} | " + " | ".join(cells) + f" | {queries} |")
        for size in sizes:
            booking = all_results.get((engine, size), {}).get("booking")
            if booking:
                lines.append(
                    f"\nBooking at {size:,}: {booking['requests']} requests, {booking['non_2xx']} refused, "
                    f"{booking['double_bookings']} double bookings."
                )
    return "\n".join(lines)


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
        f"wrk -t2 -c{args.concurrency} -d{args.duration}s\n"
    )
    report += table(all_results)
    (RESULTS / "load.md").write_text(report)
    print("\n" + report)


if __name__ == "__main__":
    main()
