"""Per-request cost in process: each scenario of the load benchmark and its floor, through Django's
WSGI handler without a network, timed over many requests. The quick loop for issue 19's changes
(a load run takes minutes and its figures move with the machine); the load run is what counts.

    .venv/bin/python bench/inprocess.py                       # SQLite, 10,000 appointments
    .venv/bin/python bench/inprocess.py --engine postgresql --requests 300
    .venv/bin/python bench/inprocess.py --profile "appointments, first page"   # cProfile, top 30

The database is seeded once and kept (bench/results/inprocess-<engine>-<size>.*); --fresh
seeds again.
"""

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load
from common import RESULTS, ROOT, database_url
from driver import LOAD_ENV, ROLE

sys.path.insert(0, str(ROOT))  # the project's `reports` app before bench/reports.py


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--profile", help="a scenario to run under cProfile instead")
    parser.add_argument("--only", nargs="*", help="scenarios to time (default: all GET scenarios)")
    args = parser.parse_args()

    name = f"inprocess_{args.engine}_{args.size}"
    plan_file = RESULTS / f"{name}.json"
    if args.fresh or not plan_file.exists():
        url = database_url(args.engine, name)
        load.prepare(url, args.size, plan_file, bookings=10)
        plan = json.loads(plan_file.read_text())
        plan["url"] = url
        plan_file.write_text(json.dumps(plan))
        print("seeded; run again to time", flush=True)
        return
    plan = json.loads(plan_file.read_text())

    from common import setup_django

    setup_django(plan["url"], **LOAD_ENV)
    from django.db import connection
    from django.test import Client

    def client_for(scenario: str) -> Client:
        role = ROLE.get(scenario.removeprefix("floor: "), "admin")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {plan[role]}"} if role else {}
        return Client(REMOTE_ADDR="127.0.0.1", **headers)

    scenarios = args.only or list(plan["paths"])
    if args.profile:
        client, path = client_for(args.profile), plan["paths"][args.profile]
        for _ in range(20):
            client.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client.get(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return
    print(f"{args.engine}, {args.size:,} appointments, {args.requests} requests each (ms per request)")
    for scenario in scenarios:
        client, path = client_for(scenario), plan["paths"][scenario]
        for _ in range(20):
            response = client.get(path)
        assert response.status_code == 200, (scenario, response.status_code, response.content[:300])
        queries = []

        def count(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(path)
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"  {scenario:40s} median {statistics.median(times):6.2f}  mean {statistics.fmean(times):6.2f}"
            f"  queries {len(queries)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
