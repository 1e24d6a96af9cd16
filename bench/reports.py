"""Time each report on 100,000 appointments.

    .venv/bin/python bench/reports.py                      # SQLite (bench/results/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/reports.py
                                                           # PostgreSQL (a fresh bench database)

Prints, for each report, the median of five requests through the whole stack (URL routing,
JWT, permissions, SQL, serialisation), for the last 30 days and for a whole year.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import database_url, migrate, seed, setup_django

REPORTS = [
    ("summary", "/api/reports/summary/", {}),
    ("doctors", "/api/reports/doctors/", {}),
    ("revenue by day", "/api/reports/revenue/", {"group_by": "day"}),
    ("revenue by week", "/api/reports/revenue/", {"group_by": "week"}),
    ("revenue by month", "/api/reports/revenue/", {"group_by": "month"}),
    ("revenue by doctor", "/api/reports/revenue/", {"group_by": "doctor"}),
    ("revenue by specialization", "/api/reports/revenue/", {"group_by": "specialization"}),
    ("one patient", "/api/reports/patients/{patient}/", {}),
    ("summary as CSV", "/api/reports/summary/", {"format": "csv"}),
    ("doctors as CSV", "/api/reports/doctors/", {"format": "csv"}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--appointments", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    engine = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    if engine == "postgresql":
        os.environ.setdefault("BENCH_POSTGRES", os.environ["DATABASE_URL"].rsplit("/", 1)[0])
    url = database_url(engine, f"bench_reports_{args.appointments}")
    setup_django(url)
    migrate()
    print(f"Seeding {args.appointments:,} appointments on {engine} ...")
    ids = seed(appointments=args.appointments)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework.test import APIClient

    from accounts.models import User
    from accounts.services import tokens_for_user

    admin = User.objects.get(pk=ids["admin_id"])
    client = APIClient()  # a session's token: the API refuses tokens without one (401)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for_user(user=admin)['access']}")
    today = timezone.localdate()
    ranges = {"30 days": (today - timedelta(days=29), today), "365 days": (today - timedelta(days=364), today)}
    print(f"\n{'report':<28}{'range':>10}{'median ms':>12}{'queries':>10}")
    for name, path, params in REPORTS:
        for label, (first, last) in ranges.items():
            url = path.format(patient=ids["patient_ids"][0])
            query = {"date_from": first.isoformat(), "date_to": last.isoformat(), **params}
            timings = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, query)
                    timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (name, response.status_code, response.content[:300])
            print(f"{name:<28}{label:>10}{statistics.median(timings):>12.1f}{len(queries.captured_queries):>10}")


if __name__ == "__main__":
    main()
