"""Throttle counters every worker shares, counted atomically: the limit holds under concurrency,
across processes, on each store (SQLite file, PostgreSQL table, Redis)."""

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config import throttling

ROOT = Path(__file__).resolve().parents[1]


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def hammer(store, key: str, n: int) -> list[int]:
    counts, barrier = [], threading.Barrier(n)

    def one():
        barrier.wait(timeout=30)
        counts.append(store.incr(key, 1, ttl=60))
        connection.close()

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(counts)


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_increments_count_twenty_once_each():
    assert hammer(throttling.store(), "race", 20) == list(range(1, 21))


@pytest.mark.skipif(not redis_reachable(), reason="needs the Redis on 127.0.0.1:6379")
def test_the_redis_store_counts_atomically_too():
    store = throttling.RedisStore("redis://127.0.0.1:6379/15")
    store.clear()
    try:
        assert hammer(store, "race", 20) == list(range(1, 21))
    finally:
        store.clear()


@pytest.mark.django_db(transaction=True)
def test_processes_share_one_count():
    """Four separate processes (as four workers, or two servers of two) counting one key."""
    script = (
        "import django; django.setup()\n"
        "from config import throttling\n"
        "print(' '.join(str(throttling.store().incr('shared', 7, ttl=60)) for _ in range(25)))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    db = settings.DATABASES["default"]
    if "postgresql" in db["ENGINE"]:
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    children = [
        subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    counts = sorted(int(n) for child in children for n in child.communicate(timeout=120)[0].split())

    assert counts == list(range(1, 101))


@pytest.mark.django_db
def test_the_limit_answers_429_with_retry_after(anon, settings):
    from rest_framework.settings import api_settings

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(throttling.AnonRateThrottle, "THROTTLE_RATES", rates)
        statuses = [anon.get("/api/schema/").status_code for _ in range(2)]
        codes = [anon.post("/api/token/", {"username": "x", "password": "y"}, format="json") for _ in range(3)]

    assert [response.status_code for response in codes][-1] == 429
    assert int(codes[-1]["Retry-After"]) <= 60
    assert statuses == [200, 200]  # the schema view is not throttled
